"""Small seeded datasets for the course, and the plumbing that feeds them to a network.

Conventions: samples are rows, so ``X`` has shape (n, d) and dtype float64; labels ``y`` are
int64 class indices of shape (n,). Every random function takes ``seed`` (default 0) and the same
seed always gives identical arrays. Nothing here downloads anything.
"""

import functools

import numpy as np

from . import validate

TEACHING_SETS = ("spirals", "moons", "circles", "xor", "blobs")


def _int_pair(name, value, want):
    """Check a pair of integers (bools excluded) and return it as a tuple of two ints."""
    try:
        a, b = value
    except (TypeError, ValueError):
        validate.fail(name, f"a pair {want}", repr(value), TypeError)
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (a, b)):
        validate.fail(name, f"a pair {want}", repr(value), TypeError)
    return int(a), int(b)


def _rng(seed):
    # Passing a Generator is allowed on purpose: minibatches(..., seed=rng) then reshuffles
    # differently every epoch while the whole run stays reproducible.
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as err:
        validate.fail("seed", "a non-negative int or np.random.Generator", repr(seed),
                     type(err))


def _labels(name, y):
    y = np.asarray(y)
    y = y.astype(np.int64) if y.size == 0 else y  # np.asarray([]) is float, yet fine as labels
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        validate.fail(name, "a 1-D array of integer labels",
                     f"shape {y.shape} dtype {y.dtype}", TypeError)
    if y.size and y.min() < 0:
        validate.fail(name, "labels >= 0", y.min())
    return y.astype(np.int64)


def _same_length(names, A, B, at_least=0):
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim < 1 or B.ndim < 1 or len(A) != len(B) or len(A) < at_least:
        validate.fail(names, f"arrays with the same number (>= {at_least}) of rows",
                     f"shapes {A.shape} and {B.shape}")
    return A, B


def _finish(parts, noise, rng, labels=None):
    """Stack point sets (part i gets labels[i], default i), add noise, shuffle the rows."""
    # The shuffle is so that a slice such as X[:50] is never a single class.
    labels = range(len(parts)) if labels is None else labels
    y = np.repeat(np.asarray(labels, dtype=np.int64), [len(p) for p in parts])
    X = np.concatenate(parts)
    X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _counts(n, k):
    """Split n into k counts that differ by at most one."""
    return [n // k + (c < n % k) for c in range(k)]


def spirals(n=300, noise=0.2, classes=2, seed=0):
    """Return ``(X, y)``: ``classes`` interleaved spiral arms, X (n, 2) float64, y (n,) int64.

    Arm c is the curve θ = π·r + 2π·c/classes for radius r from 0.3 to 3 (1.35 turns), so
    neighbouring arms are 2/classes apart; ``noise`` is the std added to each coordinate.
    """
    n, classes = validate.integer(n, "n"), validate.integer(classes, "classes", low=2)
    noise, rng = validate.real(noise, "noise"), _rng(seed)
    parts = []
    for c, m in enumerate(_counts(n, classes)):
        r = np.linspace(0.3, 3.0, m)
        t = np.pi * r + 2 * np.pi * c / classes
        parts.append(np.column_stack([r * np.cos(t), r * np.sin(t)]))
    return _finish(parts, noise, rng)


def moons(n=300, noise=0.1, seed=0):
    """Return ``(X, y)``: two interleaved half circles, X (n, 2) float64, y (n,) int64.

    Class 0 is the upper unit half circle around (0, 0), class 1 the lower one around (1, 0.5).
    """
    n, noise, rng = validate.integer(n, "n"), validate.real(noise, "noise"), _rng(seed)
    t0, t1 = (np.linspace(0, np.pi, m) for m in _counts(n, 2))
    parts = [np.column_stack([np.cos(t0), np.sin(t0)]),
             np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])]
    return _finish(parts, noise, rng)


def circles(n=300, noise=0.05, factor=0.5, seed=0):
    """Return ``(X, y)``: two concentric circles, X (n, 2) float64, y (n,) int64.

    Class 0 lies on the unit circle, class 1 on the circle of radius ``factor`` (0 < factor < 1).
    """
    n, noise, rng = validate.integer(n, "n"), validate.real(noise, "noise"), _rng(seed)
    if validate.real(factor, "factor", below=1) == 0:  # radius 0 is a point, not a circle
        validate.fail("factor", "a number > 0 and < 1", repr(factor))
    parts = []
    for radius, m in zip((1.0, factor), _counts(n, 2), strict=True):
        t = np.linspace(0, 2 * np.pi, m, endpoint=False)
        parts.append(radius * np.column_stack([np.cos(t), np.sin(t)]))
    return _finish(parts, noise, rng)


