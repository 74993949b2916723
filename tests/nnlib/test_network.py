"""Network construction, initialization, forward/backward conventions, dtype, predict and files."""

import json

import numpy as np
import pytest

import nnlib
from nnlib import Adam, Dense, Momentum, Network, fit

LOSS_OUT = (("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid"), ("mse", "identity"),
            ("mse", "tanh"), ("mse", "softmax"))


def _net(loss="cross_entropy", out="softmax", hidden=("relu", "tanh"), dtype=np.float64, seed=0):
    sizes = [4] + [5] * len(hidden) + [3]
    acts = [*hidden, out]
    layers = [Dense(a, b, f) for a, b, f in zip(sizes, sizes[1:], acts)]
    return Network(layers, loss=loss, seed=seed, dtype=dtype)


def _targets(loss, rng, n=6, k=3):
    if loss == "cross_entropy":
        return rng.integers(0, k, n)
    if loss == "binary_cross_entropy":
        return (rng.uniform(size=(n, k)) < 0.5).astype(float)
    return rng.normal(size=(n, k))


def _randomize_biases(net, rng):
    for layer in net.layers:
        layer.b[...] = rng.uniform(-0.5, 0.5, size=layer.b.shape)


# -- construction and initialization (outline 1.1) ----------------------------------------------
def test_dense_shapes_follow_the_rows_convention():
    layer = Dense(7, 3, "tanh")
    assert (layer.n_in, layer.n_out) == (7, 3)
    assert layer.W.shape == (3, 7) and layer.b.shape == (3,)


def test_default_init_is_he_after_relu_and_xavier_otherwise():
    assert Dense(3, 2).init == "he"
    assert Dense(3, 2, "relu").init == "he"
    for name in ("sigmoid", "tanh", "softmax", "identity"):
        assert Dense(3, 2, name).init == "xavier"
    assert Dense(3, 2, "relu", init="zeros").init == "zeros"


@pytest.mark.parametrize(("init", "activation", "n_in", "n_out", "std"), (
    ("he", "relu", 400, 300, np.sqrt(2 / 400)),
    (None, "relu", 300, 400, np.sqrt(2 / 300)),
    ("xavier", "relu", 400, 200, np.sqrt(2 / 600)),
    (None, "tanh", 200, 400, np.sqrt(2 / 600)),
    ("normal", "sigmoid", 300, 300, 0.37),
))
def test_initial_weights_have_the_documented_spread(init, activation, n_in, n_out, std):
    layer = Dense(n_in, n_out, activation, init=init, scale=0.37)
    Network([layer], loss="mse", seed=1)
    W = layer.W
    assert W.shape == (n_out, n_in)
    # 120 000 draws: the sample std is within ~0.4 % of the true one (5 sigma: 1 %).
    assert W.std() == pytest.approx(std, rel=0.01)
    assert abs(W.mean()) < 5 * std / np.sqrt(W.size)
    np.testing.assert_array_equal(layer.b, np.zeros(n_out))


def test_zeros_init_gives_zero_weights():
    layer = Dense(4, 3, init="zeros")
    Network([layer], loss="mse", seed=5)
    assert not layer.W.any() and not layer.b.any()


def test_every_layer_is_initialized():
    net = _net(hidden=("relu", "sigmoid", "tanh"))
    for layer in net.layers:
        assert np.all(np.isfinite(layer.W)) and np.count_nonzero(layer.W) == layer.W.size


def test_same_seed_same_weights_different_seed_different():
    a, b, c = _net(seed=7), _net(seed=7), _net(seed=8)
    for la, lb, lc in zip(a.layers, b.layers, c.layers):
        np.testing.assert_array_equal(la.W, lb.W)
        np.testing.assert_array_equal(la.b, lb.b)
        assert not np.array_equal(la.W, lc.W)


def test_layers_in_a_network_are_distinct_draws():
    net = Network([Dense(5, 5, "tanh"), Dense(5, 5, "tanh")], loss="mse", seed=0)
    assert not np.allclose(net.layers[0].W, net.layers[1].W)


