"""Figures and explorers of notebook 01 (nnlib_viz/initialization.py), without a browser."""

import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import Dense, Network
from nnlib_viz import Explorer
from nnlib_viz import initialization as iw


def hand_count(sizes):
    """Σ_l n_l (n_{l−1} + 1): n_{l−1} weights and one bias per unit."""
    return sum(n * (n_prev + 1) for n_prev, n in zip(sizes[:-1], sizes[1:]))


def changed(explorer, name, value):
    before = explorer.png
    explorer.controls[name].value = value
    return explorer.png != before


def table_rows(fig):
    """The cell texts of the parameter table (right panel), row by row; row 0 is the header."""
    (table,) = fig.axes[1].tables
    cells = table.get_celld()
    n_rows, n_cols = 1 + max(r for r, _ in cells), 1 + max(c for _, c in cells)
    return [[cells[r, c].get_text().get_text() for c in range(n_cols)] for r in range(n_rows)]


def expected_rows(sizes):
    """The table for ``sizes``, written out by hand: W[l] (n_l, n_{l−1}), b[l] (n_l,), count."""
    rows = [["l", "W[l] shape", "b[l] shape", "parameters"]]
    for l, (n_prev, n) in enumerate(zip(sizes, sizes[1:]), start=1):
        rows.append([str(l), f"({n}, {n_prev})", f"({n},)",
                     f"{n}·{n_prev} + {n} = {n * (n_prev + 1):,}"])
    return rows + [["total", "", "", f"{hand_count(sizes):,}"]]


def assert_diagram_shows(fig, sizes):
    """The left panel: one column of dots per layer (at most MAX_SHOWN of them, the rest
    counted in its label), one line per weight between shown units, a label n_l = size."""
    ax = fig.axes[0]
    edges, *columns = ax.collections
    shown = [min(n, iw.MAX_SHOWN) for n in sizes]
    assert [len(column.get_offsets()) for column in columns] == shown
    for l, column in enumerate(columns):
        assert np.all(column.get_offsets()[:, 0] == l)  # layer l is the column at x = l
    assert len(edges.get_segments()) == sum(a * b for a, b in zip(shown, shown[1:]))
    labels = [t.get_text() for t in ax.texts if t.get_text().startswith(("input", "layer"))]
    assert [int(re.search(r"= (\d+)", text).group(1)) for text in labels] == sizes
    for text, n in zip(labels, sizes):
        assert (f"(+{n - iw.MAX_SHOWN} more)" in text) == (n > iw.MAX_SHOWN)
    weights = [t.get_text() for t in ax.texts if t.get_text().startswith("W[")]
    assert weights == [f"W[{l}]" for l in range(1, len(sizes))]


@pytest.mark.parametrize("factory", iw.EXPLORERS)
def test_every_explorer_builds_with_a_picture(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer)
    assert explorer.png.startswith(b"\x89PNG")
    assert len(explorer.redraw_ms) == 1


# -- parameters and shapes ---------------------------------------------------------------------
def test_architecture_default_state_matches_the_hand_count():
    state = iw.architecture_explorer().state
    assert state["sizes"] == [2, 4, 3, 2]
    assert state["total"] == hand_count([2, 4, 3, 2]) == 35


@pytest.mark.parametrize("name, value, sizes", [
    ("hidden", "8, 16, 4", [2, 8, 16, 4, 2]),
    ("hidden", "", [2, 2]),
    ("n_inputs", 7, [7, 4, 3, 2]),
    ("n_outputs", 1, [2, 4, 3, 1]),
    ("n_outputs", 10, [2, 4, 3, 10]),
])
def test_architecture_controls_redraw_and_count_right(name, value, sizes):
    explorer = iw.architecture_explorer()
    assert changed(explorer, name, value)
    state = explorer.state
    assert state["sizes"] == sizes
    assert state["total"] == hand_count(sizes)
    for (_, W_shape, b_shape, count), n_prev, n in zip(state["rows"], sizes, sizes[1:]):
        assert (W_shape, b_shape, count) == ((n, n_prev), (n,), n * n_prev + n)
    assert [row[0] for row in state["rows"]] == list(range(1, len(sizes)))


def test_architecture_default_figure_is_the_default_network():
    explorer = iw.architecture_explorer()
    assert table_rows(explorer.fig) == expected_rows([2, 4, 3, 2])
    assert_diagram_shows(explorer.fig, [2, 4, 3, 2])


