"""nnlib_viz.backprop: the explorers react to their controls and show the right numbers."""

import numpy as np
import pytest
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


def test_backward_explorer_uses_the_network_it_is_given():
    X, y = nnlib.datasets.moons(8, noise=0.2, seed=0)
    net = Network([Dense(2, 5, "tanh"), Dense(5, 4, "tanh"), Dense(4, 2, "softmax")], seed=3)
    explorer = backprop.backward_explorer(net, X, y)
    explorer.controls["layer"].value = 1
    _, dW, _ = reference_backward(net, X, y)[1]
    np.testing.assert_allclose(explorer.state["dW"], dW, atol=1e-12)
    assert explorer.state["delta"].shape == (8, 5)


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
    sigmoid = explorer.state["norms"]
    assert sigmoid[0] < 1e-6 * sigmoid[-1], "sigmoid gradients vanish towards the input"
    png = explorer.png
    explorer.controls["activation"].value = "relu"
    assert explorer.png != png
    relu = explorer.state["norms"]
    np.testing.assert_allclose(relu, reference_norms(15, "relu"))
    assert 0.1 < relu[0] / relu[-1] < 10, "relu with He init keeps them in range"


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
    assert isinstance(backprop.computation_graph(values, grads), Figure)


def test_static_figures_return_figures():
    assert isinstance(backprop.network_diagram([2, 4, 3], highlight=2), Figure)
    assert isinstance(backprop.gradient_norm_bars([1.0, 0.1, 0.01]), Figure)
    net, X, y = backprop.small_problem()
    assert isinstance(backprop.gradient_error_heatmaps(nnlib.gradient_check(net, X, y)), Figure)


def test_gradient_error_heatmaps_survive_exact_agreement():
    grads = {"W[1]": np.ones((2, 2)), "b[1]": np.ones(2)}
    check = nnlib.GradientCheck({"W[1]": 0.0, "b[1]": 0.0}, grads, grads)
    assert isinstance(backprop.gradient_error_heatmaps(check), Figure)
