"""Tests for nnlib_viz.loss (notebook 03): the explorers show the right loss and gradient
values, the curve formulas agree with nnlib.losses and with finite differences, and the static
figures build. Expected values are computed here from the definitions."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib_viz import Explorer
from nnlib_viz import loss as lw


def set_value(explorer, name, value):
    before = explorer.png
    explorer.controls[name].value = value
    return explorer.png != before


def sig(z):
    return 1 / (1 + np.exp(-z))


def curves(loss, yhat, y):
    """ℓ(ŷ) and ∂ℓ/∂ŷ for one prediction, written out from the definitions."""
    if loss == "mse":
        return 0.5 * (yhat - y) ** 2, yhat - y
    if y == 1:
        return -np.log(yhat), -1 / yhat
    return -np.log(1 - yhat), 1 / (1 - yhat)


def assert_loss_figure(fig, loss, yhat, y):
    """Both losses' curves for target y (the chosen one bold), the point at ŷ, the target line."""
    left, right = fig.axes
    mse, ce, point, target = left.get_lines()
    mse_slope, ce_slope, slope_point, _ = right.get_lines()
    assert (mse.get_label(), ce.get_label()) == ("MSE", "cross-entropy")
    for name, curve, slope in (("mse", mse, mse_slope), ("cross_entropy", ce, ce_slope)):
        grid = curve.get_xdata()
        assert 0 < grid.min() and grid.max() < 1  # probabilities strictly inside (0, 1)
        value, grad = curves(name, grid, y)
        np.testing.assert_allclose(curve.get_ydata(), value, rtol=1e-12)
        np.testing.assert_allclose(slope.get_ydata(), grad, rtol=1e-12)
    bold, thin = (mse, ce) if loss == "mse" else (ce, mse)
    assert bold.get_linewidth() > thin.get_linewidth()
    value, grad = curves(loss, yhat, y)
    np.testing.assert_allclose(point.get_xydata(), [[yhat, value]], rtol=1e-12)
    np.testing.assert_allclose(slope_point.get_xydata(), [[yhat, grad]], rtol=1e-12)
    np.testing.assert_array_equal(target.get_xdata(), [y, y])
    assert left.get_title() == f"loss ℓ(ŷ), target y = {y}: ℓ = {value:.3f}"
    assert right.get_title() == f"gradient ∂ℓ/∂ŷ = {grad:.3f}"


@pytest.mark.parametrize("factory", lw.EXPLORERS)
def test_every_explorer_builds_with_a_picture_and_state(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer)
    assert explorer.png.startswith(b"\x89PNG")
    assert explorer.state


# -- loss explorer -------------------------------------------------------------------------------
def test_loss_explorer_mse():
    explorer = lw.loss_explorer(loss="mse", yhat=0.3, y=1)
    assert explorer.state["value"] == pytest.approx(0.5 * 0.7 ** 2)
    assert set_value(explorer, "yhat", 0.9)
    assert explorer.state["value"] == pytest.approx(0.5 * 0.1 ** 2)
    assert explorer.state["grad"] == pytest.approx(-0.1)
    assert_loss_figure(explorer.fig, "mse", 0.9, 1)
    assert set_value(explorer, "y", 0)
    assert explorer.state["value"] == pytest.approx(0.5 * 0.81)
    assert explorer.state["grad"] == pytest.approx(0.9)
    assert_loss_figure(explorer.fig, "mse", 0.9, 0)


def test_loss_explorer_cross_entropy():
    explorer = lw.loss_explorer(loss="mse", yhat=0.25, y=1)
    assert set_value(explorer, "loss", "cross_entropy")
    assert explorer.state["value"] == pytest.approx(np.log(4))           # −log 0.25
    assert explorer.state["grad"] == pytest.approx(-4.0)                 # −1/ŷ when y = 1
    assert_loss_figure(explorer.fig, "cross_entropy", 0.25, 1)
    assert set_value(explorer, "y", 0)
    assert explorer.state["value"] == pytest.approx(-np.log(0.75))
    assert explorer.state["grad"] == pytest.approx(1 / 0.75)             # 1/(1 − ŷ) when y = 0
    assert_loss_figure(explorer.fig, "cross_entropy", 0.25, 0)


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("y", [0, 1])
def test_curve_formulas_agree_with_nnlib_and_finite_differences(loss, y):
    grid = np.linspace(0.05, 0.95, 19)
    value, grad = lw.per_sample(loss, grid, y)
    library = np.array([lw.point(loss, p, y) for p in grid])
    np.testing.assert_allclose(value, library[:, 0])
    np.testing.assert_allclose(grad, library[:, 1])
    h = 1e-6
    numeric = (lw.per_sample(loss, grid + h, y)[0] - lw.per_sample(loss, grid - h, y)[0]) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6)


