"""Checks for exercise 04 — backpropagation (outline 1.4, 1.7, rough edges 2 and 3).

    from nnlib_checks import backpropagation as check
    check.output_delta(output_delta)               # δ[L] = Ŷ − Y (softmax + cross-entropy)
    check.activation_backward(activation_backward) # δ = dA ⊙ σ′(Z)
    check.dense_backward(dense_backward)           # dW, db, dA_prev of one layer
    check.backward(backward)                       # grads of every layer

The convention: δ = ∂ℓ/∂Z is per sample and carries no 1/m; the 1/m appears once, in
dW = 1/m δᵀ A_prev (n_out, n_in) and db = 1/m Σᵢ δ⁽ⁱ⁾ (n_out,); dA_prev = δ W (m, n_in).
"""

import numpy as np

from nnlib import Dense, Network
from nnlib.activations import ACTIVATIONS
from nnlib.activations import softmax as _softmax
from nnlib.language import say

from .engine import Case, Check, by_depth
from .forward_propagation import forward_reference, network
from .mistakes import Solution, variants_by_name

NOTEBOOK = "04_backpropagation"
# a message two catalogues share
_SIGMA_OF_A = ("σ′ was applied to A instead of Z: σ′(z) = σ(z)(1 − σ(z)) takes Z — or, with "
               "A = σ(Z) already computed, σ′ = A(1 − A) (for tanh, 1 − A²).")


# -- output_delta ------------------------------------------------------------------------------
def _delta_reference(Yhat, Y):
    net = Network([Dense(1, Y.shape[1], "softmax")], loss="cross_entropy")
    net.layers[0].A_prev, net.Yhat = np.zeros((len(Y), 1)), Yhat
    net.backward(Y, check=False)
    return net.layers[0].delta


def output_delta_solution(Yhat, Y):
    return Yhat - Y


DELTA = Solution(output_delta_solution, "delta")
DELTA_MISTAKES = DELTA.catalogue("""
with_1_over_m
    δ carries no 1/m in this course: δ[L] = Ŷ − Y is per sample, and the 1/m goes into dW and db
    only.
    - Yhat - Y
    + (Yhat - Y) / len(Y)

sign
    δ[L] = Ŷ − Y; you computed Y − Ŷ, which points uphill.
    - Yhat - Y
    + Y - Yhat

dL_dyhat
    −y/ŷ is ∂ℓ/∂ŷ. Softmax and cross-entropy are differentiated together: through softmax's
    Jacobian the result simplifies to δ[L] = ∂ℓ/∂z = Ŷ − Y.
    - Yhat - Y
    + -Y / Yhat

elementwise_prime
    softmax is not element-wise: multiplying by ŷ(1 − ŷ) treats it like a sigmoid. With
    cross-entropy, δ[L] = Ŷ − Y directly.
    - Yhat - Y
    + (Yhat - Y) * Yhat * (1 - Yhat)

mean_over_samples
    δ[L] is per sample, shape (m, k) like Ŷ: the average over the samples belongs to dW and db.
    - Yhat - Y
    + (Yhat - Y).mean(axis=0)
""")


def _delta_cases(strict):
    rng = np.random.default_rng(8)
    cases = []
    for m, k in [(5, 3)] + ([(1, 2), (12, 10)] if strict else []):
        Yhat = _softmax(rng.normal(size=(m, k)))
        Y = np.eye(k)[rng.integers(0, k, m)]
        cases.append(Case((Yhat, Y), say("Ŷ ({m}, {k}) with one-hot Y", m=m, k=k),
                          info={"m": m}))
    return cases


output_delta = Check(
    name="output_delta", reference=_delta_reference, cases=_delta_cases,
    mistakes=DELTA_MISTAKES, solution=output_delta_solution, notebook=NOTEBOOK,
    args=("Yhat", "Y"), result="δ[L]",
    hint="For softmax with cross-entropy, δ[L] = Ŷ − Y.",
)


# -- activation_backward -----------------------------------------------------------------------
def _act_reference(dA, Z, activation):
    act = ACTIVATIONS[activation]
    return act.backward(dA, Z, act.forward(Z))


