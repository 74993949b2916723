"""nnlib — a small NumPy library that shows how a neural network learns by gradient descent.

The learning loop, and where each step lives:
    1.1 initialize   Network(layers, seed=...)            network.py, layers.py
    1.2 forward      net.forward(X)                       layers.py, activations.py
    1.3 loss         net.loss(Yhat, Y)                    losses.py
    1.4 backward     net.backward(Y)                      layers.py, network.py
    1.5 update       SGD(lr).step(net)                    optim.py
    1.6 iterate      fit(net, X, Y, ...)                  train.py
    check            gradient_check(net, X, Y)            gradcheck.py

Conventions, kept in every formula, function and test:
  * Samples are rows: X has shape (n, d); a layer's W has shape (n_out, n_in), b shape (n_out,).
    The outline's column form Z = W A + b is computed as Z = A Wᵀ + b (the same numbers,
    transposed).
  * Losses are means over the m samples of a batch. δ = ∂ℓ/∂Z is per sample and carries no 1/m;
    the 1/m appears once, in dW = 1/m δᵀ A_prev and db = 1/m Σᵢ δ⁽ⁱ⁾.
"""

from . import datasets
from .gradcheck import GradientCheck, gradient_check
from .layers import Dense
from .network import Network
from .optim import SGD, Adam, Momentum
from .train import DivergenceWarning, History, fit

__version__ = "0.1.0"
__all__ = [
    "Adam", "Dense", "DivergenceWarning", "GradientCheck", "History", "Momentum", "Network",
    "SGD", "datasets", "fit", "gradient_check",
]