def xor(n=300, noise=0.1, seed=0):
    """Return ``(X, y)``: four clusters at (±1, ±1), X (n, 2) float64, y (n,) int64.

    A cluster's label is 1 when its two coordinates have opposite signs (the XOR of the signs).
    """
    n, noise, rng = validate.integer(n, "n"), validate.real(noise, "noise"), _rng(seed)
    # Labels alternate around the corners so that uneven n still splits the classes evenly.
    corners = np.array([[1, 1], [1, -1], [-1, -1], [-1, 1]], dtype=np.float64)
    parts = [np.tile(c, (m, 1)) for c, m in zip(corners, _counts(n, 4), strict=True)]
    return _finish(parts, noise, rng, labels=[0, 1, 0, 1])


def blobs(n=300, centers=3, std=1.0, seed=0):
    """Return ``(X, y)``: gaussian blobs, X (n, 2) float64, y (n,) int64 (blob index).

    ``centers`` is an array (k, 2) of centres, or an int k: then the centres sit evenly on a
    circle wide enough that neighbours are at least 5 apart, so std=1 blobs barely touch.
    """
    n, std, rng = validate.integer(n, "n"), validate.real(std, "std"), _rng(seed)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        k = validate.integer(centers, "centers")
        radius = max(3.0, 2.5 / np.sin(np.pi / k)) if k > 1 else 0.0
        t = 2 * np.pi * np.arange(k) / k
        centers = radius * np.column_stack([np.cos(t), np.sin(t)])
    try:
        C = np.asarray(centers, dtype=np.float64)
    except (TypeError, ValueError):
        C = np.empty(0)
    if C.ndim != 2 or C.shape[1] != 2 or len(C) < 1 or not np.isfinite(C).all():
        validate.fail("centers", "an int >= 1 or a finite array of shape (k, 2)", repr(centers))
    parts = [np.tile(c, (m, 1)) for c, m in zip(C, _counts(n, len(C)), strict=True)]
    return _finish(parts, std, rng)


def make(name, **kwargs):
    """Return ``(X, y)`` from the teaching set called ``name``, passing ``kwargs`` on to it."""
    if name not in TEACHING_SETS:
        validate.choice(name, "name", TEACHING_SETS)
    return globals()[name](**kwargs)


def digits(scale=True):
    """Return ``(X, y)``: the 8×8 handwritten digits, X (1797, 64) float64, y (1797,) int64.

    Pixels are 0..16; ``scale`` divides by 16 to land in [0, 1]. The data ships inside the
    scikit-learn wheel, so nothing is downloaded.
    """
    try:
        from sklearn.datasets import load_digits  # lazy: only this function needs sklearn
    except ImportError as err:
        raise ImportError("digits() needs scikit-learn: pip install 'nnlib[datasets]'") from err
    data = load_digits()
    X = data.data.astype(np.float64)
    return (X / 16.0 if scale else X), data.target.astype(np.int64)


def shift_augment(X, y, image_shape=(8, 8), shifts=((1, 0), (-1, 0), (0, 1), (0, -1))):
    """Return ``(X_aug, y_aug)``: the images X (n, h·w) followed by one shifted copy per shift.

    Each row of X is an image of ``image_shape`` (h, w) read row by row. A shift (dx, dy) moves
    the ink dx pixels right (left if dx < 0) and dy pixels down (up if dy < 0); pixels shifted
    in are 0 and ink shifted past the border is lost. With s shifts, X_aug is ((1 + s)·n, h·w)
    with X_aug[:n] = X and rows k·n .. (k+1)·n − 1 the k-th shift, and y_aug ((1 + s)·n, ...)
    repeats y (n, ...) in the same blocks: a digit moved by a pixel keeps its label.
    """
    X, y = _same_length("X, y", X, y)
    h, w = _int_pair("image_shape", image_shape, "(h, w) of integers >= 1")
    if h < 1 or w < 1:
        validate.fail("image_shape", "a pair (h, w) of integers >= 1", repr(image_shape))
    if not np.issubdtype(X.dtype, np.number):
        validate.fail("X", "a numeric array", f"dtype {X.dtype}", TypeError)
    if X.ndim != 2 or X.shape[1] != h * w:
        validate.fail("X", f"a 2-D array of shape (n, {h * w}) for {h}×{w} images",
                     f"shape {X.shape}")
    want = f"(dx, dy) of integers with |dx| < {w} and |dy| < {h}"
    try:
        pairs = [_int_pair("shifts", s, want) for s in shifts]
    except TypeError:  # also when shifts itself cannot be iterated
        validate.fail("shifts", f"a sequence of pairs {want}", repr(shifts), TypeError)
    for dx, dy in pairs:
        if abs(dx) >= w or abs(dy) >= h:  # a shift by the whole width would leave a blank image
            validate.fail("shifts", f"pairs {want}", f"({dx}, {dy})")
    images = X.reshape(len(X), h, w)
    copies = [X]
    for dx, dy in pairs:
        out = np.zeros_like(images)
        # Destination rows/columns start at max(d, 0); the source is the same window moved by -d.
        out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            images[:, max(-dy, 0):h - max(dy, 0), max(-dx, 0):w - max(dx, 0)]
        copies.append(out.reshape(len(X), h * w))
    return np.concatenate(copies), np.concatenate([y] * len(copies))


