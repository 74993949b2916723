"""Your-turn tasks of notebook 03 — the loss (outline 1.3, rough edges 4 and 5).

Ŷ and Y are (m, k), one row per sample; Y is one-hot for cross-entropy. Every loss is one
number, a mean over the m samples.
"""

import numpy as np

from nnlib.activations import softmax
from nnlib.language import say
from nnlib.losses import cross_entropy as _nnlib_cross_entropy

from ..engine import Case, Check
from ..mistakes import Solution
from . import read_tasks


def _loss_of(probabilities, label):
    """nnlib's cross-entropy of one sample whose prediction is ``probabilities``."""
    Yhat = np.array([probabilities], dtype=float)
    return _nnlib_cross_entropy(Yhat, np.eye(Yhat.shape[1])[[label]])


# -- cross_entropy with one-hot labels, in one line --------------------------------------------
def cross_entropy_solution(Yhat, Y):
    return -np.sum(Y * np.log(Yhat)) / len(Y)


CE = Solution(cross_entropy_solution, "cross_entropy")
CE_MISTAKES = CE.catalogue("""
mean_over_classes
    np.mean divides by m·k = {mk}, so yours is k = {k} times too small: sum over the classes as
    well as the samples, then divide by m. L = −1/m Σᵢ Σₖ y⁽ⁱ⁾ₖ log ŷ⁽ⁱ⁾ₖ.
    - -np.sum(Y * np.log(Yhat)) / len(Y)
    + -np.mean(Y * np.log(Yhat))

no_minus
    you left out the minus sign: log ŷ ≤ 0, so the loss −1/m Σᵢ Σₖ yₖ log ŷₖ is ≥ 0.
    - -np.sum
    + np.sum

no_mean
    the loss is m = {m} times too large: did you forget the 1/m?
    - / len(Y)

no_one_hot
    multiply by Y first: the one-hot row keeps only the true class's log ŷ. Without it you add
    the logs of all k = {k} classes of every sample.
    - Y * np.log(Yhat)
    + np.log(Yhat)

per_sample
    sum over the samples as well as the classes, then divide by m: with axis=1 you get one loss
    per sample.
    - np.sum(Y * np.log(Yhat))
    + np.sum(Y * np.log(Yhat), axis=1)

swapped
    the log goes on the prediction: −Σ y log ŷ, not −Σ ŷ log y (log y is −∞ wherever y = 0).
    - Y * np.log(Yhat)
    + Yhat * np.log(Y)

log10
    cross-entropy uses the natural log, np.log, not np.log10 or np.log2.
    - np.log(
    + np.log10(
""")


def _cross_entropy_cases(strict):
    rng = np.random.default_rng(30)
    cases = []
    for m, k in [(6, 4), (5, 3), (2, 5)]:
        Yhat, Y = softmax(rng.normal(size=(m, k))), np.eye(k)[rng.integers(0, k, m)]
        cases.append(Case((Yhat, Y), say("Ŷ ({m}, {k}) with one-hot Y", m=m, k=k),
                          info={"m": m, "k": k, "mk": m * k}))
    return cases


cross_entropy = Check(
    name="cross_entropy", reference=_nnlib_cross_entropy, cases=_cross_entropy_cases,
    mistakes=CE_MISTAKES, solution=cross_entropy_solution, args=("Yhat", "Y"),
    result="the loss", hint="L = −1/m Σᵢ Σₖ y⁽ⁱ⁾ₖ log ŷ⁽ⁱ⁾ₖ.",
)

TASKS = read_tasks("""
cross_entropy (function)
    title: cross-entropy with one-hot labels
    check: cross_entropy

uniform_guess (value)
    title: the loss of guessing ⅓ for each of 3 classes
    expected: uniform_guess
    rtol: 1e-2
    hint: every sample's true class gets ŷ = ⅓, so every sample costs −log ⅓.
    wrong minus_log_3: the loss is −log ŷ: with ŷ = ⅓ that is −log ⅓ = +log 3 > 0.
    wrong third: ⅓ is the probability itself; the loss is −log ⅓.
    wrong log_3_over_3: the mean is over the samples, not the classes: each sample costs
        −log ⅓, and so does their mean.
    wrong log10_3: cross-entropy uses the natural log: np.log, not np.log10.
    wrong log2_3: cross-entropy uses the natural log: np.log, not np.log2.

ce_one_percent (value)
    title: the cross-entropy of one sample whose true class gets 1 %
    expected: ce_one_percent
    rtol: 1e-2
    hint: one sample whose true class gets ŷ = 0.01: ℓ = −log ŷ.
    wrong half_square: that is MSE's ½(ŷ − y)², which can never exceed ½; cross-entropy
        charges −log ŷ.
    wrong log_percent: the loss is −log ŷ, which is positive: log 0.01 < 0.
    wrong log_complement: that is −log 0.99, the log of 1 − ŷ; with y = 1 the loss is −log ŷ,
        the true class's probability.
    wrong 2.0: cross-entropy uses the natural log: −ln 0.01, not −log₁₀ 0.01.
    wrong 0.99: that is the error 1 − ŷ; cross-entropy charges −log ŷ.

saturated_prediction (prediction)
    title: MSE from a saturated start
    choice a: it reaches about the same accuracy as from the usual start, a little later
    choice b: it is still stuck near 50 % accuracy
    choice c: it does better than from the usual start: its errors are larger
    answer: b
    why: With MSE, ∂ℓ/∂z = (ŷ − y) σ′(z), and σ′(z) ≈ 0.0025 at z ≈ −6: the gradient vanishes
        exactly where the error is largest. Cross-entropy's ŷ − y does not.
    wrong c: A larger error would give a larger gradient only if σ′(z) were not ≈ 0 there.

log0_prediction (prediction)
    title: −log ŷ when ŷ has rounded to 0
    choice a: 800, the exact loss
    choice b: inf: ŷ is exactly 0 and log 0 = −∞
    choice c: a large but finite number: log stops at the smallest float64
    answer: b
    why: e^(−800) is below the smallest float64 (about 5e-324), so ŷ₀ is exactly 0 and
        −log 0 = ∞: one such sample makes the mean loss infinite. Hence the clip before the
        log, or log-sum-exp, which never forms ŷ.
    wrong a: 800 is the exact value, but it is lost once ŷ₀ has rounded to 0.
    wrong c: NumPy's log does not clip: np.log(0.0) is −inf. A loss must clip ŷ itself (nnlib
        clips at the smallest normal float64, which caps −log ŷ at about 708).
""", values={"cross_entropy": cross_entropy, "uniform_guess": _loss_of([1 / 3] * 3, 0),
             "minus_log_3": -np.log(3), "third": 1 / 3, "log_3_over_3": np.log(3) / 3,
             "log10_3": np.log10(3), "log2_3": np.log2(3),
             "ce_one_percent": _loss_of([0.01, 0.99], 0), "half_square": 0.5 * 0.99 ** 2,
             "log_percent": np.log(0.01), "log_complement": -np.log(0.99)})
