"""Activations σ, their derivatives, and the losses — each against a textbook formula computed
element by element with the ``math`` module, never against nnlib's own helpers."""

import math

import numpy as np
import pytest

from nnlib import Dense, Network, losses
from nnlib import activations as act

SCALAR = {
    "relu": lambda z: z if z > 0 else 0.0,
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "tanh": math.tanh,
    "identity": lambda z: z,
}
ELEMENTWISE = tuple(SCALAR)


def _grid(rng, shape=(4, 5), scale=3.0):
    Z = rng.normal(scale=scale, size=shape)
    Z[np.abs(Z) < 1e-3] = 0.5  # keep clear of relu's kink for the derivative checks
    return Z


def _loop_softmax(Z):
    out = np.empty_like(Z)
    for i, row in enumerate(Z):
        top = max(row)
        exps = [math.exp(z - top) for z in row]
        total = sum(exps)
        for j, e in enumerate(exps):
            out[i, j] = e / total
    return out


# -- activations -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_activation_matches_textbook_formula(name, rng):
    Z = _grid(rng)
    A = act.ACTIVATIONS[name].forward(Z)
    assert A.shape == Z.shape
    for i, j in np.ndindex(Z.shape):
        assert A[i, j] == pytest.approx(SCALAR[name](Z[i, j]), rel=1e-14, abs=1e-300)


def test_softmax_matches_loop_formula_per_row(rng):
    Z = _grid(rng, (6, 4))
    A = act.softmax(Z)
    np.testing.assert_allclose(A, _loop_softmax(Z), rtol=1e-14)
    np.testing.assert_allclose(A.sum(axis=1), np.ones(6), rtol=1e-14)


