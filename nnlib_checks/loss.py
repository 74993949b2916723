"""Checks for exercise 03 — the loss (outline 1.3, rough edges 4 and 5).

    from nnlib_checks import loss as check
    check.mse(mse)                                           # 1/(2m) Σᵢ ‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖²
    check.cross_entropy(cross_entropy)                       # −1/m Σᵢ Σₖ yₖ log ŷₖ, no log 0
    check.cross_entropy_from_logits(cross_entropy_from_logits)   # the same from Z, log-sum-exp

Ŷ and Y are (m, k) with one row per sample; Y is one-hot for cross-entropy. Every loss is one
number, a mean over the m samples.
"""

import numpy as np

from nnlib.activations import softmax as _softmax
from nnlib.language import say
from nnlib.losses import cross_entropy as _nnlib_cross_entropy
from nnlib.losses import mse as _nnlib_mse

from .engine import Case, Check, call
from .mistakes import Solution, named, variants_by_name

NOTEBOOK = "03_loss"
# texts several messages share
_SUM_CLASSES = ("cross-entropy must also sum over classes: np.mean divided by m·k = {mk}, so "
                "yours is k = {k} times too small. L = −1/m Σᵢ Σₖ y⁽ⁱ⁾ₖ log ŷ⁽ⁱ⁾ₖ.")
_LSE = "log ŷ_k = z_k − max − log Σ_j e^(z_j − max)"
_NO_MINUS = ("cross-entropy is −1/m Σ y log ŷ: you left out the minus sign (log ŷ ≤ 0, so the "
             "loss must be ≥ 0).")
_LOG_BASE = "cross-entropy uses the natural log (np.log), not log10 or log2."
_NO_MEAN = "the loss is m = {m} times too large: did you forget the 1/m?"


def _one_hot(labels, k):
    return np.eye(k)[labels]


# -- mse ---------------------------------------------------------------------------------------
def mse_solution(Yhat, Y):
    return np.sum((Yhat - Y) ** 2) / (2 * len(Y))


MSE = Solution(mse_solution, "mse")
MSE_MISTAKES = MSE.catalogue("""
no_half
    this course's MSE is 1/(2m) Σᵢ ‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖²: yours is 2 times too large — did you forget
    the 1/2? (It cancels the 2 of the square's derivative.)
    - (2 * len(Y))
    + len(Y)

no_mean
    mse is m = {m} times too large: did you forget the 1/m?
    - (2 * len(Y))
    + 2

mean_all
    np.mean averaged over all m·k = {mk} entries: average over the m samples only and sum over
    the k = {k} outputs of each sample.
    - np.sum((Yhat - Y) ** 2) / (2 * len(Y))
    + np.mean((Yhat - Y) ** 2) / 2

abs
    the error is squared: (ŷ − y)², not |ŷ − y|.
    - (Yhat - Y) ** 2
    + np.abs(Yhat - Y)

per_output
    sum over the k outputs as well as over the samples: the loss is one number.
    - np.sum((Yhat - Y) ** 2)
    + np.sum((Yhat - Y) ** 2, axis=0)

root
    that is the root of the MSE (an RMSE): the MSE has no square root.
    - np.sum((Yhat - Y) ** 2) / (2 * len(Y))
    + np.sqrt(np.sum((Yhat - Y) ** 2) / (2 * len(Y)))

precedence
    x / 2 * m multiplies by m: Python reads it as (x / 2) · m. Divide by the product,
    x / (2 * m).
    - / (2 * len(Y))
    + / 2 * len(Y)

m_from_columns
    m is the number of samples, the rows: len(Y) = Y.shape[0], not Y.shape[1] (the k outputs).
    - len(Y)
    + Y.shape[1]

times_2
    (ŷ − y)² is (Yhat - Y) ** 2: * 2 doubles the error instead of squaring it.
    - ** 2
    + * 2
""")


def _loss_case(Yhat, Y, label):
    m, k = Y.shape
    return Case((Yhat, Y), label, info={"m": m, "k": k, "mk": m * k})


def _mse_cases(strict):
    rng = np.random.default_rng(5)
    shapes = [(6, 2), (5, 1)] + ([(10, 3), (1, 4), (3, 7)] if strict else [])
    return [_loss_case(rng.normal(size=s), rng.normal(size=s),
                       say("Ŷ and Y of shape {shape}", shape=s)) for s in shapes]


mse = Check(
    name="mse", reference=_nnlib_mse, cases=_mse_cases, mistakes=MSE_MISTAKES,
    solution=mse_solution, notebook=NOTEBOOK, args=("Yhat", "Y"), result="the loss",
    hint="L = 1/(2m) Σᵢ ‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖².",
)


# -- cross-entropy -----------------------------------------------------------------------------
def cross_entropy_solution(Yhat, Y):
    total = -np.sum(Y * np.log(np.clip(Yhat, 1e-12, 1)))
    return total / len(Y)


