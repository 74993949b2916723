"""Shared fixtures: a seeded generator and independent reference formulas.

The reference (``ref``) is written the way the course outline writes the math — samples as
*columns*, Z = W A + b (outline 2.2) — so it shares no code and no layout with nnlib, which keeps
samples as rows. Tests compare nnlib against it; they never compare nnlib against itself.
"""

import types

import matplotlib

matplotlib.use("Agg")  # widget and figure tests draw off screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test leaves no open figure behind (pyplot keeps them alive otherwise)."""
    yield
    plt.close("all")


def _activation(name, Z):
    """σ applied to Z of shape (units, n): one column per sample."""
    if name == "relu":
        return np.where(Z > 0, Z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-Z))
    if name == "tanh":
        return np.tanh(Z)
    if name == "identity":
        return Z
    if name == "softmax":
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)
    raise AssertionError(f"reference has no activation {name!r}")


def _forward(params, activations, X):
    """Ŷ (n, k) for X (n, d), computed column-wise: A[0] = Xᵀ, A[l] = σ(W[l] A[l−1] + b[l])."""
    A = np.asarray(X, dtype=np.float64).T
    for (W, b), name in zip(params, activations):
        A = _activation(name, W @ A + b[:, None])
    return A.T


def _loss(name, Yhat, Y):
    """The outline's losses (1.3) as means over the m samples; Y is (m, k)."""
    m = len(Y)
    if name == "mse":
        return np.sum((Y - Yhat) ** 2) / (2 * m)
    if name == "cross_entropy":
        return -np.sum(Y * np.log(Yhat)) / m
    if name == "binary_cross_entropy":
        return -np.sum(Y * np.log(Yhat) + (1 - Y) * np.log(1 - Yhat)) / m
    raise AssertionError(f"reference has no loss {name!r}")


def _params(net):
    """Float64 copies of every (W, b) and the activation names, read off a Network."""
    params = [(layer.W.astype(np.float64), layer.b.astype(np.float64)) for layer in net.layers]
    return params, [layer.activation.name for layer in net.layers]


def _one_hot(labels, k):
    Y = np.zeros((len(labels), k))
    for i, c in enumerate(labels):
        Y[i, int(c)] = 1.0
    return Y


@pytest.fixture(scope="session")
def ref():
    """Reference formulas: ref.forward(params, activations, X), ref.loss(name, Yhat, Y),
    ref.activation(name, Z_columns), ref.params(net), ref.one_hot(labels, k)."""
    return types.SimpleNamespace(forward=_forward, loss=_loss, activation=_activation,
                                 params=_params, one_hot=_one_hot)


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)
