"""Checks for exercise 07 — the capstone: a digits classifier built from your own functions
(outline 1.8).

    from nnlib_checks import capstone as check
    check.components(init_params=init_params, forward=forward, backward=backward,
                     sgd_update=sgd_update)          # your functions from exercises 01–05
    check.predict(predict)                           # class labels from Ŷ
    X_train, y_train, X_val, y_val = check.digits_split()
    params = check.train_classifier(train_classifier, predict)   # validation accuracy
    check.train_classifier(train_classifier, predict, strict=True)  # reproducible from seed
    check.before_held_out(train_classifier, predict)             # the test above passed
    check.held_out_accuracy(train_classifier, predict)           # the grader's test split

The data are scikit-learn's 8×8 digits (1797 images, pixels scaled to [0, 1]), split with a
fixed seed into training (65%), validation (15%) and a held-out test part (20%) that
``digits_split`` never returns: the grader trains your ``train_classifier`` on the training part
and measures its accuracy there. Both tests use the same bar, ``ACCURACY``: the grader's hidden
test measures the same quantity on other digits, never with a stricter threshold.
"""

import contextlib
import time
import types

import numpy as np

from nnlib import datasets
from nnlib.language import say

from . import backpropagation, forward_propagation, initialization, parameter_update
from .engine import (
    NOT_IMPLEMENTED,
    Case,
    Check,
    Feedback,
    broadcast_shapes,
    library_uses,
    see_notebook,
    where_in_answer,
)
from .forward_propagation import forward_reference
from .mistakes import Solution, variants_by_name

NOTEBOOK = "07_putting_it_together"
SPLIT_SEED = 2024
ACCURACY = 0.95  # the bar of the learner's validation test and of the grader's held-out test
VALIDATION_ACCURACY = HELD_OUT_ACCURACY = ACCURACY
SECONDS = 15  # one training; the test cell trains twice within nbgrader's 30 s cell limit
LIBRARIES = ("nnlib", "sklearn", "torch", "tensorflow", "keras", "jax")
HELD_OUT = "held-out accuracy"  # what the grader's test is called in its ✗ and ✓ lines
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
    """Labels: the most probable class of each row of Ŷ = forward(X, params)."""
    A = X
    for l, (W, b) in enumerate(params, start=1):
        Z = A @ W.T + b
        if l < len(params):
            A = np.maximum(Z, 0)
        else:
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            A = E / E.sum(axis=1, keepdims=True)
    return A.argmax(axis=1)


