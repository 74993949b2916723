"""Tests for nnlib.datasets.

Expected values come from the documented geometry and from definitions (radii, counts,
set equality), never from running the implementation and pasting its output.
"""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import datasets as ds

SETS = ds.TEACHING_SETS
NOISE_ARG = {"spirals": "noise", "moons": "noise", "circles": "noise", "xor": "noise",
             "blobs": "std"}
N_CLASSES = {"spirals": 2, "moons": 2, "circles": 2, "xor": 2, "blobs": 3}  # at defaults


def counts_ok(y, k):
    """Labels lie in 0..k-1 and the class sizes differ by at most one."""
    c = np.bincount(y, minlength=k)
    return len(c) == k and c.max() - c.min() <= 1


# ---------------------------------------------------------------- teaching sets


def test_teaching_sets_lists_the_five_generators():
    assert isinstance(SETS, tuple)
    assert set(SETS) == {"spirals", "moons", "circles", "xor", "blobs"}


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("n", [1, 2, 7, 300])
def test_shapes_and_dtypes(name, n):
    X, y = ds.make(name, n=n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", SETS)
def test_defaults_give_300_samples(name):
    X, y = getattr(ds, name)()
    assert X.shape == (300, 2) and y.shape == (300,)


@pytest.mark.parametrize("name", SETS)
def test_make_dispatches_to_the_named_function(name):
    X1, y1 = ds.make(name, n=50, seed=3)
    X2, y2 = getattr(ds, name)(n=50, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("name", SETS)
def test_same_seed_same_arrays_different_seed_different_arrays(name):
    X1, y1 = ds.make(name, n=100, seed=5)
    X2, y2 = ds.make(name, n=100, seed=5)
    X3, _ = ds.make(name, n=100, seed=6)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", SETS)
def test_default_seed_is_reproducible(name):
    X1, _ = ds.make(name)
    X2, _ = ds.make(name)
    np.testing.assert_array_equal(X1, X2)


@pytest.mark.parametrize("name", SETS)
def test_rows_are_shuffled_not_grouped_by_class(name):
    _, y = ds.make(name, n=300)
    # Grouped output would change label only k-1 times.
    assert np.count_nonzero(np.diff(y)) > 20


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(SETS), n=st.integers(4, 500), seed=st.integers(0, 2**32 - 1))
def test_classes_are_balanced(name, n, seed):
    _, y = ds.make(name, n=n, seed=seed)
    assert counts_ok(y, N_CLASSES[name])


@settings(max_examples=30, deadline=None)
@given(classes=st.integers(2, 8), n=st.integers(8, 400))
def test_spirals_balance_for_any_number_of_classes(classes, n):
    _, y = ds.spirals(n=n, classes=classes)
    assert counts_ok(y, classes)


@settings(max_examples=30, deadline=None)
@given(factor=st.floats(0.01, 0.99), n=st.integers(2, 200))
def test_circles_without_noise_lie_on_radii_1_and_factor(factor, n):
    X, y = ds.circles(n=n, noise=0, factor=factor)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], factor)


def test_moons_without_noise_are_two_unit_half_circles():
    X, y = ds.moons(n=101, noise=0)
    a, b = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*a.T), 1.0)
    np.testing.assert_allclose(np.hypot(b[:, 0] - 1, b[:, 1] - 0.5), 1.0)
    assert (a[:, 1] >= -1e-12).all() and (b[:, 1] <= 0.5 + 1e-12).all()


def test_xor_without_noise_sits_on_the_corners_with_xor_labels():
    X, y = ds.xor(n=40, noise=0)
    assert set(np.abs(X).ravel()) == {1.0}
    np.testing.assert_array_equal(y, (X[:, 0] > 0) ^ (X[:, 1] > 0))
    assert len(np.unique(X, axis=0)) == 4  # all four clusters used


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_spirals_without_noise_follow_the_documented_curve(classes):
    # Docstring: arm c is θ = π·r + 2π·c/classes, r from 0.3 to 3.
    X, y = ds.spirals(n=200, noise=0, classes=classes)
    r, theta = np.hypot(X[:, 0], X[:, 1]), np.arctan2(X[:, 1], X[:, 0])
    assert r.min() == pytest.approx(0.3) and r.max() == pytest.approx(3.0)
    offset = (theta - np.pi * r - 2 * np.pi * y / classes) / (2 * np.pi)
    np.testing.assert_allclose(offset, np.round(offset), atol=1e-9)


