"""Parameter updates (outline 1.5) and the training loop with its stopping conditions (1.6)."""

import numpy as np
import pytest

import nnlib
from nnlib import SGD, Adam, Dense, DivergenceWarning, Momentum, Network, fit


def _tiny(seed=0, dtype=np.float64):
    return Network([Dense(3, 4, "tanh"), Dense(4, 2, "softmax")], seed=seed, dtype=dtype)


def _tiny_net2(seed=0):
    return Network([Dense(2, 6, "relu"), Dense(6, 3, "softmax")], seed=seed)


def _tiny_data(rng, n=5):
    return rng.normal(size=(n, 3)), rng.integers(0, 2, n)


def _grads(net, X, y):
    net.forward(X)
    net.backward(y)
    return [(layer.dW.copy(), layer.db.copy()) for layer in net.layers]


def _params(net):
    return [(layer.W.copy(), layer.b.copy()) for layer in net.layers]


def _blobs(rng, n=120, k=3, spread=0.5):
    """k well separated gaussian blobs in 2-D: an easy classification problem."""
    centers = 3.0 * np.stack([np.cos(2 * np.pi * np.arange(k) / k),
                              np.sin(2 * np.pi * np.arange(k) / k)], axis=1)
    y = np.arange(n) % k
    return centers[y] + spread * rng.normal(size=(n, 2)), y


def _regression(rng, n=40):
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3


def _mean_ce(net, X, y):
    """Cross-entropy of net on (X, y), recomputed in the test (loop over samples)."""
    P = net.forward(X)
    return -sum(np.log(P[i, c]) for i, c in enumerate(y)) / len(y)


def _mse(net, X, Y):
    return float(np.sum((net.forward(X) - Y) ** 2) / (2 * len(Y)))


# -- optimizers: two steps against hand-computed formulas ------------------------------------------
def test_sgd_step_is_exactly_w_minus_lr_dw(rng):
    net, (X, y) = _tiny(), _tiny_data(rng)
    opt = SGD(0.3)
    for _ in range(2):
        before, grads = _params(net), _grads(net, X, y)
        opt.step(net)
        for layer, (W, b), (dW, db) in zip(net.layers, before, grads):
            assert np.array_equal(layer.W, W - 0.3 * dW)
            assert np.array_equal(layer.b, b - 0.3 * db)


def test_momentum_two_steps_by_hand(rng):
    net, (X, y) = _tiny(), _tiny_data(rng)
    lr, beta = 0.2, 0.7
    opt = Momentum(lr, beta)
    P0, G1 = _params(net), _grads(net, X, y)
    opt.step(net)
    P1 = _params(net)
    G2 = _grads(net, X, y)
    opt.step(net)
    for l, layer in enumerate(net.layers):
        for i, param in enumerate((layer.W, layer.b)):
            v1 = G1[l][i]                      # v₁ = β·0 + g₁
            np.testing.assert_allclose(P1[l][i], P0[l][i] - lr * v1, rtol=1e-14, atol=1e-16)
            v2 = beta * v1 + G2[l][i]          # v₂ = β v₁ + g₂
            np.testing.assert_allclose(param, P1[l][i] - lr * v2, rtol=1e-14, atol=1e-16)


def test_adam_two_steps_by_hand(rng):
    net, (X, y) = _tiny(), _tiny_data(rng)
    lr, b1, b2, eps = 0.01, 0.8, 0.95, 1e-6
    opt = Adam(lr, b1, b2, eps)
    P0, G1 = _params(net), _grads(net, X, y)
    opt.step(net)
    P1 = _params(net)
    G2 = _grads(net, X, y)
    opt.step(net)
    for l, layer in enumerate(net.layers):
        for i, param in enumerate((layer.W, layer.b)):
            g1, g2 = G1[l][i], G2[l][i]
            m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
            step1 = lr * (m1 / (1 - b1)) / (np.sqrt(v1 / (1 - b2)) + eps)
            np.testing.assert_allclose(P1[l][i], P0[l][i] - step1, rtol=1e-13, atol=1e-16)
            m2, v2 = b1 * m1 + (1 - b1) * g2, b2 * v1 + (1 - b2) * g2**2
            step2 = lr * (m2 / (1 - b1**2)) / (np.sqrt(v2 / (1 - b2**2)) + eps)
            np.testing.assert_allclose(param, P1[l][i] - step2, rtol=1e-13, atol=1e-16)


def test_adam_first_step_moves_every_parameter_by_about_lr(rng):
    """With bias correction, step 1 is lr·g/(|g| + ε) ≈ ±lr for every non-zero gradient."""
    net, (X, y) = _tiny(), _tiny_data(rng)
    P0, G = _params(net), _grads(net, X, y)
    Adam(0.01).step(net)
    for layer, (W, _), (dW, _) in zip(net.layers, P0, G):
        moved = W - layer.W
        big = np.abs(dW) > 1e-4
        np.testing.assert_allclose(moved[big], 0.01 * np.sign(dW[big]), rtol=1e-3)


