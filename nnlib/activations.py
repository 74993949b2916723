"""Activation functions σ and how a gradient flows back through them.

Each activation is applied row by row to Z of shape (n, units) and gives A of the same shape.
``backward(dA, Z, A)`` turns ∂L/∂A into δ = ∂L/∂Z. For the element-wise ones that is the
outline's δ = ∂L/∂A ⊙ σ′(Z); softmax is not element-wise (its Jacobian is full), so it gets a
Jacobian-vector product instead.
"""

import numpy as np


def identity(Z):
    """σ(z) = z."""
    return Z


def identity_prime(Z):
    """σ′(z) = 1."""
    return np.ones_like(Z)


def relu(Z):
    """σ(z) = max(0, z)."""
    return np.maximum(Z, 0)


def relu_prime(Z):
    """σ′(z) = 1 if z > 0 else 0 (we take 0 at the kink)."""
    return (Z > 0).astype(Z.dtype)


def sigmoid(Z):
    """σ(z) = 1 / (1 + e^(−z)), computed so that e^x never overflows.

    For z ≥ 0 it uses 1/(1 + e^(−z)); for z < 0 the equal form e^z/(1 + e^z). Both only ever
    exponentiate −|z| ≤ 0, and both keep full relative precision far into the tails.
    """
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1, E) / (1 + E)


def sigmoid_prime(Z):
    """σ′(z) = σ(z)(1 − σ(z))."""
    S = sigmoid(Z)
    return S * (1 - S)


def tanh(Z):
    """σ(z) = tanh(z)."""
    return np.tanh(Z)


def tanh_prime(Z):
    """σ′(z) = 1 − tanh²(z)."""
    return 1 - np.tanh(Z) ** 2


def softmax(Z):
    """ŷ_k = e^(z_k) / Σ_j e^(z_j), per row of Z (n, k).

    Subtracting each row's max first changes nothing mathematically (it cancels) but keeps
    e^z ≤ 1, so logits of 1e4 do not overflow. Every entry lies in [0, 1]; rows sum to 1.
    """
    # NumPy reduces short rows (k classes) slowly; the transposed copy E (k, n) has one column
    # per sample, and its max and sum down the columns run over whole rows at once.
    E = Z.T.copy()
    with np.errstate(over="ignore"):  # logits > 1.8e308 apart: z − max = −inf, e^(−inf) = 0
        E -= E.max(axis=0)
    np.exp(E, out=E)
    E /= E.sum(axis=0)
    return E.T.copy()  # (n, k), rows contiguous again


def softmax_backward(dA, A):
    """δ = J_softmax(z)ᵀ ∂L/∂A per row, without building the (k, k) Jacobian.

    J = diag(a) − a aᵀ, so J dA = a ⊙ (dA − (a · dA)).
    """
    return A * (dA - np.sum(dA * A, axis=1, keepdims=True))


class Activation:
    """An element-wise σ by name: ``forward(Z) → A`` and ``backward(dA, Z, A) → δ = dA ⊙ σ′(Z)``.

    ``f`` is σ and ``f_prime`` is σ′, both applied to Z (n, units).
    """

    def __init__(self, name, f, f_prime):
        self.name, self.f, self.f_prime = name, f, f_prime

    def forward(self, Z):
        return self.f(Z)

    def backward(self, dA, Z, A):
        return dA * self.f_prime(Z)

    def __repr__(self):
        return self.name


class ReLU(Activation):
    """σ′ is the 0/1 mask [Z > 0]: multiplying by the boolean mask gives the same δ without
    building a float σ′ array."""

    def __init__(self):
        super().__init__("relu", relu, relu_prime)

    def backward(self, dA, Z, A):
        return dA * (Z > 0)


class Softmax(Activation):
    """Softmax is not element-wise: its backward is a Jacobian-vector product, not dA ⊙ σ′."""

    def __init__(self):
        super().__init__("softmax", softmax, None)

    def backward(self, dA, Z, A):
        return softmax_backward(dA, A)


ACTIVATIONS = {
    "relu": ReLU(),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "softmax": Softmax(),
    "identity": Activation("identity", identity, identity_prime),
}
