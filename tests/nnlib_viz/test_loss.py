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
    assert set_value(explorer, "y", 0)
    assert explorer.state["value"] == pytest.approx(0.5 * 0.81)
    assert explorer.state["grad"] == pytest.approx(0.9)


def test_loss_explorer_cross_entropy():
    explorer = lw.loss_explorer(loss="mse", yhat=0.25, y=1)
    assert set_value(explorer, "loss", "cross_entropy")
    assert explorer.state["value"] == pytest.approx(np.log(4))           # −log 0.25
    assert explorer.state["grad"] == pytest.approx(-4.0)                 # −1/ŷ when y = 1
    assert set_value(explorer, "y", 0)
    assert explorer.state["value"] == pytest.approx(-np.log(0.75))
    assert explorer.state["grad"] == pytest.approx(1 / 0.75)             # 1/(1 − ŷ) when y = 0


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


def test_mse_gradient_vanishes_when_confident_and_wrong():
    explorer = lw.saturation_explorer(z=-6.0, y=1)
    assert abs(explorer.state["dz_mse"]) < 0.01
    assert abs(explorer.state["dz_ce"]) > 0.99


# -- static figures --------------------------------------------------------------------------------
def test_static_figures():
    assert isinstance(lw.loss_figure("mse", 0.4, 0), Figure)
    assert isinstance(lw.saturation_figure(-4.0, 1), Figure)
    curves = {"MSE": [0.5, 0.6, 0.7], "cross-entropy": [0.6, 0.8, 0.9],
              "MSE, saturated start": [0.5, 0.5, 0.5]}
    fig = lw.training_comparison(curves)
    assert isinstance(fig, Figure)
    lines = fig.axes[0].lines
    assert len(lines) == 3
    assert lines[2].get_linestyle() == "--"
    np.testing.assert_array_equal(lines[1].get_ydata(), curves["cross-entropy"])