def test_loss_explorer_redraws_point_curves_and_highlight_for_each_control():
    explorer = lw.loss_explorer(loss="mse", yhat=0.3, y=1)
    assert_loss_figure(explorer.fig, "mse", 0.3, 1)
    explorer.controls["yhat"].value = 0.8
    assert_loss_figure(explorer.fig, "mse", 0.8, 1)
    explorer.controls["loss"].value = "cross_entropy"  # now the red curve is the bold one
    assert_loss_figure(explorer.fig, "cross_entropy", 0.8, 1)
    explorer.controls["y"].value = 0  # both curves turn around: the target moved
    assert_loss_figure(explorer.fig, "cross_entropy", 0.8, 0)


def test_cross_entropy_punishes_confident_mistakes_more_than_mse():
    explorer = lw.loss_explorer(loss="cross_entropy", yhat=0.01, y=1)
    ce = explorer.state["value"]
    explorer.controls["loss"].value = "mse"
    assert explorer.state["value"] < 0.5 < ce


# -- saturation ------------------------------------------------------------------------------------
@pytest.mark.parametrize("y", [0, 1])
def test_saturation_explorer_gradients(y):
    explorer = lw.saturation_explorer(z=0.0, y=1)
    if y == 0:
        assert set_value(explorer, "y", 0)
    for z in (-6.0, -1.3, 2.4):
        assert set_value(explorer, "z", z)
        a = sig(z)
        assert explorer.state["a"] == pytest.approx(a)
        assert explorer.state["dz_mse"] == pytest.approx((a - y) * a * (1 - a))
        assert explorer.state["dz_ce"] == pytest.approx(a - y)
        assert_saturation_figure(explorer.fig, z, y)


def assert_saturation_figure(fig, z, y):
    left, right = fig.axes
    sigmoid, target, point = left.get_lines()
    grid = sigmoid.get_xdata()
    a_grid = sig(grid)
    np.testing.assert_allclose(sigmoid.get_ydata(), a_grid, rtol=1e-12)
    np.testing.assert_array_equal(target.get_ydata(), [y, y])
    a = sig(z)
    np.testing.assert_allclose(point.get_xydata(), [[z, a]], rtol=1e-12)
    mse, ce, points, _ = right.get_lines()
    np.testing.assert_allclose(mse.get_ydata(), (a_grid - y) * a_grid * (1 - a_grid),
                               atol=1e-15)
    np.testing.assert_allclose(ce.get_ydata(), a_grid - y, atol=1e-15)
    np.testing.assert_allclose(points.get_xydata(), [[z, (a - y) * a * (1 - a)], [z, a - y]],
                               atol=1e-15)
    assert left.get_title() == f"ŷ = σ({z:.1f}) = {a:.3f}, target y = {y}"
    # "confident and wrong": σ(z) near 0 when y = 1 is z < 0, near 1 when y = 0 is z > 0
    for ax in (left, right):
        (span,) = ax.patches
        lo, hi = span.get_x(), span.get_x() + span.get_width()
        assert hi <= 0 if y == 1 else lo >= 0
        assert np.all(np.abs(sig(np.array([lo, hi])) - y) > 0.9)
    (label,) = left.texts
    assert lo < label.get_position()[0] < hi


def test_saturation_explorer_redraws_the_points_and_the_wrong_side():
    explorer = lw.saturation_explorer(z=-5.0, y=1)
    assert_saturation_figure(explorer.fig, -5.0, 1)
    explorer.controls["z"].value = 1.3
    assert_saturation_figure(explorer.fig, 1.3, 1)
    explorer.controls["y"].value = 0  # the target line drops, the wrong side flips to z > 0
    assert_saturation_figure(explorer.fig, 1.3, 0)


def test_mse_gradient_vanishes_when_confident_and_wrong():
    explorer = lw.saturation_explorer(z=-6.0, y=1)
    assert abs(explorer.state["dz_mse"]) < 0.01
    assert abs(explorer.state["dz_ce"]) > 0.99


# -- static figures --------------------------------------------------------------------------------
def test_static_figures():
    loss = lw.loss_figure("mse", 0.4, 0)
    assert isinstance(loss, Figure)
    assert_loss_figure(loss, "mse", 0.4, 0)
    saturation = lw.saturation_figure(-4.0, 1)
    assert isinstance(saturation, Figure)
    assert_saturation_figure(saturation, -4.0, 1)
    curves = {"MSE": [0.5, 0.6, 0.7], "cross-entropy": [0.6, 0.8, 0.9],
              "MSE, saturated start": [0.5, 0.5, 0.5]}
    fig = lw.training_comparison(curves)
    assert isinstance(fig, Figure)
    lines = fig.axes[0].lines
    assert len(lines) == 3
    assert lines[2].get_linestyle() == "--"
    np.testing.assert_array_equal(lines[1].get_ydata(), curves["cross-entropy"])
