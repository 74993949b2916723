"""Input validation at the library's boundary, so that a mistake gets a sentence, not a traceback
from deep inside NumPy. Training loops validate once, before the first step, never per batch."""

import numbers

import numpy as np


def positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def positive_float(value, name):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number; got {value!r}")
    return float(value)


def fraction(value, name):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1); got {value!r}")
    return float(value)


def choice(value, name, options):
    if not isinstance(value, str) or value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"unknown {name} {value!r}; valid options are {valid}")
    return value


def numeric_array(data, name, dtype):
    """``data`` as a finite, non-empty array of ``dtype``."""
    try:
        arr = np.asarray(data)
    except ValueError as err:  # ragged nested lists
        raise TypeError(f"{name} must be a rectangular numeric array; got ragged data") from err
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be numeric; got an array of dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real numbers; got complex dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one sample")
    with np.errstate(over="ignore"):  # a value beyond dtype's range becomes inf: reported below
        cast = arr.astype(dtype, copy=False)
    bad = ~np.isfinite(cast)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        if np.isfinite(arr[where]):
            raise ValueError(f"{name} holds {arr[where]:g} at index {where}, beyond the range "
                             f"of {np.dtype(dtype).name} (±{np.finfo(dtype).max:.3g})")
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or infinite value(s), the first at index {where}"
        )
    return cast


def inputs(X, layer, dtype, name="X"):
    """X as (n, d) with d = ``layer.n_in``."""
    X = numeric_array(X, name, dtype)
    d = layer.n_in
    if X.ndim != 2:
        hint = " (for one sample use X.reshape(1, -1))" if X.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D with shape (n_samples, {d}); got a {X.ndim}-D array of shape "
            f"{X.shape}{hint}"
        )
    if X.shape[1] != d:
        raise ValueError(
            f"layer 1 ({layer}) expects {name} of shape (n, {d}); got shape {X.shape}"
        )
    return X


def targets(Y, n, k, loss, dtype, name="Y"):
    """Y as an (n, k) array: integer labels (n,) become one-hot for classification losses."""
    Y = numeric_array(Y, name, np.float64)
    if Y.ndim == 1 and loss.name == "cross_entropy":
        if not np.all(Y == np.round(Y)):
            bad = Y[Y != np.round(Y)][0]
            raise ValueError(f"{name} must hold integer class labels 0..{k - 1}; got {bad:g}")
        if Y.min() < 0 or Y.max() > k - 1:
            bad = Y.min() if Y.min() < 0 else Y.max()
            raise ValueError(
                f"{name} holds label {int(bad)}, but the output layer has {k} classes "
                f"(labels 0..{k - 1})"
            )
        Y = np.eye(k, dtype=dtype)[Y.astype(np.intp)]
    elif Y.ndim == 1 and k == 1:
        Y = Y.reshape(-1, 1)
    if Y.ndim != 2 or Y.shape[1] != k:
        kind = "one-hot labels" if loss.name == "cross_entropy" else "targets"
        raise ValueError(
            f"{name} must be {kind} of shape ({n}, {k}) to match the {k} output units"
            + (" or integer labels of shape (n,)" if loss.name == "cross_entropy" else "")
            + f"; got shape {Y.shape}"
        )
    if len(Y) != n:
        raise ValueError(f"X has {n} samples but {name} has {len(Y)}; they must match row by row")
    if loss.classification and (Y.min() < 0 or Y.max() > 1):
        raise ValueError(f"{name} for {loss.name} must lie in [0, 1]; got values in "
                         f"[{Y.min():g}, {Y.max():g}]")
    return Y.astype(dtype, copy=False)