@pytest.mark.parametrize("name, value, sizes", [
    ("hidden", "8, 16, 4", [2, 8, 16, 4, 2]),
    ("hidden", "", [2, 2]),
    ("hidden", "12", [2, 12, 2]),
    ("n_inputs", 7, [7, 4, 3, 2]),
    ("n_outputs", 1, [2, 4, 3, 1]),
    ("n_outputs", 10, [2, 4, 3, 10]),
])
def test_architecture_controls_redraw_the_diagram_and_the_table(name, value, sizes):
    explorer = iw.architecture_explorer()
    explorer.controls[name].value = value
    assert table_rows(explorer.fig) == expected_rows(sizes)
    assert_diagram_shows(explorer.fig, sizes)


def test_architecture_reports_unreadable_sizes_instead_of_crashing():
    explorer = iw.architecture_explorer()
    assert changed(explorer, "hidden", "4, many")
    assert "whole numbers" in explorer.state["error"] and "total" not in explorer.state
    assert explorer.fig.axes == []  # no diagram, no table: only the sentence
    (message,) = explorer.fig.texts
    assert "whole numbers" in message.get_text() and "'4, many'" in message.get_text()
    assert changed(explorer, "hidden", "4, 0")
    assert "at least one unit" in explorer.state["error"]
    assert changed(explorer, "hidden", "5000")
    assert "at most 2048 units" in explorer.state["error"]
    assert changed(explorer, "hidden", "5")
    assert explorer.state["total"] == hand_count([2, 5, 2])
    assert explorer.fig.texts == [] and table_rows(explorer.fig) == expected_rows([2, 5, 2])


def test_parse_sizes():
    assert iw.parse_sizes("4, 3") == [4, 3]
    assert iw.parse_sizes(" 16 8;2 ") == [16, 8, 2]
    assert iw.parse_sizes("") == []
    with pytest.raises(ValueError, match="whole numbers"):
        iw.parse_sizes("4.5")


def test_build_network_picks_an_output_that_fits_the_loss():
    assert iw.build_network([3, 5, 1]).loss_fn.name == "binary_cross_entropy"
    net = iw.build_network([3, 5, 4])
    assert net.loss_fn.name == "cross_entropy" and net.sizes == [3, 5, 4]
    assert [layer.activation.name for layer in net.layers] == ["relu", "softmax"]


def test_parameter_table_is_a_figure():
    fig = iw.parameter_table([4, 8, 3])
    assert isinstance(fig, Figure)
    assert table_rows(fig) == expected_rows([4, 8, 3])
    assert table_rows(fig)[-1][-1] == "67"  # 8·(4 + 1) + 3·(8 + 1)
    assert_diagram_shows(fig, [4, 8, 3])


# -- symmetry ----------------------------------------------------------------------------------
def test_distinct_units_counts_clones():
    W = np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0]])
    assert iw.distinct_units(W) == 2
    assert iw.distinct_units(np.zeros((8, 2))) == 1
    assert iw.distinct_units(np.random.default_rng(0).standard_normal((8, 2))) == 8


def test_symmetry_is_a_figure_with_one_panel_per_network():
    X = np.random.default_rng(0).standard_normal((40, 2))
    y = (X[:, 0] > 0).astype(np.int64)
    nets = {name: Network([Dense(2, 4, "relu", init=init), Dense(4, 2, "softmax", init=init)])
            for name, init in [("zeros", "zeros"), ("he", "he")]}
    fig = iw.symmetry(nets, X, y, resolution=20)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert "1 distinct of 4" in fig.axes[0].get_title()
    assert "4 distinct of 4" in fig.axes[1].get_title()


# -- the scale of the weights ------------------------------------------------------------------
def numpy_activations(activation, std, depth=iw.DEPTH, width=iw.WIDTH, n=iw.SAMPLES):
    """The deep experiment in plain NumPy: W[l] = std · N(0, 1) drawn in layer order from
    default_rng(0), X from default_rng(1), b = 0. Returns [A[1], ..., A[depth]]."""
    f = {"relu": lambda Z: np.maximum(Z, 0), "tanh": np.tanh,
         "sigmoid": lambda Z: 1 / (1 + np.exp(-Z))}[activation]
    rng, As = np.random.default_rng(0), []
    A = np.random.default_rng(1).standard_normal((n, width))
    for _ in range(depth):
        A = f(A @ (std * rng.standard_normal((width, width))).T)
        As.append(A)
    return As