def activation_backward_solution(dA, Z, activation):
    if activation == "relu":
        return dA * (Z > 0)
    if activation == "sigmoid":
        S = 1 / (1 + np.exp(-Z))
        return dA * S * (1 - S)
    return dA * (1 - np.tanh(Z) ** 2)


ACT = Solution(activation_backward_solution, "act")
ACT_MISTAKES = ACT.catalogue("""
sigma_prime_of_A
    $SIGMA_OF_A
    - return dA * (Z > 0)
    + A = np.maximum(Z, 0)
    + return dA * (A > 0)
    - S = 1 / (1 + np.exp(-Z))
    + A = 1 / (1 + np.exp(-Z))
    + S = 1 / (1 + np.exp(-A))
    - return dA * (1 - np.tanh(Z) ** 2)
    + A = np.tanh(Z)
    + return dA * (1 - np.tanh(A) ** 2)

no_dA
    δ = dA ⊙ σ′(Z): you returned σ′(Z) without multiplying by dA (the chain rule).
    - return dA * (Z > 0)
    + return (Z > 0).astype(float)
    - return dA * S * (1 - S)
    + return S * (1 - S)
    - return dA * (1 - np.tanh(Z) ** 2)
    + return 1 - np.tanh(Z) ** 2

matmul
    ⊙ is the element-wise product (*), not a matrix product (@): δ has the shape of Z.
    - return dA * (Z > 0)
    + return dA @ (Z > 0).T
    - return dA * S * (1 - S)
    + return dA @ (S * (1 - S)).T
    - return dA * (1 - np.tanh(Z) ** 2)
    + return dA @ (1 - np.tanh(Z) ** 2).T

relu_kink
    ReLU′(0) is 0 in this course, as in nnlib: use Z > 0, not Z >= 0.
    - Z > 0
    + Z >= 0

relu_mask_dA
    ReLU′ depends on Z — it is 1 where Z > 0 — not on the sign of dA.
    - Z > 0
    + dA > 0

tanh_no_square
    tanh′(z) = 1 − tanh²(z): the tanh is squared.
    - np.tanh(Z) ** 2
    + np.tanh(Z)

sigmoid_no_one_minus
    σ′(z) = σ(z)(1 − σ(z)): the factor (1 − σ(z)) is missing.
    - return dA * S * (1 - S)
    + return dA * S

Z_in_place (inplace: Z)
    Z was modified in place: it belongs to the layer's cache, which must not change. Compute σ′
    into a new array, e.g. (Z > 0).
    - return dA * (Z > 0)
    + Z[Z > 0] = 1
    + Z[Z <= 0] = 0
    + return dA * Z

sigmoid_prime_of_Z
    σ′ was taken of Z instead of σ(Z): σ′(z) = σ(z)(1 − σ(z)) — compute S = σ(Z) first, then
    S(1 − S).
    - return dA * S * (1 - S)
    + return dA * Z * (1 - Z)

tanh_prime_of_Z
    tanh′ was taken of Z instead of tanh(Z): tanh′(z) = 1 − tanh²(z).
    - np.tanh(Z) ** 2
    + Z ** 2

tanh_precedence
    tanh′(z) = 1 − tanh²(z): square the tanh, (1 - np.tanh(Z) ** 2), not (1 − tanh).
    - (1 - np.tanh(Z) ** 2)
    + (1 - np.tanh(Z)) ** 2

sigmoid_prime_sign
    σ′(z) = σ(z)(1 − σ(z)) ≥ 0: (S − 1) flips its sign.
    - S * (1 - S)
    + S * (S - 1)

dA_in_place (inplace: dA)
    dA was modified in place: build δ as a new array, e.g. np.where(Z > 0, dA, 0) or
    dA * (Z > 0).
    - return dA * (Z > 0)
    + dA[Z <= 0] = 0
    + return dA
""", SIGMA_OF_A=_SIGMA_OF_A)


def _act_cases(strict):
    rng = np.random.default_rng(9)
    cases = []
    shapes = [(6, 4)] + ([(1, 3), (10, 7)] if strict else [])
    for shape in shapes:
        for activation in ("relu", "sigmoid", "tanh"):
            Z = rng.normal(size=shape)
            if activation == "relu":
                Z.flat[::3] = 0.0  # ReLU's kink
            cases.append(Case((rng.normal(size=shape), Z, activation),
                              say("dA and Z of shape {shape}, activation=\"{activation}\"",
                                  shape=shape, activation=activation)))
    return cases