def test_blobs_without_noise_sit_on_given_centers():
    C = np.array([[0.0, 0.0], [3.0, -1.0], [-2.0, 5.0], [10.0, 10.0]])
    X, y = ds.blobs(n=41, centers=C, std=0)
    np.testing.assert_array_equal(X, C[y])
    assert counts_ok(y, 4)


@pytest.mark.parametrize("k", [1, 2, 3, 10])
def test_blobs_int_centers_are_k_points_at_least_5_apart(k):
    X, y = ds.blobs(n=10 * k, centers=k, std=0)
    centres = np.unique(X, axis=0)
    assert len(centres) == k and counts_ok(y, k)
    if k > 1:
        d = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
        assert d[~np.eye(k, dtype=bool)].min() >= 5 - 1e-9


def test_blobs_std_is_the_spread_around_each_center():
    C = np.array([[5.0, 5.0], [-5.0, 0.0]])
    X, y = ds.blobs(n=20000, centers=C, std=2.0, seed=1)
    resid = X - C[y]
    np.testing.assert_allclose(resid.mean(axis=0), 0.0, atol=0.1)
    np.testing.assert_allclose(resid.std(axis=0), 2.0, rtol=0.05)


def test_xor_noise_is_the_std_around_each_corner():
    X, y = ds.xor(n=20000, noise=0.1, seed=2)
    corner = np.sign(X)  # 10 std from the axes, so the sign still names the corner
    np.testing.assert_allclose((X - corner).std(axis=0), 0.1, rtol=0.05)
    np.testing.assert_array_equal(y, corner[:, 0] != corner[:, 1])


def test_circles_noise_is_the_radial_spread():
    X, y = ds.circles(n=20000, noise=0.01, factor=0.5, seed=3)
    r = np.hypot(X[:, 0], X[:, 1])
    for label, radius in ((0, 1.0), (1, 0.5)):
        np.testing.assert_allclose((r[y == label] - radius).std(), 0.01, rtol=0.05)


# ---------------------------------------------------------------- digits


def test_digits_shape_range_and_classes():
    X, y = ds.digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(np.unique(y), np.arange(10))


def test_digits_unscaled_are_integer_pixels_0_to_16():
    X, _ = ds.digits(scale=False)
    Xs, _ = ds.digits()
    assert X.max() == 16 and np.array_equal(X, np.round(X))
    np.testing.assert_array_equal(X / 16, Xs)


def test_importing_datasets_does_not_import_sklearn():
    code = "import sys, nnlib.datasets; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- one_hot


@given(st.lists(st.integers(0, 9), min_size=1, max_size=50))
def test_one_hot_rows_sum_to_one_and_argmax_recovers_labels(labels):
    y = np.array(labels)
    Y = ds.one_hot(y)
    assert Y.shape == (len(y), y.max() + 1) and Y.dtype == np.float64
    assert set(np.unique(Y)) <= {0.0, 1.0}
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), y)


def test_one_hot_with_larger_k_pads_zero_columns():
    Y = ds.one_hot([0, 2, 1], k=5)
    np.testing.assert_array_equal(Y, np.eye(5)[[0, 2, 1]])


# ---------------------------------------------------------------- split


def tracked(n, classes):
    """X whose first column is the row's own index, so rows can be traced after a split."""
    X = np.column_stack([np.arange(n), np.arange(n) % 7]).astype(np.float64)
    y = np.arange(n) % classes
    return X, y


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 300), classes=st.integers(1, 6),
       val=st.floats(0, 0.45), test=st.floats(0, 0.45), stratify=st.booleans(),
       seed=st.integers(0, 1000))
