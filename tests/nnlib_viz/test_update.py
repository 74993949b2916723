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


def momentum_by_hand(lr, beta, curvatures, theta0, steps):
    theta, v, path = np.array(theta0, float), np.zeros(2), [np.array(theta0)]
    for _ in range(steps):
        v = beta * v + np.asarray(curvatures) * theta
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)


def loss_of(theta, curvatures):
    return 0.5 * (np.asarray(curvatures) * np.asarray(theta) ** 2).sum(axis=-1)


def path_lines(ax):
    """{name: line} of the optimizers' paths (their legend labels read "name: L = ...")."""
    return {line.get_label().split(":")[0]: line for line in ax.get_lines()
            if ": L = " in line.get_label()}


def assert_contours_of(ax, curvatures):
    """Every contour line drawn on ``ax`` is a level set of ½ Σ λᵢ θᵢ²: L is constant on it."""
    (contours,) = ax.collections
    segments = contours.get_segments()
    assert len(segments) > 3
    for segment in segments:
        level = loss_of(segment, curvatures)
        np.testing.assert_allclose(level, level[0], rtol=1e-9)


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


@pytest.mark.parametrize("lr, regime", [(0.01, "too small"), (0.15, "good"),
                                        (0.4, "oscillating"), (0.7, "divergent")])
def test_learning_rate_slider_redraws_the_sgd_path_and_its_losses(lr, regime):
    explorer = update.learning_rate_explorer()
    explorer.controls["lr"].value = lr
    fig = explorer.fig
    left, right = fig.axes
    expected = gd_closed_form(lr, update.BOWL, update.BOWL_START, 20)
    losses = loss_of(expected, update.BOWL)
    (path,) = path_lines(left).values()
    assert path.get_label() == f"SGD: L = {losses[-1]:.2g}"
    # drawn clipped to ±1e3 so that a divergent path stays drawable
    np.testing.assert_allclose(path.get_xydata(), np.clip(expected, -1e3, 1e3), rtol=1e-9)
    (curve,) = right.get_lines()
    np.testing.assert_array_equal(curve.get_xdata(), np.arange(21))
    np.testing.assert_allclose(curve.get_ydata(), np.clip(losses, 1e-12, 1e6), rtol=1e-9)
    assert curve.get_color() == update.REGIME_COLORS[regime]
    assert fig.get_suptitle() == f"α = {lr:.3g}: {regime}  (after 20 steps L = {losses[-1]:.2g})"
    assert_contours_of(left, update.BOWL)


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
    assert_valley_figure(explorer.fig, 35, 40)
    explorer.controls["steps"].value = 10
    assert all(len(p) == 11 for p in explorer.state["paths"].values())
    np.testing.assert_allclose(explorer.state["paths"]["SGD"],
                               gd_closed_form(0.07, (1.0, 35.0), update.VALLEY_START, 10))


def assert_valley_figure(fig, steepness, steps):
    (ax,) = fig.axes
    curv, start = (1.0, float(steepness)), update.VALLEY_START
    expected = {"SGD": gd_closed_form(0.07, curv, start, steps),
                "Momentum": momentum_by_hand(0.02, 0.8, curv, start, steps),
                "Adam": adam_by_hand(0.5, curv, start, steps)}
    lines = path_lines(ax)
    assert list(lines) == ["SGD", "Momentum", "Adam"]
    for name, path in expected.items():
        np.testing.assert_allclose(lines[name].get_xydata(), np.clip(path, -1e3, 1e3),
                                   rtol=1e-7, atol=1e-12)
        assert lines[name].get_label() == f"{name}: L = {loss_of(path[-1], curv):.2g}"
    assert ax.get_title() == f"L = ½(w1² + {steepness} w2²), {steps} steps from {start}"
    assert_contours_of(ax, curv)


def test_valley_explorer_redraws_the_three_paths_for_each_control():
    explorer = update.valley_explorer()
    assert_valley_figure(explorer.fig, 25, 40)
    explorer.controls["steepness"].value = 35  # SGD's α = 0.07 > 2 / 35: it zig-zags outward
    assert_valley_figure(explorer.fig, 35, 40)
    sgd = path_lines(explorer.fig.axes[0])["SGD"].get_ydata()
    assert np.all(np.sign(sgd[1:]) == -np.sign(sgd[:-1]))  # w2 flips sign every step
    assert np.all(np.diff(np.abs(sgd)) >= 0) and abs(sgd[-1]) > 100 * abs(sgd[0])
    explorer.controls["steps"].value = 10
    assert_valley_figure(explorer.fig, 35, 10)
    assert all(len(line.get_xdata()) == 11 for line in path_lines(explorer.fig.axes[0]).values())
    explorer.controls["steepness"].value = 4
    assert_valley_figure(explorer.fig, 4, 10)


def test_static_figures_return_figures():
    step = update.gradient_step((-2.0, 1.0), 0.2)
    assert isinstance(step, Figure)
    ax = step.axes[0]
    # θ − α λ ⊙ θ = (−2 + 0.2·2, 1 − 0.2·4): L goes from ½(4 + 4) = 4 to ½(2.56 + 4·0.04)
    assert ax.get_title() == "one step, α = 0.2:  L 4.000 → 1.360"
    points = [line.get_xydata() for line in ax.get_lines() if line.get_marker() == "o"]
    np.testing.assert_allclose(points, [[[-2.0, 1.0]], [[-1.6, 0.2]]])
    through = [line for line in ax.get_lines() if len(line.get_xdata()) == 200]
    (contour,) = through  # the level set through θ: L = 4 everywhere on it
    np.testing.assert_allclose(loss_of(contour.get_xydata(), update.BOWL), 4.0)
    valley = update.descent_paths(update.valley_paths(25, 10))
    assert isinstance(valley, Figure)
    np.testing.assert_allclose(path_lines(valley.axes[0])["SGD"].get_xydata(),
                               gd_closed_form(0.07, (1.0, 25.0), update.VALLEY_START, 10))
    X, y = nnlib.datasets.moons(40, seed=0)
    net = nnlib.Network([nnlib.Dense(2, 4, "tanh"), nnlib.Dense(4, 2, "softmax")], seed=0)
    history = nnlib.fit(net, X, y, nnlib.SGD(0.1), epochs=3, progress=False)
    diverged = nnlib.History()
    diverged.loss, diverged.stop_reason = [1.0, 10.0], "diverged"
    curves = update.loss_curves_by({"ok": history, "bad": diverged})
    assert isinstance(curves, Figure)
    ax = curves.axes[0]
    ok, bad, cross = ax.get_lines()
    assert (ok.get_label(), bad.get_label()) == ("ok", "bad — diverged")
    np.testing.assert_allclose(ok.get_xydata(), np.column_stack([[1, 2, 3], history.loss]))
    np.testing.assert_allclose(bad.get_xydata(), [[1, 1.0], [2, 10.0]])
    assert cross.get_marker() == "x" and cross.get_xydata().tolist() == [[2, 10.0]]
    assert ax.get_yscale() == "log"
