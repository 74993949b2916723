"""A fully connected layer: Z = A_prev Wᵀ + b, A = σ(Z) — and the way back."""

import numpy as np

from . import validate
from .activations import ACTIVATIONS

INITS = ("he", "xavier", "normal", "zeros")


class Dense:
    """One layer l with ``n_in`` = n_{l−1} inputs and ``n_out`` = n_l units.

    Parameters (what training updates, outline 1.1):
        W  (n_out, n_in)   row j holds unit j's weights — the outline's W[l], as in PyTorch
        b  (n_out,)        one bias per unit
    The outline writes one sample as a column: z = W a + b. We store samples as rows, so for a
    batch A_prev of shape (n, n_in) the same computation reads Z = A_prev Wᵀ + b — the transpose
    of the outline's W A, row for column.

    Caches after ``forward``: ``A_prev`` (n, n_in), ``Z`` and ``A`` (n, n_out).
    After ``backward``: ``delta`` = ∂L/∂Z per sample (n, n_out), ``dW`` and ``db`` (same shapes as
    W and b).

    ``init``: "he" (default after relu), "xavier" (default otherwise), "normal" with std
    ``scale``, or "zeros". The weights are drawn by the Network, from its seed.
    """

    def __init__(self, n_in, n_out, activation="relu", init=None, scale=0.01):
        self.n_in = validate.positive_int(n_in, "n_in")
        self.n_out = validate.positive_int(n_out, "n_out")
        self.activation = ACTIVATIONS[validate.choice(activation, "activation", ACTIVATIONS)]
        default = "he" if activation == "relu" else "xavier"
        self.init = validate.choice(default if init is None else init, "init", INITS)
        self.scale = validate.positive_float(scale, "scale")
        self.W = np.zeros((self.n_out, self.n_in))
        self.b = np.zeros(self.n_out)
        self.A_prev = self.Z = self.A = self.delta = self.dW = self.db = None

    def initialize(self, rng, dtype=np.float64):
        """Draw W ~ N(0, s²) with s² = 2/n_in (He), 2/(n_in + n_out) (Xavier) or ``scale``²;
        b = 0. He keeps the variance of relu activations about equal from layer to layer, and
        Xavier does the same for tanh, which is centred on 0 (not for sigmoid: its mean is ½)."""
        std = {
            "he": np.sqrt(2 / self.n_in),
            "xavier": np.sqrt(2 / (self.n_in + self.n_out)),
            "normal": self.scale,
            "zeros": 0.0,
        }[self.init]
        self.W = (std * rng.standard_normal((self.n_out, self.n_in))).astype(dtype)
        self.b = np.zeros(self.n_out, dtype=dtype)

    def forward(self, A_prev):
        """(n, n_in) → (n, n_out): Z = A_prev Wᵀ + b, A = σ(Z). Caches A_prev, Z, A."""
        self.A_prev = A_prev
        self.Z = A_prev @ self.W.T
        self.Z += self.b  # in place: no second (n, n_out) array
        self.A = self.activation.forward(self.Z)
        return self.A

    def backward(self, dA, need_dA_prev=True):
        """From dA = ∂ℓ/∂A (n, n_out, per sample): δ = dA ⊙ σ′(Z), then ``backward_delta``."""
        return self.backward_delta(self.activation.backward(dA, self.Z, self.A), need_dA_prev)

    def backward_delta(self, delta, need_dA_prev=True):
        """Given δ (n, n_out), set the parameter gradients and return ∂ℓ/∂A_prev (n, n_in).

            dW = 1/m δᵀ A_prev   (n_out, n_in)   — the outline's 1/m δ (a[l−1])ᵀ, over the batch
            db = 1/m Σᵢ δ⁽ⁱ⁾      (n_out,)
            dA_prev = δ W         (n, n_in)       — the outline's Wᵀ δ, row for column
        The first layer skips dA_prev (nobody needs ∂L/∂X), saving a third of its work.
        """
        self.delta = delta
        delta_m = delta / len(delta)  # the 1/m applied to δ (n, n_out): fewer numbers than dW
        self.dW = delta_m.T @ self.A_prev
        self.db = delta_m.sum(axis=0)
        return delta @ self.W if need_dA_prev else None

    def __repr__(self):
        return f"Dense({self.n_in} → {self.n_out}, {self.activation})"
