"""nnlib_viz.backprop: the explorers react to their controls and show the right numbers."""

import re

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure

import nnlib
from nnlib import Dense, Network
from nnlib_viz import backprop


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def reference_backward(net, X, y):
    """δ, dW, db per layer for a tanh…tanh, softmax network, straight from the formulas."""
    Y = np.eye(net.layers[-1].n_out)[y]
    As, Zs = [X], []
    for l, layer in enumerate(net.layers, start=1):
        Z = As[-1] @ layer.W.T + layer.b
        Zs.append(Z)
        As.append(softmax(Z) if l == len(net.layers) else np.tanh(Z))
    m, delta, out = len(X), As[-1] - Y, {}
    for l in range(len(net.layers), 0, -1):
        out[l] = (delta, delta.T @ As[l - 1] / m, delta.mean(axis=0))
        if l > 1:
            delta = (delta @ net.layers[l - 1].W) * (1 - np.tanh(Zs[l - 2]) ** 2)
    return out


def odd_one_out(values):
    """The index of the one entry that differs from all the others (which agree), else None."""
    for i, value in enumerate(values):
        rest = values[:i] + values[i + 1:]
        if all(np.array_equal(r, rest[0]) for r in rest) and not np.array_equal(value, rest[0]):
            return i
    return None


def highlight(ax):
    """Which layer the network diagram singles out, read three ways: the weights W[l] drawn
    thicker than every other layer's and in another colour, the column of units filled
    differently from all the others, and the bold label."""
    edges = [c for c in ax.collections if isinstance(c, LineCollection)]
    columns = [c for c in ax.collections if isinstance(c, PathCollection)]
    widths = [float(np.max(c.get_linewidth())) for c in edges]
    thickest = int(np.argmax(widths))
    others = [c for i, c in enumerate(edges) if i != thickest]
    weights = thickest + 1 if widths.count(max(widths)) == 1 and all(
        not np.array_equal(c.get_edgecolor(), edges[thickest].get_edgecolor())
        for c in others) else None
    units = odd_one_out([c.get_facecolor() for c in columns])
    bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    return weights, units, bold


def written(M):
    """How a heatmap writes each entry of M in its cell, row by row."""
    return [f"{v:.2f}" if abs(v) >= 0.005 else "0" for v in np.atleast_2d(M).ravel()]


@pytest.mark.parametrize("factory", backprop.EXPLORERS)
def test_every_explorer_builds_with_a_picture(factory):
    explorer = factory()
    assert explorer.png.startswith(b"\x89PNG")
    assert explorer.state


def test_backward_explorer_steps_from_the_output_layer_down_with_each_layers_gradients():
    explorer = backprop.backward_explorer()
    net, X, y = backprop.small_problem()  # the same seed gives the same weights and batch
    expected = reference_backward(net, X, y)
    sizes = net.sizes
    assert explorer.controls["layer"].value == len(net.layers)  # starts at the output
    pngs = {explorer.png}
    for l in range(len(net.layers), 0, -1):
        explorer.controls["layer"].value = l
        state = explorer.state
        assert state["layer"] == l
        delta, dW, db = expected[l]
        assert state["delta"].shape == (len(X), sizes[l])
        assert state["dW"].shape == (sizes[l], sizes[l - 1])
        assert state["db"].shape == (sizes[l],)
        np.testing.assert_allclose(state["delta"], delta, atol=1e-12)
        np.testing.assert_allclose(state["dW"], dW, atol=1e-12)
        np.testing.assert_allclose(state["db"], db, atol=1e-12)
        pngs.add(explorer.png)
    assert len(pngs) == len(net.layers), "every layer draws a different picture"