PREDICT = Solution(predict_solution, "predict")
PREDICT_MISTAKES = PREDICT.catalogue("""
argmax_axis0
    predict returns one label per sample: take the argmax over the k classes of each row,
    axis=1.
    - A.argmax(axis=1)
    + A.argmax(axis=0)

probabilities
    return class labels — the argmax of each row of Ŷ — not the probabilities Ŷ.
    - return A.argmax(axis=1)
    + return A

max_not_argmax
    a probability was returned instead of a class: Ŷ.max(axis=1) is the largest probability of
    each row, Ŷ.argmax(axis=1) is its class — the label predict returns.
    - A.argmax(axis=1)
    + A.max(axis=1)

flat_argmax
    np.argmax without an axis is one index into the flattened Ŷ: take the argmax of each row,
    axis=1 — one label per sample.
    - A.argmax(axis=1)
    + np.argmax(A)

arguments_swapped
    forward takes (X, params), in that order: Yhat, _ = forward(X, params).
    - A = X
    + A, params = params, X

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
    return Case((params, rng.normal(size=(m, sizes[0]))),
                say("X ({m}, {d}) through sizes = {sizes}", m=m, d=sizes[0], sizes=sizes))


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
        raise Feedback(name, say("predict(params, X) raised {error}: {text}",
                                 error=type(err).__name__, text=err)) from None
    if labels.shape != y.shape:
        raise Feedback(name, say("predict(params, X) returned shape {shape}; expected "
                                 "{expected}, one label per sample.", shape=labels.shape,
                                 expected=y.shape))
    return float(np.mean(labels == y))


def _training_error(fn, err, seed, n):
    """The message for an error raised while training: the two shape mistakes of a training
    loop named, any other error with its line."""
    call = f"train_classifier(X_train, y_train, seed={seed})"
    shapes = broadcast_shapes(err) or []
    where = where_in_answer(fn, err)
    if any(len(s) == 1 for s in shapes) and any(len(s) == 2 and s[1] == 10 for s in shapes):
        return "labels_not_one_hot", say(
            "{call} raised a shape error{where}: Ŷ (m, 10) met the labels y (m,). The loss and "
            "δ[L] = Ŷ − Y need one-hot targets Y (m, 10): Y = np.eye(10)[y].", call=call,
            where=where)
    rows = sorted({s[0] for s in shapes if len(s) == 2})
    if len(rows) == 2 and rows[1] == n:
        return "batch_mismatch", say(
            "{call} raised a shape error{where}: an array of all n = {n} training rows met a "
            "batch of {rows}. Run forward, backward and the update on the same batch: X[idx] "
            "with Y[idx].", call=call, where=where, n=n, rows=rows[0])
    return None, say("{call} raised {error}: {text}{where}.", call=call,
                     error=type(err).__name__, text=str(err).strip(), where=where)


@contextlib.contextmanager
def _initial_weights(fn):
    """Records the first weights the learner's own init_params returns while ``fn`` runs."""
    g = getattr(fn, "__globals__", {})
    original, seen = g.get("init_params"), []
    if not isinstance(original, types.FunctionType):
        yield seen
        return

    def recording(*args, **kwargs):
        params = original(*args, **kwargs)
        if not seen:
            seen.append([(np.array(W, dtype=float), np.array(b, dtype=float))
                         for W, b in params])
        return params

    g["init_params"] = recording
    try:
        yield seen
    finally:
        g["init_params"] = original


def _train(fn, seed, name):
    uses = library_uses(fn, LIBRARIES, allow=("nnlib.datasets",))
    if uses:
        raise Feedback(name, say("train_classifier uses {uses}: build it from your own "
                                 "functions (NumPy only; nnlib.datasets helpers are fine).",
                                 uses=", ".join(uses)), "calls_library")
    names = set(_all_names(fn))
    if names & set(_PEEKS):
        raise Feedback(name, say("train_classifier loads data itself ({names}): it must learn "
                                 "from the X and y it is given, nothing else.",
                                 names=", ".join(sorted(names & set(_PEEKS)))), "loads_data")
    X_train, y_train, _, _ = digits_split()
    start = time.perf_counter()
    try:
        with np.errstate(all="ignore"), _initial_weights(fn) as initial:
            params = fn(X_train, y_train, seed=seed)
    except NotImplementedError:
        raise Feedback(name, say(NOT_IMPLEMENTED), "not_implemented") from None
    except Exception as err:
        mistake, text = _training_error(fn, err, seed, len(X_train))
        raise Feedback(name, text, mistake) from None
    _cache.setdefault("initial", {})[fn, seed] = initial[0] if initial else None
    return params, time.perf_counter() - start


def _same_params(a, b):
    try:
        return len(a) == len(b) and all(
            np.array_equal(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
            for pa, pb in zip(a, b) for x, y in zip(pa, pb))
    except (TypeError, ValueError):
        return False


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


def train_classifier(fn, predict_fn, threshold=ACCURACY, seed=0, strict=False):
    """Train ``fn(X_train, y_train, seed=seed)``, report the validation accuracy of
    ``predict_fn(params, X_val)``, and return the trained params. ``strict=True`` (the hidden
    test) trains again with the same seed: everything random must come from ``seed``, so the
    weights must be the same."""
    name = "train_classifier"
    params, seconds = _train(fn, seed, name)
    _, _, X_val, y_val = digits_split()
    acc = _accuracy(predict_fn, params, X_val, y_val, name)
    if acc < threshold:
        raise Feedback(name, say("validation accuracy {accuracy:.1%}, below the "
                                 "{threshold:.0%} needed. Train longer, tune the learning rate "
                                 "or widen the hidden layer; check the loss falls epoch by "
                                 "epoch.", accuracy=acc, threshold=threshold)
                       + see_notebook(NOTEBOOK), "low_accuracy")
    if seconds > SECONDS:
        raise Feedback(name, say("training took {seconds:.0f} s: the grader gives each test "
                                 "cell 30 s and this one trains twice — keep one training under "
                                 "about 10 s (fewer epochs or a narrower hidden layer).",
                                 seconds=seconds), "too_slow")
    earlier = _cache.setdefault("trained", {}).get((fn, seed))
    if strict and earlier is not None and not _same_params(earlier, params):
        raise Feedback(name, say("two trainings with seed={seed} gave different weights: "
                                 "everything random must come from seed — draw it from "
                                 "np.random.default_rng(seed), never from np.random's global "
                                 "state or an unseeded default_rng().", seed=seed), "unseeded")
    _cache["trained"][fn, seed] = params
    _cache.setdefault("passed", set()).add((fn, predict_fn))
    print(say("✓ train_classifier: validation accuracy {accuracy:.1%} (at least "
              "{threshold:.0%} needed), trained in {seconds:.1f} s, the same weights again from "
              "the same seed" if strict and earlier else
              "✓ train_classifier: validation accuracy {accuracy:.1%} (at least "
              "{threshold:.0%} needed), trained in {seconds:.1f} s",
              accuracy=acc, threshold=threshold, seconds=seconds))
    return params


def before_held_out(fn, predict_fn):
    """The visible part of the held-out test: it trains ``fn`` again, so the validation test
    above must have passed (in one sentence when it has not, instead of a NameError)."""
    if (fn, predict_fn) not in _cache.get("passed", set()):
        raise Feedback(say(HELD_OUT), say("the held-out test trains train_classifier again, so "
                                          "the validation test above must pass first."),
                       "prerequisite")
    print(say("✓ train_classifier passed the validation test; the grader retrains it (seed 1) "
              "and needs at least {accuracy:.0%} on held-out digits.", accuracy=ACCURACY))


def held_out_accuracy(fn, predict_fn, threshold=ACCURACY, seed=1):
    """The grader's test: train ``fn`` on the training part with another seed, then measure the
    accuracy on the held-out part that the learner's code never sees. Returns None on purpose:
    nbgrader would read a number left as a test cell's result as its partial-credit score."""
    name = say(HELD_OUT)
    params, seconds = _train(fn, seed, name)
    initial = _cache["initial"]
    if initial.get((fn, seed)) is not None and initial.get((fn, 0)) is not None \
            and _same_params(initial[fn, seed], initial[fn, 0]):
        raise Feedback(name, say("init_params gave the same initial weights for seed=0 and "
                                 "seed={seed}: pass the seed on, init_params(sizes, seed), so "
                                 "that everything random comes from it.", seed=seed),
                       "seed_ignored")
    _, _, _, _, X_test, y_test = _split()
    acc = _accuracy(predict_fn, params, X_test.copy(), y_test.copy(), name)
    if acc < threshold:
        raise Feedback(name, say("accuracy on the held-out digits is {accuracy:.1%}, below the "
                                 "{threshold:.0%} needed (trained with seed={seed}).",
                                 accuracy=acc, threshold=threshold, seed=seed), "low_accuracy")
    print(say("✓ held-out accuracy {accuracy:.1%} (at least {threshold:.0%} needed), trained "
              "in {seconds:.1f} s", accuracy=acc, threshold=threshold, seconds=seconds))


CHECKS = {"predict": predict}
__getattr__ = variants_by_name(CHECKS)
