"""Bad input gets a sentence that names the argument and shows what was expected and what came;
extreme values stay finite without a single floating-point warning.

For the extreme values, ``_strict()`` turns every warning into an error and makes NumPy raise on
overflow, division by zero and invalid operations. Underflow is left alone: e^(−10000) rounding
to 0 is the correct answer, NumPy ignores it by default, and no softmax can avoid it.
"""

import contextlib
import math
import re
import warnings

import numpy as np
import pytest

import nnlib
from nnlib import SGD, Adam, Dense, DivergenceWarning, Momentum, Network, fit, losses
from nnlib import activations as act

ACTIVATION_NAMES = ("relu", "sigmoid", "tanh", "softmax", "identity")
LOSS_NAMES = ("mse", "cross_entropy", "binary_cross_entropy")
INIT_NAMES = ("he", "xavier", "normal", "zeros")


@contextlib.contextmanager
def _strict():
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


def _net(dtype=np.float64):
    return Network([Dense(4, 5, "relu"), Dense(5, 3, "softmax")], dtype=dtype)


def _data(rng, n=6):
    return rng.normal(size=(n, 4)), rng.integers(0, 3, n)


# -- sizes and names ----------------------------------------------------------------------------
@pytest.mark.parametrize("bad", (0, -3, 2.5, True, "4", None, np.float64(3.0)))
@pytest.mark.parametrize("which", ("n_in", "n_out"))
def test_layer_sizes_must_be_positive_integers(which, bad):
    args = {"n_in": 4, "n_out": 3, which: bad}
    pattern = rf"{which}.*positive integer.*{re.escape(repr(bad))}"
    with pytest.raises((ValueError, TypeError), match=pattern):
        Dense(args["n_in"], args["n_out"])


def test_numpy_integer_sizes_are_fine():
    layer = Dense(np.int64(4), np.int32(3))
    assert layer.W.shape == (3, 4)


def _assert_lists(message, names):
    for name in names:
        assert repr(name) in message, f"{name!r} missing from: {message}"


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"activation.*'Relu'") as info:
        Dense(4, 3, activation="Relu")
    _assert_lists(str(info.value), ACTIVATION_NAMES)


def test_unknown_loss_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"loss.*'hinge'") as info:
        Network([Dense(4, 3, "softmax")], loss="hinge")
    _assert_lists(str(info.value), LOSS_NAMES)


def test_unknown_init_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"init.*'glorot'") as info:
        Dense(4, 3, init="glorot")
    _assert_lists(str(info.value), INIT_NAMES)


@pytest.mark.parametrize("scale", (0, -1.0, float("nan"), float("inf")))
def test_scale_must_be_positive_and_finite(scale):
    with pytest.raises(ValueError, match=r"scale.*positive.*got"):
        Dense(4, 3, init="normal", scale=scale)


def test_unsupported_dtype_names_dtype():
    with pytest.raises(ValueError, match=r"dtype.*float16.*float64.*float32"):
        Network([Dense(4, 3, "softmax")], dtype=np.float16)


@pytest.mark.parametrize("layers", ([], [Dense(4, 3, "softmax"), "Dense(3, 2)"], (), [None]))
def test_layers_must_be_a_non_empty_list_of_dense(layers):
    with pytest.raises(TypeError, match=r"layers.*Dense"):
        Network(layers)


def test_a_single_layer_not_in_a_list_names_layers():
    """MINOR (nnlib/network.py __init__): Network(Dense(...)) — forgetting the list — gets
    "'Dense' object is not iterable", which does not say which argument is wrong or how."""
    with pytest.raises(TypeError, match=r"layers.*list"):
        Network(Dense(4, 3, "softmax"))


def test_layers_that_do_not_chain_name_both_layers():
    layers = [Dense(4, 5, "relu"), Dense(5, 6, "tanh"), Dense(7, 3, "softmax")]
    with pytest.raises(ValueError, match=r"layer 3 .*7 inputs.*layer 2 .*6 outputs"):
        Network(layers)


@pytest.mark.parametrize(("loss", "out", "needs"), (
    ("cross_entropy", "relu", "softmax"), ("cross_entropy", "sigmoid", "softmax"),
    ("binary_cross_entropy", "softmax", "sigmoid"), ("binary_cross_entropy", "identity", "sigmoid"),
))
def test_loss_that_needs_a_probability_output(loss, out, needs):
    with pytest.raises(ValueError, match=rf"{loss}.*{needs}.*{out}"):
        Network([Dense(4, 5, "relu"), Dense(5, 3, out)], loss=loss)


