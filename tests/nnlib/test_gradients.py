"""Backpropagation against the definition of a derivative.

Our own check: central differences (L(θ + ε) − L(θ − ε)) / 2ε in float64, on the *reference*
forward pass and loss from conftest (column form, written independently of nnlib), compared with
the dW, db that ``net.backward`` leaves. Then nnlib's own ``gradient_check`` is tested, including
that it can fail.
"""

import itertools

import numpy as np
import pytest

import nnlib
from nnlib import Dense, Network

HIDDEN = ("relu", "sigmoid", "tanh", "identity", "softmax")
LOSS_OUT = (("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid"),
            ("mse", "identity"), ("mse", "sigmoid"), ("mse", "tanh"), ("mse", "softmax"),
            ("mse", "relu"))
D, HID, K, N = 4, 5, 3, 6


def _cases():
    for (loss, out), depth in itertools.product(LOSS_OUT, (1, 2, 3, 4)):
        # depth 1 has no hidden layer, so it does not depend on the hidden activation
        for hidden in (HIDDEN if depth > 1 else ("none",)):
            yield pytest.param(loss, out, hidden, depth, id=f"{loss}+{out}-{hidden}-depth{depth}")


def _build(loss, out, hidden, depth, seed=0):
    """A small net with random weights and random non-zero biases (no relu input sits at 0)."""
    rng = np.random.default_rng(seed)
    sizes = [D] + [HID] * (depth - 1) + [K]
    acts = [hidden] * (depth - 1) + [out]
    net = Network([Dense(a, b, f) for a, b, f in zip(sizes, sizes[1:], acts)], loss=loss,
                  seed=seed)
    for layer in net.layers:
        layer.W[...] = rng.normal(scale=1.0 / np.sqrt(layer.n_in), size=layer.W.shape)
        layer.b[...] = rng.uniform(0.1, 0.6, size=layer.b.shape) * rng.choice([-1, 1], layer.n_out)
        if out == "relu" and layer is net.layers[-1]:
            layer.b[...] = np.abs(layer.b) + 0.3  # keep most output units alive
    X = rng.normal(size=(N, D))
    if loss == "cross_entropy":
        Y = np.eye(K)[rng.integers(0, K, N)]
    elif loss == "binary_cross_entropy":
        Y = (rng.uniform(size=(N, K)) < 0.5).astype(float)
    else:
        Y = rng.uniform(-0.5, 0.5, size=(N, K)) + (0.5 if out in ("sigmoid", "softmax") else 0)
    return net, X, Y


def _numeric_gradients(ref, net, X, Y, eps=1e-6):
    """Central differences of the reference loss w.r.t. every parameter, in float64."""
    params, acts = ref.params(net)
    loss = net.loss_fn.name
    grads = []
    for W, b in params:
        layer_grads = []
        for theta in (W, b):
            g = np.zeros_like(theta)
            for i in np.ndindex(theta.shape):
                saved = theta[i]
                theta[i] = saved + eps
                plus = ref.loss(loss, ref.forward(params, acts, X), Y)
                theta[i] = saved - eps
                minus = ref.loss(loss, ref.forward(params, acts, X), Y)
                theta[i] = saved
                g[i] = (plus - minus) / (2 * eps)
            layer_grads.append(g)
        grads.append(layer_grads)
    return grads


def _relative_error(a, b):
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


@pytest.mark.parametrize(("loss", "out", "hidden", "depth"), list(_cases()))
def test_backprop_matches_central_differences(loss, out, hidden, depth, ref):
    net, X, Y = _build(loss, out, hidden, depth)
    net.forward(X)
    net.backward(Y)
    for layer in net.layers:
        if layer.activation.name == "relu":  # the precondition of a valid check
            assert np.min(np.abs(layer.Z)) > 1e-4, "a relu input sits at its kink"
    numeric = _numeric_gradients(ref, net, X, Y)
    backprop = np.concatenate([np.concatenate([lay.dW.ravel(), lay.db]) for lay in net.layers])
    flat = np.concatenate([np.concatenate([gW.ravel(), gb]) for gW, gb in numeric])
    assert np.linalg.norm(flat) > 1e-6, "degenerate case: all gradients vanish"
    assert _relative_error(backprop, flat) < 1e-7
    for l, (layer, (gW, gb)) in enumerate(zip(net.layers, numeric), start=1):
        # per array too, so a bug in one small array cannot hide behind a big one
        assert np.allclose(layer.dW, gW, rtol=1e-5, atol=1e-8), f"dW[{l}]"
        assert np.allclose(layer.db, gb, rtol=1e-5, atol=1e-8), f"db[{l}]"


