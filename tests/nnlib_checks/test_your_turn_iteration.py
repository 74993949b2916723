"""Notebook 06's your-turn tasks (``nnlib_checks.your_turn.iteration``): every answer is what
nnlib does — the updates fit makes, fit's epoch loss, and what training does in the three
predictions — and a loop or np.average is right too. The tests every task module gets are in
``test_your_turn``; the progress count is tested on this notebook in
``test_your_turn_framework``.
"""

import numpy as np
import pytest

from nnlib import SGD, Dense, Network, datasets, fit
from nnlib_checks.your_turn import iteration as it

from .your_turn_support import submit


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
