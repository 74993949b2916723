"""Checks for exercise 02 — forward propagation (outline 1.2, 2.1–2.5).

    from nnlib_checks import forward_propagation as check
    check.softmax(softmax)                 # ŷ = softmax(z) per row, stable
    check.dense_forward(dense_forward)     # (A, Z) with Z = A_prev Wᵀ + b, A = σ(Z)
    check.forward(forward)                 # (Ŷ, caches) through every layer, softmax last

Samples are rows: A_prev (m, n_in), W (n_out, n_in), b (n_out,), Z and A (m, n_out).
``caches[l − 1] = (A[l − 1], Z[l])``: the layer's input and its weighted input.
"""

import numpy as np

from nnlib import Dense, Network
from nnlib.activations import softmax as _nnlib_softmax
from nnlib.language import say

from .engine import Case, Check
from .mistakes import Solution, variants_by_name

NOTEBOOK = "02_forward_propagation"
ACTIVATIONS = ("relu", "sigmoid", "tanh", "identity")
# a message two catalogues share
_SUM_AXIS0 = ("softmax is normalised along the wrong axis: E.sum(axis=0) sums each class over "
              "the samples; each row — one sample — must sum to 1 over its k classes, "
              "E.sum(axis=1, keepdims=True).")


# -- softmax -----------------------------------------------------------------------------------
def softmax_solution(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


SOFTMAX = Solution(softmax_solution, "softmax")
SOFTMAX_MISTAKES = SOFTMAX.catalogue("""
overflow
    softmax overflows for large logits: subtract the row max first. e^(z − max) ≤ 1 never
    overflows, and the max cancels between numerator and denominator.
    - np.exp(Z - Z.max(axis=1, keepdims=True))
    + np.exp(Z)

global_max
    subtract each row's own max (Z.max(axis=1, keepdims=True)), not the max of the whole matrix:
    a row far below it underflows to 0/0.
    - Z.max(axis=1, keepdims=True)
    + np.max(Z)

axis0
    softmax normalizes each row — one sample — over its k classes: take max and sum with axis=1,
    not axis=0.
    - Z.max(axis=1
    + Z.max(axis=0
    - E.sum(axis=1
    + E.sum(axis=0

sum_no_keepdims
    E.sum(axis=1) has shape (m,) and does not divide row by row: sum with keepdims=True to get
    shape (m, 1).
    - E.sum(axis=1, keepdims=True)
    + E.sum(axis=1)

max_no_keepdims
    Z.max(axis=1) has shape (m,) and does not subtract row by row: use keepdims=True to get
    shape (m, 1).
    - Z.max(axis=1, keepdims=True)
    + Z.max(axis=1)

no_exp
    softmax exponentiates first: ŷ_k = e^(z_k) / Σ_j e^(z_j).
    - np.exp(Z - Z.max(axis=1, keepdims=True))
    + Z

sigmoid
    that is the sigmoid of each entry on its own; softmax divides e^z by its row's sum, so that
    every row of Ŷ sums to 1.
    - E / E.sum(axis=1, keepdims=True)
    + 1 / (1 + np.exp(-Z))

sum_axis0
    $SUM_AXIS0
    - E.sum(axis=1, keepdims=True)
    + E.sum(axis=0, keepdims=True)

max_axis0
    subtract each row's own max, Z.max(axis=1, keepdims=True): Z.max(axis=0) is each column's
    max, which can lie far above a row — that row then underflows to 0/0.
    - Z.max(axis=1, keepdims=True)
    + Z.max(axis=0, keepdims=True)

sum_all
    E.sum() adds up the whole matrix: divide each row by its own sum, E.sum(axis=1,
    keepdims=True), so that every row of Ŷ sums to 1.
    - E.sum(axis=1, keepdims=True)
    + E.sum()

subtracts_min
    subtract each row's max, not its min: e^(z − min) overflows when a row spans more than
    about 700, while with the max every exponent is ≤ 0.
    - Z.max(axis=1, keepdims=True)
    + Z.min(axis=1, keepdims=True)
""", SUM_AXIS0=_SUM_AXIS0)


def _softmax_cases(strict):
    rng = np.random.default_rng(2)
    cases = [
        (rng.normal(size=(4, 3)), say("Z of shape {shape}", shape="(4, 3)")),
        (rng.normal(size=(3, 3)), say("Z of shape {shape}", shape="(3, 3)")),
        (np.array([[1000.0, 1001, 1002], [0, 1, 2], [-5, 0, 5]]),
         say("large logits (Z up to 1002)")),
        (np.array([[1000.0, 999, 998], [-1000, -1001, -1002]]),
         say("rows on very different scales (1000 and −1000)")),
        (np.array([[-500.0, 0, 500], [1, 2, 3]]), say("a row that spans 1000 (−500 to 500)")),
    ]
    if strict:
        cases += [(rng.normal(size=(1, 5)), say("a single sample (1, 5)")),
                  (rng.normal(scale=30, size=(7, 10)), say("Z of shape (7, 10) with spread 30")),
                  (np.zeros((2, 4)), "Z = 0 (2, 4)"),
                  (rng.normal(size=(5, 1)), say("a single class (5, 1)"))]
    return [Case((Z,), label) for Z, label in cases]


softmax = Check(
    name="softmax", reference=_nnlib_softmax, cases=_softmax_cases, mistakes=SOFTMAX_MISTAKES,
    solution=softmax_solution, notebook=NOTEBOOK, args=("Z",), result="Ŷ", rtol=1e-6, atol=1e-12,
    hint="ŷ_k = e^(z_k − max) / Σ_j e^(z_j − max), row by row.",
)


# -- dense_forward -----------------------------------------------------------------------------
def _dense_reference(A_prev, W, b, activation):
    layer = Dense(W.shape[1], W.shape[0], activation)
    layer.W, layer.b = W, b
    return layer.forward(A_prev), layer.Z


def dense_forward_solution(A_prev, W, b, activation):
    Z = A_prev @ W.T + b
    if activation == "relu":
        A = np.maximum(Z, 0)
    elif activation == "sigmoid":
        A = 1 / (1 + np.exp(-Z))
    elif activation == "tanh":
        A = np.tanh(Z)
    else:
        A = Z
    return A, Z


DENSE = Solution(dense_forward_solution, "dense")
DENSE_MISTAKES = DENSE.catalogue("""
no_transpose
    W[l] is (n_out, n_in), so A_prev @ W does not line up: Z = A_prev @ W.T + b.
    - A_prev @ W.T
    + A_prev @ W

column_form
    W @ A_prev is the outline's column form (samples as columns). Here samples are rows, so the
    same computation reads Z = A_prev @ W.T + b.
    - A_prev @ W.T
    + W @ A_prev

no_bias
    you left out the bias: Z = A_prev Wᵀ + b.
    - A_prev @ W.T + b
    + A_prev @ W.T

swapped_outputs
    dense_forward returns (A, Z) in that order: the activation A = σ(Z) first, then Z for the
    cache.
    - return A, Z
    + return Z, A

relu_np_max
    np.max(Z, 0) is the largest entry of each column; ReLU is the element-wise np.maximum(Z, 0).
    - np.maximum(Z, 0)
    + np.max(Z, 0)

sigmoid_sign
    σ(z) = 1/(1 + e^(−z)): the exponent carries a minus sign.
    - np.exp(-Z)
    + np.exp(Z)

activation_ignored
    the activation argument was ignored: apply the σ it names ("relu", "sigmoid", "tanh" or
    "identity").
    - return A, Z
    + return np.maximum(Z, 0), Z

column_form_T
    W A_prevᵀ is the outline's column form, shape (n_out, m); with samples as rows
    Z = A_prev Wᵀ + b, shape (m, n_out), and b adds to every row.
    - A_prev @ W.T + b
    + W @ A_prev.T + b

bias_sign
    the bias is added, not subtracted: Z = A_prev Wᵀ + b.
    - A_prev @ W.T + b
    + A_prev @ W.T - b

bias_column
    b (n_out,) adds to every row of Z (m, n_out) as it is; reshaped into a column (n_out, 1) it
    no longer lines up with Z's columns: Z = A_prev @ W.T + b.
    - A_prev @ W.T + b
    + A_prev @ W.T + b.reshape(-1, 1)

sigmoid_abs
    σ(z) = 1/(1 + e^(−z)) for every z: with e^(−|z|) a negative z gets σ(|z|) = 1 − σ(z). The
    stable form is e^z/(1 + e^z) where z < 0 and 1/(1 + e^(−z)) elsewhere.
    - np.exp(-Z)
    + np.exp(-np.abs(Z))
""")


def _dense_case(rng, m, n_in, n_out, activation, scale=1.0):
    A_prev = rng.normal(size=(m, n_in))
    W = rng.normal(scale=scale, size=(n_out, n_in))
    b = rng.normal(size=n_out)
    label = (f"A_prev ({m}, {n_in}), W ({n_out}, {n_in}), b ({n_out},), "
             f"activation=\"{activation}\"")
    return Case((A_prev, W, b, activation), label, info={"m": m})


def _dense_cases(strict):
    rng = np.random.default_rng(3)
    cases = [_dense_case(rng, 8, 4, 3, a) for a in ACTIVATIONS]
    if strict:
        cases += [_dense_case(rng, 1, 5, 5, "relu"), _dense_case(rng, 20, 2, 7, "sigmoid"),
                  _dense_case(rng, 6, 6, 2, "tanh"), _dense_case(rng, 3, 4, 4, "sigmoid", 300)]
    return cases


dense_forward = Check(
    name="dense_forward", reference=_dense_reference, cases=_dense_cases,
    mistakes=DENSE_MISTAKES, solution=dense_forward_solution, notebook=NOTEBOOK,
    args=("A_prev", "W", "b", "activation"),
    outputs=("A", "Z"), hint="Z = A_prev Wᵀ + b, then A = σ(Z) entry by entry.",
)


# -- forward -----------------------------------------------------------------------------------
def network(params, activation="relu"):
    """nnlib's network holding ``params`` [(W, b), ...]: σ = ``activation`` in the hidden
    layers, softmax with cross-entropy at the output."""
    layers = [Dense(W.shape[1], W.shape[0], activation) for W, _ in params[:-1]]
    W, _ = params[-1]
    layers.append(Dense(W.shape[1], W.shape[0], "softmax"))
    net = Network(layers, loss="cross_entropy")
    for layer, (W, b) in zip(net.layers, params):
        layer.W, layer.b = W, b
    return net


def forward_reference(X, params, activation="relu"):
    net = network(params, activation)
    Yhat = net.forward(X)
    return Yhat, [(layer.A_prev, layer.Z) for layer in net.layers]


def forward_solution(X, params, activation="relu"):
    A, caches = X, []
    for l, (W, b) in enumerate(params, start=1):
        A_prev = A
        Z = A_prev @ W.T + b
        if l < len(params):
            if activation == "relu":
                A = np.maximum(Z, 0)
            elif activation == "sigmoid":
                A = 1 / (1 + np.exp(-Z))
            else:
                A = np.tanh(Z)
        else:
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            A = E / E.sum(axis=1, keepdims=True)
        caches.append((A_prev, Z))
    return A, caches


FORWARD = Solution(forward_solution, "forward")
FORWARD_MISTAKES = FORWARD.catalogue("""
softmax_everywhere
    softmax belongs to the output layer only: the hidden layers apply σ = {activation}.
    - if l < len(params):
    + if l > len(params):

no_output_softmax
    the output layer applies softmax, Ŷ = softmax(Z[L]), so that every row of Ŷ is a probability
    distribution; only the hidden layers apply σ.
    - if l < len(params):
    + if l <= len(params):

sigma_then_softmax
    the output layer applies softmax to Z[L] itself, not to σ(Z[L]).
    - if l < len(params):
    + if l <= len(params):
    - return A, caches
    + E = np.exp(A - A.max(axis=1, keepdims=True))
    + return E / E.sum(axis=1, keepdims=True), caches

cache_output
    caches[l − 1] holds the layer's input A[l − 1] (A_prev) and Z[l]; you stored its output
    A[l].
    - caches.append((A_prev, Z))
    + caches.append((A, Z))

cache_A_as_Z
    the cache holds Z[l], before σ — backpropagation needs σ′(Z[l]); you stored A[l] = σ(Z[l]).
    - caches.append((A_prev, Z))
    + caches.append((A_prev, A))

skips_last_layer
    every layer l = 1..L runs, the last one with softmax: your loop stopped one layer early.
    - enumerate(params, start=1)
    + enumerate(params[:-1], start=1)
    - return A, caches
    + E = np.exp(A - A.max(axis=1, keepdims=True))
    + return E / E.sum(axis=1, keepdims=True), caches

X_every_layer
    each layer takes the previous layer's output: Z[l] = A[l−1] W[l]ᵀ + b[l], with A[0] = X only
    for the first layer.
    - Z = A_prev @ W.T + b
    + Z = X @ W.T + b

softmax_of_input
    the output layer applies softmax to its own Z[L] = A[L−1] W[L]ᵀ + b[L], not to its input
    A[L−1].
    - E = np.exp(Z - Z.max(axis=1, keepdims=True))
    + E = np.exp(A_prev - A_prev.max(axis=1, keepdims=True))

returns_logits
    return Ŷ = softmax(Z[L]), the probabilities, not the logits Z[L].
    - return A, caches
    + return Z, caches

softmax_sum_axis0
    $SUM_AXIS0
    - E.sum(axis=1, keepdims=True)
    + E.sum(axis=0, keepdims=True)
""", SUM_AXIS0=_SUM_AXIS0)


def _forward_case(rng, m, sizes, activation):
    X = rng.normal(size=(m, sizes[0]))
    params = [(rng.normal(scale=np.sqrt(2 / n_in), size=(n_out, n_in)), rng.normal(size=n_out))
              for n_in, n_out in zip(sizes, sizes[1:])]
    label = say("X ({m}, {d}) through sizes = {sizes} with activation=\"{activation}\"", m=m,
                d=sizes[0], sizes=sizes, activation=activation)
    return Case((X, params, activation), label, info={"activation": activation, "m": m})


def _forward_cases(strict):
    rng = np.random.default_rng(4)
    cases = [_forward_case(rng, 6, [3, 5, 4], "relu"), _forward_case(rng, 5, [3, 6, 5, 2], "tanh")]
    if strict:
        cases += [_forward_case(rng, 4, [4, 3], "relu"), _forward_case(rng, 1, [2, 3, 3, 3, 2],
                                                                       "sigmoid"),
                  _forward_case(rng, 9, [8, 8, 8], "relu")]
    return cases


def _forward_describe(path):
    if not path:
        return say("the result")
    if path[0] == 0:
        return "Ŷ"
    if len(path) == 1:
        return "caches"
    l = path[1]
    if len(path) == 2:
        return f"caches[{l}]"
    if path[2] == 0:
        return say("caches[{l}][0] (A[{l}], the input of layer {layer})", l=l, layer=l + 1)
    return f"caches[{l}][{path[2]}] (Z[{l + 1}])"


forward = Check(
    name="forward", reference=forward_reference, cases=_forward_cases,
    mistakes=FORWARD_MISTAKES, solution=forward_solution, notebook=NOTEBOOK,
    args=("X", "params", "activation"),
    needs=(("softmax", softmax), ("dense_forward", dense_forward)),
    describe=_forward_describe,
    hint="A[0] = X; for l = 1..L: Z[l] = A[l−1] W[l]ᵀ + b[l], A[l] = σ(Z[l]) — softmax at l = L.",
)

CHECKS = {"softmax": softmax, "dense_forward": dense_forward, "forward": forward}
__getattr__ = variants_by_name(CHECKS)