CE = Solution(cross_entropy_solution, "ce")
CE_MISTAKES = CE.catalogue("""
mean_over_classes
    $SUM_CLASSES
    - np.sum
    + np.mean
    - return total / len(Y)
    + return total

no_minus
    $NO_MINUS
    - -np.sum
    + np.sum

no_mean
    cross-entropy is m = {m} times too large: did you forget the 1/m?
    - return total / len(Y)
    + return total

log0
    log(0) = −∞, and 0 · log 0 gives NaN: clip Ŷ away from 0 before the log, e.g. np.clip(Yhat,
    1e-12, 1).
    - np.clip(Yhat, 1e-12, 1)
    + Yhat

swapped
    the log goes on the prediction: −Σ y log ŷ, not −Σ ŷ log y.
    - Y * np.log(np.clip(Yhat, 1e-12, 1))
    + Yhat * np.log(Y)

binary
    that is binary cross-entropy, one yes/no per output; with softmax and one-hot y the loss is
    −1/m Σᵢ Σₖ yₖ log ŷₖ.
    - total = -np.sum(Y * np.log(np.clip(Yhat, 1e-12, 1)))
    + P = np.clip(Yhat, 1e-12, 1 - 1e-12)
    + total = -np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P))

log10
    $LOG_BASE
    - np.log(
    + np.log10(

log2
    $LOG_BASE
    - np.log(
    + np.log2(

matrix_product
    Σₖ yₖ log ŷₖ is an element-wise product summed over the classes, Y * np.log(Ŷ); Y @ log(Ŷ)ᵀ
    pairs every sample's labels with every other sample's predictions.
    - Y * np.log(np.clip(Yhat, 1e-12, 1))
    + Y @ np.log(np.clip(Yhat, 1e-12, 1)).T

divides_by_k
    average over the m = {m} samples, not over the k = {k} classes: L = −1/m Σᵢ Σₖ y⁽ⁱ⁾ₖ log
    ŷ⁽ⁱ⁾ₖ.
    - return total / len(Y)
    + return total / Y.shape[1]

true_class_zero (probe)
    ŷ = 0 for a sample's true class gives log 0 = −∞ and an infinite loss: clip Ŷ first (e.g.
    np.clip(Yhat, 1e-12, 1)) so that the loss stays finite.
    - Y * np.log(np.clip(Yhat, 1e-12, 1))
    + np.where(Y > 0, np.log(np.where(Y > 0, Yhat, 1)), 0)
""", SUM_CLASSES=_SUM_CLASSES, NO_MINUS=_NO_MINUS, LOG_BASE=_LOG_BASE)


def _ce_cases(strict):
    rng = np.random.default_rng(6)
    cases = []
    for m, k in [(6, 4)] + ([(1, 10), (20, 2), (7, 5)] if strict else []):
        Yhat = _softmax(rng.normal(size=(m, k)))
        Y = _one_hot(rng.integers(0, k, m), k)
        cases.append(_loss_case(Yhat, Y, say("Ŷ ({m}, {k}) with one-hot Y", m=m, k=k)))
    Yhat = np.array([[1.0, 0, 0], [0, 0.3, 0.7], [0.5, 0.5, 0]])
    Y = np.array([[1.0, 0, 0], [0, 0, 1], [1, 0, 0]])
    cases.insert(1, _loss_case(Yhat, Y, say("Ŷ with exact zeros for wrong classes")))
    return cases