def test_backward_explorer_draws_the_highlighted_layers_gradients():
    explorer = backprop.backward_explorer()
    net, X, y = backprop.small_problem()
    expected, sizes, L = reference_backward(net, X, y), net.sizes, len(net.layers)
    for l in (1, 2, 3, 2):
        explorer.controls["layer"].value = l
        fig = explorer.fig
        (ax,) = fig.axes
        weights, units, bold = highlight(ax)
        assert (weights, units) == (l, l)  # W[l] and layer l's units
        assert len(bold) == 1 and bold[0].startswith(f"layer {l}\n")
        assert fig.get_suptitle().startswith(f"backward pass at layer {l} of {L} ")
        delta, dW, db = expected[l]
        drawn = [image.get_array() for image in ax.images]
        assert len(drawn) == 3
        np.testing.assert_allclose(drawn[0], delta, atol=1e-12)
        np.testing.assert_allclose(drawn[1], dW, atol=1e-12)
        np.testing.assert_allclose(drawn[2], db[None, :], atol=1e-12)
        titles = [t.get_text().split("\n")[0] for t in ax.texts if "[" in t.get_text()]
        assert titles == [f"δ[{l}] {(len(X), sizes[l])}", f"dW[{l}] {(sizes[l], sizes[l - 1])}",
                          f"db[{l}] {(sizes[l],)}"]
        numbers = [t.get_text() for t in ax.texts
                   if re.fullmatch(r"-?\d+\.\d\d|0", t.get_text())]
        assert numbers == written(delta) + written(dW) + written(db)


def test_backward_explorer_uses_the_network_it_is_given():
    X, y = nnlib.datasets.moons(8, noise=0.2, seed=0)
    net = Network([Dense(2, 5, "tanh"), Dense(5, 4, "tanh"), Dense(4, 2, "softmax")], seed=3)
    explorer = backprop.backward_explorer(net, X, y)
    explorer.controls["layer"].value = 1
    _, dW, _ = reference_backward(net, X, y)[1]
    np.testing.assert_allclose(explorer.state["dW"], dW, atol=1e-12)
    assert explorer.state["delta"].shape == (8, 5)
    ax = explorer.fig.axes[0]
    np.testing.assert_allclose(ax.images[1].get_array(), dW, atol=1e-12)
    assert highlight(ax)[:2] == (1, 1)
    columns = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(c.get_offsets()) for c in columns] == [2, 5, 4, 2]  # that network's sizes


def reference_norms(depth, activation):
    """The documented setup: width 16, default init, seed 0, X ~ N(0, 1) (64, 16), random y."""
    layers = [Dense(16, 16, activation) for _ in range(depth - 1)] + [Dense(16, 2, "softmax")]
    net = Network(layers, seed=0)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((64, 16)), rng.integers(0, 2, 64)
    net.forward(X)
    net.backward(y)
    return np.array([np.linalg.norm(layer.dW) for layer in net.layers])


def test_vanishing_explorer_shows_per_layer_gradient_norms_for_depth_and_activation():
    explorer = backprop.vanishing_explorer()
    np.testing.assert_allclose(explorer.state["norms"], reference_norms(10, "sigmoid"))
    png = explorer.png
    explorer.controls["depth"].value = 15
    assert explorer.png != png
    assert len(explorer.state["norms"]) == 15
    np.testing.assert_allclose(explorer.state["norms"], reference_norms(15, "sigmoid"))
    assert_norm_bars(explorer.fig.axes[0], reference_norms(15, "sigmoid"))
    sigmoid = explorer.state["norms"]
    assert sigmoid[0] < 1e-6 * sigmoid[-1], "sigmoid gradients vanish towards the input"
    png = explorer.png
    explorer.controls["activation"].value = "relu"
    assert explorer.png != png
    relu = explorer.state["norms"]
    np.testing.assert_allclose(relu, reference_norms(15, "relu"))
    assert_norm_bars(explorer.fig.axes[0], reference_norms(15, "relu"))
    assert 0.1 < relu[0] / relu[-1] < 10, "relu with He init keeps them in range"


def assert_norm_bars(ax, norms):
    bars = np.array([(b.get_x() + b.get_width() / 2, b.get_height()) for b in ax.patches])
    np.testing.assert_array_equal(bars[:, 0], np.arange(1, len(norms) + 1))  # layer l at x = l
    np.testing.assert_allclose(bars[:, 1], norms, rtol=1e-12)
    assert ax.get_yscale() == "log"