def test_split_loses_and_duplicates_nothing(n, classes, val, test, stratify, seed):
    X, y = tracked(n, classes)
    parts = ds.train_val_test_split(X, y, val=val, test=test, seed=seed, stratify=stratify)
    assert len(parts) == 6
    Xs, ys = parts[0::2], parts[1::2]
    assert sum(len(a) for a in Xs) == n and sum(len(b) for b in ys) == n
    rows = np.concatenate(Xs)
    order = np.argsort(rows[:, 0])
    np.testing.assert_array_equal(rows[order], X)  # every row exactly once, unchanged
    for Xp, yp in zip(Xs, ys, strict=True):
        assert Xp.ndim == 2 and Xp.shape[1] == 2 and yp.ndim == 1
        np.testing.assert_array_equal(yp, y[Xp[:, 0].astype(int)])  # labels stay with rows


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 80), min_size=2, max_size=5),
       val=st.floats(0, 0.45), test=st.floats(0, 0.45), seed=st.integers(0, 1000))
def test_split_stratifies_each_class(sizes, val, test, seed):
    y = np.repeat(np.arange(len(sizes)), sizes)
    X = np.arange(len(y), dtype=np.float64)[:, None]
    _, y_tr, _, y_va, _, y_te = ds.train_val_test_split(X, y, val=val, test=test, seed=seed)
    m = np.array(sizes)
    for part, frac in ((y_tr, 1 - val - test), (y_va, val), (y_te, test)):
        got = np.bincount(part, minlength=len(sizes))
        assert np.all(np.abs(got - frac * m) <= 1 + 1e-9), (got, frac * m)


def test_split_unstratified_sizes():
    X, y = tracked(200, 3)
    Xtr, _, Xva, _, Xte, _ = ds.train_val_test_split(X, y, val=0.1, test=0.25, stratify=False)
    assert (len(Xtr), len(Xva), len(Xte)) == (130, 20, 50)


def test_split_unstratified_accepts_one_hot_targets():
    X, y = tracked(50, 3)
    Y = np.eye(3)[y]
    _, Ytr, _, Yva, _, Yte = ds.train_val_test_split(X, Y, stratify=False)
    assert Ytr.shape[1] == Yva.shape[1] == Yte.shape[1] == 3


def test_split_val_zero_gives_empty_val_with_right_shapes():
    X, y = tracked(100, 2)
    Xtr, ytr, Xva, yva, Xte, yte = ds.train_val_test_split(X, y, val=0, test=0.2)
    assert Xva.shape == (0, 2) and yva.shape == (0,)
    assert len(Xtr) == 80 and len(Xte) == 20


def test_split_is_deterministic_per_seed():
    X, y = tracked(120, 3)
    a = ds.train_val_test_split(X, y, seed=4)
    b = ds.train_val_test_split(X, y, seed=4)
    c = ds.train_val_test_split(X, y, seed=5)
    for p, q in zip(a, b, strict=True):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a[0], c[0])


# ---------------------------------------------------------------- minibatches


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 200), batch_size=st.integers(1, 64), shuffle=st.booleans(),
       seed=st.integers(0, 1000))
