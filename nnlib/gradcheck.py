"""Checking backpropagation against the definition of a derivative (central differences)."""

import numpy as np

from .layers import Dense
from .network import Network


class GradientCheck(float):
    """The worst relative error (a float you can compare), plus a readable per-parameter report.

    ``errors``: {"W[1]": relative error of that whole array, ...}
    ``backprop``, ``numeric``: {"W[1]": gradient array, ...} from both methods, for heatmaps.
    Relative error of an array: ‖g_backprop − g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖).
    """

    def __new__(cls, errors, backprop, numeric, kinks=0):
        self = super().__new__(cls, max(errors.values()))
        self.errors, self.backprop, self.numeric, self.kinks = errors, backprop, numeric, kinks
        return self

    def report(self):
        lines = [f"{'parameter':<10}{'shape':<12}{'relative error':>16}   verdict"]
        for name, err in self.errors.items():
            verdict = "ok" if err < 1e-7 else ("suspicious" if err < 1e-4 else "WRONG")
            shape = str(self.backprop[name].shape)
            lines.append(f"{name:<10}{shape:<12}{err:>16.2e}   {verdict}")
        lines.append(f"worst: {float(self):.2e}")
        if self.kinks:
            lines.append(f"note: {self.kinks} relu input(s) lie within ε of the kink at 0, where "
                         "the derivative is undefined; large errors there are expected")
        return "\n".join(lines)

    def __repr__(self):
        return self.report()

    __str__ = __repr__


def gradient_check(net, X, Y, eps=1e-5):
    """Compare ``net.backward`` with (L(θ + ε) − L(θ − ε)) / 2ε for every single parameter θ.

    Runs on a float64 copy of ``net`` (float32 is too coarse for finite differences), so ``net``
    itself is left untouched. Costs two forward passes per parameter: use a small X.
    ε = 1e-5 balances truncation error (∝ ε²) against rounding error (∝ 1/ε). A relu input
    within ε of its kink at 0 has no derivative there; the report counts such inputs.
    """
    copy = Network([Dense(lay.n_in, lay.n_out, lay.activation.name, lay.init, lay.scale)
                    for lay in net.layers], loss=net.loss_fn.name, dtype=np.float64)
    copy.set_parameters(net.copy_parameters())
    X = copy.inputs(X)
    Y = copy.targets(Y, len(X))
    copy.forward(X, check=False)
    copy.backward(Y, check=False)
    kinks = sum(int(np.sum(np.abs(lay.Z) < eps)) for lay in copy.layers
                if lay.activation.name == "relu")
    errors, backprop, numeric = {}, {}, {}
    for name, theta, grad in copy.parameters():
        approx = np.zeros_like(theta)
        for i in np.ndindex(theta.shape):
            saved = theta[i]
            theta[i] = saved + eps
            plus = copy.loss_fn.value(copy.forward(X, check=False), Y)
            theta[i] = saved - eps
            minus = copy.loss_fn.value(copy.forward(X, check=False), Y)
            theta[i] = saved
            approx[i] = (plus - minus) / (2 * eps)
        scale = np.linalg.norm(grad) + np.linalg.norm(approx)
        errors[name] = float(np.linalg.norm(grad - approx) / scale) if scale > 0 else 0.0
        backprop[name], numeric[name] = grad.copy(), approx
    return GradientCheck(errors, backprop, numeric, kinks)
