"""Checks for exercise 06 — iteration (outline 1.6).

    from nnlib_checks import iteration as check
    check.iterate_minibatches(iterate_minibatches)  # shuffled batches, every sample once
    check.should_stop(should_stop)                  # early stopping with patience
    check.train(train)                              # the loop, with a loss threshold

``iterate_minibatches(X, Y, batch_size, rng)`` returns a list of (X_batch, Y_batch): the rows in
the order ``rng.permutation(n)``, cut into batches of ``batch_size`` (the last may be smaller).
``train(X, Y, sizes, lr, epochs, batch_size, seed=0, tol=None)`` returns ``(params, history)``,
one loss per epoch — the size-weighted mean of the batch losses, each measured before its
batch's update — and stops early once an epoch's loss is below ``tol``. It may use the building
blocks of ``nnlib_checks.blocks``. Its numbers must be nnlib's: ``init_params(sizes, seed)``,
one ``rng = np.random.default_rng(seed)`` for the shuffling — or, when the learner's own
``iterate_minibatches`` shuffles differently but validly, the same loop over those batches.
"""

import types

import numpy as np

from nnlib import SGD, Dense, Network, datasets, fit
from nnlib.language import say

from .blocks import backward, cross_entropy, forward, init_params, sgd_update
from .engine import Case, Check, by_depth, call, close, notebook_functions, see_notebook
from .mistakes import Solution, named, variants_by_name

NOTEBOOK = "06_iteration"


# -- iterate_minibatches -----------------------------------------------------------------------
def _batches_reference(X, Y, batch_size, rng):
    return list(datasets.minibatches(X, Y, batch_size, shuffle=True, seed=rng))


def iterate_minibatches_solution(X, Y, batch_size, rng):
    order = rng.permutation(len(X))
    batches = []
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        batches.append((X[idx], Y[idx]))
    return batches


BATCHES = Solution(iterate_minibatches_solution, "batches")
BATCH_MISTAKES = BATCHES.catalogue("""
drop_last
    the last, smaller batch was dropped: every epoch must visit all n = {n} samples, so the last
    batch holds the {r} rows left over.
    - range(0, len(X), batch_size)
    + range(0, len(X) - batch_size + 1, batch_size)

separate_shuffle
    X and Y were shuffled with different permutations, so rows no longer match their labels:
    draw one order = rng.permutation(n) and index both with it.
    - order = rng.permutation(len(X))
    + order, order_Y = rng.permutation(len(X)), rng.permutation(len(Y))
    - Y[idx]
    + Y[order_Y[start:start + batch_size]]

no_shuffle
    the batches come in the original order: shuffle every epoch, with
    order = rng.permutation(n).
    - rng.permutation(len(X))
    + np.arange(len(X))

with_replacement
    some samples appear twice and others never: draw a permutation (rng.permutation(n)), not
    indices with replacement.
    - rng.permutation(len(X))
    + rng.integers(0, len(X), len(X))

global_rng (probe)
    the same generator state gave different batches: shuffle with the rng you were given
    (rng.permutation(n)), not with np.random's global state.
    - rng.permutation(len(X))
    + np.random.permutation(len(X))

fixed_rng (probe)
    every call gave the same order: draw from the rng argument (rng.permutation(n)), so that
    each epoch gets a new order.
    - rng.permutation(len(X))
    + np.random.default_rng(0).permutation(len(X))

slice_end
    a batch is order[start:start + batch_size]: the slice ends at start + batch_size, not at
    batch_size, or every batch after the first is empty.
    - order[start:start + batch_size]
    + order[start:batch_size]

batch_number_as_start
    range(0, n, batch_size) gives each batch's first row, 0, batch_size, 2·batch_size, …:
    starting batches at rows 0, 1, 2, … makes them overlap.
    - range(0, len(X), batch_size)
    + range(len(X) // batch_size + 1)

permutes_columns
    shuffle the n = {n} samples, the rows: rng.permutation(len(X)), not X.shape[1] (the
    features).
    - rng.permutation(len(X))
    + rng.permutation(X.shape[1])

empty_last_batch
    range(0, n + 1, batch_size) adds an empty batch when batch_size divides n: the batches start
    at range(0, n, batch_size).
    - range(0, len(X), batch_size)
    + range(0, len(X) + 1, batch_size)
""")