def _true_class_zero_probe(fn, strict):
    Yhat = np.array([[0.0, 1.0], [0.5, 0.5]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    got = call(fn, Case((Yhat, Y), ""))
    if got.error is None and not np.isfinite(np.asarray(got.value, dtype=float)).all():
        return named(CE_MISTAKES, "true_class_zero")
    return None


cross_entropy = Check(
    name="cross_entropy", reference=_nnlib_cross_entropy, cases=_ce_cases,
    mistakes=CE_MISTAKES, solution=cross_entropy_solution, notebook=NOTEBOOK,
    args=("Yhat", "Y"), result="the loss",
    probes=(_true_class_zero_probe,), hint="L = −1/m Σᵢ Σₖ y⁽ⁱ⁾ₖ log ŷ⁽ⁱ⁾ₖ.",
)


# -- cross-entropy from logits -----------------------------------------------------------------
def logits_reference(Z, Y):
    """Log-sum-exp: log ŷ_k = z_k − max − log Σ_j e^(z_j − max); exact even where softmax
    rounds ŷ to 0 (there nnlib's cross_entropy(softmax(Z)) would clip; the tests compare both
    on moderate logits). Written as a learner would: the catalogue's variants are edits of it."""
    M = Z.max(axis=1, keepdims=True)
    log_Yhat = Z - M - np.log(np.sum(np.exp(Z - M), axis=1, keepdims=True))
    return float(-np.sum(Y * log_Yhat) / len(Y))


LOGITS = Solution(logits_reference, "logits")
LOGITS_MISTAKES = LOGITS.catalogue("""
log_of_softmax
    log(softmax(Z)) underflows for large logits: ŷ rounds to 0 and log 0 = −∞. Compute log ŷ
    directly with log-sum-exp, $LSE.
    - log_Yhat = Z - M - np.log(np.sum(np.exp(Z - M), axis=1, keepdims=True))
    + E = np.exp(Z - M)
    + log_Yhat = np.log(E / E.sum(axis=1, keepdims=True))

clipped_softmax
    clipping ŷ before the log caps each sample's loss (at −log 1e-12 ≈ 27.6) when its true
    class's logit is far below the others. Compute log ŷ directly with log-sum-exp, $LSE.
    - log_Yhat = Z - M - np.log(np.sum(np.exp(Z - M), axis=1, keepdims=True))
    + E = np.exp(Z - M)
    + log_Yhat = np.log(np.clip(E / E.sum(axis=1, keepdims=True), 1e-12, 1))

no_max
    e^z overflows for large logits: subtract each row's max before exponentiating (log-sum-exp),
    $LSE.
    - Z - M - np.log(np.sum(np.exp(Z - M)
    + Z - np.log(np.sum(np.exp(Z)

max_not_added_back
    $LSE: you subtracted the max inside the sum but not outside it.
    - Z - M - np.log
    + Z - np.log

mean_over_classes
    $SUM_CLASSES
    - -np.sum(Y * log_Yhat) / len(Y)
    + -np.mean(Y * log_Yhat)

max_outside_only
    the log-sum-exp is shifted on one side only: you subtract the max outside the log but not
    inside the sum, where e^z overflows. $LSE.
    - np.exp(Z - M)
    + np.exp(Z)

global_max
    subtract each row's own max, M = Z.max(axis=1, keepdims=True): a row far below the
    matrix's max underflows, e^(z − max) = 0 and log 0 = −∞.
    - Z.max(axis=1, keepdims=True)
    + Z.max()

max_no_keepdims
    Z.max(axis=1) has shape (m,) and does not subtract row by row: keepdims=True gives M the
    shape (m, 1).
    - Z.max(axis=1, keepdims=True)
    + Z.max(axis=1)

sum_no_keepdims
    the row sums need keepdims=True, shape (m, 1), to line up with Z (m, k) row by row.
    - np.sum(np.exp(Z - M), axis=1, keepdims=True)
    + np.sum(np.exp(Z - M), axis=1)

sum_axis0
    log-sum-exp sums over each row's k classes, axis=1; axis=0 sums each class over the samples.
    - np.sum(np.exp(Z - M), axis=1, keepdims=True)
    + np.sum(np.exp(Z - M), axis=0, keepdims=True)

no_mean
    $NO_MEAN
    - -np.sum(Y * log_Yhat) / len(Y)
    + -np.sum(Y * log_Yhat)

sum_of_logs
    the log of a sum is not the sum of the logs: log Σ_j e^(z_j − max) — add up the
    exponentials first, then take one log.
    - np.log(np.sum(np.exp(Z - M), axis=1, keepdims=True))
    + np.sum(np.log(np.exp(Z - M)), axis=1, keepdims=True)

no_minus
    $NO_MINUS
    - -np.sum(Y * log_Yhat)
    + np.sum(Y * log_Yhat)
""", SUM_CLASSES=_SUM_CLASSES, LSE=_LSE, NO_MEAN=_NO_MEAN, NO_MINUS=_NO_MINUS)


def _logits_cases(strict):
    rng = np.random.default_rng(7)
    cases = []
    for m, k in [(5, 3)] + ([(1, 6), (12, 10)] if strict else []):
        Z = rng.normal(scale=2, size=(m, k))
        Y = _one_hot(rng.integers(0, k, m), k)
        cases.append(_loss_case(Z, Y, say("logits Z ({m}, {k}) with one-hot Y", m=m, k=k)))
    Z = np.array([[710.0, 709, 705], [0, 1, 2]])
    Y = np.array([[0.0, 0, 1], [1, 0, 0]])
    cases.append(_loss_case(Z, Y, say("logits around 710, where e^z overflows")))
    Z = np.array([[1000.0, 0, -1000], [0, 1000, 0]])
    Y = np.array([[0.0, 0, 1], [1, 0, 0]])
    cases.append(_loss_case(Z, Y, say("large logits (±1000), the true classes far below the "
                                      "max")))
    Z = np.array([[1000.0, 999, 998], [-1000, -1001, -1002]])
    Y = np.array([[1.0, 0, 0], [0, 1, 0]])
    cases.append(_loss_case(Z, Y, say("rows on very different scales (1000 and −1000)")))
    if strict:
        Z = np.array([[800.0, 810, 790, 805]])
        cases.append(_loss_case(Z, np.array([[0.0, 1, 0, 0]]),
                                say("large logits (≈ 800), one sample")))
    return cases


cross_entropy_from_logits = Check(
    name="cross_entropy_from_logits", reference=logits_reference, cases=_logits_cases,
    mistakes=LOGITS_MISTAKES, solution=logits_reference, notebook=NOTEBOOK, args=("Z", "Y"),
    result="the loss",
    hint=f"L = −1/m Σᵢ Σₖ yₖ log ŷₖ with {_LSE}.",
)

CHECKS = {"mse": mse, "cross_entropy": cross_entropy,
          "cross_entropy_from_logits": cross_entropy_from_logits}
__getattr__ = variants_by_name(CHECKS)