def numpy_stds(activation, std, depth=iw.DEPTH, width=iw.WIDTH, n=iw.SAMPLES):
    return np.array([A.std() for A in numpy_activations(activation, std, depth, width, n)])


def drawn_stds(fig):
    """(layers, log10 std of A[l]) of the line in the right panel."""
    (line,) = fig.axes[1].get_lines()
    return line.get_xdata(), line.get_ydata()


def ridge_shapes(fig):
    """Per ridge (layer 1 first): its baseline, its bin centres and its heights above the
    baseline, read off the filled polygons of the left panel."""
    shapes = []
    for ridge in fig.axes[0].collections:
        V = ridge.get_paths()[0].vertices
        base = V[:, 1].min()
        mids = np.unique(V[:, 0])
        shapes.append((base, mids, np.array([V[V[:, 0] == m, 1].max() - base for m in mids])))
    return shapes


def test_activations_default_state_shows_the_signal_shrinking_yet_visible():
    """The stored picture is instructive: the std falls layer by layer (a too-small scale), but
    not so far that the histograms are empty."""
    explorer = iw.activations_explorer()
    stds = explorer.state["stds"]
    assert stds.shape == (iw.DEPTH,)
    np.testing.assert_allclose(stds, numpy_stds("relu", 0.1), rtol=1e-10)
    assert np.all(np.diff(stds) < 0)
    assert 1e-3 < stds[-1] / stds[0] < 0.1
    assert explorer.controls["scale"].disabled is False


def test_activations_a_tiny_scale_makes_the_signal_vanish():
    explorer = iw.activations_explorer()
    explorer.controls["scale"].value = 0.01
    stds = explorer.state["stds"]
    np.testing.assert_allclose(stds, numpy_stds("relu", 0.01), rtol=1e-10)
    assert stds[-1] / stds[0] < 1e-6


def test_activations_he_keeps_the_std_and_disables_scale():
    explorer = iw.activations_explorer()
    assert changed(explorer, "init", "he")
    stds = explorer.state["stds"]
    np.testing.assert_allclose(stds, numpy_stds("relu", np.sqrt(2 / iw.WIDTH)), rtol=1e-10)
    assert 0.5 < stds[-1] / stds[0] < 2
    assert explorer.controls["scale"].disabled is True
    assert changed(explorer, "init", "normal")
    assert explorer.controls["scale"].disabled is False


def test_activations_scale_multiplies_relu_layer_l_by_its_lth_power():
    # ReLU is positively homogeneous and b = 0: scaling every W by c scales A[l] by c^l.
    explorer = iw.activations_explorer(scale=0.01)
    before = explorer.state["stds"].copy()
    drawn_before = drawn_stds(explorer.fig)[1].copy()
    assert changed(explorer, "scale", 0.1)
    ratio = explorer.state["stds"] / before
    np.testing.assert_allclose(ratio, 10.0 ** np.arange(1, iw.DEPTH + 1), rtol=1e-8)
    # on the log axis of the picture: layer l's point moves up by exactly l decades
    np.testing.assert_allclose(drawn_stds(explorer.fig)[1] - drawn_before,
                               np.arange(1, iw.DEPTH + 1), rtol=1e-8)


@pytest.mark.parametrize("activation, low, high", [("tanh", -1, 1), ("sigmoid", 0, 1)])
def test_activations_switching_the_function(activation, low, high):
    explorer = iw.activations_explorer(init="xavier")
    assert changed(explorer, "activation", activation)
    std = np.sqrt(2 / (2 * iw.WIDTH))
    np.testing.assert_allclose(explorer.state["stds"], numpy_stds(activation, std), rtol=1e-10)
    As = iw.deep_activations(activation, "xavier")
    assert all(low <= A.min() and A.max() <= high for A in As)


