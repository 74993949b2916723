"""Your-turn tasks of notebook 02 — forward propagation (outline 1.2, 2.1–2.5).

Samples are rows: X and A_prev are (m, n_in), W is (n_out, n_in), Z = A_prev Wᵀ + b and
A = σ(Z) are (m, n_out).
"""

import numpy as np

from nnlib import Dense

from ..engine import Case, Check
from ..mistakes import Solution
from . import read_tasks

# the neuron of the notebook's section 1
X_NEURON, W_NEURON, B_NEURON = np.array([2.0, -1.0, 0.5]), np.array([0.4, 0.3, -0.6]), 0.1


def _layer(W, b, activation):
    """nnlib's Dense layer holding W (n_out, n_in) and b (n_out,)."""
    layer = Dense(W.shape[1], W.shape[0], activation)
    layer.W, layer.b = W, b
    return layer


def _neuron_z():
    return float(_layer(W_NEURON[None, :], np.array([B_NEURON]), "identity")
                 .forward(X_NEURON[None, :])[0, 0])


def _z_shape(m, d, n_out):
    return _layer(np.zeros((n_out, d)), np.zeros(n_out), "identity").forward(np.zeros((m, d))).shape


# -- dense_relu: one layer as a line of NumPy --------------------------------------------------
def _dense_relu_reference(A_prev, W, b):
    return _layer(W, b, "relu").forward(A_prev)


def dense_relu_solution(A_prev, W, b):
    return np.maximum(A_prev @ W.T + b, 0)


DENSE = Solution(dense_relu_solution, "dense_relu")
DENSE_MISTAKES = DENSE.catalogue("""
no_transpose
    W is (n_out, n_in), one row per unit, so A_prev @ W does not line up (or, when n_in = n_out,
    mixes the wrong numbers): Z = A_prev @ W.T + b.
    - A_prev @ W.T
    + A_prev @ W

column_form
    W @ A_prev.T is the outline's column form: it gives Zᵀ, one column per sample. Samples are
    rows here, so the same numbers read Z = A_prev @ W.T + b, of shape (m, n_out).
    - A_prev @ W.T + b
    + W @ A_prev.T + b[:, None]

no_bias
    you left out the bias: Z = A_prev Wᵀ + b, then A = relu(Z).
    - A_prev @ W.T + b
    + A_prev @ W.T

bias_after_relu
    the bias goes inside the activation: A = relu(A_prev Wᵀ + b), not relu(A_prev Wᵀ) + b.
    - np.maximum(A_prev @ W.T + b, 0)
    + np.maximum(A_prev @ W.T, 0) + b

no_relu
    that is Z, the weighted input; the layer's output is A = relu(Z) = np.maximum(Z, 0).
    - np.maximum(A_prev @ W.T + b, 0)
    + A_prev @ W.T + b

relu_np_max
    np.max(Z, 0) is the largest entry of each column of Z; ReLU is the element-wise
    np.maximum(Z, 0).
    - np.maximum(
    + np.max(
""")


def _dense_relu_cases(strict):
    rng = np.random.default_rng(20)
    cases = []
    for m, n_in, n_out in [(8, 4, 3), (5, 3, 5), (6, 4, 4)]:
        A_prev, W, b = rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(
            size=n_out)
        label = f"A_prev ({m}, {n_in}), W ({n_out}, {n_in}), b ({n_out},)"
        cases.append(Case((A_prev, W, b), label))
    return cases


dense_relu = Check(
    name="dense_relu", reference=_dense_relu_reference, cases=_dense_relu_cases,
    mistakes=DENSE_MISTAKES, solution=dense_relu_solution, args=("A_prev", "W", "b"),
    result="A", allow=("nnlib.activations",),
    hint="Z = A_prev Wᵀ + b (one row per sample), then A = relu(Z) entry by entry.",
)

TASKS = read_tasks("""
neuron_z (value)
    title: the weighted input z of one neuron
    expected: neuron_z
    rtol: 1e-2
    hint: z = w₁x₁ + w₂x₂ + w₃x₃ + b: three products, their sum, then the bias once.
    wrong 0.2: that is w · x without the bias: z = w · x + b.
    wrong activation: that is the activation a = σ(z); z is the weighted input before σ.
    wrong products: that is the three products w_j x_j, each plus b; z is one number: their
        sum, plus b once.
    wrong 0.5: you added b to each of the three products: b is added once, after the sum.

z_shape (value)
    title: the shape of Z = X Wᵀ + b for X (5, 3) and W (4, 3)
    expected: z_shape
    hint: Z has one row per sample (a row of X) and one column per unit (a row of W).
    wrong (4, 5): that is the outline's column form W Xᵀ, one column per sample; with samples
        as rows Z is (n, n_1).
    wrong (5, 3): that is X's shape: Z has one column per unit, not per feature.
    wrong (4, 3): that is W's shape: the parameters do not depend on the batch, Z does.
    wrong (3, 4): that is Wᵀ's shape: (5, 3) @ (3, 4) keeps the 5 rows of X.

dense_relu (function)
    title: one ReLU layer as a line of NumPy
    check: dense_relu

identity_prediction (prediction)
    title: what two identity layers can compute
    choice a: more than one linear layer: 16 hidden units bend the boundary
    choice b: exactly what one linear layer X W_oneᵀ + b_one computes
    choice c: less than one linear layer: the hidden layer loses information
    answer: b
    why: Without σ, (X W₁ᵀ + b₁) W₂ᵀ + b₂ = X (W₂ W₁)ᵀ + (W₂ b₁ + b₂): one linear map, whose
        class boundaries are straight lines, however many layers you stack.
    wrong a: Bending needs a nonlinearity; a product of matrices is still one matrix.
    wrong c: 16 hidden units are more than the 2 inputs: nothing is squeezed out.

softmax_shift (prediction)
    title: softmax of the scores shifted by +100
    choice a: the same probabilities as for z
    choice b: the largest score's probability moves closer to 1
    choice c: all four probabilities move closer to ¼
    answer: a
    why: e^(z_c + 100) = e¹⁰⁰ · e^(z_c): the factor e¹⁰⁰ stands in every numerator and in the
        denominator, and cancels. Softmax only sees the differences between scores.
    wrong b: Scaling the scores (a temperature below 1) would sharpen them; adding a constant
        does not.
    wrong c: The differences z_c − z_j stay the same after the shift; only they count, not how
        large they look next to 100.
""", values={"neuron_z": _neuron_z(), "z_shape": _z_shape(5, 3, 4), "dense_relu": dense_relu,
             "activation": 1 / (1 + np.exp(-0.3)),
             "products": W_NEURON * X_NEURON + B_NEURON})
