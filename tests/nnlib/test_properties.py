"""Properties that must hold for every input, checked with hypothesis on random cases."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib import Dense, Network, losses
from nnlib import activations as act

ACTIVATIONS = ("relu", "sigmoid", "tanh", "softmax", "identity")
LOSS_OUT = (("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid"), ("mse", "identity"),
            ("mse", "relu"), ("mse", "softmax"), ("mse", "tanh"))

FAST = settings(max_examples=40, deadline=None, database=None)

sizes = st.integers(min_value=1, max_value=7)
# "Huge" logits: up to 1e300, far beyond any real network (the full-range case is in
# test_errors.py). Subnormal inputs are excluded only because they are pointless here.
huge = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False,
                 allow_subnormal=False)
moderate = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_subnormal=False)
# On a grid of 1/16 two different values differ by enough that (ŷ − y)² cannot underflow to 0.
grid = st.integers(-800, 800).map(lambda i: i / 16)


@st.composite
def networks(draw):
    loss, out = draw(st.sampled_from(LOSS_OUT))
    widths = draw(st.lists(sizes, min_size=1, max_size=4))
    hidden = draw(st.lists(st.sampled_from(ACTIVATIONS), min_size=len(widths) - 1,
                           max_size=len(widths) - 1))
    k = draw(sizes) if out != "softmax" else draw(st.integers(2, 7))
    dims = [*widths, k]
    layers = [Dense(a, b, f) for a, b, f in zip(dims, dims[1:], [*hidden, out])]
    dtype = draw(st.sampled_from((np.float64, np.float32)))
    return Network(layers, loss=loss, seed=draw(st.integers(0, 2**32 - 1)), dtype=dtype)


@FAST
@given(networks(), st.integers(1, 9), st.data())
def test_forward_shape_dtype_and_gradient_shapes(net, n, data):
    d, k = net.sizes[0], net.sizes[-1]
    X = data.draw(arrays(np.float64, (n, d), elements=moderate))
    Yhat = net.forward(X)
    assert Yhat.shape == (n, k)
    assert Yhat.dtype == net.dtype
    assert np.all(np.isfinite(Yhat))
    if net.loss_fn.name == "cross_entropy":
        Y = data.draw(arrays(np.int64, n, elements=st.integers(0, k - 1)))
    else:
        Y = data.draw(arrays(np.float64, (n, k), elements=st.floats(0, 1)))
    net.backward(Y)
    for layer in net.layers:
        assert layer.dW.shape == layer.W.shape and layer.db.shape == layer.b.shape
        assert layer.delta.shape == (n, layer.n_out)
        assert layer.dW.dtype == net.dtype and layer.db.dtype == net.dtype


@FAST
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_softmax_rows_are_probability_distributions(n, k, data):
    Z = data.draw(arrays(np.float64, (n, k), elements=huge))
    A = act.softmax(Z)
    assert np.all(np.isfinite(A))
    assert np.all((A >= 0) & (A <= 1))
    np.testing.assert_allclose(A.sum(axis=1), np.ones(n), rtol=1e-12)
    # the largest logit of each row gets the largest probability
    np.testing.assert_array_equal(A[np.arange(n), Z.argmax(axis=1)], A.max(axis=1))


@FAST
@given(st.integers(1, 6), st.integers(2, 6), moderate, st.data())
def test_softmax_ignores_a_shift_of_the_logits(n, k, shift, data):
    Z = data.draw(arrays(np.float64, (n, k), elements=moderate))
    np.testing.assert_allclose(act.softmax(Z + shift), act.softmax(Z), rtol=1e-9, atol=1e-300)


@FAST
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=huge))
def test_sigmoid_lies_in_zero_one_and_is_monotone(Z):
    S = act.sigmoid(Z)
    assert np.all(np.isfinite(S))
    assert np.all((S >= 0) & (S <= 1))
    z, s = Z.ravel(), S.ravel()
    order = np.argsort(z, kind="stable")
    assert np.all(np.diff(s[order]) >= 0)
    # symmetric: σ(−z) = 1 − σ(z)
    np.testing.assert_allclose(act.sigmoid(-Z), 1 - S, atol=1e-15)


@st.composite
def prediction_pairs(draw):
    n, k = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    probs = arrays(np.float64, (n, k), elements=st.floats(0, 1))
    return draw(probs), draw(probs)


@FAST
@given(prediction_pairs())
def test_every_loss_is_non_negative(pair):
    Yhat, Y = pair
    assert losses.mse(Yhat, Y) >= 0
    assert losses.binary_cross_entropy(Yhat, Y) >= 0
    P = Yhat + 1e-3
    P /= P.sum(axis=1, keepdims=True)  # rows that are distributions
    assert losses.cross_entropy(P, Y) >= 0


@FAST
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 4)), elements=grid),
       st.data())
def test_mse_is_zero_exactly_when_yhat_equals_y(Y, data):
    net = Network([Dense(2, Y.shape[1], "identity")], loss="mse")
    assert net.loss(Y, Y) == 0.0
    Yhat = data.draw(arrays(np.float64, Y.shape, elements=grid))
    if np.array_equal(Yhat, Y):
        assert net.loss(Yhat, Y) == 0.0
    else:
        assert net.loss(Yhat, Y) > 0.0