def _batch_case(n, d, k, batch_size, seed):
    X = np.arange(n * d, dtype=float).reshape(n, d)  # every row is different
    Y = np.eye(k)[np.arange(n) % k]
    r = n % batch_size or batch_size
    label = f"X ({n}, {d}), Y ({n}, {k}), batch_size = {batch_size}"
    return Case((X, Y, batch_size, np.random.default_rng(seed)), label, info={"n": n, "r": r})


def _batch_cases(strict):
    sets = [(10, 2, 3, 4, 0), (12, 3, 2, 6, 1)]
    if strict:
        sets += [(7, 1, 2, 10, 2), (33, 4, 5, 8, 3), (5, 2, 2, 1, 4)]
    return [_batch_case(*s) for s in sets]


def _rows(batches, which):
    return np.concatenate([np.asarray(b[which], dtype=float).reshape(len(b[which]), -1)
                           for b in batches])


def _batches_accept(yours, expected, case):
    """A different but valid shuffle is fine: same batch sizes, every sample once, X and Y rows
    still paired, and not the original order."""
    X, Y = case.args[0], case.args[1]
    n = len(X)
    Xs, Ys = _rows(yours, 0), _rows(yours, 1)
    key = {tuple(x): i for i, x in enumerate(X)}
    idx = [key.get(tuple(x), -1) for x in Xs]
    if sorted(idx) != list(range(n)):
        return named(BATCH_MISTAKES, "with_replacement")
    if not np.array_equal(Ys, Y[idx]):
        return named(BATCH_MISTAKES, "separate_shuffle")
    if n >= 8 and idx == list(range(n)):
        return named(BATCH_MISTAKES, "no_shuffle")
    return None


def _batches_probe(fn, strict):
    case = _batch_case(20, 2, 2, 5, 7)
    X, Y = case.args[0], case.args[1]
    runs = [call(fn, Case((X, Y, 5, np.random.default_rng(s)), "")) for s in (7, 7)]
    if any(r.error for r in runs):
        return None
    same = all(np.array_equal(a[0], b[0]) for a, b in zip(runs[0].value, runs[1].value))
    if not same:
        return named(BATCH_MISTAKES, "global_rng")
    rng = np.random.default_rng(8)
    epochs = [call(fn, Case((X, Y, 5, rng), "")) for _ in range(2)]  # copies of one state...
    if epochs[0].error or epochs[1].error:
        return None
    epochs = [fn(X, Y, 5, rng), fn(X, Y, 5, rng)]  # ...then the same generator, twice
    if all(np.array_equal(a[0], b[0]) for a, b in zip(*epochs)):
        return named(BATCH_MISTAKES, "fixed_rng")
    return None


iterate_minibatches = Check(
    name="iterate_minibatches", reference=_batches_reference, cases=_batch_cases,
    mistakes=BATCH_MISTAKES, solution=iterate_minibatches_solution, notebook=NOTEBOOK,
    args=("X", "Y", "batch_size", "rng"),
    describe=by_depth("the list of batches", lambda i: say("batch {i}", i=i),
                      lambda i, j: say("batch {i}'s {part}", i=i, part="XY"[j])),
    accept=_batches_accept, probes=(_batches_probe,),
    hint="order = rng.permutation(n); batch i holds rows order[i·batch_size:(i+1)·batch_size].",
)


# -- should_stop -------------------------------------------------------------------------------
def _stop_reference(val_losses, patience):
    """nnlib.fit's rule: count the epochs since the validation loss last reached a new,
    strictly lower best; stop once that count reaches ``patience``."""
    best, wait = np.inf, 0
    for loss in val_losses:
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
    return wait >= patience


STOP = Solution(_stop_reference, "stop")
STOP_MISTAKES = STOP.catalogue("""
vs_previous
    compare with the best validation loss so far, not with the previous epoch: a small dip after
    a rise is not a new best.
    - wait += 1
    + best, wait = loss, wait + 1

one_late
    stop once the loss has not improved for `patience` epochs (count >= patience), not one epoch
    later.
    - wait >= patience
    + wait > patience

ties_improve
    an equal loss is not an improvement: only a strictly lower validation loss resets the count.
    - loss < best
    + loss <= best

tracks_max
    the validation loss improves when it goes down: track its minimum.
    - np.inf
    + -np.inf
    - loss < best
    + loss > best

empty_history
    before the first epoch (val_losses = []) there is nothing to stop: return False.
    - return wait >= patience
    + return len(val_losses) - 1 - int(np.argmin(val_losses)) >= patience
""")