def test_our_check_can_fail(ref, monkeypatch):
    """The check above is not vacuous: a backward with dW doubled is caught."""
    net, X, Y = _build("mse", "identity", "tanh", 2)
    original = Dense.backward_delta

    def doubled(self, delta, need_dA_prev=True):
        out = original(self, delta, need_dA_prev)
        self.dW = 2 * self.dW
        return out

    monkeypatch.setattr(Dense, "backward_delta", doubled)
    net.forward(X)
    net.backward(Y)
    numeric = _numeric_gradients(ref, net, X, Y)
    backprop = np.concatenate([lay.dW.ravel() for lay in net.layers])
    flat = np.concatenate([gW.ravel() for gW, _ in numeric])
    assert _relative_error(backprop, flat) > 0.1


# -- nnlib.gradient_check ---------------------------------------------------------------------
def test_gradient_check_api_and_agreement(ref):
    net, X, Y = _build("cross_entropy", "softmax", "tanh", 3)
    check = nnlib.gradient_check(net, X, Y.argmax(axis=1))
    assert isinstance(check, float) and isinstance(check, nnlib.GradientCheck)
    names = [f"{p}[{l}]" for l in (1, 2, 3) for p in ("W", "b")]
    assert sorted(check.errors) == sorted(names)
    assert float(check) == max(check.errors.values())
    assert check < 1e-7
    numeric = _numeric_gradients(ref, net, X, Y)
    for l, (gW, gb) in enumerate(numeric, start=1):
        np.testing.assert_allclose(check.numeric[f"W[{l}]"], gW, rtol=1e-5, atol=1e-9)
        np.testing.assert_allclose(check.backprop[f"b[{l}]"], gb, rtol=1e-6, atol=1e-9)
        assert check.backprop[f"W[{l}]"].shape == net.layers[l - 1].W.shape
    report = check.report()
    assert all(name in report for name in names)
    assert "WRONG" not in report


@pytest.mark.parametrize(("loss", "out"), LOSS_OUT)
def test_gradient_check_passes_for_every_loss(loss, out):
    net, X, Y = _build(loss, out, "sigmoid", 2)
    assert nnlib.gradient_check(net, X, Y) < 1e-7


def test_gradient_check_detects_a_broken_backward(monkeypatch):
    net, X, Y = _build("mse", "identity", "relu", 3)
    assert nnlib.gradient_check(net, X, Y) < 1e-7
    original = Dense.backward_delta

    def broken(self, delta, need_dA_prev=True):
        out = original(self, delta, need_dA_prev)
        if self.n_in == HID and self.n_out == HID:  # only the middle layer's dW is wrong
            self.dW = 2 * self.dW
        return out

    monkeypatch.setattr(Dense, "backward_delta", broken)
    check = nnlib.gradient_check(net, X, Y)
    assert check > 0.1
    assert check.errors["W[2]"] > 0.1
    assert check.errors["W[1]"] < 1e-7 and check.errors["b[2]"] < 1e-7
    assert "WRONG" in check.report()


def test_gradient_check_detects_a_missing_activation_derivative(monkeypatch):
    """δ = dA instead of dA ⊙ σ′(Z) for tanh — the classic mistake — is caught."""
    net, X, Y = _build("mse", "identity", "tanh", 2)
    tanh = nnlib.activations.ACTIVATIONS["tanh"]
    monkeypatch.setattr(tanh, "f_prime", lambda Z: np.ones_like(Z))
    assert nnlib.gradient_check(net, X, Y) > 1e-3


def test_gradient_check_leaves_a_float32_net_untouched(rng):
    net = Network([Dense(D, HID, "tanh"), Dense(HID, K, "softmax")], seed=1, dtype=np.float32)
    X, y = rng.normal(size=(N, D)), rng.integers(0, K, N)
    net.forward(X[:2])
    before = [(lay.W.copy(), lay.b.copy(), lay.Z.copy()) for lay in net.layers]
    check = nnlib.gradient_check(net, X, y)
    assert check < 1e-6  # run in float64 internally, so far below float32's 1e-7 epsilon
    for layer, (W, b, Z) in zip(net.layers, before):
        assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
        np.testing.assert_array_equal(layer.W, W)
        np.testing.assert_array_equal(layer.b, b)
        np.testing.assert_array_equal(layer.Z, Z)  # caches of the user's last pass kept
        assert layer.dW is None
    assert net.dtype == np.float32