def test_activations_controls_redraw_the_std_curve_and_the_title():
    explorer = iw.activations_explorer()  # relu, normal, scale 0.1
    fig = explorer.fig
    layers, logs = drawn_stds(fig)
    np.testing.assert_array_equal(layers, np.arange(1, iw.DEPTH + 1))
    np.testing.assert_allclose(logs, np.log10(numpy_stds("relu", 0.1)), rtol=1e-10)

    explorer.controls["scale"].value = 0.01
    stds = numpy_stds("relu", 0.01)
    np.testing.assert_allclose(drawn_stds(fig)[1], np.log10(stds), rtol=1e-10)
    assert fig.get_suptitle() == (f"relu, init=normal: std of W = 0.01;  "
                                  f"std A[10] / std A[1] = {stds[-1] / stds[0]:.2g}")

    explorer.controls["init"].value = "xavier"
    xavier = np.sqrt(2 / (2 * iw.WIDTH))  # √(2 / (n_in + n_out)) = 0.125
    np.testing.assert_allclose(drawn_stds(fig)[1], np.log10(numpy_stds("relu", xavier)),
                               rtol=1e-10)
    assert fig.get_suptitle().startswith("relu, init=xavier (scale unused): std of W = 0.125;")

    explorer.controls["init"].value = "he"
    he = np.sqrt(2 / iw.WIDTH)
    np.testing.assert_allclose(drawn_stds(fig)[1], np.log10(numpy_stds("relu", he)),
                               rtol=1e-10)
    assert f"init=he (scale unused): std of W = {he:.3g};" in fig.get_suptitle()


@pytest.mark.parametrize("activation, low, high", [("tanh", -1, 1), ("sigmoid", 0, 1)])
def test_activations_function_redraws_every_ridge_as_that_functions_histogram(activation,
                                                                                low, high):
    explorer = iw.activations_explorer(init="xavier")
    explorer.controls["activation"].value = activation
    fig = explorer.fig
    std = np.sqrt(2 / (2 * iw.WIDTH))
    As = numpy_activations(activation, std)
    np.testing.assert_allclose(drawn_stds(fig)[1], np.log10([A.std() for A in As]),
                               rtol=1e-10)
    assert fig.get_suptitle().startswith(f"{activation}, init=xavier")
    assert fig.axes[0].get_xlim() == (low, high)  # the function's range
    ridges = ridge_shapes(fig)
    assert len(ridges) == iw.DEPTH
    for l, ((base, mids, heights), A) in enumerate(zip(ridges, As), start=1):
        assert base == iw.DEPTH - l  # layer 1 on top
        assert low <= mids.min() and mids.max() <= high
        width = mids[1] - mids[0]
        edges = np.r_[mids - width / 2, mids[-1] + width / 2]
        counts = np.histogram(A.ravel(), edges)[0]  # tanh, sigmoid: every value in range
        np.testing.assert_allclose(heights / heights.max(), counts / counts.max(), atol=1e-12)


def test_saturation_shows_up_as_values_at_the_ends():
    A = iw.deep_activations("tanh", "normal", scale=1.0)[-1]
    assert np.mean(np.abs(A) > 0.9) > 0.5  # most tanh units sit where tanh′ is near 0


def test_static_scale_figures():
    histograms = iw.activation_histograms("tanh", "normal", 1.0)
    assert isinstance(histograms, Figure)
    np.testing.assert_allclose(drawn_stds(histograms)[1], np.log10(numpy_stds("tanh", 1.0)),
                               rtol=1e-10)
    assert histograms.get_suptitle().startswith("tanh, init=normal: std of W = 1;")
    fig = iw.std_per_layer({"he": ("relu", "he", 0.01), "tiny": ("relu", "normal", 0.01)})
    assert isinstance(fig, Figure)
    assert len(fig.axes[0].get_lines()) == 2
    he, tiny = fig.axes[0].get_lines()
    assert (he.get_label(), tiny.get_label()) == ("he", "tiny")
    np.testing.assert_allclose(he.get_ydata(), np.log10(numpy_stds("relu", np.sqrt(2 / 64))),
                               rtol=1e-10)
    np.testing.assert_allclose(tiny.get_ydata(), np.log10(numpy_stds("relu", 0.01)),
                               rtol=1e-10)


def test_weight_std_matches_what_nnlib_draws():
    for init in ("he", "xavier", "normal"):
        net = Network([Dense(400, 300, "relu", init=init, scale=0.05)], loss="mse", seed=3)
        expected = iw.weight_std(init, 400, 300, scale=0.05)
        assert net.layers[0].W.std() == pytest.approx(expected, rel=0.01)
