"""Notebook 05's your-turn tasks (``nnlib_checks.your_turn.parameter_update``): the facts
behind the tasks, measured with nnlib — one SGD step on the bowl, the edge of divergence, what
α = 1.0 does to the network α = 0.5 fits, and Adam in a steeper valley. The tests every task
module gets are in ``test_your_turn``.
"""

import warnings

import numpy as np

from nnlib import SGD, Dense, DivergenceWarning, Network, fit
from nnlib_checks.your_turn import parameter_update as module
from nnlib_viz import update


def test_one_sgd_step_on_the_bowl_is_the_formula():
    np.testing.assert_allclose(module.TASKS["sgd_step"].expected, [-1.76, 0.24])


def _w2_after(lr, steps=40):
    """w2 after ``steps`` of nnlib's SGD on the bowl, from w2 = 1."""
    point = module.Point([0.0, 1.0], [0.0, 0.0])
    for _ in range(steps):
        point.grad[...] = module.BOWL * point.theta
        SGD(lr).step(point)
    return point.theta[1]


def test_the_edge_of_divergence_is_where_nnlib_s_sgd_starts_to_grow():
    edge = module.TASKS["divergence_edge"].expected
    assert 0 < _w2_after(0.24) < 1e-3                # good: straight in
    assert _w2_after(0.26) > 0 > _w2_after(0.26, 41)   # oscillating: flips sign each step ...
    assert abs(_w2_after(edge - 0.01)) < 1           # ... and still shrinks below the edge
    assert abs(_w2_after(edge + 0.01)) > 1           # above it, w2 grows


def test_alpha_1_stays_above_alpha_half_and_is_stopped_later_on():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(200, 2))
    y = np.sin(X[:, 0]) * X[:, 1]
    runs = {}
    for lr in (0.5, 1.0):
        net = Network([Dense(2, 16, "tanh"), Dense(16, 1, "identity")], loss="mse", seed=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            runs[lr] = fit(net, X, y, SGD(lr), epochs=100, progress=False)
        if lr == 1.0:
            assert [w.category for w in caught] == [DivergenceWarning]
            assert "diverged in epoch 57" in str(caught[0].message)
    half, one = runs[0.5].loss, runs[1.0].loss
    assert runs[0.5].stop_reason == "max_epochs" and runs[1.0].stop_reason == "diverged"
    assert one[1] > one[0] and runs[1.0].epochs > 5          # not (c): it recovers first
    assert all(b > a for a, b in zip(half[1:], one[1:]))     # (b), not (a)
    assert module.TASKS["lr_prediction"].answer == "b"


def test_a_steeper_valley_leaves_adam_s_path_as_it_was():
    gentle, steep = update.valley_paths(5), update.valley_paths(40)
    np.testing.assert_allclose(gentle["Adam"], steep["Adam"], atol=1e-6)
    assert np.abs(steep["SGD"][-1]).max() > 10 * np.abs(gentle["SGD"][-1]).max()
    assert module.TASKS["adam_prediction"].answer == "c"
