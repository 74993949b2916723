"""Your-turn tasks of notebook 04 — backpropagation (outline 1.4, 1.7).

The references are nnlib's own backward pass; the mistakes and their messages are the ones the
exercise's catalogue names (``nnlib_checks.backpropagation``), so a slip gets the same sentence
here as in exercise 04.
"""

import numpy as np

from nnlib import Dense
from nnlib.language import say

from .. import backpropagation as exercise
from ..engine import Case, Check
from ..mistakes import Solution
from . import read_tasks

SAID = {m.name: m.message for m in exercise.DELTA_MISTAKES + exercise.ACT_MISTAKES
        + exercise.DENSE_MISTAKES + exercise.BACKWARD_MISTAKES}

# -- delta_L: δ[L] of a tiny batch, the numbers of the notebook's cell ---------------------------
YHAT_TINY = np.array([[0.7, 0.2, 0.1],
                      [0.1, 0.6, 0.3],
                      [0.2, 0.2, 0.6]])
Y_TINY = np.eye(3)[[0, 2, 2]]
DELTA_L = exercise.output_delta.reference(YHAT_TINY, Y_TINY)  # nnlib's net.backward
# every mistake of exercise 04's output_delta made on these numbers: a tempting δ[L]
DELTA_L_WRONG = {m.name: m.variant(YHAT_TINY, Y_TINY) for m in exercise.DELTA_MISTAKES}


# -- hidden_delta: δ[l] = (δ[l+1] W[l+1]) ⊙ tanh′(Z[l]) ------------------------------------------
def _hidden_delta_reference(delta_next, W_next, Z):
    """nnlib's two steps: layer l+1's backward_delta gives δ[l+1] W[l+1], layer l's backward
    multiplies it by σ′ of its own Z."""
    layer, after = Dense(1, Z.shape[1], "tanh"), Dense(Z.shape[1], len(W_next), "tanh")
    after.W, after.A_prev = W_next, np.tanh(Z)
    layer.A_prev, layer.Z, layer.A = np.zeros((len(Z), 1)), Z, np.tanh(Z)
    layer.backward(after.backward_delta(delta_next), need_dA_prev=False)
    return layer.delta


def hidden_delta_solution(delta_next, W_next, Z):
    return (delta_next @ W_next) * (1 - np.tanh(Z) ** 2)


HIDDEN = Solution(hidden_delta_solution, "hidden")
HIDDEN_MISTAKES = HIDDEN.catalogue("""
no_sigma_prime
    $no_sigma_prime
    - (delta_next @ W_next) * (1 - np.tanh(Z) ** 2)
    + delta_next @ W_next

sigma_prime_of_A
    $sigma_prime_of_A
    - np.tanh(Z) ** 2
    + np.tanh(np.tanh(Z)) ** 2

one_minus_Z_squared
    1 − A² is tanh′ written with A = tanh(Z); with Z it reads 1 − tanh²(Z): take the tanh of Z
    first.
    - np.tanh(Z) ** 2
    + Z ** 2

tanh_no_square
    $tanh_no_square
    - np.tanh(Z) ** 2
    + np.tanh(Z)

W_transposed
    $W_transposed
    - delta_next @ W_next
    + delta_next @ W_next.T

matmul
    $matmul
    - (delta_next @ W_next) * (1 - np.tanh(Z) ** 2)
    + (delta_next @ W_next) @ (1 - np.tanh(Z) ** 2).T
""", **SAID)


def _hidden_cases(strict):
    rng = np.random.default_rng(40)
    cases = []
    for m, n_next, n in [(6, 3, 4), (5, 2, 5), (4, 3, 3)]:
        args = (rng.normal(size=(m, n_next)), rng.normal(size=(n_next, n)),
                rng.normal(size=(m, n)))
        cases.append(Case(args, say("δ[l+1] ({m}, {n_next}), W[l+1] ({n_next}, {n}) and "
                                    "Z[l] ({m}, {n})", m=m, n_next=n_next, n=n),
                          info={"m": m}))
    return cases


hidden_delta = Check(
    name="hidden_delta", reference=_hidden_delta_reference, cases=_hidden_cases,
    mistakes=HIDDEN_MISTAKES, solution=hidden_delta_solution,
    args=("delta_next", "W_next", "Z"), result="δ[l]", allow=("nnlib.activations",),
    hint="δ[l] = (δ[l+1] W[l+1]) ⊙ tanh′(Z[l]), with tanh′(z) = 1 − tanh²(z): shape (m, n_l).",
)