def _stop_cases(strict):
    sets = [([1.0, 0.9, 0.8], 2), ([1.0, 0.9, 0.95, 0.97], 2), ([1.0, 0.9, 0.95], 2),
            ([1.0, 0.8, 0.9, 0.85, 0.86], 3), ([0.5, 0.5, 0.5], 2), ([], 3),
            ([1.0, 0.9, 0.95, 0.97], 3)]
    if strict:
        sets += [([2.0], 1), ([3.0, 2.0, 1.0, 1.5, 0.9, 1.0], 2), ([1.0, 1.1, 1.2, 1.3], 3),
                 ([1.0, 1.1, 1.2], 3)]
    return [Case((list(v), p), f"val_losses = {v}, patience = {p}") for v, p in sets]


should_stop = Check(
    name="should_stop", reference=_stop_reference, cases=_stop_cases, mistakes=STOP_MISTAKES,
    solution=_stop_reference, notebook=NOTEBOOK, args=("val_losses", "patience"),
    result="the answer",
    hint="Stop when the best (lowest) validation loss is at least `patience` epochs old.",
)


# -- train -------------------------------------------------------------------------------------
def _train_reference(X, Y, sizes, lr, epochs, batch_size, seed=0, tol=None):
    layers = [Dense(n_in, n_out, "relu", init="he") for n_in, n_out in zip(sizes, sizes[1:-1])]
    layers.append(Dense(sizes[-2], sizes[-1], "softmax", init="he"))
    net = Network(layers, loss="cross_entropy", seed=seed)
    history = fit(net, X, Y, optimizer=SGD(lr), epochs=epochs, batch_size=batch_size,
                  loss_threshold=tol, seed=seed, progress=False)
    return [(layer.W, layer.b) for layer in net.layers], history.loss


def train_solution(X, Y, sizes, lr, epochs, batch_size, seed=0, tol=None):
    params = init_params(sizes, seed)
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total = 0.0
        for i in range(0, len(X), batch_size):
            Xb, Yb = X[order[i:i + batch_size]], Y[order[i:i + batch_size]]
            Yhat, caches = forward(Xb, params)
            total += cross_entropy(Yhat, Yb) * len(Xb)
            params = sgd_update(params, backward(Yhat, Yb, params, caches), lr)
        history.append(total / len(X))
        if tol is not None and history[-1] < tol:
            break
    return params, history


_BLOCKS = {f.__name__: f for f in (init_params, forward, cross_entropy, backward, sgd_update)}