def test_minibatches_cover_every_sample_once(n, batch_size, shuffle, seed):
    X = np.arange(n, dtype=np.float64)[:, None] * np.ones((1, 3))
    Y = np.arange(n) * 10
    batches = list(ds.minibatches(X, Y, batch_size, shuffle=shuffle, seed=seed))
    sizes = [len(xb) for xb, _ in batches]
    assert sum(sizes) == n and len(batches) == -(-n // batch_size)
    assert all(s == batch_size for s in sizes[:-1])
    if batches:
        assert 1 <= sizes[-1] <= batch_size
        seen = np.concatenate([xb[:, 0] for xb, _ in batches])
        np.testing.assert_array_equal(np.sort(seen), np.arange(n))
        for xb, yb in batches:
            np.testing.assert_array_equal(yb, xb[:, 0] * 10)  # pairs kept together


def test_minibatches_without_shuffle_keep_order_and_last_is_smaller():
    X = np.arange(10, dtype=np.float64)[:, None]
    batches = list(ds.minibatches(X, np.arange(10), 4, shuffle=False))
    assert [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_minibatches_seed_controls_order():
    X, Y = np.zeros((100, 1)), np.arange(100)
    order = lambda seed: np.concatenate([yb for _, yb in ds.minibatches(X, Y, 16, seed=seed)])  # noqa: E731
    np.testing.assert_array_equal(order(3), order(3))
    assert not np.array_equal(order(3), order(4))
    assert not np.array_equal(order(3), Y)  # actually shuffled


def test_minibatches_accepts_a_generator_for_a_fresh_order_each_epoch():
    X, Y = np.zeros((50, 1)), np.arange(50)
    rng = np.random.default_rng(0)
    e1 = np.concatenate([yb for _, yb in ds.minibatches(X, Y, 8, seed=rng)])
    e2 = np.concatenate([yb for _, yb in ds.minibatches(X, Y, 8, seed=rng)])
    assert not np.array_equal(e1, e2)
    np.testing.assert_array_equal(np.sort(e2), Y)


def test_minibatches_checks_arguments_before_iteration():
    with pytest.raises(ValueError, match="batch_size"):
        ds.minibatches(np.zeros((4, 1)), np.zeros(4), 0)  # no next() needed


# ---------------------------------------------------------------- standardize


def test_standardize_uses_train_statistics():
    rng = np.random.default_rng(0)
    Xtr = rng.normal(3.0, 2.0, size=(200, 3))
    Xtr[:, 2] = 7.0  # constant feature
    Xte = rng.normal(size=(10, 3))
    Ztr, Zte = ds.standardize(Xtr, Xte)
    np.testing.assert_allclose(Ztr[:, :2].mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Ztr[:, :2].std(axis=0), 1.0)
    np.testing.assert_array_equal(Ztr[:, 2], 0.0)
    mu, sd = Xtr.mean(axis=0), np.array([*Xtr[:, :2].std(axis=0), 1.0])
    np.testing.assert_allclose(Zte, (Xte - mu) / sd)


def test_standardize_returns_one_array_or_a_tuple():
    X = np.arange(12.0).reshape(4, 3)
    assert isinstance(ds.standardize(X), np.ndarray)
    out = ds.standardize(X, X[:2], np.empty((0, 3)))
    assert isinstance(out, tuple) and [a.shape for a in out] == [(4, 3), (2, 3), (0, 3)]


# ---------------------------------------------------------------- bad input

X4, y4 = np.zeros((4, 2)), np.array([0, 1, 0, 1])

BAD = [
    *[(ds.make, (name,), {"n": 0}, ValueError, r"\bn\b") for name in SETS],
    *[(ds.make, (name,), {"n": 2.5}, TypeError, r"\bn\b") for name in SETS],
    *[(ds.make, (name,), {"n": True}, TypeError, r"\bn\b") for name in SETS],
    *[(ds.make, (name,), {NOISE_ARG[name]: v}, ValueError, NOISE_ARG[name])
      for name in SETS for v in (-0.1, float("nan"), float("inf"))],
    *[(ds.make, (name,), {NOISE_ARG[name]: "0.1"}, TypeError, NOISE_ARG[name]) for name in SETS],
    *[(ds.make, (name,), {"seed": -1}, ValueError, "seed") for name in SETS],
    (ds.make, ("spiral",), {}, ValueError, r"name.*spirals.*moons.*circles.*xor.*blobs"),
    (ds.make, (None,), {}, ValueError, "name"),
    (ds.spirals, (), {"classes": 1}, ValueError, "classes"),
    (ds.spirals, (), {"classes": 2.0}, TypeError, "classes"),
    (ds.spirals, (), {"seed": 1.5}, TypeError, "seed"),
    (ds.circles, (), {"factor": 1.0}, ValueError, "factor"),
    (ds.circles, (), {"factor": 0}, ValueError, "factor"),
    (ds.circles, (), {"factor": -0.5}, ValueError, "factor"),
    (ds.blobs, (), {"centers": 0}, ValueError, "centers"),
    (ds.blobs, (), {"centers": [[1, 2, 3]]}, ValueError, "centers"),
    (ds.blobs, (), {"centers": [[0, 0], [1]]}, ValueError, "centers"),
    (ds.one_hot, ([0.0, 1.0],), {}, TypeError, r"\by\b.*integer"),
    (ds.one_hot, ([[0, 1]],), {}, TypeError, r"\by\b"),
    (ds.one_hot, ([0, -1],), {}, ValueError, r"\by\b"),
    (ds.one_hot, ([0, 3],), {"k": 3}, ValueError, r"\bk\b.*4"),
    (ds.one_hot, ([0, 1],), {"k": 2.0}, TypeError, r"\bk\b"),
    (ds.train_val_test_split, (X4, y4[:3]), {}, ValueError, "X, y"),
    (ds.train_val_test_split, (X4, y4), {"val": 1.0}, ValueError, "val"),
    (ds.train_val_test_split, (X4, y4), {"val": -0.1}, ValueError, "val"),
    (ds.train_val_test_split, (X4, y4), {"test": 1.5}, ValueError, "test"),
    (ds.train_val_test_split, (X4, y4), {"test": "a"}, TypeError, "test"),
    (ds.train_val_test_split, (X4, y4), {"val": 0.5, "test": 0.5}, ValueError, r"val \+ test"),
    (ds.train_val_test_split, (X4, y4 + 0.5), {}, TypeError, r"\by\b.*integer"),
    (ds.train_val_test_split, (np.zeros((0, 2)), np.zeros(0, int)), {}, ValueError, "X, y"),
    (ds.minibatches, (X4, y4, 0), {}, ValueError, "batch_size"),
    (ds.minibatches, (X4, y4, 2.0), {}, TypeError, "batch_size"),
    (ds.minibatches, (X4, y4[:2], 2), {}, ValueError, "X, Y"),
    (ds.minibatches, (X4, y4, 2), {"seed": -3}, ValueError, "seed"),
    (ds.standardize, (np.zeros((0, 2)),), {}, ValueError, "X_train"),
    (ds.standardize, (np.zeros(3),), {}, ValueError, "X_train"),
    (ds.standardize, ([["a", "b"]],), {}, TypeError, "X_train"),
    (ds.standardize, (X4, np.zeros((2, 3))), {}, ValueError, r"others\[0\]"),
]


@pytest.mark.parametrize(("func", "args", "kwargs", "exc", "pattern"), BAD,
                         ids=[f"{b[0].__name__}-{b[1][:1]}-{b[2]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_raises_a_clear_error(func, args, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern) as info:
        func(*args, **kwargs)
    # The library's one message form: says what was wanted and what came, not just that it failed
    assert " must be " in str(info.value) and "got " in str(info.value)


# ---------------------------------------------------------------- shift_augment

FOUR = ((1, 0), (-1, 0), (0, 1), (0, -1))


def moved_dot(h, w, r, c, dx, dy):
    """The flat h×w image with one lit pixel at (r, c) after moving it dx right, dy down."""
    img = np.zeros((h, w))
    if 0 <= r + dy < h and 0 <= c + dx < w:  # otherwise it left the picture
        img[r + dy, c + dx] = 1.0
    return img.ravel()


@pytest.mark.parametrize(("n", "shifts"), [(1, FOUR), (7, FOUR), (3, ((2, -1),)), (0, FOUR)])
def test_shift_augment_shapes_and_originals_first(n, shifts):
    rng = np.random.default_rng(0)
    X, y = rng.random((n, 64)), rng.integers(0, 10, n)
    Xa, ya = ds.shift_augment(X, y, shifts=shifts)
    k = 1 + len(shifts)
    assert Xa.shape == (k * n, 64) and ya.shape == (k * n,)
    np.testing.assert_array_equal(Xa[:n], X)
    for block in range(k):  # every block keeps the labels, in the same order
        np.testing.assert_array_equal(ya[block * n:(block + 1) * n], y)


def test_shift_augment_default_is_one_pixel_right_left_down_up():
    X = np.zeros((1, 64))
    X[0, 3 * 8 + 4] = 1.0  # row 3, column 4
    Xa, _ = ds.shift_augment(X, [5])
    lit = [divmod(int(np.flatnonzero(row)[0]), 8) for row in Xa]
    assert lit == [(3, 4), (3, 5), (3, 3), (4, 4), (2, 4)]


@pytest.mark.parametrize("image_shape", [(8, 8), (4, 6), (5, 3)])
def test_shift_augment_moves_a_single_pixel_where_expected(image_shape):
    h, w = image_shape
    shifts = [(dx, dy) for dx in range(-(w - 1), w) for dy in range(-(h - 1), h)]
    for r in range(h):
        for c in range(w):
            X = moved_dot(h, w, r, c, 0, 0)[None]
            Xa, _ = ds.shift_augment(X, [1], image_shape=image_shape, shifts=shifts)
            for (dx, dy), row in zip(shifts, Xa[1:], strict=True):
                np.testing.assert_array_equal(row, moved_dot(h, w, r, c, dx, dy),
                                              err_msg=f"pixel ({r}, {c}) by ({dx}, {dy})")


def test_shift_augment_never_creates_ink():
    X, y = ds.digits()
    Xa, _ = ds.shift_augment(X[:200], y[:200])
    assert Xa.min() >= 0
    ink = Xa.reshape(5, 200, 64).sum(axis=2)
    assert np.all(ink[1:] <= ink[0] + 1e-12)  # each copy has at most its original's ink
    # and a digit inked only away from the border keeps all of it
    inner = np.zeros((8, 8))
    inner[1:7, 1:7] = np.random.default_rng(1).random((6, 6))
    Xi, _ = ds.shift_augment(inner.reshape(1, 64), [0])
    np.testing.assert_allclose(Xi.sum(axis=1), inner.sum())


def test_shift_augment_keeps_dtype_and_label_arrays():
    X = np.ones((2, 4), dtype=np.float32)
    Y = np.eye(2)  # one-hot targets are repeated as rows too
    Xa, Ya = ds.shift_augment(X, Y, image_shape=(2, 2), shifts=((1, 0),))
    assert Xa.dtype == np.float32
    np.testing.assert_array_equal(Ya, np.vstack([Y, Y]))


SHIFT_BAD = [
    ((np.zeros((3, 63)), np.zeros(3, int)), {}, ValueError, r"\bX\b.*\(n, 64\)"),
    ((np.zeros(64), np.zeros(64, int)), {}, ValueError, r"\bX\b.*2-D"),
    ((np.zeros((3, 64)), np.zeros(2, int)), {}, ValueError, "X, y"),
    ((np.full((1, 64), "a"), [0]), {}, TypeError, r"\bX\b"),
    ((np.zeros((1, 64)), [0]), {"image_shape": (8, 0)}, ValueError, "image_shape"),
    ((np.zeros((1, 64)), [0]), {"image_shape": 64}, TypeError, "image_shape"),
    ((np.zeros((1, 64)), [0]), {"image_shape": (8.0, 8)}, TypeError, "image_shape"),
    ((np.zeros((1, 64)), [0]), {"shifts": ((8, 0),)}, ValueError, "shifts"),
    ((np.zeros((1, 64)), [0]), {"shifts": ((0, -8),)}, ValueError, "shifts"),
    ((np.zeros((1, 64)), [0]), {"shifts": ((0.5, 0),)}, TypeError, "shifts"),
    ((np.zeros((1, 64)), [0]), {"shifts": ((True, 0),)}, TypeError, "shifts"),
    ((np.zeros((1, 64)), [0]), {"shifts": ((1, 0, 0),)}, TypeError, "shifts"),
    ((np.zeros((1, 64)), [0]), {"shifts": 1}, TypeError, "shifts"),
]


@pytest.mark.parametrize(("args", "kwargs", "exc", "pattern"), SHIFT_BAD,
                         ids=[f"shift_augment-{i}" for i in range(len(SHIFT_BAD))])
def test_shift_augment_bad_input_names_the_argument(args, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern) as info:
        ds.shift_augment(*args, **kwargs)
    assert " must be " in str(info.value) and "got " in str(info.value)