def test_optimizers_reduce_the_loss_of_a_small_step(rng):
    X, y = _tiny_data(rng, 20)
    for opt in (SGD(0.05), Momentum(0.05, 0.9), Adam(0.005)):
        net = _tiny()
        before = _mean_ce(net, X, y)
        _grads(net, X, y)
        opt.step(net)
        assert _mean_ce(net, X, y) < before


# -- fit: stopping conditions ---------------------------------------------------------------------
def test_loss_decreases_on_an_easy_problem(rng):
    X, y = _blobs(rng)
    net = Network([Dense(2, 8, "relu"), Dense(8, 3, "softmax")], seed=0)
    start = _mean_ce(net, X, y)
    history = fit(net, X, y, optimizer=SGD(0.5), epochs=40, progress=False)
    assert history.stop_reason == "max_epochs" and history.epochs == 40
    assert history.loss[0] == pytest.approx(start, rel=1e-12)  # epoch 1: loss before any update
    assert history.loss[-1] < 0.2 * history.loss[0]
    assert sum(b < a for a, b in zip(history.loss, history.loss[1:])) >= 35
    assert _mean_ce(net, X, y) < history.loss[-1]  # the last update helped too
    assert net.accuracy(X, y) == 1.0
    assert history.accuracy[-1] == 1.0 and len(history.accuracy) == 40
    assert "40" in history.message


def test_full_batch_loss_is_the_loss_before_each_update(rng, ref):
    """batch_size=None: one gradient step per epoch on all n samples; history.loss[e] is the
    loss of the weights at the start of epoch e."""
    X, Y = _regression(rng)
    net = Network([Dense(3, 1, "identity")], loss="mse", seed=2)
    expected, probe = [], Network([Dense(3, 1, "identity")], loss="mse", seed=2)
    opt = SGD(0.1)
    for _ in range(5):  # replay by hand: forward, loss, backward, step
        expected.append(ref.loss("mse", ref.forward(*ref.params(probe), X), Y))
        probe.forward(X)
        probe.backward(Y)
        opt.step(probe)
    history = fit(net, X, Y, optimizer=SGD(0.1), epochs=5, progress=False)
    np.testing.assert_allclose(history.loss, expected, rtol=1e-12)
    np.testing.assert_allclose(net.layers[0].W, probe.layers[0].W, rtol=1e-12)


class _Recorder:
    """An optimizer that records each batch it is asked to step on, then does SGD."""

    def __init__(self, lr=0.05):
        self.inner, self.batches = SGD(lr), []

    @property
    def lr(self):
        return self.inner.lr

    def step(self, net):
        self.batches.append(net.layers[0].A_prev.copy())
        self.inner.step(net)


@pytest.mark.parametrize(("batch_size", "sizes"), ((None, [20]), (20, [20]), (100, [20]),
                                                   (8, [8, 8, 4]), (1, [1] * 20)))
def test_batches_cover_every_sample_once_per_epoch(batch_size, sizes, rng):
    X, y = _blobs(rng, n=20)
    net = Network([Dense(2, 3, "softmax")], seed=0)
    rec = _Recorder()
    history = fit(net, X, y, optimizer=rec, epochs=2, batch_size=batch_size, progress=False)
    assert history.epochs == 2
    assert [len(b) for b in rec.batches] == sizes * 2
    per_epoch = len(sizes)
    for e in range(2):
        seen = np.concatenate(rec.batches[e * per_epoch:(e + 1) * per_epoch])
        key = np.lexsort(seen.T)
        np.testing.assert_array_equal(seen[key], X[np.lexsort(X.T)])


def test_mini_batches_are_reshuffled_each_epoch_unless_shuffle_false(rng):
    X, y = _blobs(rng, n=20)
    for shuffle in (True, False):
        rec = _Recorder()
        fit(Network([Dense(2, 3, "softmax")]), X, y, optimizer=rec, epochs=2, batch_size=5,
            shuffle=shuffle, progress=False)
        first, second = np.concatenate(rec.batches[:4]), np.concatenate(rec.batches[4:])
        if shuffle:
            assert not np.array_equal(first, second)
        else:
            np.testing.assert_array_equal(first, X)
            np.testing.assert_array_equal(second, X)


def test_max_epochs(rng):
    X, y = _blobs(rng)
    history = fit(_tiny_net2(), X, y, epochs=3, progress=False, loss_threshold=1e-9)
    assert history.stop_reason == "max_epochs"
    assert history.epochs == 3 and len(history.loss) == 3
    assert history.val_loss == [] and history.best_epoch is None