activation_backward = Check(
    name="activation_backward", reference=_act_reference, cases=_act_cases,
    mistakes=ACT_MISTAKES, solution=activation_backward_solution, notebook=NOTEBOOK,
    args=("dA", "Z", "activation"), result="δ",
    hint="δ = dA ⊙ σ′(Z) with ReLU′ = (Z > 0), σ′ = σ(1 − σ), tanh′ = 1 − tanh².",
)


# -- dense_backward ----------------------------------------------------------------------------
def _dense_reference(delta, A_prev, W):
    layer = Dense(W.shape[1], W.shape[0])
    layer.W, layer.A_prev = W, A_prev
    dA_prev = layer.backward_delta(delta)
    return layer.dW, layer.db, dA_prev


def dense_backward_solution(delta, A_prev, W):
    m = len(delta)
    dW = delta.T @ A_prev / m
    db = delta.sum(axis=0) / m
    dA_prev = delta @ W
    return dW, db, dA_prev


DENSE = Solution(dense_backward_solution, "dense")
DENSE_MISTAKES = DENSE.catalogue("""
dW_no_1_over_m
    dW is m = {m} times too large: did you forget the 1/m?
    - delta.T @ A_prev / m
    + delta.T @ A_prev

dW_transposed
    check the transpose — dW = 1/m δᵀ A_prev has the shape of W, (n_out, n_in).
    - delta.T @ A_prev
    + A_prev.T @ delta

dW_no_transpose
    dW = 1/m δᵀ A_prev: δ (m, n_out) needs its transpose, so that δᵀ (n_out, m) @ A_prev
    (m, n_in) gives the shape of W, (n_out, n_in).
    - delta.T @ A_prev
    + delta @ A_prev

db_no_1_over_m
    db is m = {m} times too large: did you forget the 1/m?
    - delta.sum(axis=0) / m
    + delta.sum(axis=0)

db_wrong_axis
    sum δ over the samples (axis=0): db has one entry per unit, like b.
    - axis=0
    + axis=1

db_keepdims
    b is (n_out,), so db is too: drop keepdims=True.
    - axis=0
    + axis=0, keepdims=True

dA_prev_with_1_over_m
    dA_prev carries no 1/m: it is a per-sample gradient that becomes the previous layer's δ; the
    1/m belongs to dW and db only.
    - delta @ W
    + delta @ W / m

dA_prev_W_transposed
    dA_prev = δ W, shape (m, n_in) — the outline's Wᵀδ, row for column: δ @ W.T does not line
    up.
    - delta @ W
    + delta @ W.T

dA_prev_column_form
    Wᵀδ is the outline's column form: with samples as rows, dA_prev = δ W, shape (m, n_in).
    - delta @ W
    + W.T @ delta

m_from_columns
    m is the batch size, the number of rows: len(delta), not delta.shape[1] (the n_out units).
    - m = len(delta)
    + m = delta.shape[1]

db_sum_all
    db has one entry per unit, shape (n_out,): sum δ over the samples only, axis=0.
    - delta.sum(axis=0) / m
    + delta.sum() / m

db_twice_1_over_m
    db is m = {m} times too small: .mean already divides by m — db = 1/m Σᵢ δ⁽ⁱ⁾ is
    delta.mean(axis=0) or delta.sum(axis=0) / m, not both.
    - delta.sum(axis=0) / m
    + delta.mean(axis=0) / m

dW_elementwise
    dW = 1/m δᵀ A_prev is a matrix product (@), not an element-wise one (*): δᵀ (n_out, m) @
    A_prev (m, n_in) gives (n_out, n_in).
    - delta.T @ A_prev
    + delta.T * A_prev
""")


def _dense_case(rng, m, n_in, n_out):
    args = (rng.normal(size=(m, n_out)), rng.normal(size=(m, n_in)),
            rng.normal(size=(n_out, n_in)))
    label = say("a batch of m = {m}: δ ({m}, {n_out}), A_prev ({m}, {n_in}), W ({n_out}, "
                "{n_in})", m=m, n_in=n_in, n_out=n_out)
    return Case(args, label, info={"m": m})


