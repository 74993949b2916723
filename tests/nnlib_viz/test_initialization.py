"""Figures and explorers of notebook 01 (nnlib_viz/initialization.py), without a browser."""

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


def test_architecture_reports_unreadable_sizes_instead_of_crashing():
    explorer = iw.architecture_explorer()
    assert changed(explorer, "hidden", "4, many")
    assert "whole numbers" in explorer.state["error"] and "total" not in explorer.state
    assert changed(explorer, "hidden", "4, 0")
    assert "at least one unit" in explorer.state["error"]
    assert changed(explorer, "hidden", "5000")
    assert "at most 2048 units" in explorer.state["error"]
    assert changed(explorer, "hidden", "5")
    assert explorer.state["total"] == hand_count([2, 5, 2])


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
    assert isinstance(iw.parameter_table([4, 8, 3]), Figure)


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
def numpy_stds(activation, std, depth=iw.DEPTH, width=iw.WIDTH, n=iw.SAMPLES):
    """The deep experiment in plain NumPy: W[l] = std · N(0, 1) drawn in layer order from
    default_rng(0), X from default_rng(1), b = 0."""
    f = {"relu": lambda Z: np.maximum(Z, 0), "tanh": np.tanh,
         "sigmoid": lambda Z: 1 / (1 + np.exp(-Z))}[activation]
    rng, stds = np.random.default_rng(0), []
    A = np.random.default_rng(1).standard_normal((n, width))
    for _ in range(depth):
        A = f(A @ (std * rng.standard_normal((width, width))).T)
        stds.append(A.std())
    return np.array(stds)


def test_activations_default_state_is_the_vanishing_case():
    explorer = iw.activations_explorer()
    stds = explorer.state["stds"]
    assert stds.shape == (iw.DEPTH,)
    np.testing.assert_allclose(stds, numpy_stds("relu", 0.01), rtol=1e-10)
    assert stds[-1] / stds[0] < 1e-6
    assert explorer.controls["scale"].disabled is False


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
    assert changed(explorer, "scale", 0.1)
    ratio = explorer.state["stds"] / before
    np.testing.assert_allclose(ratio, 10.0 ** np.arange(1, iw.DEPTH + 1), rtol=1e-8)


@pytest.mark.parametrize("activation, low, high", [("tanh", -1, 1), ("sigmoid", 0, 1)])
def test_activations_switching_the_function(activation, low, high):
    explorer = iw.activations_explorer(init="xavier")
    assert changed(explorer, "activation", activation)
    std = np.sqrt(2 / (2 * iw.WIDTH))
    np.testing.assert_allclose(explorer.state["stds"], numpy_stds(activation, std), rtol=1e-10)
    As = iw.deep_activations(activation, "xavier")
    assert all(low <= A.min() and A.max() <= high for A in As)


def test_saturation_shows_up_as_values_at_the_ends():
    A = iw.deep_activations("tanh", "normal", scale=1.0)[-1]
    assert np.mean(np.abs(A) > 0.9) > 0.5  # most tanh units sit where tanh′ is near 0


def test_static_scale_figures():
    assert isinstance(iw.activation_histograms("tanh", "normal", 1.0), Figure)
    fig = iw.std_per_layer({"he": ("relu", "he", 0.01), "tiny": ("relu", "normal", 0.01)})
    assert isinstance(fig, Figure)
    assert len(fig.axes[0].get_lines()) == 2


def test_weight_std_matches_what_nnlib_draws():
    for init in ("he", "xavier", "normal"):
        net = Network([Dense(400, 300, "relu", init=init, scale=0.05)], loss="mse", seed=3)
        expected = iw.weight_std(init, 400, 300, scale=0.05)
        assert net.layers[0].W.std() == pytest.approx(expected, rel=0.01)
