"""Checks for exercise 07 — the capstone: a digits classifier built from your own functions
(outline 1.8).

    from nnlib_checks import capstone as check
    check.components(init_params=init_params, forward=forward, backward=backward,
                     sgd_update=sgd_update)          # your functions from exercises 01–05
    check.predict(predict)                           # class labels from Ŷ
    X_train, y_train, X_val, y_val = check.digits_split()
    params = check.train_classifier(train_classifier, predict)   # validation accuracy
    check.held_out_accuracy(train_classifier, predict)           # the grader's test split

The data are scikit-learn's 8×8 digits (1797 images, pixels scaled to [0, 1]), split with a
fixed seed into training (65%), validation (15%) and a held-out test part (20%) that
``digits_split`` never returns: the grader trains your ``train_classifier`` on the training part
and measures its accuracy there.
"""

import time

import numpy as np

from nnlib import datasets

from . import backpropagation, forward_propagation, initialization, parameter_update
from .engine import Case, Check, Feedback, library_uses
from .forward_propagation import forward_reference
from .mistakes import Solution, variants_by_name

NOTEBOOK = "07_putting_it_together"
SPLIT_SEED = 2024
VALIDATION_ACCURACY = 0.93
HELD_OUT_ACCURACY = 0.95
LIBRARIES = ("nnlib", "sklearn", "torch", "tensorflow", "keras", "jax")
_cache = {}


def _split():
    if "split" not in _cache:
        X, y = datasets.digits()
        _cache["split"] = datasets.train_val_test_split(X, y, val=0.15, test=0.2,
                                                        seed=SPLIT_SEED)
    return _cache["split"]


def digits_split():
    """(X_train, y_train, X_val, y_val): X (n, 64) in [0, 1], y (n,) labels 0..9. Copies, so
    nothing you do to them reaches the grader's data."""
    X_train, y_train, X_val, y_val, _, _ = _split()
    return X_train.copy(), y_train.copy(), X_val.copy(), y_val.copy()


# -- your functions from exercises 01–05 -------------------------------------------------------
def components(init_params, forward, backward, sgd_update, strict=False):
    """Run the checks of exercises 01, 02, 04 and 05 on your own versions."""
    initialization.init_params(init_params, strict)
    forward_propagation.forward(forward, strict)
    backpropagation.backward(backward, strict)
    parameter_update.sgd_update(sgd_update, strict)


# -- predict -----------------------------------------------------------------------------------
def _predict_reference(params, X):
    Yhat, _ = forward_reference(X, params)
    return Yhat.argmax(axis=1)


def predict_solution(params, X):
    """Labels from the logits: softmax keeps each row's order, so Z[L] and Ŷ share the argmax."""
    A = X
    for l, (W, b) in enumerate(params, start=1):
        Z = A @ W.T + b
        A = np.maximum(Z, 0) if l < len(params) else Z
    return A.argmax(axis=1)


PREDICT = Solution(predict_solution, "predict")
PREDICT_MISTAKES = PREDICT.catalogue("""
argmax_axis0
    predict returns one label per sample: take the argmax over the k classes of each row,
    axis=1.
    - axis=1
    + axis=0

probabilities
    return class labels — the argmax of each row of Ŷ — not the probabilities Ŷ.
    - return A.argmax(axis=1)
    + E = np.exp(A - A.max(axis=1, keepdims=True))
    + return E / E.sum(axis=1, keepdims=True)

one_hot
    return the labels 0..k−1 themselves (shape (n,)), not one-hot rows.
    - return A.argmax(axis=1)
    + return np.eye(A.shape[1])[A.argmax(axis=1)]

argmin
    the predicted class is the most probable one: argmax, not argmin.
    - A.argmax
    + A.argmin
""")


def _predict_case(rng, m, sizes):
    params = [(rng.normal(scale=np.sqrt(2 / n_in), size=(n_out, n_in)), rng.normal(size=n_out))
              for n_in, n_out in zip(sizes, sizes[1:])]
    return Case((params, rng.normal(size=(m, sizes[0]))), f"X ({m}, {sizes[0]}) through "
                                                          f"sizes = {sizes}")


def _predict_cases(strict):
    rng = np.random.default_rng(15)
    cases = [_predict_case(rng, 7, [4, 6, 3]), _predict_case(rng, 5, [64, 16, 10])]
    if strict:
        cases += [_predict_case(rng, 1, [3, 2]), _predict_case(rng, 40, [64, 32, 32, 10])]
    return cases