# -- layer_dW: dW = 1/m δᵀ A_prev, one line -------------------------------------------------------
def _dW_reference(delta, A_prev):
    W = np.zeros((delta.shape[1], A_prev.shape[1]))  # dW does not depend on W
    return exercise.dense_backward.reference(delta, A_prev, W)[0]  # nnlib's backward_delta


def layer_dW_solution(delta, A_prev):
    return delta.T @ A_prev / len(delta)


DW = Solution(layer_dW_solution, "dW")
DW_MISTAKES = DW.catalogue("""
no_1_over_m
    $dW_no_1_over_m The loss is a mean over the batch, so its gradient is one too.
    - delta.T @ A_prev / len(delta)
    + delta.T @ A_prev

transposed
    $dW_transposed A_prevᵀ δ is its transpose, (n_in, n_out).
    - delta.T @ A_prev
    + A_prev.T @ delta

samples_paired
    δ A_prevᵀ pairs samples with samples (an (m, m) table, when the shapes line up at all); dW
    pairs each unit with each input and sums over the samples: δᵀ A_prev.
    - delta.T @ A_prev
    + delta @ A_prev.T

elementwise
    * multiplies entry by entry; dW needs the matrix product δᵀ @ A_prev, which sums over the m
    samples.
    - delta.T @ A_prev
    + delta.T * A_prev
""", **SAID)


def _dW_cases(strict):
    rng = np.random.default_rng(41)
    cases = []
    for m, n_in, n_out in [(8, 4, 3), (5, 6, 2), (3, 3, 3)]:
        args = (rng.normal(size=(m, n_out)), rng.normal(size=(m, n_in)))
        cases.append(Case(args, say("a batch of m = {m}: δ ({m}, {n_out}) and A_prev ({m}, "
                                    "{n_in})", m=m, n_out=n_out, n_in=n_in), info={"m": m}))
    return cases


layer_dW = Check(
    name="layer_dW", reference=_dW_reference, cases=_dW_cases, mistakes=DW_MISTAKES,
    solution=layer_dW_solution, args=("delta", "A_prev"), result="dW",
    hint="dW = 1/m δᵀ A_prev: (n_out, m) times (m, n_in), divided by m = len(delta).",
)

TASKS = read_tasks("""
delta_L (value)
    title: δ[L] of a batch of 3 samples, softmax + cross-entropy
    expected: delta_L
    hint: δ[L] = Ŷ − Y, row by row: each row of Ŷ minus its one-hot row of Y, shape (3, 3).
    wrong with_1_over_m: $with_1_over_m
    wrong sign: $sign
    wrong dL_dyhat: $dL_dyhat
    wrong elementwise_prime: $elementwise_prime
    wrong mean_over_samples: $mean_over_samples

naive_softmax_prediction (prediction)
    title: which entries of δ[L] vanish if softmax is treated as element-wise
    choice a: none: the result is only a little off
    choice b: every wrong class's entry
    choice c: the true class's entry
    answer: b
    why: ∂ℓ/∂ŷ = −y/ŷ is 0 wherever y is 0 — every wrong class — and multiplying entry by entry
        by ŷ(1 − ŷ) keeps those zeros. Only the off-diagonal −ŷⱼŷₖ of the Jacobian pushes the
        wrong classes down.
    wrong a: Entries that should push a wrong class down come out exactly 0.
    wrong c: The true class is the one entry that survives: −(1 − ŷ), which is even right.

hidden_delta (function)
    title: a hidden layer's δ, with σ′ of its own Z
    check: hidden_delta

layer_dW (function)
    title: dW in one line of NumPy
    check: layer_dW

vanishing_prediction (prediction)
    title: ‖dW[1]‖ against ‖dW[10]‖ in a 10-layer sigmoid network
    choice a: about the same size
    choice b: about 4 times smaller
    choice c: about a million times smaller
    choice d: larger
    answer: c
    why: On its way from layer 10 back to layer 1, δ passes 9 sigmoid layers and is multiplied
        by σ′ ≤ ¼ at each of them, while the Xavier weights leave its size about as it was:
        0.25⁹ ≈ 4·10⁻⁶. The table measures 4.5·10⁻⁷ for layer 1 against 3.9·10⁻¹ for layer
        10.
    wrong b: ¼ is the factor of one layer; 9 of them compound.
""", values={"delta_L": DELTA_L, **DELTA_L_WRONG, "hidden_delta": hidden_delta,
             "layer_dW": layer_dW},
    said={m.name: m.message for m in exercise.DELTA_MISTAKES})