def _dense_cases(strict):
    rng = np.random.default_rng(10)
    sets = [(8, 4, 3), (5, 6, 2)] + ([(1, 3, 3), (32, 10, 5), (4, 4, 4)] if strict else [])
    return [_dense_case(rng, *s) for s in sets]


dense_backward = Check(
    name="dense_backward", reference=_dense_reference, cases=_dense_cases,
    mistakes=DENSE_MISTAKES, solution=dense_backward_solution, notebook=NOTEBOOK,
    args=("delta", "A_prev", "W"), outputs=("dW", "db", "dA_prev"),
    hint="dW = 1/m δᵀ A_prev, db = 1/m Σᵢ δ⁽ⁱ⁾, dA_prev = δ W.",
)


# -- backward ----------------------------------------------------------------------------------
def _backward_reference(Yhat, Y, params, caches, activation="relu"):
    net = network(params, activation)
    net.forward(caches[0][0])
    net.backward(Y)
    return [(layer.dW, layer.db) for layer in net.layers]


def backward_solution(Yhat, Y, params, caches, activation="relu"):
    m, grads = len(Y), []
    delta = Yhat - Y
    for l in range(len(params) - 1, -1, -1):
        A_prev, _ = caches[l]
        grads.insert(0, (delta.T @ A_prev / m, delta.sum(axis=0) / m))
        if l > 0:
            Z = caches[l - 1][1]
            if activation == "relu":
                prime = Z > 0
            elif activation == "sigmoid":
                S = 1 / (1 + np.exp(-Z))
                prime = S * (1 - S)
            else:
                prime = 1 - np.tanh(Z) ** 2
            delta = (delta @ params[l][0]) * prime
    return grads


BACKWARD = Solution(backward_solution, "backward")
BACKWARD_MISTAKES = BACKWARD.catalogue("""
no_sigma_prime
    for a hidden layer δ[l] = (δ[l+1] W[l+1]) ⊙ σ′(Z[l]): you left out σ′(Z[l]).
    - (delta @ params[l][0]) * prime
    + delta @ params[l][0]

sigma_prime_of_A
    $SIGMA_OF_A
    - Z = caches[l - 1][1]
    + Z = caches[l][0]  # = σ(Z[l])

delta_with_1_over_m
    dW is m = {m} times too small: the 1/m was applied twice. δ carries no 1/m — only dW and db
    do.
    - delta = Yhat - Y
    + delta = (Yhat - Y) / m

no_1_over_m
    dW is m = {m} times too large: did you forget the 1/m?
    - (delta.T @ A_prev / m, delta.sum(axis=0) / m)
    + (delta.T @ A_prev, delta.sum(axis=0))

reversed_grads
    grads[0] must be layer 1's (dW[1], db[1]): you collected them from layer L down to 1 —
    reverse the list, or insert each at the front.
    - grads.insert(0, (
    + grads.append((

cache_in_place (inplace: caches)
    the cache was modified in place: Z[l] in caches changed during backward. Compute σ′ into a
    new array, e.g. (Z > 0), and leave the cache alone — a second backward pass or a gradient
    check would read the damaged values.
    - prime = Z > 0
    + Z[Z > 0] = 1
    + Z[Z <= 0] = 0
    + prime = Z

W_transposed
    δ[l+1] W[l+1] carries the gradient back to layer l (the outline's (W[l+1])ᵀ δ[l+1], row for
    column): δ @ W.T does not line up.
    - delta @ params[l][0]
    + delta @ params[l][0].T

sigma_prime_wrong_layer
    σ′ was taken at the wrong layer's Z: δ[l−1] = (δ[l] W[l]) ⊙ σ′(Z[l−1]) needs the Z of layer
    l−1 — the cache before the one layer l reads A[l−1] from — not Z[l].
    - Z = caches[l - 1][1]
    + Z = caches[l][1]

no_l1_guard
    layer 1 has no δ[0] to compute — its input is X: stop after dW[1] and db[1] ("unless
    l = 1"). Going on reaches for σ′ of a cache that does not exist, caches[−1], the last
    layer's.
    - if l > 0:
    + if l >= 0:

skips_first_layer
    the loop stopped before layer 1: range(L − 1, −1, −1) runs down to index 0, so that grads
    has one (dW, db) per layer.
    - range(len(params) - 1, -1, -1)
    + range(len(params) - 1, 0, -1)

sigma_prime_of_A_prev
    σ′ needs Z[l−1], the second entry of the cache (A_prev, Z): you took the first, the input
    of the layer below.
    - Z = caches[l - 1][1]
    + Z = caches[l - 1][0]

delta_sign
    δ[L] = Ŷ − Y: yours is Y − Ŷ, which points uphill (check the order of the arguments:
    output_delta(Yhat, Y)).
    - delta = Yhat - Y
    + delta = Y - Yhat

b_for_W
    params[l] is (W, b): the gradient goes back through W, δ[l] W[l] = delta @ params[l][0] —
    params[l][1] is the bias.
    - delta @ params[l][0]
    + delta @ params[l][1]

Z_as_A_prev
    caches[l − 1] = (A[l − 1], Z[l]): dW[l] = 1/m δ[l]ᵀ A[l−1] uses its first entry, the
    layer's input, not Z.
    - A_prev, _ = caches[l]
    + _, A_prev = caches[l]

activation_ignored
    the activation argument was ignored: σ′ must be the derivative of the σ it names ("relu",
    "sigmoid" or "tanh").
    - m, grads = len(Y), []
    + m, grads, activation = len(Y), [], "relu"

delta_not_dA
    σ′ multiplies dA[l−1] = δ[l] W[l], not δ[l] itself: δ[l−1] = (δ[l] W[l]) ⊙ σ′(Z[l−1]).
    - (delta @ params[l][0]) * prime
    + delta * prime
""", SIGMA_OF_A=_SIGMA_OF_A)


