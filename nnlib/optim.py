"""Parameter updates (outline 1.5). Each optimizer's ``step(net)`` moves every W[l], b[l] of the
network, in place, using the gradients dW[l], db[l] left there by ``net.backward``."""

import numpy as np

from . import _checks


class SGD:
    """Gradient descent: θ ← θ − α ∂L/∂θ for θ = W[l], b[l]; α = ``lr``, the learning rate."""

    def __init__(self, lr=0.1):
        self.lr = _checks.positive_float(lr, "lr")

    def step(self, net):
        _ready(net)
        for layer in net.layers:
            layer.W -= self.lr * layer.dW
            layer.b -= self.lr * layer.db


class Momentum:
    """Gradient descent with momentum: v ← β v + ∂L/∂θ, θ ← θ − α v.

    v is a running sum of past gradients that decays by β each step, so steps along a
    consistent direction grow (up to 1/(1 − β) times) while zig-zags cancel out.
    """

    def __init__(self, lr=0.1, beta=0.9):
        self.lr = _checks.positive_float(lr, "lr")
        self.beta = _checks.fraction(beta, "beta")
        self.v = {}

    def step(self, net):
        _ready(net)
        for layer in net.layers:
            for p in ("W", "b"):
                key = (id(layer), p)
                grad = getattr(layer, "d" + p)
                v = self.v[key] = self.beta * self.v.get(key, 0) + grad
                getattr(layer, p)[...] -= self.lr * v


class Adam:
    """Adam: momentum on the gradient (m) and on its square (v), with bias correction.

        m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
        θ ← θ − α m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
    Dividing by √v̂ gives every parameter its own step size of about α.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _checks.positive_float(lr, "lr")
        self.beta1 = _checks.fraction(beta1, "beta1")
        self.beta2 = _checks.fraction(beta2, "beta2")
        self.eps = _checks.positive_float(eps, "eps")
        self.t, self.m, self.v = 0, {}, {}

    def step(self, net):
        _ready(net)
        self.t += 1
        c1, c2 = 1 - self.beta1**self.t, 1 - self.beta2**self.t
        for layer in net.layers:
            for p in ("W", "b"):
                key, g = (id(layer), p), getattr(layer, "d" + p)
                m = self.m[key] = self.beta1 * self.m.get(key, 0) + (1 - self.beta1) * g
                v = self.v[key] = self.beta2 * self.v.get(key, 0) + (1 - self.beta2) * g * g
                getattr(layer, p)[...] -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def _ready(net):
    if net.layers[0].dW is None:
        raise RuntimeError("step() needs gradients: call net.backward(Y) after net.forward(X)")