def one_hot(y, k=None, dtype=np.float64):
    """Return the one-hot matrix of labels ``y`` (n,): shape (n, k), k = y.max() + 1 by default.

    Row i is all 0 but for a 1 in column y[i]. The one place in nnlib where labels become
    one-hot rows (the cross-entropy loss uses it on every batch, so it is kept cheap).
    """
    if not (isinstance(y, np.ndarray) and y.dtype == np.intp and y.ndim == 1):
        y = _labels("y", y).astype(np.intp)
    try:
        need = len(np.bincount(y))  # the largest label + 1; raises for a negative label
    except ValueError:
        validate.fail("y", "labels >= 0", y.min())
    if k is None:
        k = need
    elif type(k) is not int or k < 0:  # the per-batch call's plain int skips the general check
        k = validate.integer(k, "k", low=0)
    if k < need:
        validate.fail("k", f"at least the largest label + 1 = {need}", k)
    return _identity(k, dtype).take(y, axis=0)  # row y[i] of the k × k identity


@functools.lru_cache(maxsize=16)
def _identity(k, dtype):
    """The k × k identity matrix, made once per (k, dtype) and read-only: rows are copied out."""
    eye = np.eye(k, dtype=np.dtype(dtype))
    eye.flags.writeable = False
    return eye


def train_val_test_split(X, y, val=0.15, test=0.15, seed=0, stratify=True):
    """Return ``(X_train, y_train, X_val, y_val, X_test, y_test)``, rows drawn without overlap.

    ``val`` and ``test`` are fractions of the samples. With ``stratify`` every class is split
    on its own (rounded per class), so each part keeps the class proportions to within one
    sample per class; then ``y`` must be integer labels, otherwise it may be any array
    (e.g. one-hot or regression targets). val=0 gives empty val arrays of the right shapes.
    """
    X, y = _same_length("X, y", X, y, at_least=1)
    val, test = validate.real(val, "val", below=1), validate.real(test, "test", below=1)
    if val + test >= 1:
        validate.fail("val + test", "< 1 so something is left to train on", f"{val} + {test}")
    rng = _rng(seed)
    if stratify:
        labels = _labels("y", y)
        groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    else:
        groups = [np.arange(len(y))]
    parts = ([], [], [])  # train, val, test indices
    for idx in groups:
        idx = rng.permutation(idx)
        # Round half up per class: both counts are then within 0.5 of exact, and their sum
        # can never exceed the class size while val + test < 1.
        n_test, n_val = (int(np.floor(f * len(idx) + 0.5)) for f in (test, val))
        parts[2].append(idx[:n_test])
        parts[1].append(idx[n_test:n_test + n_val])
        parts[0].append(idx[n_test + n_val:])
    out = []
    for chunks in parts:
        # Shuffle again so stratified parts are not sorted by class.
        idx = rng.permutation(np.concatenate(chunks).astype(np.intp))
        out += [X[idx], y[idx]]
    return tuple(out)


def minibatches(X, Y, batch_size, shuffle=True, seed=0):
    """Return a generator of ``(X_batch, Y_batch)`` that visits every sample exactly once.

    Batches have ``batch_size`` rows except possibly the last, smaller one. The same ``seed``
    gives the same order; pass seed=epoch (or one np.random.Generator) for a new order per epoch.
    """
    X, Y = _same_length("X, Y", X, Y)
    batch_size = validate.integer(batch_size, "batch_size")
    order = _rng(seed).permutation(len(X)) if shuffle else None

    # Checks above run when minibatches() is called, not on the first next(): hence the inner def.
    def batches():
        for start in range(0, len(X), batch_size):
            if order is None:  # in order: slices are views, no copy
                yield X[start:start + batch_size], Y[start:start + batch_size]
            else:
                idx = order[start:start + batch_size]
                yield X[idx], Y[idx]

    return batches()


def standardize(X_train, *others):
    """Return ``X_train`` and each of ``others`` shifted and scaled by the train mean and std.

    All are (n_i, d) arrays; features constant on the train set get std 1 so they stay finite.
    Returns one array when given one, else a tuple in the order given.
    """
    arrays = []
    for i, A in enumerate((X_train, *others)):
        name = "X_train" if i == 0 else f"others[{i - 1}]"
        try:
            A = np.asarray(A, dtype=np.float64)
        except (TypeError, ValueError):
            validate.fail(name, "a numeric array", type(A).__name__, TypeError)
        d = arrays[0].shape[1] if arrays else "d"
        if A.ndim != 2 or (i == 0 and len(A) == 0) or (arrays and A.shape[1] != d):
            validate.fail(name, f"a 2-D array of shape (n, {d}) with n >= {int(i == 0)}",
                         f"shape {A.shape}")
        arrays.append(A)
    mean, std = arrays[0].mean(axis=0), arrays[0].std(axis=0)
    std = np.where(std == 0, 1.0, std)
    out = tuple((A - mean) / std for A in arrays)
    return out[0] if len(out) == 1 else out
