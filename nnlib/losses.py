"""Loss functions L(Ŷ, Y) over a batch of m samples (outline 1.3).

Ŷ and Y both have shape (m, k); Y is one-hot for classification. Every loss is a *mean over
samples*, and the 1/m lives in the loss only: ``grad`` returns the per-sample ∂ℓ/∂ŷ with no 1/m,
so δ carries no 1/m either and the 1/m appears exactly once, in ∂L/∂W and ∂L/∂b (outline 1.4).

A loss also carries its own rules about the data: how labels become targets (``targets``), how
outputs become classes (``classes``), and the loss of a guess that ignores the input (``chance``).
"""

import numpy as np

from . import validate
from .datasets import one_hot


def _log(P):
    """log p with p clipped at the smallest *normal* float (np.finfo.tiny), not at 0: log 0
    would be −inf, and the clip keeps −log p finite (≈ 708 in float64, ≈ 87 in float32)."""
    L = np.maximum(P, np.finfo(P.dtype).tiny)
    return np.log(L, out=L)


# The double sums Σᵢ Σₖ below are dot products of the two (m, k) arrays read as long vectors
# (np.vdot): the same number as np.sum(A * B), without the (m, k) product in between.

def mse(Yhat, Y):
    """L = 1/(2m) Σᵢ ‖y⁽ⁱ⁾ − ŷ⁽ⁱ⁾‖². The 2 cancels the 2 of the square's derivative."""
    D = Y - Yhat
    return float(np.vdot(D, D) / (2 * len(Y)))


def mse_grad(Yhat, Y):
    """Per-sample ∂ℓ/∂ŷ = ŷ − y, shape (m, k)."""
    return Yhat - Y


def cross_entropy(Yhat, Y):
    """L = −1/m Σᵢ Σₖ y⁽ⁱ⁾ₖ log ŷ⁽ⁱ⁾ₖ — summed over classes as well as samples."""
    return float(-np.vdot(Y, _log(Yhat)) / len(Y))


def cross_entropy_grad(Yhat, Y):
    """Per-sample ∂ℓ/∂ŷ = −y / ŷ (only used when softmax is not the output)."""
    return -Y / np.maximum(Yhat, np.finfo(Yhat.dtype).tiny)


def binary_cross_entropy(Yhat, Y):
    """L = −1/m Σᵢ Σₖ [y log ŷ + (1 − y) log(1 − ŷ)], one independent yes/no per output unit."""
    return float(-(np.vdot(Y, _log(Yhat)) + np.vdot(1 - Y, _log(1 - Yhat))) / len(Y))


def binary_cross_entropy_grad(Yhat, Y):
    """Per-sample ∂ℓ/∂ŷ = (ŷ − y) / (ŷ (1 − ŷ))."""
    return (Yhat - Y) / np.maximum(Yhat * (1 - Yhat), np.finfo(Yhat.dtype).tiny)


class Loss:
    """A regression loss: ``value(Ŷ, Y)``, ``grad(Ŷ, Y)``, and its rules about the data.

    ``fused`` names the output activation for which δ[L] simplifies to ŷ − y (outline 1.7), or
    is None. Targets are real numbers; there are no classes.
    """

    classification = False
    targets_are = "targets"

    def __init__(self, name, value, grad, fused=None):
        self.name, self.value, self.grad, self.fused = name, value, grad, fused

    def targets(self, Y, n, k, dtype, name="Y"):
        """Y as the (n, k) array that Ŷ is compared with; (n,) is accepted when k = 1."""
        if not (isinstance(Y, np.ndarray) and Y.dtype.kind in "iuf"):
            Y = validate.numeric_array(Y, name, np.float64)
        if Y.ndim == 1 and k == 1:
            Y = Y.reshape(-1, 1)
        if Y.ndim != 2 or Y.shape[1] != k:
            raise ValueError(f"{name} must be {self.targets_are} of shape ({n}, {k}) to match "
                             f"the {k} output units{self._label_hint()}; got shape {Y.shape}")
        if len(Y) != n:
            raise ValueError(f"X has {n} samples but {name} has {len(Y)}; they must match "
                             f"row by row")
        Y = Y.astype(dtype, copy=False)
        self._check_values(Y, name)
        return Y

    def _label_hint(self):
        return ""

    def _check_values(self, Y, name):
        if not np.isfinite(Y).all():
            validate.numeric_array(Y, name, Y.dtype)  # raises, naming the first bad entry

    def chance(self, Y):
        """The loss of always predicting the mean of Y: Σₖ var(yₖ) / 2."""
        return float(Y.var(axis=0).sum() / 2)

    def __repr__(self):
        return self.name


class ClassificationLoss(Loss):
    """A loss whose targets lie in [0, 1] and whose outputs name classes.

    ``classes``: the class of each row — its largest entry, or "yes" (ŷ ≥ ½) for a single
    sigmoid unit. The same rule turns one-hot targets back into labels.
    """

    classification = True

    def classes(self, Yhat):
        return Yhat[:, 0] >= 0.5 if Yhat.shape[1] == 1 else Yhat.argmax(axis=1)

    def _check_values(self, Y, name):
        low, high = Y.min(), Y.max()
        if not (np.isfinite(low) and np.isfinite(high)):
            validate.numeric_array(Y, name, Y.dtype)
        if low < 0 or high > 1:
            raise ValueError(f"{name} for {self.name} must lie in [0, 1]; got values in "
                             f"[{low:g}, {high:g}]")



class BinaryCrossEntropy(ClassificationLoss):
    """Binary cross-entropy with sigmoid outputs: one independent yes/no per unit."""

    def __init__(self):
        super().__init__("binary_cross_entropy", binary_cross_entropy,
                         binary_cross_entropy_grad, fused="sigmoid")

    def chance(self, Y):
        """Guessing ½ for every unit costs log 2 per unit: k log 2."""
        return float(Y.shape[1] * np.log(2))


class CrossEntropy(ClassificationLoss):
    """Cross-entropy with a softmax output: targets are one-hot rows, or integer labels (n,)
    that become one-hot."""

    targets_are = "one-hot labels"

    def __init__(self):
        super().__init__("cross_entropy", cross_entropy, cross_entropy_grad, fused="softmax")

    def _label_hint(self):
        return " or integer labels of shape (n,)"

    def chance(self, Y):
        """Guessing 1/k for every class costs log k."""
        return float(np.log(Y.shape[1]))

    def targets(self, Y, n, k, dtype, name="Y"):
        if not (isinstance(Y, np.ndarray) and Y.dtype.kind in "iu"):
            Y = validate.numeric_array(Y, name, np.float64)
        if Y.ndim != 1:
            return super().targets(Y, n, k, dtype, name)
        if Y.dtype.kind == "f":
            whole = Y == np.round(Y)
            if not whole.all():
                validate.fail(name, f"integer class labels 0..{k - 1}", f"{Y[~whole][0]:g}")
        if len(Y) != n:
            raise ValueError(f"X has {n} samples but {name} has {len(Y)}; they must match "
                             f"row by row")
        try:
            return one_hot(Y.astype(np.intp, copy=False), k, dtype=dtype)
        except ValueError:
            bad = Y.min() if Y.min() < 0 else Y.max()
            raise ValueError(f"{name} holds label {int(bad)}, but the output layer has {k} "
                             f"classes: labels must be 0..{k - 1}") from None


LOSSES = {
    "mse": Loss("mse", mse, mse_grad),
    "cross_entropy": CrossEntropy(),
    "binary_cross_entropy": BinaryCrossEntropy(),
}
