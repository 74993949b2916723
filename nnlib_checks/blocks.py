"""Ready-made building blocks for exercise 06 (iteration), in plain NumPy.

They are the answers to exercises 01–05 in their simplest form, so that exercise 06 can be
about the loop alone. Exercise 07 (the capstone) asks for your own versions instead.

    params = init_params([2, 8, 3], seed=0)           # [(W1, b1), (W2, b2)], He
    Yhat, caches = forward(X, params)                 # ReLU hidden layers, softmax output
    loss = cross_entropy(Yhat, Y)                     # −1/m Σᵢ Σₖ yₖ log ŷₖ
    grads = backward(Yhat, Y, params, caches)         # [(dW1, db1), (dW2, db2)]
    params = sgd_update(params, grads, lr=0.5)        # new params; the old ones are untouched
"""

import numpy as np


def init_params(sizes, seed=0):
    """He initialization: W[l] ~ N(0, 2/n_{l−1}) of shape (n_l, n_{l−1}), b[l] = 0."""
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_in), np.zeros(n_out))
            for n_in, n_out in zip(sizes, sizes[1:])]


def forward(X, params):
    """(Ŷ, caches): Z[l] = A[l−1] W[l]ᵀ + b[l]; ReLU in hidden layers, softmax at the output;
    caches[l − 1] = (A[l − 1], Z[l])."""
    A, caches = X, []
    for l, (W, b) in enumerate(params, start=1):
        Z = A @ W.T + b
        caches.append((A, Z))
        if l < len(params):
            A = np.maximum(Z, 0)
        else:
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            A = E / E.sum(axis=1, keepdims=True)
    return A, caches


def cross_entropy(Yhat, Y):
    """Mean cross-entropy over the m samples, for one-hot Y."""
    return float(-np.sum(Y * np.log(np.clip(Yhat, 1e-12, 1))) / len(Y))


def backward(Yhat, Y, params, caches):
    """[(dW, db)] for every layer: δ[L] = Ŷ − Y, dW = 1/m δᵀ A_prev, db = 1/m Σᵢ δ⁽ⁱ⁾,
    δ[l−1] = (δ[l] W[l]) ⊙ ReLU′(Z[l−1])."""
    m = len(Y)
    delta, grads = Yhat - Y, []
    for l in range(len(params) - 1, -1, -1):
        A_prev, _ = caches[l]
        grads.insert(0, (delta.T @ A_prev / m, delta.sum(axis=0) / m))
        if l > 0:
            delta = (delta @ params[l][0]) * (caches[l - 1][1] > 0)
    return grads


def sgd_update(params, grads, lr):
    """New params: θ ← θ − α ∂L/∂θ for every W[l], b[l]."""
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
