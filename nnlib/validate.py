"""Input validation at the library's boundary, so that a mistake gets a sentence, not a traceback
from deep inside NumPy. Every message has one form — "NAME must be WHAT WAS EXPECTED; got WHAT
CAME" — and training loops validate once, before the first step, never per batch."""

import math
import numbers

import numpy as np


def fail(name, expected, got, error=ValueError):
    """Raise ``error`` with the library's one message form."""
    raise error(f"{name} must be {expected}; got {got}")


def integer(value, name, low=1):
    """``value`` as an int ≥ ``low`` (bool is not a count; NumPy integers are fine)."""
    want = "a positive integer" if low == 1 else f"an integer >= {low}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        fail(name, want, repr(value), TypeError)
    if value < low:
        fail(name, want, repr(value))
    return int(value)


def positive_int(value, name):
    return integer(value, name, low=1)


def real(value, name, low=0.0, below=None, positive=False):
    """``value`` as a finite float ≥ ``low`` (> 0 if ``positive``) and < ``below`` if given."""
    if positive:
        want = "a positive, finite number"
    else:
        want = f"a finite number >= {low:g}" + ("" if below is None else f" and < {below:g}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        fail(name, want, repr(value), TypeError)
    ok = np.isfinite(value) and (value > 0 if positive else value >= low)
    if not ok or (below is not None and value >= below):
        fail(name, want, repr(value))
    return float(value)


def positive_float(value, name):
    return real(value, name, positive=True)


def fraction(value, name):
    """A number in [0, 1): a decay rate such as momentum's β."""
    return real(value, name, low=0.0, below=1.0)


def choice(value, name, options):
    if not isinstance(value, str) or value not in options:
        valid = ", ".join(repr(o) for o in options)
        raise ValueError(f"unknown {name}: got {value!r}; {name} must be one of {valid}")
    return value


def numeric_array(data, name, dtype):
    """``data`` as a finite, non-empty array of ``dtype``."""
    try:
        arr = np.asarray(data)
    except ValueError:  # ragged nested lists
        fail(name, "a rectangular numeric array", "ragged data", TypeError)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        fail(name, "numeric", f"an array of dtype {arr.dtype}", TypeError)
    if np.iscomplexobj(arr):
        fail(name, "real numbers", f"complex dtype {arr.dtype}", TypeError)
    if arr.size == 0:
        fail(name, "non-empty (at least one sample)", f"an empty array of shape {arr.shape}")
    with np.errstate(over="ignore"):  # a value beyond dtype's range becomes inf: reported below
        cast = arr.astype(dtype, copy=False)
    if not np.isfinite(cast).all():
        bad = ~np.isfinite(cast)
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        if np.isfinite(arr[where]):
            fail(name, f"within the range of {np.dtype(dtype).name} "
                       f"(±{np.finfo(dtype).max:.3g})", f"{arr[where]:g} at index {where}")
        fail(name, "finite",
             f"{int(bad.sum())} NaN or infinite value(s), the first at index {where}")
    return cast


def inputs(X, layer, dtype, name="X"):
    """X as (n, d) with d = ``layer.n_in``. An array that is already right costs one dot product
    and nothing else, so checking every call of ``forward`` stays cheap: a NaN or ±inf anywhere
    makes Σ x² non-finite (a false alarm from overflow gets the full check, which passes)."""
    if not (isinstance(X, np.ndarray) and X.dtype == dtype):
        X = numeric_array(X, name, dtype)
    elif X.size and not math.isfinite(np.vdot(X, X)):
        numeric_array(X, name, dtype)  # raises, naming the first bad entry
    d = layer.n_in
    if X.ndim != 2:
        hint = " (for one sample use X.reshape(1, -1))" if X.ndim == 1 else ""
        fail(name, f"a 2-D array of shape (n_samples, {d})",
             f"a {X.ndim}-D array of shape {X.shape}{hint}")
    if X.shape[1] != d:
        raise ValueError(f"layer 1 ({layer}) expects {name} of shape (n, {d}); got shape "
                         f"{X.shape}")
    if X.size == 0:
        numeric_array(X, name, dtype)  # raises: empty
    return X