# -- the input X --------------------------------------------------------------------------------
BAD_X = {
    "wrong-features": (np.ones((6, 3)), ValueError, r"layer 1.*\(n, 4\).*\(6, 3\)"),
    "1-D": (np.ones(4), ValueError, r"X.*2-D.*\(n_samples, 4\).*1-D.*\(4,\)"),
    "3-D": (np.ones((2, 3, 4)), ValueError, r"X.*2-D.*3-D.*\(2, 3, 4\)"),
    "empty": (np.empty((0, 4)), ValueError, r"X.*empty.*\(0, 4\)"),
    "strings": ([["a", "b", "c", "d"]], TypeError, r"X.*numeric.*dtype"),
    "object": (np.array([[1, None, 2, 3]], dtype=object), TypeError, r"X.*numeric.*object"),
    "bool": (np.ones((2, 4), dtype=bool), TypeError, r"X.*numeric.*bool"),
    "ragged": ([[1.0, 2.0, 3.0, 4.0], [1.0]], TypeError, r"X.*rectangular"),
    "nan": (np.array([[0.0, 1.0, np.nan, 2.0]]), ValueError, r"X.*1 NaN or infinite.*\(0, 2\)"),
    "inf": (np.array([[0.0, 1.0], [2.0, -np.inf]]).reshape(1, 4), ValueError,
            r"X.*NaN or infinite.*\(0, 3\)"),
}


@pytest.mark.parametrize("case", BAD_X)
@pytest.mark.parametrize("entry", ("forward", "predict", "fit", "gradient_check"))
def test_bad_X_is_rejected_with_a_sentence(case, entry):
    X, error, pattern = BAD_X[case]
    net = _net()
    y = np.zeros(max(len(X), 1), dtype=int) if hasattr(X, "__len__") else [0]
    call = {"forward": lambda: net.forward(X), "predict": lambda: net.predict(X),
            "fit": lambda: fit(net, X, y, epochs=1, progress=False),
            "gradient_check": lambda: nnlib.gradient_check(net, X, y)}[entry]
    with pytest.raises(error, match=pattern):
        call()


def test_bad_validation_X_names_X_val(rng):
    X, y = _data(rng)
    with pytest.raises(ValueError, match=r"X_val.*\(n, 4\).*\(6, 2\)"):
        fit(_net(), X, y, validation=(np.ones((6, 2)), y), progress=False)
    with pytest.raises(ValueError, match=r"validation.*pair"):
        fit(_net(), X, y, validation=X, progress=False)


# -- the targets Y ------------------------------------------------------------------------------
@pytest.mark.parametrize(("y", "pattern"), (
    ([0, 1, 3, 0, 1, 2], r"Y.*label 3.*3 classes.*0\.\.2"),
    ([0, 1, -1, 0, 1, 2], r"Y.*label -1.*3 classes.*0\.\.2"),
    ([0, 1, 1.5, 0, 1, 2], r"Y.*integer class labels 0\.\.2.*1\.5"),
    (np.eye(4)[[0, 1, 2, 3, 0, 1]], r"Y.*one-hot.*\(6, 3\).*\(6, 4\)"),
    ([0, 1, 2, 0, 1], r"X has 6 samples but Y has 5"),
    (np.eye(3)[[0, 1, 2, 0, 1, 2, 0]], r"X has 6 samples but Y has 7"),
    (np.zeros((6, 3, 1)), r"Y.*\(6, 3\).*\(6, 3, 1\)"),
    ([0, 1, np.nan, 0, 1, 2], r"Y.*NaN"),
    (["a", "b", "c", "a", "b", "c"], r"Y.*numeric"),
))
@pytest.mark.parametrize("entry", ("backward", "loss", "fit", "accuracy"))
def test_bad_labels_are_rejected_with_a_sentence(y, pattern, entry, rng):
    X = rng.normal(size=(6, 4))
    net = _net()
    Yhat = net.forward(X)
    call = {"backward": lambda: net.backward(y), "loss": lambda: net.loss(Yhat, y),
            "fit": lambda: fit(net, X, y, epochs=1, progress=False),
            "accuracy": lambda: net.accuracy(X, y)}[entry]
    with pytest.raises((ValueError, TypeError), match=pattern):
        call()


def test_bad_validation_labels_name_Y_val(rng):
    X, y = _data(rng)
    with pytest.raises(ValueError, match=r"Y_val.*label 7"):
        fit(_net(), X, y, validation=(X, [0, 1, 7, 0, 1, 2]), progress=False)


def test_binary_targets_outside_zero_one(rng):
    net = Network([Dense(4, 1, "sigmoid")], loss="binary_cross_entropy")
    X = rng.normal(size=(3, 4))
    net.forward(X)
    with pytest.raises(ValueError, match=r"Y.*binary_cross_entropy.*\[0, 1\].*\[0, 2\]"):
        net.backward([0, 1, 2])


def test_regression_targets_of_the_wrong_width(rng):
    net = Network([Dense(4, 2, "identity")], loss="mse")
    X = rng.normal(size=(3, 4))
    net.forward(X)
    with pytest.raises(ValueError, match=r"Y.*targets of shape \(3, 2\).*\(3,\)"):
        net.backward([0.0, 1.0, 2.0])


