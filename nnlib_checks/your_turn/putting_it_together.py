"""Your-turn tasks of notebook 07 — putting it together (outline 1.8): the digits network's
parameters, its loss curves, its test accuracy and its confusion matrix.

Ŷ is (m, k), one row of k class probabilities per sample; labels y are integers 0 … k − 1.
The confusion matrix C is (k, k): C[i, j] counts the samples of true class i predicted as j.
"""

import numpy as np

from nnlib import Dense, Network, datasets
from nnlib.losses import CrossEntropy

from ..engine import Case, Check
from ..mistakes import Solution
from . import read_tasks


def _n_parameters(sizes):
    """Σ_l n_l (n_{l−1} + 1), counted by nnlib on the network of these sizes."""
    layers = [Dense(a, b, "relu") for a, b in zip(sizes, sizes[1:])]
    return sum(theta.size for _, theta, _ in Network(layers, loss="mse").parameters())


def _scores(m, k, seed):
    """Ŷ (m, k): rows of softmax probabilities, and labels (m,) that agree with most rows. The
    first row is the surest of all, of class 1, so that a flattened argmax lands on a class."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(m, k)) * 2
    Z[0, 1] = 20
    Yhat = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    y = np.where(rng.random(m) < 0.7, Yhat.argmax(axis=1), rng.integers(0, k, m))
    return Yhat, y


# -- accuracy: the fraction of rows whose most probable class is the label ---------------------
def _accuracy_reference(Yhat, y):
    """nnlib's rule (``Network.accuracy``): the class of a row is its largest entry."""
    return float(np.mean(CrossEntropy().classes(Yhat) == y))


def accuracy_solution(Yhat, y):
    return np.mean(np.argmax(Yhat, axis=1) == y)


ACCURACY = Solution(accuracy_solution, "accuracy")
ACCURACY_MISTAKES = ACCURACY.catalogue("""
argmax_axis0
    np.argmax(Yhat, axis=0) finds, for each class, the sample most sure of it. The predicted
    class of a sample is the largest entry of its row: axis=1, one label per row.
    - axis=1
    + axis=0

argmax_flat
    without axis, np.argmax returns one index into the flattened Yhat; take it row by row,
    np.argmax(Yhat, axis=1), to get one predicted class per sample.
    - np.argmax(Yhat, axis=1)
    + np.argmax(Yhat)

max_not_argmax
    np.max gives the largest probability of each row, not its class: np.argmax gives where the
    largest is, which is the class.
    - np.argmax(
    + np.max(

count
    that is how many are right, out of m = {m}; accuracy is the fraction: np.mean of the
    comparison (or the count divided by m).
    - np.mean(
    + np.sum(

error_rate
    that is the error rate, 1 − accuracy: count the rows where the prediction equals y.
    - == y
    + != y
""")


def _accuracy_cases(strict):
    cases = []
    for m, k, seed in [(12, 10, 1), (7, 3, 2), (40, 4, 3)]:
        Yhat, y = _scores(m, k, seed)
        cases.append(Case((Yhat, y), f"Yhat ({m}, {k}), y ({m},)", info={"m": m}))
    return cases


accuracy = Check(
    name="accuracy", reference=_accuracy_reference, cases=_accuracy_cases,
    mistakes=ACCURACY_MISTAKES, solution=accuracy_solution, args=("Yhat", "y"),
    result="the accuracy",
    hint="The predicted class of row i is argmax_k ŷ⁽ⁱ⁾_k; accuracy is the fraction of rows "
         "where it equals y⁽ⁱ⁾.",
)


# -- confusion: C[i, j] counts true class i predicted as j -------------------------------------
def _confusion_reference(y_true, y_pred, k):
    """C = Tᵀ P with T, P the one-hot rows of the labels and predictions (nnlib's one_hot):
    entry (i, j) adds 1 for every sample that is i and was predicted j."""
    return (datasets.one_hot(y_true, k).T @ datasets.one_hot(y_pred, k)).astype(int)


