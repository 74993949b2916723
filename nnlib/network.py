"""A network: a chain of Dense layers, a loss, and the forward and backward passes over them."""

import json

import numpy as np

from . import validate
from .layers import Dense
from .losses import LOSSES

DTYPES = {"float64": np.float64, "float32": np.float32}


class Network:
    """Layers 1..L chained so that layer l's n_in equals layer l−1's n_out.

    ``Network(layers, loss, seed, dtype)`` checks the chain and initializes every W, b from
    ``np.random.default_rng(seed)`` (outline 1.1): the same seed gives the same weights.
    ``dtype`` (float64 or float32) is used end to end: parameters, activations and gradients.
    """

    def __init__(self, layers, loss="cross_entropy", seed=0, dtype=np.float64):
        if isinstance(layers, Dense):
            raise TypeError(f"layers must be a list of nnlib.Dense; got the single layer {layers}"
                            " (wrap it in a list: Network([Dense(...)]))")
        try:
            layers = list(layers)
        except TypeError:
            raise TypeError(f"layers must be a non-empty list of nnlib.Dense; "
                            f"got {layers!r}") from None
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            raise TypeError(f"layers must be a non-empty list of nnlib.Dense; got {layers!r}")
        for l, (prev, layer) in enumerate(zip(layers, layers[1:]), start=2):
            if layer.n_in != prev.n_out:
                raise ValueError(
                    f"layers do not chain: layer {l} ({layer}) expects {layer.n_in} inputs but "
                    f"layer {l - 1} ({prev}) gives {prev.n_out} outputs"
                )
        self.loss_fn = LOSSES[validate.choice(loss, "loss", LOSSES)]
        out = layers[-1].activation.name
        needs = self.loss_fn.fused
        if needs and out != needs:
            raise ValueError(
                f"loss {loss!r} needs a {needs!r} output layer; the last layer uses {out!r} "
                f"(use Dense(..., activation={needs!r}) last, or loss='mse')"
            )
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = repr(dtype)
        self.dtype = DTYPES[validate.choice(name, "dtype", DTYPES)]
        self.layers, self.seed = layers, seed
        # (name, layer, θ's attribute, ∂L/∂θ's) for every parameter: parameters()' order, named once
        self._slots = [(f"{p}[{l}]", layer, p, "d" + p) for l, layer in enumerate(layers, start=1)
                       for p in ("W", "b")]
        rng = np.random.default_rng(seed)
        for layer in layers:
            layer.initialize(rng, self.dtype)
        self.Yhat = None

    @property
    def sizes(self):
        """[n_0, n_1, ..., n_L]: the input width, then each layer's number of units."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    def parameters(self):
        """[(name, θ, ∂L/∂θ)] for θ = W[1], b[1], …, W[L], b[L] (gradients None before backward).

        The one walk over the parameters: optimizers, ``fit`` and ``gradient_check`` all use it.
        """
        return [(name, getattr(layer, p), getattr(layer, dp))
                for name, layer, p, dp in self._slots]

    def copy_parameters(self):
        """Copies of every W[l], b[l], in ``parameters()`` order (for ``set_parameters``)."""
        return [theta.copy() for _, theta, _ in self.parameters()]

    def set_parameters(self, values):
        """Write ``values`` (as from ``copy_parameters``) into W[l], b[l], in place."""
        for (_, theta, _), value in zip(self.parameters(), values):
            theta[...] = value

    # -- checking what comes in ------------------------------------------------------------------
    def inputs(self, X, name="X"):
        """X as an (n, n_0) array of this network's dtype, or a sentence saying what is wrong."""
        return validate.inputs(X, self.layers[0], self.dtype, name)

    def targets(self, Y, n, name="Y"):
        """Y as the (n, n_L) array the loss compares Ŷ with: the loss's own rule decides what is
        accepted (integer labels become one-hot for cross-entropy)."""
        return self.loss_fn.targets(Y, n, self.layers[-1].n_out, self.dtype, name)

    # -- forward, loss, backward ---------------------------------------------------------------
    def forward(self, X, check=True):
        """Ŷ (n, n_L) for X (n, n_0): A[0] = X, A[l] = σ(A[l−1] W[l]ᵀ + b[l]) for l = 1..L.

        ``check=False`` skips the input checks: for loops that checked their data once (``fit``).
        """
        A = self.inputs(X) if check else X
        for layer in self.layers:
            A = layer.forward(A)
        self.Yhat = A
        return A

    def loss(self, Yhat, Y):
        """The mean loss over the batch (a float); Y as integer labels (n,) or (n, k)."""
        k = self.layers[-1].n_out
        if not (isinstance(Yhat, np.ndarray) and Yhat.dtype == self.dtype) \
                or not np.isfinite(Yhat).all():
            Yhat = validate.numeric_array(Yhat, "Yhat", self.dtype)
        if Yhat.ndim != 2 or Yhat.shape[1] != k:
            validate.fail("Yhat", f"of shape (n, {k}) for {k} output units", f"shape {Yhat.shape}")
        return self.loss_fn.value(Yhat, self.targets(Y, len(Yhat)))

    def backward(self, Y, check=True):
        """Fill every layer's dW, db with the gradient of the mean loss of the last forward pass.

        δ[L] = ŷ − y for softmax + cross-entropy and sigmoid + binary cross-entropy (outline 1.7);
        otherwise δ[L] = ∂ℓ/∂ŷ ⊙ σ′(Z[L]) (a Jacobian-vector product for softmax).
        Then for l = L−1..1: δ[l] = (δ[l+1] W[l+1]) ⊙ σ′(Z[l]) — the outline's (W[l+1])ᵀ δ[l+1]
        with samples as rows. ``check=False`` takes Y as the (n, n_L) targets, unchecked.
        """
        if self.Yhat is None:
            raise RuntimeError("backward() needs a forward pass first: call net.forward(X)")
        Y = self.targets(Y, len(self.Yhat)) if check else Y
        out, deeper = self.layers[-1], len(self.layers) > 1
        if self.loss_fn.fused:
            dA = out.backward_delta(self.Yhat - Y, deeper)
        else:
            dA = out.backward(self.loss_fn.grad(self.Yhat, Y), deeper)
        for l in range(len(self.layers) - 2, -1, -1):
            dA = self.layers[l].backward(dA, need_dA_prev=l > 0)

    # -- using a trained network ---------------------------------------------------------------
    def predict(self, X):
        """Class labels (n,) for classification losses, else Ŷ (n, k)."""
        Yhat = self.forward(X)
        if not self.loss_fn.classification:
            return Yhat
        return self.loss_fn.classes(Yhat).astype(np.int64)

    def accuracy(self, X, y):
        """Fraction of samples whose predicted class equals y (labels (n,) or one-hot)."""
        if not self.loss_fn.classification:
            raise ValueError(f"accuracy needs a classification loss; this network uses "
                             f"{self.loss_fn.name!r}")
        pred = self.predict(X)
        truth = self.loss_fn.classes(self.targets(y, len(pred)))
        return float(np.mean(pred == truth))

    # -- files ---------------------------------------------------------------------------------
    def architecture(self):
        """Everything needed to rebuild this network, as plain data."""
        return {"loss": self.loss_fn.name, "seed": self.seed, "dtype": np.dtype(self.dtype).name,
                "layers": [{"n_in": lay.n_in, "n_out": lay.n_out, "init": lay.init,
                            "activation": lay.activation.name, "scale": lay.scale}
                           for lay in self.layers]}

    def save(self, path):
        """Write parameters and architecture to one .npz file (no pickle)."""
        arrays = {name: param for name, param, _ in self.parameters()}
        with open(path, "wb") as f:  # np.savez(path) would append ".npz" to a path without it
            np.savez(f, architecture=np.array(json.dumps(self.architecture())), **arrays)

    @classmethod
    def load(cls, path):
        """Rebuild a network saved with ``save``; its predictions are bit for bit the same."""
        try:
            with np.load(path, allow_pickle=False) as data:
                spec = json.loads(str(data["architecture"]))
                params = {key: data[key] for key in data.files if key != "architecture"}
            layers = [Dense(**lay) for lay in spec["layers"]]
            net = cls(layers, loss=spec["loss"], seed=spec["seed"], dtype=spec["dtype"])
        except FileNotFoundError:
            raise FileNotFoundError(f"no model file at {str(path)!r}") from None
        except Exception as err:
            raise OSError(f"{str(path)!r} is not a model file saved by nnlib "
                          f"(Network.save): {err}") from err
        for name, param, _ in net.parameters():
            if name not in params or params[name].shape != param.shape:
                raise OSError(f"{str(path)!r} is corrupt: parameter {name} is missing or has "
                              f"the wrong shape")
            param[...] = params[name]
        return net

    def __repr__(self):
        lines = [f"Network(loss={self.loss_fn.name!r}, dtype={np.dtype(self.dtype).name})"]
        for l, layer in enumerate(self.layers, start=1):
            lines.append(f"  layer {l}: {layer}   W{layer.W.shape} b{layer.b.shape}")
        total = sum(p.size for _, p, _ in self.parameters())
        return "\n".join(lines + [f"  {total} parameters"])
