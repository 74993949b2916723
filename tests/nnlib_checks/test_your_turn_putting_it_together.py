"""Notebook 07's your-turn tasks (``nnlib_checks.your_turn.putting_it_together``): the
references agree with nnlib and scikit-learn, a loop over the samples is right and
scikit-learn is not the answer. The tests every task module gets are in ``test_your_turn``.
"""

import numpy as np
from sklearn.metrics import confusion_matrix

import nnlib
from nnlib_checks.your_turn import putting_it_together as pt

from .your_turn_support import submit


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
