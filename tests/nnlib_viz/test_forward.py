"""Tests for nnlib_viz.forward (notebook 02): explorers react to their controls with the
right numbers, and the static figures build. Expected values come from the formulas, computed
here independently of the module."""

import re

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


def shape_text(fig):
    """The shape table as drawn: (title line, [(shapes in the row, params)] per layer, total)."""
    (ax,) = fig.axes
    (text,) = ax.texts
    title, _, _header, _rule, *rest = text.get_text().split("\n")
    *rows, _rule, total = rest
    parsed = [(re.findall(r"\([^)]*\)", row), int(row.split()[-1])) for row in rows]
    return title, parsed, int(total.split()[-1])


def assert_shape_table(fig, n, sizes):
    """Row l shows A[l−1] (n, n_{l−1}), W[l] (n_l, n_{l−1}), b[l] (n_l,), Z[l] = A[l] (n, n_l)
    and n_l (n_{l−1} + 1) parameters; the title names n and the sizes."""
    title, rows, total = shape_text(fig)
    assert title.startswith(f"n = {n} samples, sizes {' → '.join(map(str, sizes))} ")
    assert len(rows) == len(sizes) - 1
    for (shapes, params), n_prev, n_l in zip(rows, sizes, sizes[1:]):
        assert shapes == [f"({n}, {n_prev})", f"({n_l}, {n_prev})", f"({n_l},)",
                          f"({n}, {n_l})", f"({n}, {n_l})"]
        assert params == n_l * (n_prev + 1)
    assert total == expected_params(sizes)


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
    assert_shape_table(explorer.fig, 64, sizes)


@pytest.mark.parametrize("name, value, n, sizes", [
    ("n", 10, 10, [2, 16, 8, 3]),
    ("d", 5, 64, [5, 16, 8, 3]),
    ("hidden", "32, 16, 8", 64, [2, 32, 16, 8, 3]),
    ("hidden", "", 64, [2, 3]),
    ("k", 4, 64, [2, 16, 8, 4]),
])
def test_shape_explorer_controls_redraw_the_table(name, value, n, sizes):
    explorer = fw.shape_explorer(n=64, d=2, hidden="16, 8", k=3)
    explorer.controls[name].value = value
    assert_shape_table(explorer.fig, n, sizes)


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
    assert explorer.fig.axes == []  # no table: the sentence instead
    (message,) = explorer.fig.texts
    assert message.get_text().startswith("hidden sizes '16, x': write positive integers")
    explorer.controls["hidden"].value = "0"
    assert explorer.state["rows"] is None
    assert "hidden sizes '0'" in explorer.fig.texts[0].get_text()
    explorer.controls["hidden"].value = "4"
    assert explorer.fig.texts == []
    assert_shape_table(explorer.fig, 64, [2, 4, 3])


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


def reference_curves(name, z):
    """σ(z), σ′(z) over an array z, from the textbook formulas."""
    z = np.asarray(z, dtype=float)
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s, s * (1 - s)
    if name == "tanh":
        return np.tanh(z), 1 / np.cosh(z) ** 2
    if name == "relu":
        return np.where(z > 0, z, 0.0), np.where(z > 0, 1.0, 0.0)
    return z, np.ones_like(z)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "identity"])
def test_activation_explorer_redraws_the_curves_point_and_tangent(name):
    explorer = fw.activation_explorer(activation="sigmoid" if name != "sigmoid" else "tanh",
                                      z=2.0)
    explorer.controls["activation"].value = name
    explorer.controls["z"].value = -1.5
    left, right = explorer.fig.axes
    curve, point, tangent, _ = left.get_lines()
    slope_curve, slope_point, _ = right.get_lines()
    grid = curve.get_xdata()
    assert (grid[0], grid[-1]) == (-6.0, 6.0)  # z ∈ [−6, 6]
    sigma, prime = reference_curves(name, grid)
    np.testing.assert_allclose(curve.get_ydata(), sigma, atol=1e-12)
    np.testing.assert_allclose(slope_curve.get_ydata(), prime, atol=1e-12)
    a, slope = reference(name, -1.5)
    np.testing.assert_allclose(point.get_xydata(), [[-1.5, a]], atol=1e-12)
    np.testing.assert_allclose(slope_point.get_xydata(), [[-1.5, slope]], atol=1e-12)
    # the tangent at z: σ(z) + σ′(z)(x − z), over the whole grid
    np.testing.assert_allclose(tangent.get_ydata(), a + slope * (tangent.get_xdata() + 1.5),
                               atol=1e-12)
    assert left.get_title() == f"{name}: σ(-1.50) = {a:.3f}"
    assert right.get_title() == f"derivative: σ′(-1.50) = {slope:.3f}"


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


def bars(ax):
    """(x centre, height) of every bar of ``ax``."""
    return np.array([(b.get_x() + b.get_width() / 2, b.get_height()) for b in ax.patches])


def test_softmax_explorer_redraws_the_bars_from_the_sliders():
    explorer = fw.softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0))
    explorer.controls["z2"].value = 3.0
    scores, probabilities = explorer.fig.axes
    z = np.array([2.0, 1.0, 3.0, -1.0])
    p = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose(bars(scores), np.column_stack([np.arange(4), z]), atol=1e-12)
    np.testing.assert_allclose(bars(probabilities), np.column_stack([np.arange(4), p]))
    assert [t.get_text() for t in probabilities.texts] == [f"{q:.2f}" for q in p]
    assert probabilities.get_title() == "softmax(z / T), T = 1: sum = 1.00"

    explorer.controls["T"].value = 4.0
    scores, probabilities = explorer.fig.axes  # a redraw makes new axes
    p4 = np.exp(z / 4) / np.exp(z / 4).sum()
    np.testing.assert_allclose(bars(scores)[:, 1], z, atol=1e-12)  # the scores stay
    np.testing.assert_allclose(bars(probabilities)[:, 1], p4)
    assert [t.get_text() for t in probabilities.texts] == [f"{q:.2f}" for q in p4]
    assert probabilities.get_title() == "softmax(z / T), T = 4: sum = 1.00"


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
    table = fw.shape_table(20, [3, 5, 2])
    assert isinstance(table, Figure)
    assert_shape_table(table, 20, [3, 5, 2])
    activation = fw.activation_figure("tanh", 0.5)
    assert isinstance(activation, Figure)
    curve, point, _, _ = activation.axes[0].get_lines()
    np.testing.assert_allclose(curve.get_ydata(), np.tanh(curve.get_xdata()), atol=1e-12)
    np.testing.assert_allclose(point.get_xydata(), [[0.5, np.tanh(0.5)]])
    nets = [Network([Dense(2, 4), Dense(4, 3, "softmax")], seed=s) for s in (0, 1)]
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 3
    fig = fw.untrained_regions(nets, X, y, resolution=20)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == ["untrained, seed 0", "untrained, seed 1"]
    for ax in fig.axes:  # the data on top of each field: one scatter per class
        points = [c.get_offsets() for c in ax.collections if len(c.get_offsets()) == 10]
        assert len(points) == 3
        for c, offsets in enumerate(points):
            np.testing.assert_array_equal(offsets, X[y == c])
