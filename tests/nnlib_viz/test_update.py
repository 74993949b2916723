"""nnlib_viz.update: descent paths are nnlib's optimizers, and the explorers show them."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlib
from nnlib_viz import update


def gd_closed_form(lr, curvatures, theta0, steps):
    """Gradient descent on ½ Σ λᵢ θᵢ²: θ_t = (1 − α λ)^t θ₀, for t = 0..steps."""
    t = np.arange(steps + 1)[:, None]
    return (1 - lr * np.asarray(curvatures)) ** t * np.asarray(theta0)


def adam_by_hand(lr, curvatures, theta0, steps, b1=0.9, b2=0.999, eps=1e-8):
    theta, m, v, path = np.array(theta0, float), np.zeros(2), np.zeros(2), [np.array(theta0)]
    for t in range(1, steps + 1):
        g = np.asarray(curvatures) * theta
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("factory", update.EXPLORERS)
def test_every_explorer_builds_with_a_picture(factory):
    explorer = factory()
    assert explorer.png.startswith(b"\x89PNG")
    assert explorer.state


def test_descend_with_nnlib_sgd_is_gradient_descent():
    path = update.descend(nnlib.SGD(0.3), (2.0, -1.0), 12, (1.0, 4.0))
    np.testing.assert_allclose(path, gd_closed_form(0.3, (1.0, 4.0), (2.0, -1.0), 12))


@pytest.mark.parametrize("lr, regime", [(0.01, "too small"), (0.15, "good"),
                                        (0.4, "oscillating"), (0.7, "divergent")])
def test_learning_rate_explorer_path_and_regime(lr, regime):
    explorer = update.learning_rate_explorer()
    png = explorer.png
    explorer.controls["lr"].value = lr
    assert explorer.png != png
    state = explorer.state
    expected = gd_closed_form(lr, update.BOWL, update.BOWL_START, 20)
    np.testing.assert_allclose(state["path"], expected, rtol=1e-9)
    np.testing.assert_allclose(state["losses"], 0.5 * (np.array(update.BOWL) * expected**2).sum(1))
    assert state["regime"] == regime
    w2 = state["path"][:, 1]
    if regime in ("oscillating", "divergent"):
        assert np.all(np.sign(w2[1:]) == -np.sign(w2[:-1])), "w2 flips sign every step"
    if regime == "divergent":
        assert np.all(np.abs(w2[1:]) > np.abs(w2[:-1])) and state["losses"][-1] > 1e3
    if regime == "too small":
        assert state["losses"][-1] > 0.1 * state["losses"][0]


def test_lr_regime_thresholds_follow_the_largest_curvature():
    curv = (1.0, 10.0)
    assert update.lr_regime(0.099, curv) != "oscillating"
    assert update.lr_regime(0.101, curv) == "oscillating"
    assert update.lr_regime(0.199, curv) == "oscillating"
    assert update.lr_regime(0.201, curv) == "divergent"


def test_valley_paths_are_nnlibs_optimizers():
    paths = update.valley_paths(25, 30)
    curv, start = (1.0, 25.0), update.VALLEY_START
    np.testing.assert_allclose(paths["SGD"], gd_closed_form(0.07, curv, start, 30))
    np.testing.assert_allclose(paths["Adam"], adam_by_hand(0.5, curv, start, 30))
    theta, v = np.array(start), np.zeros(2)
    for _ in range(30):
        v = 0.8 * v + np.array(curv) * theta
        theta = theta - 0.02 * v
    np.testing.assert_allclose(paths["Momentum"][-1], theta)


def test_valley_explorer_steepness_moves_sgd_but_not_adam():
    explorer = update.valley_explorer()
    adam = explorer.state["paths"]["Adam"].copy()
    png = explorer.png
    explorer.controls["steepness"].value = 35  # SGD's α = 0.07 > 2 / 35: diverges
    assert explorer.png != png
    state = explorer.state
    assert state["steepness"] == 35
    start_loss = update.quadratic_loss(update.VALLEY_START, (1.0, 35.0))
    assert state["losses"]["SGD"] > start_loss
    assert state["losses"]["Momentum"] < start_loss
    np.testing.assert_allclose(state["paths"]["Adam"], adam, atol=1e-6)
    explorer.controls["steps"].value = 10
    assert all(len(p) == 11 for p in explorer.state["paths"].values())
    np.testing.assert_allclose(explorer.state["paths"]["SGD"],
                               gd_closed_form(0.07, (1.0, 35.0), update.VALLEY_START, 10))


def test_static_figures_return_figures():
    assert isinstance(update.gradient_step((-2.0, 1.0), 0.2), Figure)
    assert isinstance(update.descent_paths(update.valley_paths(25, 10)), Figure)
    X, y = nnlib.datasets.moons(40, seed=0)
    net = nnlib.Network([nnlib.Dense(2, 4, "tanh"), nnlib.Dense(4, 2, "softmax")], seed=0)
    history = nnlib.fit(net, X, y, nnlib.SGD(0.1), epochs=3, progress=False)
    diverged = nnlib.History()
    diverged.loss, diverged.stop_reason = [1.0, 10.0], "diverged"
    assert isinstance(update.loss_curves_by({"ok": history, "bad": diverged}), Figure)