def test_loss_rejects_yhat_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"Yhat.*\(n, 3\).*\(2, 4\)"):
        _net().loss(np.full((2, 4), 0.25), [0, 1])


def test_accuracy_needs_a_classification_loss(rng):
    net = Network([Dense(4, 2, "identity")], loss="mse")
    with pytest.raises(ValueError, match=r"accuracy.*classification.*'mse'"):
        net.accuracy(rng.normal(size=(3, 4)), [0, 1, 1])


# -- optimizers and fit's arguments -----------------------------------------------------------
@pytest.mark.parametrize("opt", (SGD, Momentum, Adam))
@pytest.mark.parametrize("lr", (0, -0.1, float("nan"), float("inf"), -float("inf"), "0.1", True,
                                None))
def test_learning_rate_must_be_positive_and_finite(opt, lr):
    pattern = rf"lr.*positive, finite.*{re.escape(repr(lr))}"
    with pytest.raises((ValueError, TypeError), match=pattern):
        opt(lr)


@pytest.mark.parametrize(("make", "name"), (
    (lambda: Momentum(0.1, beta=1.0), "beta"), (lambda: Momentum(0.1, beta=-0.1), "beta"),
    (lambda: Adam(beta1=1.5), "beta1"), (lambda: Adam(beta2=1.0), "beta2"),
    (lambda: Adam(eps=0), "eps"), (lambda: Adam(eps=float("nan")), "eps"),
))
def test_optimizer_hyperparameters_are_checked(make, name):
    with pytest.raises(ValueError, match=rf"{name} must be"):
        make()


@pytest.mark.parametrize(("kwargs", "pattern"), (
    ({"epochs": 0}, r"epochs.*positive integer.*0"),
    ({"epochs": -5}, r"epochs.*positive integer.*-5"),
    ({"epochs": 2.5}, r"epochs.*positive integer.*2\.5"),
    ({"batch_size": 0}, r"batch_size.*positive integer.*0"),
    ({"batch_size": -1}, r"batch_size.*positive integer.*-1"),
    ({"batch_size": 1.5}, r"batch_size.*positive integer.*1\.5"),
    ({"patience": 3}, r"patience.*validation"),
    ({"patience": 0, "validation": "self"}, r"patience.*positive integer.*0"),
    ({"loss_threshold": -1.0}, r"loss_threshold.*positive.*-1\.0"),
    ({"optimizer": "sgd"}, r"optimizer.*step.*'sgd'"),
))
def test_fit_arguments_are_checked(kwargs, pattern, rng):
    X, y = _data(rng)
    if kwargs.get("validation") == "self":
        kwargs = {**kwargs, "validation": (X, y)}
    with pytest.raises((ValueError, TypeError), match=pattern):
        fit(_net(), X, y, progress=False, **kwargs)


# -- misuse ---------------------------------------------------------------------------------------
def test_backward_before_forward():
    with pytest.raises(RuntimeError, match=r"backward.*forward"):
        _net().backward([0, 1, 2])


@pytest.mark.parametrize("opt", (SGD(0.1), Momentum(0.1), Adam(0.1)))
def test_optimizer_step_before_backward(opt, rng):
    net = _net()
    net.forward(rng.normal(size=(3, 4)))
    with pytest.raises(RuntimeError, match=r"step.*backward"):
        opt.step(net)


def test_load_missing_file_is_oserror_with_path(tmp_path):
    with pytest.raises(OSError, match="missing-model"):
        Network.load(tmp_path / "missing-model.npz")