predict = Check(
    name="predict", reference=_predict_reference, cases=_predict_cases,
    mistakes=PREDICT_MISTAKES, solution=predict_solution, notebook=NOTEBOOK, args=("params", "X"),
    hint="labels = the argmax over classes of Ŷ = forward(X, params), one per row.",
)


# -- the trained classifier --------------------------------------------------------------------
_PEEKS = ("digits", "load_digits", "digits_split", "train_val_test_split", "fetch_openml")


def _accuracy(predict_fn, params, X, y, name):
    try:
        with np.errstate(all="ignore"):
            labels = np.asarray(predict_fn(params, X))
    except Exception as err:
        raise Feedback(name, f"predict(params, X) raised {type(err).__name__}: {err}") from None
    if labels.shape != y.shape:
        raise Feedback(name, f"predict(params, X) returned shape {labels.shape}; expected "
                             f"{y.shape}, one label per sample.")
    return float(np.mean(labels == y))


def _train(fn, seed, name):
    uses = library_uses(fn, LIBRARIES, allow=("nnlib.datasets",))
    if uses:
        raise Feedback(name, f"train_classifier uses {', '.join(uses)}: build it from your own "
                             f"functions (NumPy only; nnlib.datasets helpers are fine).",
                       "calls_library")
    names = set(_all_names(fn))
    if names & set(_PEEKS):
        raise Feedback(name, f"train_classifier loads data itself "
                             f"({', '.join(sorted(names & set(_PEEKS)))}): it must learn from "
                             f"the X and y it is given, nothing else.", "loads_data")
    X_train, y_train, _, _ = digits_split()
    start = time.perf_counter()
    try:
        with np.errstate(all="ignore"):
            params = fn(X_train, y_train, seed=seed)
    except NotImplementedError:
        raise Feedback(name, "not implemented yet: replace `raise NotImplementedError()` with "
                             "your code.", "not_implemented") from None
    except Exception as err:
        raise Feedback(name, f"train_classifier(X_train, y_train, seed={seed}) raised "
                             f"{type(err).__name__}: {err}") from None
    return params, time.perf_counter() - start


def _all_names(fn, seen=None):
    """Global and attribute names used by fn and by the notebook functions it calls."""
    seen = set() if seen is None else seen
    code = getattr(fn, "__code__", None)
    if code is None or code in seen:
        return
    seen.add(code)
    stack = [code]
    while stack:
        c = stack.pop()
        yield from c.co_names
        stack += [k for k in c.co_consts if hasattr(k, "co_names")]
        for name in c.co_names:
            obj = fn.__globals__.get(name)
            if callable(obj) and getattr(obj, "__globals__", None) is fn.__globals__:
                yield from _all_names(obj, seen)


def train_classifier(fn, predict_fn, threshold=VALIDATION_ACCURACY, seed=0):
    """Train ``fn(X_train, y_train, seed=seed)``, report the validation accuracy of
    ``predict_fn(params, X_val)``, and return the trained params."""
    name = "train_classifier"
    params, seconds = _train(fn, seed, name)
    _, _, X_val, y_val = digits_split()
    acc = _accuracy(predict_fn, params, X_val, y_val, name)
    if acc < threshold:
        raise Feedback(name, f"validation accuracy {acc:.1%}, below the {threshold:.0%} "
                             f"needed. Train longer, tune the learning rate or widen the hidden "
                             f"layer; check the loss falls epoch by epoch. See notebook "
                             f"{NOTEBOOK}.", "low_accuracy")
    print(f"✓ train_classifier: validation accuracy {acc:.1%} (at least {threshold:.0%} "
          f"needed), trained in {seconds:.1f} s")
    return params


def held_out_accuracy(fn, predict_fn, threshold=HELD_OUT_ACCURACY, seed=1):
    """The grader's test: train ``fn`` on the training part with another seed, then measure the
    accuracy on the held-out part that the learner's code never sees. Returns None on purpose:
    nbgrader would read a number left as a test cell's result as its partial-credit score."""
    name = "held-out accuracy"
    params, seconds = _train(fn, seed, name)
    _, _, _, _, X_test, y_test = _split()
    acc = _accuracy(predict_fn, params, X_test.copy(), y_test.copy(), name)
    if acc < threshold:
        raise Feedback(name, f"accuracy on the held-out digits is {acc:.1%}, below the "
                             f"{threshold:.0%} needed (trained with seed={seed}).",
                       "low_accuracy")
    print(f"✓ held-out accuracy {acc:.1%} (at least {threshold:.0%} needed), trained in "
          f"{seconds:.1f} s")


CHECKS = {"predict": predict}
__getattr__ = variants_by_name(CHECKS)