def confusion_solution(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


CONFUSION = Solution(confusion_solution, "confusion")
CONFUSION_MISTAKES = CONFUSION.catalogue("""
fancy_index_increment
    C[y_true, y_pred] += 1 adds 1 only once per distinct (true, predicted) pair: NumPy's fancy
    indexing does not add up repeats, so the {m} samples here, in {pairs} distinct pairs, count
    only {pairs}. Use np.add.at(C, (y_true, y_pred), 1), or a loop over the samples.
    - np.add.at(C, (y_true, y_pred), 1)
    + C[y_true, y_pred] += 1

transposed
    rows are the true class and columns the prediction, C[true, predicted]; yours is Cᵀ.
    - (y_true, y_pred)
    + (y_pred, y_true)

true_twice
    every sample landed on the diagonal, at (true, true): the column is the prediction, so add 1
    at (y_true[i], y_pred[i]).
    - (y_true, y_pred)
    + (y_true, y_true)

fractions
    C counts samples: its entries are whole numbers that add up to m = {m}. Leave the counts as
    they are (the accuracy is tr(C) / m, not C itself).
    - return C
    + return C / len(y_true)
""")


def _confusion_cases(strict):
    rng = np.random.default_rng(7)
    cases = []
    for m, k in [(30, 3), (50, 10), (12, 4)]:
        y_true = rng.integers(0, k, m)
        y_pred = np.where(rng.random(m) < 0.7, y_true, rng.integers(0, k, m))
        pairs = len(set(zip(y_true.tolist(), y_pred.tolist())))
        cases.append(Case((y_true, y_pred, k), f"y_true ({m},), y_pred ({m},), k = {k}",
                          info={"m": m, "pairs": pairs}))
    return cases


confusion = Check(
    name="confusion", reference=_confusion_reference, cases=_confusion_cases,
    mistakes=CONFUSION_MISTAKES, solution=confusion_solution, args=("y_true", "y_pred", "k"),
    result="C", forbid=("nnlib", "sklearn"),
    hint="Start from C = np.zeros((k, k), dtype=int) and add 1 at row y_true[i], column "
         "y_pred[i] for every sample i.",
)

TASKS = read_tasks("""
n_parameters (value)
    title: the parameters of a 64 → 128 → 10 network
    expected: n_parameters
    hint: Each unit has one weight per input and one bias: Σ_l n_l (n_{l−1} + 1).
    wrong weights_only: those are the weights only: each of the 128 + 10 units also has a bias.
    wrong W1_only: that is W[1] alone; add b[1] and layer 2's W[2], b[2].
    wrong layer_1: that is layer 1 (W[1] and b[1]); layer 2 adds 10 · (128 + 1).
    wrong units: that counts the units; the parameters are the weights and biases between them.

curves_prediction (prediction)
    title: the training and validation loss of the digits network
    choice a: both keep falling together until the cap of 200 epochs
    choice b: the training loss keeps falling, the validation loss levels off early, and fit
        stops long before 200 epochs
    choice c: the training loss levels off first: 9 610 parameters are too few for 6 295 digits
    answer: b
    why: 9 610 parameters can nearly memorise the training digits, so their loss heads towards
        0; on unseen digits the gain stops after a few epochs. Ten epochs without a new best
        validation loss, and fit stops and restores the best epoch.
    wrong a: The validation digits were never trained on: once the network has learned what
        carries over to them, more epochs only fit the training digits.
    wrong c: Here the parameters outnumber the training digits; the training loss is the one
        that can keep falling.

accuracy (function)
    title: the accuracy from the predicted probabilities
    check: accuracy

confusion (function)
    title: the confusion matrix
    check: confusion
""", values={"n_parameters": _n_parameters([64, 128, 10]), "weights_only": 128 * 64 + 10 * 128,
             "W1_only": 128 * 64, "layer_1": 128 * 65, "units": 64 + 128 + 10,
             "accuracy": accuracy, "confusion": confusion})