# -- extreme values --------------------------------------------------------------------------------
def test_softmax_of_huge_logits_is_finite_and_exact():
    Z = np.array([[1e4, 1e4 - 1.0, -1e4], [-1e4, -1e4, -1e4], [5e3, -5e3, 0.0]])
    with _strict():
        A = act.softmax(Z)
    assert np.all(np.isfinite(A))
    np.testing.assert_allclose(A.sum(axis=1), np.ones(3), rtol=1e-15)
    e = math.e
    np.testing.assert_allclose(A[0], [e / (e + 1), 1 / (e + 1), 0.0], rtol=1e-15, atol=0)
    np.testing.assert_allclose(A[1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_array_equal(A[2], [1.0, 0.0, 0.0])


@pytest.mark.parametrize("dtype", (np.float64, np.float32))
def test_network_with_huge_logits_stays_finite(dtype, rng):
    net = Network([Dense(4, 3, "softmax")], dtype=dtype)
    net.layers[0].W[...] = 1e4 * rng.normal(size=(3, 4))
    X, y = rng.normal(size=(6, 4)), rng.integers(0, 3, 6)
    with _strict():
        Yhat = net.forward(X)
        loss = net.loss(Yhat, y)
        net.backward(y)
    assert np.all(np.isfinite(Yhat)) and math.isfinite(loss)
    np.testing.assert_allclose(Yhat.sum(axis=1), np.ones(6), rtol=1e-6)
    assert np.all(np.isfinite(net.layers[0].dW))


@pytest.mark.parametrize("dtype", (np.float64, np.float32))
def test_cross_entropy_at_probability_zero_is_finite(dtype):
    net = Network([Dense(2, 3, "softmax")], dtype=dtype)
    Yhat = np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], dtype=dtype)
    with _strict():
        loss = net.loss(Yhat, [0, 1])
        grad = losses.cross_entropy_grad(Yhat, np.eye(3, dtype=dtype)[[0, 1]])
    assert math.isfinite(loss)
    assert loss > 30  # a confident, wrong prediction costs a lot (−log of ~1e-38 or less)
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize("dtype", (np.float64, np.float32))
def test_sigmoid_of_huge_inputs_is_zero_and_one(dtype):
    Z = np.array([[-1e4, -800.0, -100.0, 0.0, 100.0, 800.0, 1e4]], dtype=dtype)
    with _strict():
        S = act.sigmoid(Z)
        dS = act.sigmoid_prime(Z)
    assert S.dtype == dtype
    assert S[0, 0] == 0.0 and S[0, -1] == 1.0 and S[0, 3] == 0.5
    assert np.all((S >= 0) & (S <= 1)) and np.all(np.isfinite(dS))
    assert dS[0, 0] == 0.0 and dS[0, -1] == 0.0


def test_sigmoid_keeps_precision_in_the_tail():
    with _strict():
        s = act.sigmoid(np.array([[-50.0]]))[0, 0]
    assert s == pytest.approx(math.exp(-50.0), rel=1e-12)  # 1 − σ(50) would round to 0


@pytest.mark.parametrize("dtype", (np.float64, np.float32))
def test_binary_cross_entropy_at_saturation(dtype):
    net = Network([Dense(2, 2, "sigmoid")], loss="binary_cross_entropy", dtype=dtype)
    Yhat = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    with _strict():
        right = net.loss(Yhat, np.array([[0, 1], [1, 0]]))
        wrong = net.loss(Yhat, np.array([[1, 0], [0, 1]]))
        grad = losses.binary_cross_entropy_grad(Yhat, np.array([[1, 0], [0, 1]], dtype=dtype))
    assert right == 0.0
    assert math.isfinite(wrong) and wrong > 30
    assert np.all(np.isfinite(grad))


def test_saturated_sigmoid_network_backward_is_finite(rng):
    net = Network([Dense(3, 2, "sigmoid")], loss="binary_cross_entropy")
    net.layers[0].W[...] = [[1e4, 0, 0], [-1e4, 0, 0]]
    X = np.array([[1.0, 0, 0], [-1.0, 0, 0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])  # maximally wrong
    with _strict():
        Yhat = net.forward(X)
        net.backward(Y)
    np.testing.assert_array_equal(Yhat, [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(net.layers[0].delta, Yhat - Y)


def test_fit_with_a_huge_learning_rate_emits_no_runtime_warning(rng):
    X = rng.normal(size=(40, 3))
    Y = X @ np.array([[1.0], [-2.0], [0.5]])
    net = Network([Dense(3, 8, "relu"), Dense(8, 1, "identity")], loss="mse", seed=0)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="raise"):
        warnings.simplefilter("always")
        history = fit(net, X, Y, optimizer=SGD(1e6), epochs=50, batch_size=2, progress=False)
    kinds = [w.category for w in caught]
    assert kinds == [DivergenceWarning]
    assert history.stop_reason == "diverged"


# -- minor numerical edge cases (see the report) -------------------------------------------------
def test_softmax_of_logits_spanning_the_whole_float_range_warns_nothing():
    """MINOR BUG (nnlib/activations.py softmax): Z − max(Z) overflows to −inf for logits
    1e308 apart; the result is right, but NumPy emits 'overflow encountered in subtract'."""
    with _strict():
        A = act.softmax(np.array([[1e308, -1e308, 0.0]]))
    np.testing.assert_array_equal(A, [[1.0, 0.0, 0.0]])


def test_float32_network_rejects_values_beyond_float32_range():
    """MINOR BUG (nnlib/_checks.py numeric_array): 1e39 is finite, but float32 cannot hold it;
    the cast warns 'overflow encountered in cast' and the error then blames a NaN/inf that the
    caller never passed. Expected: a ValueError that says the value is out of float32 range."""
    net = _net(np.float32)
    with _strict(), pytest.raises(ValueError, match=r"X.*float32"):
        net.forward(np.array([[1e39, 0.0, 0.0, 0.0]]))