def test_loss_threshold_stops_at_the_first_epoch_below_it(rng):
    X, y = _blobs(rng)
    history = fit(_tiny_net2(), X, y, optimizer=SGD(0.5), epochs=500, loss_threshold=0.1,
                  progress=False)
    assert history.stop_reason == "loss_threshold"
    assert history.epochs < 500
    assert history.loss[-1] < 0.1
    assert all(loss >= 0.1 for loss in history.loss[:-1])


def test_early_stopping_restores_the_best_weights(rng):
    """Train y = 2x from w ≈ 0 while validating on y = x: gradient descent moves w steadily from
    0 to 2, so the validation loss falls until w passes 1 and then rises."""
    x = rng.uniform(-1, 1, size=(30, 1))
    xv = rng.uniform(-1, 1, size=(30, 1))
    net = Network([Dense(1, 1, "identity", init="zeros")], loss="mse")
    history = fit(net, x, 2 * x, optimizer=SGD(0.5), epochs=300, validation=(xv, xv),
                  patience=4, progress=False)
    assert history.stop_reason == "early_stopping"
    best = int(np.argmin(history.val_loss))
    assert history.best_epoch == best + 1
    assert 1 < history.best_epoch < history.epochs == history.best_epoch + 4
    assert history.val_loss[-1] > history.val_loss[best]
    restored = _mse(net, xv, xv)  # recomputed in the test, on the restored weights
    assert restored == pytest.approx(min(history.val_loss), rel=1e-12)
    assert str(history.best_epoch) in history.message
    assert len(history.val_accuracy) == history.epochs  # entries exist (None for regression)


def test_early_stopping_on_classification_restores_best(rng):
    X, y = _blobs(rng, n=60, spread=1.6)
    Xv, yv = _blobs(rng, n=60, spread=1.6)
    yv = (yv + rng.integers(0, 2, 60)) % 3  # noisy validation labels: will stop improving
    net = Network([Dense(2, 32, "relu"), Dense(32, 3, "softmax")], seed=1)
    history = fit(net, X, y, optimizer=Momentum(0.2, 0.9), epochs=400, validation=(Xv, yv),
                  patience=5, progress=False)
    assert history.stop_reason == "early_stopping"
    assert history.epochs == history.best_epoch + 5
    assert _mean_ce(net, Xv, yv) == pytest.approx(min(history.val_loss), rel=1e-12)
    assert net.accuracy(Xv, yv) == pytest.approx(history.val_accuracy[history.best_epoch - 1])


@pytest.mark.parametrize("batch_size", (None, 4))
def test_divergence_on_regression_stops_and_warns(batch_size, rng):
    X, Y = _regression(rng)
    net = Network([Dense(3, 8, "relu"), Dense(8, 1, "identity")], loss="mse", seed=0)
    with pytest.warns(DivergenceWarning, match="smaller learning rate") as record:
        history = fit(net, X, Y, optimizer=SGD(1e4), epochs=100, batch_size=batch_size,
                      progress=False)
    assert len(record) == 1
    assert history.stop_reason == "diverged"
    assert history.epochs < 100
    assert "smaller learning rate" in history.message
    for name, param, _ in net.parameters():
        assert np.all(np.isfinite(param)), name
    assert np.all(np.isfinite(net.forward(X)))


def test_divergence_on_cross_entropy_stops_and_warns(rng):
    X, y = _blobs(rng, n=60)
    net = Network([Dense(2, 8, "relu"), Dense(8, 3, "softmax")], seed=0)
    with pytest.warns(DivergenceWarning, match="smaller learning rate"):
        history = fit(net, X, y, optimizer=SGD(1e4), epochs=200, progress=False)
    assert history.stop_reason == "diverged"
    for name, param, _ in net.parameters():
        assert np.all(np.isfinite(param)), name


@pytest.mark.parametrize("loss", ("mse", "cross_entropy"))
def test_divergence_restores_weights_that_had_a_finite_loss(loss, rng):
    """BUG (nnlib/train.py fit): the warning says the weights 'were restored to the last ones
    with a finite loss', but fit restores the weights left by the previous epoch's update —
    in full-batch training exactly the weights whose loss just blew up. The restored network
    must be no worse than the worst epoch that training accepted."""
    if loss == "mse":
        X, Y = _regression(rng)
        net = Network([Dense(3, 8, "relu"), Dense(8, 1, "identity")], loss="mse", seed=0)
    else:
        X, Y = _blobs(rng, n=60)
        net = Network([Dense(2, 8, "relu"), Dense(8, 3, "softmax")], seed=0)
    with pytest.warns(DivergenceWarning):
        history = fit(net, X, Y, optimizer=SGD(1e4), epochs=200, progress=False)
    assert history.stop_reason == "diverged"
    with np.errstate(all="ignore"):
        Yhat = net.forward(X)
    assert np.all(np.isfinite(Yhat)), "restored weights give a non-finite output"
    if loss == "mse":
        after = _mse(net, X, Y)
    else:  # a wild network predicts probabilities of exactly 0: log clipped as in rough edge 5
        P = np.maximum(Yhat[np.arange(len(Y)), Y], np.finfo(np.float64).tiny)
        after = -np.mean(np.log(P))
    assert after <= max(history.loss) * (1 + 1e-9)


