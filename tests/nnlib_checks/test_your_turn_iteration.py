"""The your-turn tasks of notebook 06 (``nnlib_checks.your_turn.iteration``): the solution
passes, every catalogued mistake gets its own message, an untouched answer waits, a wrong value
or prediction is explained, the notebook's cells wait untouched and pass once filled in from
their worked answers — and every answer is what nnlib does. The helpers are notebook 02's
(``test_your_turn_forward_propagation``).
"""

import numpy as np
import pytest

from nnlib import SGD, Dense, Network, datasets, fit
from nnlib_checks.your_turn import Tasks
from nnlib_checks.your_turn import iteration as it

from .test_checks import submit
from .test_your_turn_forward_propagation import check_cell, check_kinds, check_mistake, mistakes_of

NOTEBOOK = "06_iteration"


def task_tests(module, notebook):
    """The three tests every notebook's task module gets, to bind to names starting with test_:
    each notebook cell waits untouched and passes with its worked answer; each catalogued
    mistake is named; right, wrong and untouched answers are judged (notebook 07 uses it too)."""
    mistakes = mistakes_of(module)

    @pytest.mark.parametrize("name", sorted(module.TASKS))
    def cells(name, capsys):
        check_cell(notebook, name, capsys)

    @pytest.mark.parametrize(("name", "mistake"), mistakes, ids=[m.name for _, m in mistakes])
    def catalogue(name, mistake):
        check_mistake(module.TASKS[name], mistake)

    def kinds():
        check_kinds(module)

    return cells, catalogue, kinds


(test_each_cell_of_the_notebook_waits_then_passes_with_its_worked_answer,
 test_each_catalogued_mistake_is_named,
 test_right_wrong_and_untouched_answers_are_judged) = task_tests(it, NOTEBOOK)


def test_the_progress_counts_what_is_done():
    tasks = Tasks(NOTEBOOK)
    tasks.check("updates", 100)
    tasks.check("early_stopping_prediction", "a")
    assert tasks.state["updates"] == "done" and tasks.state["early_stopping_prediction"] == "wrong"
    assert list(tasks.tasks) == ["updates", "epoch_loss", "batch_noise_prediction",
                                 "early_stopping_prediction", "capacity_prediction"]


class CountingSGD(SGD):
    """SGD that counts its updates."""

    updates = 0

    def step(self, net):
        self.updates += 1
        super().step(net)


def net_2_16_2(seed=0):
    return Network([Dense(2, 16, "tanh"), Dense(16, 2, "softmax")], seed=seed)


def test_the_number_of_updates_is_what_fit_makes():
    X, y = datasets.moons(it.N, seed=0)
    optimizer = CountingSGD(0.1)
    fit(net_2_16_2(), X, y, optimizer, epochs=it.E, batch_size=it.B, progress=False)
    assert optimizer.updates == it.TASKS["updates"].expected == 100
    # the off-by-one the first tempting value names: ⌊n/B⌋ per epoch drops the short batch
    assert it.TASKS["updates"].wrong[0][0] == it.E * (it.N // it.B) != optimizer.updates


def test_the_epoch_loss_reference_is_fit_s_epoch_loss():
    """The batch losses of one epoch, measured before each update as fit measures them, give
    fit's recorded loss through the task's reference — and not through the plain mean."""
    X, y = datasets.moons(it.N, noise=0.2, seed=0)
    net, optimizer, losses, sizes = net_2_16_2(), SGD(0.5), [], []
    for Xb, yb in datasets.minibatches(X, y, it.B, shuffle=False):
        losses.append(net.loss(net.forward(Xb), yb))
        sizes.append(len(Xb))
        net.backward(yb)
        optimizer.step(net)
    history = fit(net_2_16_2(), X, y, SGD(0.5), epochs=1, batch_size=it.B, shuffle=False,
                  progress=False)
    losses, sizes = np.array(losses), np.array(sizes)
    assert sizes.tolist() == [32, 32, 32, 32, 22]
    assert it.epoch_loss.reference(losses, sizes) == pytest.approx(history.loss[0], rel=1e-12)
    assert it.epoch_loss_solution(losses, sizes) == pytest.approx(history.loss[0], rel=1e-12)
    assert np.mean(losses) != pytest.approx(history.loss[0], rel=1e-6)


def test_a_loop_or_np_average_is_right_too():
    task = it.TASKS["epoch_loss"]
    loop = submit("def epoch_loss(batch_losses, batch_sizes):\n"
                  "    total = 0.0\n"
                  "    for loss, size in zip(batch_losses, batch_sizes):\n"
                  "        total += loss * size\n"
                  "    return total / sum(batch_sizes)")
    average = submit("def epoch_loss(batch_losses, batch_sizes):\n"
                     "    return np.average(batch_losses, weights=batch_sizes)")
    assert task.judge(loop) == task.judge(average) == ("done", "right.")


def test_the_predictions_say_what_training_does():
    """The claims the three predictions make, on the notebook's settings."""
    # early stopping: the best epoch of the overfitting run, and patience 50 after it
    X, y = datasets.circles(60, noise=0.25, seed=0)
    X_train, y_train, X_val, y_val, _, _ = datasets.train_val_test_split(X, y, val=0.5, test=0,
                                                                         seed=0)
    net = Network([Dense(2, 32, "relu"), Dense(32, 32, "relu"), Dense(32, 2, "softmax")])
    early = fit(net, X_train, y_train, SGD(0.1), epochs=600, validation=(X_val, y_val),
                patience=50, progress=False)
    assert (early.best_epoch, early.epochs) == (239, 289)
    choices = it.TASKS["early_stopping_prediction"].choices
    assert "epoch 239" in choices["b"] and "epoch 289" in choices["a"]
    assert net.loss(net.forward(X_val), y_val) == pytest.approx(min(early.val_loss), rel=1e-12)
    # more, rougher updates: single-sample descent ends below full batch in 8 epochs
    X, y = datasets.moons(200, noise=0.2, seed=0)
    finals = {}
    for batch_size in (None, 1):
        net = net_2_16_2()
        fit(net, X, y, SGD(0.1), epochs=8, batch_size=batch_size, progress=False)
        finals[batch_size] = net.loss(net.forward(X), y)
    assert finals[1] < finals[None]
