"""The your-turn tasks of notebook 07 (``nnlib_checks.your_turn.putting_it_together``): the
solution passes, every catalogued mistake gets its own message, an untouched answer waits, a
wrong value or prediction is explained, the notebook's cells wait untouched and pass once filled
in from their worked answers — and the references agree with nnlib and scikit-learn. The helpers
are notebook 02's (``test_your_turn_forward_propagation``), bound by notebook 06's
``task_tests``.
"""

import numpy as np
from sklearn.metrics import confusion_matrix

import nnlib
from nnlib_checks.your_turn import putting_it_together as pt

from .test_checks import submit
from .test_your_turn_iteration import task_tests

NOTEBOOK = "07_putting_it_together"
(test_each_cell_of_the_notebook_waits_then_passes_with_its_worked_answer,
 test_each_catalogued_mistake_is_named,
 test_right_wrong_and_untouched_answers_are_judged) = task_tests(pt, NOTEBOOK)


def test_the_parameter_count_is_the_digits_network_s():
    net = nnlib.Network([nnlib.Dense(64, 128, "relu"), nnlib.Dense(128, 10, "softmax")])
    assert pt.TASKS["n_parameters"].expected == sum(p.size for _, p, _ in net.parameters())
    assert pt.TASKS["n_parameters"].expected == 128 * 65 + 10 * 129


def test_the_accuracy_reference_is_network_accuracy():
    X, y = nnlib.datasets.blobs(60, centers=3, seed=1)
    net = nnlib.Network([nnlib.Dense(2, 8, "relu"), nnlib.Dense(8, 3, "softmax")], seed=0)
    nnlib.fit(net, X, y, nnlib.SGD(0.1), epochs=3, progress=False)
    accuracy = net.accuracy(X, y)
    assert 0 < accuracy < 1
    assert pt.accuracy.reference(net.forward(X), y) == accuracy
    assert pt.accuracy_solution(net.forward(X), y) == accuracy


def test_the_confusion_reference_is_scikit_learn_s_matrix():
    for case in pt.confusion.cases(True):
        y_true, y_pred, k = case.args
        expected = confusion_matrix(y_true, y_pred, labels=range(k))
        np.testing.assert_array_equal(pt.confusion.reference(*case.args), expected)
        # repeated (true, predicted) pairs: the fancy-index trap changes the counts
        assert len(set(zip(y_true.tolist(), y_pred.tolist()))) < len(y_true)


def test_a_loop_over_the_samples_is_right_and_scikit_learn_is_not_the_answer():
    task = pt.TASKS["confusion"]
    loop = submit("def confusion(y_true, y_pred, k):\n"
                  "    C = np.zeros((k, k), dtype=int)\n"
                  "    for t, p in zip(y_true, y_pred):\n"
                  "        C[t, p] += 1\n"
                  "    return C")
    assert task.judge(loop) == ("done", "right.")
    library = submit("def confusion(y_true, y_pred, k):\n"
                     "    return confusion_matrix(y_true, y_pred, labels=range(k))",
                     confusion_matrix=confusion_matrix)
    verdict, message = task.judge(library)
    assert verdict == "wrong" and "uses sklearn" in message
