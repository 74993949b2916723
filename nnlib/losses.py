"""Loss functions L(Ŷ, Y) over a batch of m samples (outline 1.3).

Ŷ and Y both have shape (m, k); Y is one-hot for classification. Every loss is a *mean over
samples*, and the 1/m lives in the loss only: ``grad`` returns the per-sample ∂ℓ/∂ŷ with no 1/m,
so δ carries no 1/m either and the 1/m appears exactly once, in ∂L/∂W and ∂L/∂b (outline 1.4).
"""

import numpy as np


def _log(P):
    """log p with p clipped at the smallest positive float: log 0 would be −inf."""
    return np.log(np.maximum(P, np.finfo(P.dtype).tiny))


def mse(Yhat, Y):
    """L = 1/(2m) Σᵢ ‖y⁽ⁱ⁾ − ŷ⁽ⁱ⁾‖². The 2 cancels the 2 of the square's derivative."""
    return float(np.sum((Y - Yhat) ** 2) / (2 * len(Y)))


def mse_grad(Yhat, Y):
    """Per-sample ∂ℓ/∂ŷ = ŷ − y, shape (m, k)."""
    return Yhat - Y


def cross_entropy(Yhat, Y):
    """L = −1/m Σᵢ Σₖ y⁽ⁱ⁾ₖ log ŷ⁽ⁱ⁾ₖ — summed over classes as well as samples."""
    return float(-np.sum(Y * _log(Yhat)) / len(Y))


def cross_entropy_grad(Yhat, Y):
    """Per-sample ∂ℓ/∂ŷ = −y / ŷ (only used when softmax is not the output)."""
    return -Y / np.maximum(Yhat, np.finfo(Yhat.dtype).tiny)


def binary_cross_entropy(Yhat, Y):
    """L = −1/m Σᵢ Σₖ [y log ŷ + (1 − y) log(1 − ŷ)], one independent yes/no per output unit."""
    return float(-np.sum(Y * _log(Yhat) + (1 - Y) * _log(1 - Yhat)) / len(Y))


def binary_cross_entropy_grad(Yhat, Y):
    """Per-sample ∂ℓ/∂ŷ = (ŷ − y) / (ŷ (1 − ŷ))."""
    return (Yhat - Y) / np.maximum(Yhat * (1 - Yhat), np.finfo(Yhat.dtype).tiny)


class Loss:
    """A loss by name: ``value(Ŷ, Y)``, ``grad(Ŷ, Y)`` and the output activation it pairs with.

    ``fused`` names the output activation for which δ[L] simplifies to ŷ − y (outline 1.7):
    softmax with cross-entropy, sigmoid with binary cross-entropy.
    """

    def __init__(self, name, value, grad, fused, classification):
        self.name, self.value, self.grad = name, value, grad
        self.fused, self.classification = fused, classification

    def __repr__(self):
        return self.name


LOSSES = {
    "mse": Loss("mse", mse, mse_grad, fused=None, classification=False),
    "cross_entropy": Loss(
        "cross_entropy", cross_entropy, cross_entropy_grad, fused="softmax", classification=True
    ),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_grad,
        fused="sigmoid", classification=True,
    ),
}