def _backward_case(rng, m, sizes, activation):
    X = rng.normal(size=(m, sizes[0]))
    params = [(rng.normal(scale=np.sqrt(2 / n_in), size=(n_out, n_in)), rng.normal(size=n_out))
              for n_in, n_out in zip(sizes, sizes[1:])]
    Yhat, caches = forward_reference(X, params, activation)
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], m)]
    label = say("a batch of m = {m} through sizes = {sizes} with activation=\"{activation}\"",
                m=m, sizes=sizes, activation=activation)
    return Case((Yhat, Y, params, caches, activation), label, info={"m": m})


def _backward_cases(strict):
    rng = np.random.default_rng(11)
    cases = [_backward_case(rng, 7, [3, 5, 4], "relu"),
             _backward_case(rng, 6, [4, 6, 5, 3], "sigmoid"),
             _backward_case(rng, 5, [2, 4, 3], "tanh")]
    if strict:
        cases += [_backward_case(rng, 1, [3, 2], "relu"),
                  _backward_case(rng, 16, [5, 8, 8, 8, 4], "relu"),
                  _backward_case(rng, 3, [6, 6, 6], "sigmoid")]
    return cases


backward = Check(
    name="backward", reference=_backward_reference, cases=_backward_cases,
    mistakes=BACKWARD_MISTAKES, solution=backward_solution, notebook=NOTEBOOK,
    args=("Yhat", "Y", "params", "caches", "activation"),
    needs=(("output_delta", output_delta), ("activation_backward", activation_backward),
           ("dense_backward", dense_backward)),
    describe=by_depth("grads", lambda l: f"grads[{l}]",
                      lambda l, i: f"grads[{l}][{i}] ({'dW' if i == 0 else 'db'}[{l + 1}])"),
    hint="δ[L] = Ŷ − Y; for l = L..1: dW[l] = 1/m δ[l]ᵀ A[l−1], db[l] = 1/m Σᵢ δ[l]⁽ⁱ⁾, and "
         "δ[l−1] = (δ[l] W[l]) ⊙ σ′(Z[l−1]).",
)

CHECKS = {"output_delta": output_delta, "activation_backward": activation_backward,
          "dense_backward": dense_backward, "backward": backward}
__getattr__ = variants_by_name(CHECKS)