@pytest.mark.parametrize("control, value, depth, activation", [
    ("depth", 4, 4, "sigmoid"), ("depth", 17, 17, "sigmoid"),
    ("activation", "tanh", 10, "tanh"), ("activation", "relu", 10, "relu"),
])
def test_vanishing_explorer_redraws_one_bar_per_layer_of_its_norm(control, value, depth,
                                                                   activation):
    explorer = backprop.vanishing_explorer(depth=10, activation="sigmoid")
    explorer.controls[control].value = value
    (ax,) = explorer.fig.axes
    norms = reference_norms(depth, activation)
    assert_norm_bars(ax, norms)
    assert ax.get_title() == (f"{activation}, {depth} layers:  ‖dW[1]‖ / ‖dW[{depth}]‖ = "
                              f"{norms[0] / norms[-1]:.1e}")


def test_computation_graph_edges_multiply_to_the_finite_difference_gradient():
    x, w, b, y = 1.5, 0.8, -0.5, 1.0
    a = 1 / (1 + np.exp(-(w * x + b)))
    values = dict(x=x, w=w, b=b, y=y, u=w * x, z=w * x + b, a=a, L=0.5 * (a - y) ** 2)
    local = {edge: val for edge, (_, val) in backprop.local_derivatives(values).items()}
    along_w = local["a", "L"] * local["z", "a"] * local["u", "z"] * local["w", "u"]

    def loss(w):
        return 0.5 * (1 / (1 + np.exp(-(w * x + b))) - y) ** 2

    eps = 1e-6
    assert along_w == pytest.approx((loss(w + eps) - loss(w - eps)) / (2 * eps), rel=1e-7)
    grads = dict(w=along_w, x=0.0, b=0.0, u=0.0, z=0.0, a=0.0, L=1.0)
    fig = backprop.computation_graph(values, grads)
    assert isinstance(fig, Figure)
    shown = [t.get_text() for t in fig.axes[0].texts]
    for node in ("w", "x", "b", "y", "u", "z", "a", "L"):  # every forward value, on its node
        assert f"{values[node]:.3f}" in shown
    assert f"∂L/∂w = {along_w:.3f}" in shown and "∂L/∂L = 1.000" in shown
    assert sum(t.startswith("∂L/∂") for t in shown) == 7  # y is a label: no gradient
    assert r"$\partial L/\partial a = a - y$" + "\n" + f"$= {a - y:.3f}$" in shown


def test_static_figures_return_figures():
    diagram = backprop.network_diagram([2, 4, 3], highlight=2)
    assert isinstance(diagram, Figure)
    weights, units, bold = highlight(diagram.axes[0])
    assert (weights, units) == (2, 2) and bold == ["layer 2\nn₂ = 3"]
    bars = backprop.gradient_norm_bars([1.0, 0.1, 0.01])
    assert isinstance(bars, Figure)
    assert_norm_bars(bars.axes[0], [1.0, 0.1, 0.01])
    net, X, y = backprop.small_problem()
    check = nnlib.gradient_check(net, X, y)
    heatmaps = backprop.gradient_error_heatmaps(check)
    assert isinstance(heatmaps, Figure)
    gaps = {name: np.abs(check.backprop[name] - check.numeric[name]) for name in check.errors}
    smallest = min(g[g > 0].min() for g in gaps.values())
    panels = [ax for ax in heatmaps.axes if ax.images]
    assert len(panels) == 6  # W[l] and b[l] of three layers
    for ax in panels:
        name = ax.get_title().split()[0]
        shape = check.backprop[name].shape
        assert ax.get_title() == f"{name} {shape}\nrel. error {check.errors[name]:.1e}"
        # |backprop − numeric| per entry; exact zeros drawn at the smallest positive gap
        np.testing.assert_allclose(ax.images[0].get_array(),
                                   np.atleast_2d(np.maximum(gaps[name], smallest)))


def test_gradient_error_heatmaps_survive_exact_agreement():
    grads = {"W[1]": np.ones((2, 2)), "b[1]": np.ones(2)}
    check = nnlib.GradientCheck({"W[1]": 0.0, "b[1]": 0.0}, grads, grads)
    fig = backprop.gradient_error_heatmaps(check)
    assert isinstance(fig, Figure)
    panels = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in panels] == ["W[1] (2, 2)\nrel. error 0.0e+00",
                                                "b[1] (2,)\nrel. error 0.0e+00"]
    for ax in panels:  # nothing to show but agreement: one flat colour, no NaN
        image = np.asarray(ax.images[0].get_array())
        assert np.all(np.isfinite(image)) and np.all(image == image.flat[0])