TRAIN = Solution(train_solution, "train", namespace={"np": np, **_BLOCKS})
TRAIN_MISTAKES = TRAIN.catalogue("""
no_assign
    the loss never changes: sgd_update returns the new params — keep them,
    params = sgd_update(params, grads, lr).
    - params = sgd_update(
    + sgd_update(

per_batch_history
    history holds one loss per epoch — the mean over the epoch's samples (each batch's loss
    weighted by its size) — not one per batch.
    - total += cross_entropy(Yhat, Yb) * len(Xb)
    + history.append(cross_entropy(Yhat, Yb))
    - history.append(total / len(X))

last_batch_loss
    history[e] is the mean loss over all samples of epoch e (each batch's loss weighted by its
    size), not the loss of its last batch.
    - total += cross_entropy(Yhat, Yb) * len(Xb)
    + loss = cross_entropy(Yhat, Yb)
    - history.append(total / len(X))
    + history.append(loss)

ignores_tol
    the loss fell below tol = {tol} but training went on: stop as soon as an epoch's loss is
    below tol.
    - if tol is not None and history[-1] < tol:
    -     break

stops_one_late
    training stopped one epoch late: check the stopping condition right after recording each
    epoch's loss.
    - history[-1] < tol
    + len(history) > 1 and history[-2] < tol

reinit_each_epoch
    the params are re-initialized every epoch, so nothing is learned for long: call init_params
    once, before the loop.
    - order = rng.permutation(len(X))
    + params = init_params(sizes, seed)
    + order = rng.permutation(len(X))

same_order_each_epoch
    every epoch uses the same batch order: create rng = np.random.default_rng(seed) once, before
    the loop, so that each epoch reshuffles.
    - rng.permutation
    + np.random.default_rng(seed).permutation

tol_wrong_direction
    stop when the epoch's loss is below tol (loss < tol), not above it.
    - history[-1] < tol
    + history[-1] > tol

last_batch_as_full
    history weights the last, smaller batch like a full one: weight each batch's loss by its
    own size, len(Xb), so that history[e] = Σ (batch loss × batch size) / n.
    - cross_entropy(Yhat, Yb) * len(Xb)
    + cross_entropy(Yhat, Yb) * batch_size

unweighted_batch_mean
    history[e] is the mean over the epoch's samples, so a smaller last batch counts less: weight
    each batch's loss by its size, Σ (batch loss × len(Xb)) / n — not the plain mean of the
    batch losses.
    - total += cross_entropy(Yhat, Yb) * len(Xb)
    + total += cross_entropy(Yhat, Yb)
    - history.append(total / len(X))
    + history.append(total / -(-len(X) // batch_size))

full_data_loss
    history[e] is the mean of the batch losses measured during epoch e, each before its batch's
    update — not the loss of the whole data set after the epoch.
    - history.append(total / len(X))
    + history.append(cross_entropy(forward(X, params)[0], Y))

loss_after_update
    measure each batch's loss before its update, from the forward pass its gradients come from
    — not again after the step.
    - total += cross_entropy(Yhat, Yb) * len(Xb)
    - params = sgd_update(params, backward(Yhat, Yb, params, caches), lr)
    + params = sgd_update(params, backward(Yhat, Yb, params, caches), lr)
    + total += cross_entropy(forward(Xb, params)[0], Yb) * len(Xb)

seed_ignored
    the seed argument was ignored: params = init_params(sizes, seed), so that another seed
    starts from other weights.
    - init_params(sizes, seed)
    + init_params(sizes, 0)

divides_by_batch_size
    history[e] = Σ (batch loss × batch size) / n: divide by the number of samples n, not by
    batch_size.
    - total / len(X)
    + total / batch_size

full_Y_in_loss
    a batch's loss compares its Ŷ with the batch's own labels Yb, not with all of Y.
    - cross_entropy(Yhat, Yb)
    + cross_entropy(Yhat, Y)

one_epoch_short
    train for `epochs` epochs, range(epochs): yours ran one fewer.
    - range(epochs)
    + range(epochs - 1)

full_X_forward
    each step runs forward on its own batch Xb, not on all of X.
    - forward(Xb, params)
    + forward(X, params)

total_across_epochs
    each epoch's loss starts from 0: reset the running total at the start of every epoch, or
    history adds up the epochs before it.
    - total = 0.0
    + pass
    - history = []
    + history = []
    + total = 0.0
""")


def _blobs(n, k, seed):
    X, y = datasets.blobs(n=n, centers=k, std=1.0, seed=seed)
    return datasets.standardize(X), datasets.one_hot(y, k)


def _train_cases(strict):
    X, Y = _blobs(120, 3, 0)
    base = (X, Y, [2, 8, 3], 0.5, 12, 25)  # four batches of 25 and a last one of 20
    history = _train_reference(*base, seed=1)[1]
    tol = float((history[4] + history[5]) / 2)  # the reference stops after 6 epochs
    cases = [Case(base + (0,), say("blobs X (120, 2), sizes = [2, 8, 3], lr = 0.5, 12 epochs, "
                                   "batches of 25 (the last of 20), seed = 0, tol = None"),
                  info={"tol": None}),
             Case(base + (1, tol), say("blobs X (120, 2), sizes = [2, 8, 3], lr = 0.5, at most "
                                       "12 epochs, batches of 25 (the last of 20), seed = 1, "
                                       "tol = {tol:.4f}", tol=tol), info={"tol": f"{tol:.4f}"})]
    if strict:
        X, Y = _blobs(60, 4, 1)
        cases += [Case((X, Y, [2, 6, 6, 4], 0.3, 8, 60, 3), say(
                           "blobs X (60, 2), sizes = [2, 6, 6, 4], full batch, 8 epochs, "
                           "seed = 3"), info={"tol": None}),
                  Case((X, Y, [2, 5, 4], 0.2, 5, 7, 5), say(
                      "blobs X (60, 2), sizes = [2, 5, 4], batches of 7 (the last of 4), 5 "
                      "epochs, seed = 5"), info={"tol": None})]
    return cases


# the same loop over the batches of ``iterate_minibatches`` (given at call time)
_OVER_BATCHES = TRAIN.variant("over_batches", [
    ("order = rng.permutation(len(X))\ntotal = 0.0", "total = 0.0"),
    ("for i in range(0, len(X), batch_size):\n"
     "    Xb, Yb = X[order[i:i + batch_size]], Y[order[i:i + batch_size]]",
     "for Xb, Yb in iterate_minibatches(X, Y, batch_size, rng):")])