# -- forward (outline 1.2, 2.1–2.5) ------------------------------------------------------------
@pytest.mark.parametrize(("loss", "out"), LOSS_OUT)
@pytest.mark.parametrize("hidden", ((), ("relu",), ("sigmoid", "tanh"), ("identity", "softmax")))
def test_forward_matches_column_form_reference(loss, out, hidden, rng, ref):
    net = _net(loss, out, hidden)
    _randomize_biases(net, rng)
    X = rng.normal(size=(6, 4))
    Yhat = net.forward(X)
    assert Yhat.shape == (6, 3)
    np.testing.assert_allclose(Yhat, ref.forward(*ref.params(net), X), rtol=1e-12, atol=1e-15)


def test_forward_caches_A_prev_Z_A(rng, ref):
    net = _net(hidden=("relu", "sigmoid"))
    _randomize_biases(net, rng)
    X = rng.normal(size=(6, 4))
    Yhat = net.forward(X)
    A_prev = X
    for layer in net.layers:
        np.testing.assert_array_equal(layer.A_prev, A_prev)
        Z = np.empty((6, layer.n_out))
        for i in range(6):  # z⁽ⁱ⁾ = W a⁽ⁱ⁾ + b, one sample at a time
            Z[i] = layer.W @ A_prev[i] + layer.b
        np.testing.assert_allclose(layer.Z, Z, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(layer.A, ref.activation(layer.activation.name, Z.T).T,
                                   rtol=1e-13, atol=1e-15)
        A_prev = layer.A
    np.testing.assert_array_equal(Yhat, net.layers[-1].A)


def test_softmax_output_rows_are_probabilities(rng):
    Yhat = _net().forward(rng.normal(size=(10, 4)))
    assert np.all((Yhat > 0) & (Yhat < 1))
    np.testing.assert_allclose(Yhat.sum(axis=1), np.ones(10), rtol=1e-14)


def test_forward_of_one_row_equals_that_row_of_the_batch(rng):
    net = _net()
    X = rng.normal(size=(5, 4))
    batch = net.forward(X)
    for i in range(5):
        np.testing.assert_allclose(net.forward(X[i:i + 1])[0], batch[i], rtol=1e-14)


# -- backward (outline 1.4, 1.7; rough edges 2 and 3) ---------------------------------------------
def test_backward_caches_delta_dW_db_with_parameter_shapes(rng):
    net = _net(hidden=("relu", "tanh", "sigmoid"))
    X = rng.normal(size=(6, 4))
    net.forward(X)
    net.backward(rng.integers(0, 3, 6))
    for layer in net.layers:
        assert layer.delta.shape == (6, layer.n_out)
        assert layer.dW.shape == layer.W.shape and layer.db.shape == layer.b.shape
        dW = sum(np.outer(layer.delta[i], layer.A_prev[i]) for i in range(6)) / 6
        np.testing.assert_allclose(layer.dW, dW, rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(layer.db, layer.delta.mean(axis=0), rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize(("loss", "out"), LOSS_OUT)
def test_batch_gradient_is_the_mean_of_per_sample_gradients(loss, out, rng):
    """The 1/m convention: dW of a batch = mean over samples of each sample's own dW."""
    net = _net(loss, out, hidden=("tanh", "relu"))
    _randomize_biases(net, rng)
    X, Y = rng.normal(size=(6, 4)), _targets(loss, rng)
    singles = []
    for i in range(6):
        net.forward(X[i:i + 1])
        net.backward(Y[i:i + 1])
        singles.append([(layer.dW.copy(), layer.db.copy()) for layer in net.layers])
    net.forward(X)
    net.backward(Y)
    for l, layer in enumerate(net.layers):
        mean_dW = sum(s[l][0] for s in singles) / 6
        mean_db = sum(s[l][1] for s in singles) / 6
        np.testing.assert_allclose(layer.dW, mean_dW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer.db, mean_db, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("loss", "out"), LOSS_OUT)
def test_delta_carries_no_one_over_m(loss, out, rng):
    """δ is per sample: row i of a batch's δ equals the δ of sample i on its own."""
    net = _net(loss, out)
    X, Y = rng.normal(size=(6, 4)), _targets(loss, rng)
    net.forward(X)
    net.backward(Y)
    batch = [layer.delta.copy() for layer in net.layers]
    for i in range(6):
        net.forward(X[i:i + 1])
        net.backward(Y[i:i + 1])
        for layer, delta in zip(net.layers, batch):
            np.testing.assert_allclose(layer.delta[0], delta[i], rtol=1e-12, atol=1e-15)


def test_softmax_cross_entropy_output_delta_is_yhat_minus_y(rng, ref):
    net = _net()
    X, labels = rng.normal(size=(6, 4)), rng.integers(0, 3, 6)
    Yhat = net.forward(X)
    net.backward(labels)
    np.testing.assert_allclose(net.layers[-1].delta, Yhat - ref.one_hot(labels, 3), rtol=1e-14)


def test_labels_and_one_hot_give_the_same_gradients(rng, ref):
    net = _net()
    X, labels = rng.normal(size=(6, 4)), rng.integers(0, 3, 6)
    net.forward(X)
    net.backward(labels)
    by_label = [layer.dW.copy() for layer in net.layers]
    net.forward(X)
    net.backward(ref.one_hot(labels, 3))
    for layer, dW in zip(net.layers, by_label):
        np.testing.assert_array_equal(layer.dW, dW)


# -- dtype end to end ---------------------------------------------------------------------------
def _assert_all_float32(net):
    for layer in net.layers:
        for name in ("W", "b", "A_prev", "Z", "A", "delta", "dW", "db"):
            value = getattr(layer, name)
            assert value is not None, name
            assert value.dtype == np.float32, f"{layer}: {name} is {value.dtype}"
    assert net.Yhat.dtype == np.float32


@pytest.mark.parametrize(("loss", "out"), LOSS_OUT)
def test_float32_forward_backward_never_upcast(loss, out, rng):
    net = _net(loss, out, hidden=("relu", "sigmoid", "tanh"), dtype=np.float32)
    X = rng.normal(size=(6, 4))  # float64 in: converted once, at the boundary
    Y = _targets(loss, rng)
    Yhat = net.forward(X)
    assert Yhat.dtype == np.float32
    assert isinstance(net.loss(Yhat, Y), float)
    net.backward(Y)
    _assert_all_float32(net)


@pytest.mark.parametrize("make_opt", (lambda: nnlib.SGD(0.1), lambda: Momentum(0.1, 0.9),
                                      lambda: Adam(0.01)), ids=("SGD", "Momentum", "Adam"))
def test_float32_survives_every_optimizer_and_fit(make_opt, rng):
    net = _net(hidden=("relu", "identity"), dtype=np.float32)
    X, y = rng.normal(size=(20, 4)), rng.integers(0, 3, 20)
    opt = make_opt()
    for _ in range(2):
        net.forward(X)
        net.backward(y)
        opt.step(net)
        _assert_all_float32(net)
    for state in (getattr(opt, "v", {}), getattr(opt, "m", {})):
        for value in state.values():
            assert value.dtype == np.float32
    history = fit(net, X, y, optimizer=make_opt(), epochs=3, batch_size=8, progress=False,
                  validation=(X, y))
    assert history.epochs == 3
    _assert_all_float32(net)
    assert net.forward(X).dtype == np.float32


def test_float64_is_the_default_and_integer_input_is_converted(rng):
    net = _net()
    assert net.forward(rng.integers(0, 3, size=(2, 4))).dtype == np.float64
    assert all(layer.W.dtype == np.float64 for layer in net.layers)


# -- predict, accuracy ------------------------------------------------------------------------
def test_predict_gives_the_most_probable_class(rng, ref):
    net = _net()
    _randomize_biases(net, rng)
    X = rng.normal(size=(30, 4))
    expected = ref.forward(*ref.params(net), X).argmax(axis=1)
    np.testing.assert_array_equal(net.predict(X), expected)


def test_predict_with_one_sigmoid_unit_thresholds_at_half(rng, ref):
    net = Network([Dense(4, 3, "tanh"), Dense(3, 1, "sigmoid")], loss="binary_cross_entropy")
    X = rng.normal(size=(30, 4))
    p = ref.forward(*ref.params(net), X)[:, 0]
    np.testing.assert_array_equal(net.predict(X), [1 if q >= 0.5 else 0 for q in p])


def test_predict_for_regression_is_the_output(rng, ref):
    net = _net("mse", "identity")
    X = rng.normal(size=(5, 4))
    np.testing.assert_allclose(net.predict(X), ref.forward(*ref.params(net), X), rtol=1e-12)


def test_accuracy_is_the_fraction_of_correct_labels(rng, ref):
    net = _net()
    _randomize_biases(net, rng)
    X, y = rng.normal(size=(40, 4)), rng.integers(0, 3, 40)
    pred = ref.forward(*ref.params(net), X).argmax(axis=1)
    expected = sum(int(p == t) for p, t in zip(pred, y)) / 40
    assert net.accuracy(X, y) == pytest.approx(expected, abs=1e-15)
    assert net.accuracy(X, ref.one_hot(y, 3)) == pytest.approx(expected, abs=1e-15)
    assert net.accuracy(X, pred) == 1.0


# -- save and load ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", (np.float64, np.float32))
def test_save_load_round_trip_is_bit_for_bit(dtype, tmp_path, rng):
    net = Network([Dense(4, 6, "relu"), Dense(6, 5, "sigmoid", init="normal", scale=0.3),
                   Dense(5, 3, "softmax")], seed=11, dtype=dtype)
    X, y = rng.normal(size=(30, 4)), rng.integers(0, 3, 30)
    fit(net, X, y, epochs=3, progress=False)  # trained weights, not a fresh seed-11 draw
    path = tmp_path / "model.npz"
    net.save(path)
    loaded = Network.load(path)
    assert loaded.sizes == [4, 6, 5, 3]
    assert [layer.activation.name for layer in loaded.layers] == ["relu", "sigmoid", "softmax"]
    assert loaded.loss_fn.name == "cross_entropy"
    assert loaded.dtype == dtype
    for a, b in zip(net.layers, loaded.layers):
        assert b.W.dtype == dtype
        np.testing.assert_array_equal(a.W, b.W)
        np.testing.assert_array_equal(a.b, b.b)
    assert np.array_equal(loaded.forward(X), net.forward(X))
    assert np.array_equal(loaded.predict(X), net.predict(X))


def test_load_restores_loss_and_str_path(tmp_path, rng):
    net = Network([Dense(3, 2, "tanh"), Dense(2, 1, "identity")], loss="mse", seed=4)
    path = str(tmp_path / "regressor.npz")
    net.save(path)
    loaded = Network.load(path)
    assert loaded.loss_fn.name == "mse"
    X = rng.normal(size=(4, 3))
    assert np.array_equal(loaded.predict(X), net.predict(X))


def test_save_then_load_the_same_path_without_npz_suffix(tmp_path, rng):
    """BUG (nnlib/network.py save): np.savez appends '.npz' to a path that lacks it, so
    ``net.save(p); Network.load(p)`` fails with 'no model file at p'."""
    net = _net()
    path = tmp_path / "model.bin"
    net.save(path)
    loaded = Network.load(path)
    X = rng.normal(size=(3, 4))
    assert np.array_equal(loaded.forward(X), net.forward(X))


def test_load_missing_file_names_the_path(tmp_path):
    path = tmp_path / "nowhere" / "model.npz"
    with pytest.raises(OSError, match="nowhere"):
        Network.load(path)


@pytest.mark.parametrize("content", (b"", b"definitely not a model\n" * 10, b"PK\x03\x04garbage"))
def test_load_garbage_raises_oserror(content, tmp_path):
    path = tmp_path / "garbage.npz"
    path.write_bytes(content)
    with pytest.raises(OSError, match="garbage.npz"):
        Network.load(path)


def test_load_npz_with_wrong_parameter_shapes_raises_oserror(tmp_path):
    net = _net()
    arch = json.dumps(net.architecture())
    path = tmp_path / "wrong.npz"
    params = {name: np.zeros((2, 2)) for name, _, _ in net.parameters()}
    np.savez(path, architecture=np.array(arch), **params)
    with pytest.raises(OSError, match="wrong.npz"):
        Network.load(path)


def test_load_npz_without_architecture_raises_oserror(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, weights=np.ones(3))
    with pytest.raises(OSError, match="other.npz"):
        Network.load(path)