def test_softmax_is_row_wise_not_column_wise():
    """Samples are rows: each row is normalized on its own."""
    Z = np.array([[0.0, 0.0], [0.0, math.log(3.0)]])
    np.testing.assert_allclose(act.softmax(Z), [[0.5, 0.5], [0.25, 0.75]], rtol=1e-15)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_difference(name, rng):
    Z = _grid(rng)
    prime = getattr(act, f"{name}_prime")(Z)
    h = 1e-6
    for i, j in np.ndindex(Z.shape):
        z = Z[i, j]
        numeric = (SCALAR[name](z + h) - SCALAR[name](z - h)) / (2 * h)
        assert prime[i, j] == pytest.approx(numeric, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_backward_is_dA_times_derivative(name, rng):
    """Outline 1.4: δ = ∂L/∂a ⊙ σ′(z), element by element."""
    Z, dA = _grid(rng), rng.normal(size=(4, 5))
    a = act.ACTIVATIONS[name]
    delta = a.backward(dA, Z, a.forward(Z))
    h = 1e-6
    for i, j in np.ndindex(Z.shape):
        z = Z[i, j]
        slope = (SCALAR[name](z + h) - SCALAR[name](z - h)) / (2 * h)
        assert delta[i, j] == pytest.approx(dA[i, j] * slope, rel=1e-7, abs=1e-9)


def test_relu_derivative_at_the_kink_is_zero():
    np.testing.assert_array_equal(act.relu_prime(np.array([[-1.0, 0.0, 2.0]])), [[0, 0, 1]])
    delta = act.ACTIVATIONS["relu"].backward(np.ones((1, 3)), np.array([[-1.0, 0.0, 2.0]]), None)
    np.testing.assert_array_equal(delta, [[0, 0, 1]])


def test_softmax_backward_equals_explicit_jacobian_product(rng):
    """Rough edge 2: softmax is not element-wise; δ_j = Σ_i ∂a_i/∂z_j dA_i with the full
    Jacobian ∂a_i/∂z_j = a_i (1[i = j] − a_j), built here entry by entry."""
    Z, dA = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    A = _loop_softmax(Z)
    delta = act.softmax_backward(dA, A)
    k = Z.shape[1]
    for row in range(len(Z)):
        a = A[row]
        for j in range(k):
            expected = sum(a[i] * ((i == j) - a[j]) * dA[row, i] for i in range(k))
            assert delta[row, j] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_softmax_backward_matches_finite_differences(rng):
    """Differentiate f(z) = dA · softmax(z) numerically: its gradient is the JVP."""
    Z, dA = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    delta = act.ACTIVATIONS["softmax"].backward(dA, Z, act.softmax(Z))
    h = 1e-6
    for r, j in np.ndindex(Z.shape):
        Zp, Zm = Z.copy(), Z.copy()
        Zp[r, j] += h
        Zm[r, j] -= h
        numeric = (np.sum(dA * _loop_softmax(Zp)) - np.sum(dA * _loop_softmax(Zm))) / (2 * h)
        assert delta[r, j] == pytest.approx(numeric, rel=1e-7, abs=1e-10)


@pytest.mark.parametrize("name", (*ELEMENTWISE, "softmax"))
def test_activations_keep_float32(name, rng):
    Z = rng.normal(size=(3, 4)).astype(np.float32)
    a = act.ACTIVATIONS[name]
    A = a.forward(Z)
    assert A.dtype == np.float32
    assert a.backward(np.ones_like(Z), Z, A).dtype == np.float32


# -- losses ------------------------------------------------------------------------------------
def _loop_mse(Yhat, Y):
    m = len(Y)
    return sum((Y[i, k] - Yhat[i, k]) ** 2 for i in range(m) for k in range(Y.shape[1])) / (2 * m)


def _loop_cross_entropy(Yhat, labels):
    return -sum(math.log(Yhat[i, c]) for i, c in enumerate(labels)) / len(labels)


def _loop_bce(Yhat, Y):
    total = 0.0
    for i, k in np.ndindex(Y.shape):
        y, p = Y[i, k], Yhat[i, k]
        total += y * math.log(p) + (1 - y) * math.log(1 - p)
    return -total / len(Y)


def _probabilities(rng, m, k):
    P = rng.uniform(0.05, 1.0, size=(m, k))
    return P / P.sum(axis=1, keepdims=True)


def test_mse_function_and_network_loss_match_loop(rng):
    Yhat, Y = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    expected = _loop_mse(Yhat, Y)
    assert losses.mse(Yhat, Y) == pytest.approx(expected, rel=1e-13)
    net = Network([Dense(2, 3, "identity")], loss="mse")
    value = net.loss(Yhat, Y)
    assert isinstance(value, float)
    assert value == pytest.approx(expected, rel=1e-13)


def test_mse_has_the_half_and_the_mean():
    """One sample, error 2 in a single output: L = 1/(2·1) · 2² = 2; two such samples: still 2."""
    net = Network([Dense(1, 1, "identity")], loss="mse")
    assert net.loss(np.array([[3.0]]), np.array([[1.0]])) == 2.0
    assert net.loss(np.array([[3.0], [-1.0]]), np.array([[1.0], [1.0]])) == 2.0


def test_cross_entropy_labels_and_one_hot_match_loop(rng, ref):
    k, labels = 4, np.array([0, 3, 1, 1, 2, 0])
    Yhat = _probabilities(rng, len(labels), k)
    expected = _loop_cross_entropy(Yhat, labels)
    net = Network([Dense(3, k, "softmax")])
    assert net.loss(Yhat, labels) == pytest.approx(expected, rel=1e-13)
    assert net.loss(Yhat, ref.one_hot(labels, k)) == pytest.approx(expected, rel=1e-13)
    assert losses.cross_entropy(Yhat, ref.one_hot(labels, k)) == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_sums_over_classes_for_soft_targets(rng):
    """Rough edge 4: with a target row spread over classes every class contributes."""
    Yhat, Y = _probabilities(rng, 5, 3), _probabilities(rng, 5, 3)
    expected = -sum(Y[i, c] * math.log(Yhat[i, c]) for i in range(5) for c in range(3)) / 5
    assert Network([Dense(2, 3, "softmax")]).loss(Yhat, Y) == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_of_a_perfect_prediction_is_zero():
    net = Network([Dense(2, 3, "softmax")])
    assert net.loss(np.eye(3), [0, 1, 2]) == 0.0


@pytest.mark.parametrize("k", (1, 3))
def test_binary_cross_entropy_matches_loop(k, rng):
    Yhat = rng.uniform(0.01, 0.99, size=(6, k))
    Y = (rng.uniform(size=(6, k)) < 0.5).astype(float)
    expected = _loop_bce(Yhat, Y)
    net = Network([Dense(2, k, "sigmoid")], loss="binary_cross_entropy")
    assert net.loss(Yhat, Y) == pytest.approx(expected, rel=1e-13)
    if k == 1:  # labels (n,) are accepted for one sigmoid unit
        assert net.loss(Yhat, Y[:, 0]) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("name", ("mse", "cross_entropy", "binary_cross_entropy"))
def test_loss_grad_is_per_sample_without_one_over_m(name, rng):
    """Rough edge 3: grad returns ∂ℓ⁽ⁱ⁾/∂ŷ⁽ⁱ⁾, so m · ∂L/∂Ŷ (L the mean) equals it."""
    m, k = 5, 3
    if name == "cross_entropy":
        Yhat, Y = _probabilities(rng, m, k), np.eye(k)[rng.integers(0, k, m)]
    else:
        Yhat, Y = rng.uniform(0.1, 0.9, (m, k)), rng.uniform(0.0, 1.0, (m, k))
    loop = {"mse": _loop_mse, "binary_cross_entropy": _loop_bce,
            "cross_entropy": lambda P, T: _loop_cross_entropy(P, T.argmax(axis=1))}[name]
    grad = losses.LOSSES[name].grad(Yhat, Y)
    h = 1e-6
    for i, j in np.ndindex(Yhat.shape):
        P, M = Yhat.copy(), Yhat.copy()
        P[i, j] += h
        M[i, j] -= h
        numeric = m * (loop(P, Y) - loop(M, Y)) / (2 * h)
        assert grad[i, j] == pytest.approx(numeric, rel=1e-6, abs=1e-8)


# -- rough edge 2: the fused output δ equals the general chain rule ------------------------------
def test_softmax_cross_entropy_shortcut_equals_general_chain(rng):
    """δ = J_softmaxᵀ (−y/ŷ) simplifies to ŷ − y when each target row sums to 1."""
    Z = rng.normal(scale=2.0, size=(6, 4))
    Yhat = act.softmax(Z)
    for Y in (np.eye(4)[rng.integers(0, 4, 6)], _probabilities(rng, 6, 4)):
        chain = act.softmax_backward(losses.cross_entropy_grad(Yhat, Y), Yhat)
        np.testing.assert_allclose(chain, Yhat - Y, rtol=1e-10, atol=1e-14)


def test_sigmoid_binary_cross_entropy_shortcut_equals_general_chain(rng):
    Z = rng.normal(scale=2.0, size=(6, 3))
    Yhat = act.sigmoid(Z)
    Y = rng.uniform(size=(6, 3))
    chain = losses.binary_cross_entropy_grad(Yhat, Y) * act.sigmoid_prime(Z)
    np.testing.assert_allclose(chain, Yhat - Y, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize(("loss", "out"), (("cross_entropy", "softmax"),
                                           ("binary_cross_entropy", "sigmoid")))
def test_network_output_delta_equals_general_chain(loss, out, rng):
    """The network's δ[L] (fused) equals ∂ℓ/∂ŷ pushed through σ's backward, per sample."""
    net = Network([Dense(4, 5, "tanh"), Dense(5, 3, out)], loss=loss, seed=3)
    X = rng.normal(size=(6, 4))
    Y = np.eye(3)[rng.integers(0, 3, 6)]
    net.forward(X)
    net.backward(Y)
    last = net.layers[-1]
    dA = losses.LOSSES[loss].grad(last.A, Y)
    chain = act.ACTIVATIONS[out].backward(dA, last.Z, last.A)
    np.testing.assert_allclose(last.delta, chain, rtol=1e-10, atol=1e-14)
