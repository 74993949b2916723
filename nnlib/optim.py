"""Parameter updates (outline 1.5). Each optimizer's ``step(net)`` moves every θ = W[l], b[l] of
the network, in place, using the gradient ∂L/∂θ = dW[l], db[l] left there by ``net.backward``.
Per-parameter state (momentum's v, Adam's m and v) is kept by parameter name, "W[1]" and so on:
use one optimizer per network."""

import numpy as np

from . import validate


def _gradients(net):
    """[(name, θ, ∂L/∂θ)] from ``net.parameters()``, once backward has filled the gradients."""
    params = net.parameters()
    if params[0][2] is None:
        raise RuntimeError("step() needs gradients: call net.backward(Y) after net.forward(X)")
    return params


class SGD:
    """Gradient descent: θ ← θ − α ∂L/∂θ for θ = W[l], b[l]; α = ``lr``, the learning rate."""

    def __init__(self, lr=0.1):
        self.lr = validate.positive_float(lr, "lr")

    def step(self, net):
        for _, theta, grad in _gradients(net):
            theta -= self.lr * grad


class Momentum:
    """Gradient descent with momentum: v ← β v + ∂L/∂θ, θ ← θ − α v.

    v is a running sum of past gradients that decays by β each step, so steps along a
    consistent direction grow (up to 1/(1 − β) times) while zig-zags cancel out.
    """

    def __init__(self, lr=0.1, beta=0.9):
        self.lr = validate.positive_float(lr, "lr")
        self.beta = validate.fraction(beta, "beta")
        self.v = {}

    def step(self, net):
        for name, theta, grad in _gradients(net):
            v = self.v[name] = self.beta * self.v.get(name, 0) + grad
            theta -= self.lr * v


class Adam:
    """Adam: momentum on the gradient (m) and on its square (v), with bias correction.

        m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
        θ ← θ − α m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
    Dividing by √v̂ gives every parameter its own step size of about α.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = validate.positive_float(lr, "lr")
        self.beta1 = validate.fraction(beta1, "beta1")
        self.beta2 = validate.fraction(beta2, "beta2")
        self.eps = validate.positive_float(eps, "eps")
        self.t, self.m, self.v = 0, {}, {}

    def step(self, net):
        params = _gradients(net)
        self.t += 1
        c1, c2 = 1 - self.beta1**self.t, 1 - self.beta2**self.t
        for name, theta, g in params:
            m = self.m[name] = self.beta1 * self.m.get(name, 0) + (1 - self.beta1) * g
            v = self.v[name] = self.beta2 * self.v.get(name, 0) + (1 - self.beta2) * g * g
            theta -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)