# -- fit: determinism, callback, progress ---------------------------------------------------------
def test_same_seed_same_history_and_weights(rng):
    X, y = _blobs(rng, n=50)
    Xv, yv = _blobs(rng, n=20)
    runs = []
    for seed in (3, 3, 4):
        net = _tiny_net2(seed=1)
        h = fit(net, X, y, optimizer=Momentum(0.1, 0.9), epochs=5, batch_size=7, seed=seed,
                validation=(Xv, yv), progress=False)
        runs.append((h, _params(net)))
    (h1, p1), (h2, p2), (h3, p3) = runs
    assert h1.loss == h2.loss and h1.val_loss == h2.val_loss and h1.accuracy == h2.accuracy
    for (W1, b1), (W2, b2) in zip(p1, p2):
        assert np.array_equal(W1, W2) and np.array_equal(b1, b2)
    assert h1.loss != h3.loss  # a different shuffle
    assert not np.array_equal(p1[0][0], p3[0][0])


def test_callback_is_called_once_per_epoch_with_the_history(rng):
    X, y = _blobs(rng, n=30)
    seen = []
    history = fit(_tiny_net2(), X, y, epochs=6, progress=False, validation=(X, y),
                  callback=lambda h: seen.append((h.epochs, len(h.val_loss))))
    assert seen == [(e, e) for e in range(1, 7)]
    assert history.epochs == 6


def test_progress_bar_runs(rng, capsys):
    X, y = _blobs(rng, n=30)
    history = fit(_tiny_net2(), X, y, epochs=3, progress=True, validation=(X, y))
    assert history.epochs == 3
    err = capsys.readouterr().err
    assert "training" in err and "3/3" in err


def test_default_optimizer_is_sgd(rng):
    X, y = _blobs(rng, n=30)
    a, b = _tiny_net2(), _tiny_net2()
    fit(a, X, y, epochs=2, progress=False)
    fit(b, X, y, optimizer=SGD(), epochs=2, progress=False)
    for (W1, _), (W2, _) in zip(_params(a), _params(b)):
        assert np.array_equal(W1, W2)


def test_history_repr_and_fields(rng):
    X, y = _blobs(rng, n=30)
    h = fit(_tiny_net2(), X, y, epochs=2, progress=False, validation=(X, y))
    assert isinstance(h, nnlib.History)
    assert len(h.loss) == len(h.val_loss) == len(h.accuracy) == len(h.val_accuracy) == 2
    assert all(0 <= a <= 1 for a in h.accuracy + h.val_accuracy)
    assert "max_epochs" in repr(h)


# -- the digits benchmark ----------------------------------------------------------------------
def _stratified_split(y, fractions, seed):
    """Indices (train, val, test): each class is split on its own, in the given fractions."""
    rng = np.random.default_rng(seed)
    parts = ([], [], [])
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_val, n_test = (round(f * len(idx)) for f in fractions)
        parts[0].append(idx[n_val + n_test:])
        parts[1].append(idx[:n_val])
        parts[2].append(idx[n_val:n_val + n_test])
    return [rng.permutation(np.concatenate(p)) for p in parts]


def test_digits_reach_97_percent_test_accuracy():
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    X, y = digits.data / 16.0, digits.target
    train, val, test = _stratified_split(y, (0.15, 0.15), seed=0)
    assert not set(train) & set(test) and not set(val) & set(test)
    assert len(train) + len(val) + len(test) == len(y)
    net = Network([Dense(64, 128, "relu"), Dense(128, 10, "softmax")], seed=0)
    history = fit(net, X[train], y[train], optimizer=Momentum(0.1, 0.9), epochs=20,
                  batch_size=32, validation=(X[val], y[val]), progress=False)
    assert history.stop_reason == "max_epochs"
    assert history.loss[-1] < 0.1 * history.loss[0]
    pred = net.predict(X[test])
    accuracy = np.mean(pred == y[test])
    assert accuracy >= 0.97
    assert net.accuracy(X[test], y[test]) == pytest.approx(accuracy)