def _train_with_batches(batcher):
    """The loop of the exercise over the batches of the learner's own ``iterate_minibatches``
    (when it shuffles differently from nnlib, but validly)."""
    return types.FunctionType(_OVER_BATCHES.__code__,
                              {**_OVER_BATCHES.__globals__, "iterate_minibatches": batcher},
                              argdefs=_OVER_BATCHES.__defaults__)


def _train_reference_for(fn):
    """When ``fn`` uses the learner's own iterate_minibatches, and that shuffles validly but
    not in nnlib's order, the expected numbers are the loop's over those batches."""
    batcher = notebook_functions(fn).get("iterate_minibatches")
    if batcher is None or iterate_minibatches.find_problem(batcher) is not None:
        return None
    case = _batch_case(20, 2, 2, 6, 0)
    mine, nnlibs = call(batcher, case), call(_batches_reference, case)
    if mine.error is None and close(mine.value, nnlibs.value, 0, 0):
        return None
    return _train_with_batches(batcher)


def _train_accept(yours, expected, case):
    """No other numbers are right (see ``_train_reference_for``); this only names what a
    wrong history shows: NaN, a broken stopping rule, a loss that never falls."""
    params, history = yours
    epochs, tol = case.args[4], case.args[7] if len(case.args) > 7 else None
    if not isinstance(history, (list, tuple, np.ndarray)):
        return None, say("history should be a list of losses; got a {type}.",
                         type=type(history).__name__)
    h = np.asarray(history, dtype=float)
    if not np.isfinite(h).all():
        return "not_finite", say("history contains NaN or ±inf on {label}: is the learning rate "
                                 "used as given?", label=case.label) + see_notebook(NOTEBOOK)
    if tol is None:
        if len(h) != epochs:
            return "epochs", say("history has {n} entries after {epochs} epochs; expected one "
                                 "per epoch.", n=len(h), epochs=epochs) + see_notebook(NOTEBOOK)
    else:
        if np.any(h[:-1] < tol):
            return named(TRAIN_MISTAKES, "ignores_tol", tol=f"{tol:.4f}")
        if h[-1] >= tol and len(h) < epochs:
            return named(TRAIN_MISTAKES, "tol_wrong_direction")
    if len(h) > 1 and not h[-1] < 0.8 * h[0]:
        return "no_assign", say("the loss hardly falls ({first:.4g} → {last:.4g}) on {label}: "
                                "are the updated params kept and used in the next step?",
                                first=h[0], last=h[-1], label=case.label)
    return False


def _train_probe(fn, strict):
    """The same arguments must give the same history."""
    X, Y = _blobs(40, 2, 3)
    case = Case((X, Y, [2, 4, 2], 0.5, 3, 10, 9), "")
    a, b = call(fn, case), call(fn, case)
    if a.error or b.error:
        return None
    if not np.allclose(np.asarray(a.value[1], float), np.asarray(b.value[1], float)):
        return "unseeded", say("two runs with the same seed gave different histories: draw "
                               "every random number from generators made from `seed`, "
                               "np.random.default_rng(seed).")
    return None


def _train_describe(path):
    if not path:
        return say("the result")
    if path[0] == 0:
        return "params" if len(path) == 1 else (
            f"params[{path[1]}]" if len(path) == 2 else f"{'Wb'[path[2]]}[{path[1] + 1}]")
    return "history" if len(path) == 1 else f"history[{path[1]}]"


train = Check(
    name="train", reference=_train_reference, cases=_train_cases, mistakes=TRAIN_MISTAKES,
    solution=train_solution, notebook=NOTEBOOK,
    args=("X", "Y", "sizes", "lr", "epochs", "batch_size", "seed", "tol"),
    outputs=("params", "history"), describe=_train_describe, accept=_train_accept,
    reference_for=_train_reference_for, needs=(("iterate_minibatches", iterate_minibatches),),
    loose=lambda path, case: path == (1,) and len(case.args) > 7,
    probes=(_train_probe,), allow=("nnlib_checks.blocks",), rtol=1e-5, atol=1e-8,
    hint="Each epoch: shuffle, then forward → loss → backward → update per batch; record the "
         "epoch's loss, Σ (batch loss × batch size) / n with each batch's loss measured before "
         "its update; stop early once it is below tol.",
)

CHECKS = {"iterate_minibatches": iterate_minibatches, "should_stop": should_stop,
          "train": train}
__getattr__ = variants_by_name(CHECKS)
