"""Tests for nnlib_viz.forward (notebook 02): explorers react to their controls with the
right numbers, and the static figures build. Expected values come from the formulas, computed
here independently of the module."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import Dense, Network
from nnlib_viz import Explorer
from nnlib_viz import forward as fw


def set_value(explorer, name, value):
    """Set a control and return whether the picture changed."""
    before = explorer.png
    explorer.controls[name].value = value
    return explorer.png != before


def expected_params(sizes):
    return sum(n * (n_prev + 1) for n_prev, n in zip(sizes[:-1], sizes[1:]))


@pytest.mark.parametrize("factory", fw.EXPLORERS)
def test_every_explorer_builds_with_a_picture_and_state(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer)
    assert explorer.png.startswith(b"\x89PNG")
    assert explorer.state and len(explorer.redraw_ms) == 1


# -- shape explorer ------------------------------------------------------------------------------
def test_shape_explorer_default_shapes_follow_the_convention():
    explorer = fw.shape_explorer(n=64, d=2, hidden="16, 8", k=3)
    sizes = [2, 16, 8, 3]
    rows = explorer.state["rows"]
    assert len(rows) == 3
    for l, row in enumerate(rows, start=1):
        assert row["A_prev"] == (64, sizes[l - 1])
        assert row["W"] == (sizes[l], sizes[l - 1])
        assert row["b"] == (sizes[l],)
        assert row["Z"] == row["A"] == (64, sizes[l])
    assert sum(r["params"] for r in rows) == expected_params(sizes) == 211


def test_shape_explorer_reacts_to_every_control():
    explorer = fw.shape_explorer()
    assert set_value(explorer, "n", 10)
    assert all(r["Z"][0] == 10 for r in explorer.state["rows"])
    assert set_value(explorer, "d", 5)
    assert explorer.state["rows"][0]["W"] == (16, 5)
    assert set_value(explorer, "hidden", "32, 16, 8")
    assert set_value(explorer, "k", 4)
    sizes = [5, 32, 16, 8, 4]
    rows = explorer.state["rows"]
    assert [r["W"] for r in rows] == [(o, i) for i, o in zip(sizes[:-1], sizes[1:])]
    assert rows[-1]["A"] == (10, 4)
    assert sum(r["params"] for r in rows) == expected_params(sizes)


def test_shape_explorer_no_hidden_layer_and_bad_text():
    explorer = fw.shape_explorer()
    assert set_value(explorer, "hidden", "")
    assert [r["W"] for r in explorer.state["rows"]] == [(3, 2)]
    assert set_value(explorer, "hidden", "16, x")
    assert explorer.state["rows"] is None
    explorer.controls["hidden"].value = "0"
    assert explorer.state["rows"] is None


def test_layer_shapes_match_a_real_network():
    rows = fw.layer_shapes(7, [4, 6, 2])
    net = Network([Dense(4, 6), Dense(6, 2, "softmax")])
    assert [r["W"] for r in rows] == [layer.W.shape for layer in net.layers]
    assert [r["params"] for r in rows] == [6 * 5, 2 * 7]


def test_parse_sizes():
    assert fw.parse_sizes(" 16, 8 ;4") == [16, 8, 4]
    assert fw.parse_sizes("") == []
    with pytest.raises(ValueError):
        fw.parse_sizes("8, -1")


# -- activation explorer -------------------------------------------------------------------------
def reference(name, z):
    """σ(z), σ′(z) from the textbook formulas."""
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s, s * (1 - s)
    if name == "tanh":
        return np.tanh(z), 1 / np.cosh(z) ** 2
    if name == "relu":
        return max(z, 0.0), float(z > 0)
    return z, 1.0


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "identity"])
def test_activation_explorer_values_and_slope(name):
    explorer = fw.activation_explorer(activation="sigmoid" if name != "sigmoid" else "tanh",
                                      z=2.0)
    assert set_value(explorer, "activation", name)
    for z in (-3.5, 0.7):
        assert set_value(explorer, "z", z)
        a, slope = reference(name, z)
        assert explorer.state["a"] == pytest.approx(a)
        assert explorer.state["slope"] == pytest.approx(slope)


def test_sigmoid_slope_peaks_at_a_quarter():
    explorer = fw.activation_explorer(activation="sigmoid", z=0.0)
    assert explorer.state["slope"] == pytest.approx(0.25)
    explorer.controls["z"].value = 6.0
    assert explorer.state["slope"] < 0.003


# -- softmax explorer ----------------------------------------------------------------------------
def test_softmax_explorer_probabilities():
    explorer = fw.softmax_explorer()
    assert set_value(explorer, "z2", 3.0)
    z = np.array([explorer.controls[f"z{c}"].value for c in range(4)])
    expected = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose(explorer.state["probs"], expected)
    assert np.argmax(explorer.state["probs"]) == 2


def test_softmax_temperature_flattens_and_sharpens():
    explorer = fw.softmax_explorer(logits=(2.0, 1.0, 0.0, -1.0))
    p1 = explorer.state["probs"].copy()
    assert set_value(explorer, "T", 4.0)
    z = np.array([2.0, 1.0, 0.0, -1.0]) / 4.0
    np.testing.assert_allclose(explorer.state["probs"], np.exp(z) / np.exp(z).sum())
    assert explorer.state["probs"].max() < p1.max()
    explorer.controls["T"].value = 0.2
    assert explorer.state["probs"].max() > 0.99
    assert explorer.state["probs"].sum() == pytest.approx(1)


# -- static figures ------------------------------------------------------------------------------
def test_neuron_figure_shows_the_computed_numbers():
    x, w, b = np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.3
    z = 0.5 - 0.5 + 0.3
    fig = fw.neuron(x, w, b, activation="tanh")
    assert isinstance(fig, Figure)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert f"{z:.3f}" in texts and f"{np.tanh(z):.3f}" in texts


def test_static_figures():
    assert isinstance(fw.shape_table(20, [3, 5, 2]), Figure)
    assert isinstance(fw.activation_figure("tanh", 0.5), Figure)
    nets = [Network([Dense(2, 4), Dense(4, 3, "softmax")], seed=s) for s in (0, 1)]
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 3
    fig = fw.untrained_regions(nets, X, y, resolution=20)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
