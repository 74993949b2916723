"""The training playground of notebook 06 (nnlib_viz/playground.py), without a browser."""

import ast
import base64
import contextlib
import html
import io
import math

import matplotlib.image
import numpy as np
import pytest
from matplotlib.colors import to_rgb, to_rgba

from nnlib import SGD, Dense, Network, datasets, fit
from nnlib_viz import Explorer, playground
from nnlib_viz.playground import Playground
from nnlib_viz.plots import CLASS_COLORS

N = 120  # fewer points than the default 300: the tests train, and every epoch costs


def small(**kwargs):
    return Playground(n=N, **kwargs)


def weights(net):
    return [(layer.W.copy(), layer.b.copy()) for layer in net.layers]


def same(a, b):
    return len(a) == len(b) and all(np.array_equal(Wa, Wb) and np.array_equal(ba, bb)
                                    for (Wa, ba), (Wb, bb) in zip(a, b))


def pixels(png):
    return matplotlib.image.imread(io.BytesIO(png))


def cross_entropy(net, X, y):
    """−1/m Σ log ŷ_true, from a forward pass written here (not nnlib's loss)."""
    A = X
    for layer in net.layers[:-1]:
        Z = A @ layer.W.T + layer.b
        A = {"relu": np.maximum(Z, 0), "tanh": np.tanh(Z),
             "sigmoid": 1 / (1 + np.exp(-Z))}[layer.activation.name]
    Z = A @ net.layers[-1].W.T + net.layers[-1].b
    log_p = Z - Z.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean())


def forward_by_hand(net, X):
    """Ŷ (n, k): the network's forward pass written here, as in ``cross_entropy``."""
    A = X
    for layer in net.layers[:-1]:
        Z = A @ layer.W.T + layer.b
        A = {"relu": np.maximum(Z, 0), "tanh": np.tanh(Z),
             "sigmoid": 1 / (1 + np.exp(-Z))}[layer.activation.name]
    Z = A @ net.layers[-1].W.T + net.layers[-1].b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def twin_network(widths, activation, k, seed=0):
    """The playground's network built here from nnlib: 2 → widths (activation) → k softmax."""
    sizes = [2, *widths]
    layers = [Dense(a, b, activation) for a, b in zip(sizes, sizes[1:])]
    return Network(layers + [Dense(sizes[-1], k, "softmax")], loss="cross_entropy", seed=seed)


def points(name, noise, n=N, seed=0):
    """The playground's data made here: nnlib's set (blobs' std is 5 · noise) split 2/3 : 1/3 by
    nnlib, then standardized by hand with the training points' mean and std."""
    kwargs = {"std": 5 * noise} if name == "blobs" else {"noise": noise}
    X, y = datasets.make(name, n=n, seed=seed, **kwargs)
    X_train, y_train, X_test, y_test, _, _ = datasets.train_val_test_split(
        X, y, val=1 / 3, test=0, seed=seed)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, y_train, (X_test - mean) / std, y_test


def figure(pg):
    """The playground's artists: field axes, loss axes, the field image, the training and test
    points, the training and test loss lines, the message."""
    ax, ax_loss = pg.fig.axes
    (image,) = ax.images
    train_points, test_points = ax.collections
    train, test = ax_loss.get_lines()
    (message,) = pg.fig.texts
    return ax, ax_loss, image, train_points, test_points, train, test, message


def assert_points(pg, X_train, y_train, X_test, y_test):
    """The scatters are those points, each in its class's colour; the field covers them all."""
    _, _, image, train_points, test_points, _, _, _ = figure(pg)
    np.testing.assert_allclose(train_points.get_offsets(), X_train, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(test_points.get_offsets(), X_test, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(train_points.get_facecolors(),
                               [to_rgba(CLASS_COLORS[c]) for c in y_train])
    np.testing.assert_allclose(test_points.get_edgecolors(),
                               [to_rgba(CLASS_COLORS[c]) for c in y_test])
    x0, x1, y0, y1 = image.get_extent()
    both = np.vstack([X_train, X_test])
    margins = np.r_[both.min(axis=0) - (x0, y0), (x1, y1) - both.max(axis=0)]
    assert np.all((0 < margins) & (margins < 1))  # every point inside, with a small margin


def assert_field(pg, net):
    """The decision field: at every pixel (centres spread over the extent, row 0 at the
    bottom), the class colours mixed by ``net``'s Ŷ there, lightened towards white."""
    _, _, image, _, _, _, _, _ = figure(pg)
    drawn = np.asarray(image.get_array())
    rows, cols, _ = drawn.shape
    x0, x1, y0, y1 = image.get_extent()
    gx, gy = np.meshgrid(np.linspace(x0, x1, cols), np.linspace(y0, y1, rows))
    Yhat = forward_by_hand(net, np.column_stack([gx.ravel(), gy.ravel()]))
    colors = np.array([to_rgb(c) for c in CLASS_COLORS[:Yhat.shape[1]]])
    expected = (1 - 0.45 * (1 - Yhat @ colors)).reshape(rows, cols, 3)
    np.testing.assert_allclose(drawn, expected, atol=1e-9)


@pytest.mark.parametrize("factory", playground.EXPLORERS)
def test_every_explorer_builds_with_a_picture_and_the_interface(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer) and explorer.png.startswith(b"\x89PNG")
    assert set(explorer.controls) == {"dataset", "noise", "hidden", "activation", "lr",
                                      "batch_size"}
    assert explorer.redraw_ms and callable(explorer.step)
    assert explorer.loss == [] and explorer.net.sizes == [2, 8, 8, 2]


def test_display_carries_a_static_png_of_the_default_state():
    pg = small()
    bundle = pg._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == pg.png
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_the_untrained_loss_is_the_cross_entropy_of_the_initial_network():
    pg = small()
    expected = cross_entropy(pg.net, pg.X_train, pg.y_train)
    assert pg.start_loss == pytest.approx(expected, rel=1e-10)
    assert abs(pg.start_loss - math.log(2)) < 0.2  # small initial weights: close to a coin flip


def test_step_trains_the_loss_down_and_redraws():
    pg = small(dataset="moons", lr=0.3)
    pictures, before = {pg.png}, weights(pg.net)
    for _ in range(4):
        pg.step()
        pictures.add(pg.png)
    assert len(pictures) == 5  # every tick drew a new picture
    assert len(pg.loss) == len(pg.val_loss) == 4 * pg.epochs_per_tick
    assert pg.loss[-1] < 0.6 * pg.loss[0] and pg.val_loss[-1] < pg.val_loss[0]
    assert not same(before, weights(pg.net))
    # the history is what the network now does on the test points
    assert pg.val_loss[-1] == pytest.approx(cross_entropy(pg.net, pg.X_test, pg.y_test),
                                            rel=1e-10)
    assert len(pg.tick_ms) == 4 and all(t > 0 for t in pg.tick_ms)


def test_each_tick_extends_the_loss_curves_to_what_fit_measures():
    pg = small(dataset="moons", lr=0.3)  # 8,8 tanh, batch 16, 10 epochs a tick
    X_train, y_train, X_test, y_test = points("moons", 0.2)
    net = twin_network([8, 8], "tanh", 2)
    _, ax_loss, _, _, _, train, test, _ = figure(pg)
    assert len(train.get_xdata()) == len(test.get_xdata()) == 0
    start = cross_entropy(net, X_train, y_train)
    assert ax_loss.get_title() == f"untrained: loss {start:.3f}; press play or step"
    loss, val_loss = [], []
    for tick in (1, 2, 3):
        pg.step()
        history = fit(net, X_train, y_train, SGD(0.3), epochs=10, batch_size=16,
                      seed=10 * (tick - 1), validation=(X_test, y_test), progress=False)
        loss += history.loss
        val_loss += history.val_loss
        _, ax_loss, _, _, _, train, test, _ = figure(pg)
        epochs = np.arange(1, 10 * tick + 1)
        np.testing.assert_array_equal(train.get_xdata(), epochs)
        np.testing.assert_array_equal(test.get_xdata(), epochs)
        np.testing.assert_allclose(train.get_ydata(), loss, rtol=1e-9)
        np.testing.assert_allclose(test.get_ydata(), val_loss, rtol=1e-9)
        # the last point is the test loss of the network as it is now
        last = cross_entropy(net, X_test, y_test)
        assert test.get_ydata()[-1] == pytest.approx(last, rel=1e-9)
        accuracy = np.mean(forward_by_hand(net, X_test).argmax(axis=1) == y_test)
        assert ax_loss.get_title() == (f"epoch {10 * tick}: loss {loss[-1]:.3f} train, "
                                       f"{last:.3f} test · test acc {accuracy:.0%}")
        assert ax_loss.get_ylim()[1] == pytest.approx(1.05 * max(loss + val_loss))
        assert_field(pg, net)  # the field moves with the trained weights


def test_a_tick_trains_exactly_like_fit_on_the_same_network():
    pg = small(dataset="xor", hidden="4", lr=1.0, batch_size=16)
    twin = playground.build_network([4], "tanh", 2, seed=0)
    assert same(weights(twin), weights(pg.net))
    pg.step()
    history = fit(twin, pg.X_train, pg.y_train, SGD(1.0), epochs=pg.epochs_per_tick,
                  batch_size=16, seed=0, validation=(pg.X_test, pg.y_test), progress=False)
    assert pg.loss == history.loss and same(weights(twin), weights(pg.net))


def test_pressing_play_trains_one_tick_per_timer_step_and_stop_does_not():
    pg = small()
    pg.play.value = 1
    assert len(pg.loss) == pg.epochs_per_tick
    pg.play.value = 2
    assert len(pg.loss) == 2 * pg.epochs_per_tick
    pg.play.value = 0  # Play's stop button rewinds the counter
    assert len(pg.loss) == 2 * pg.epochs_per_tick


def test_the_buttons_step_and_reset():
    pg = small()
    pg.step_button.click()
    assert len(pg.loss) == pg.epochs_per_tick
    pg.reset_button.click()
    assert pg.loss == []


def test_reset_restores_identical_initial_weights():
    pg = small()
    initial, picture = weights(pg.net), pg.png
    for _ in range(2):
        pg.step()
    assert not same(initial, weights(pg.net))
    pg.reset()
    assert same(initial, weights(pg.net)) and pg.loss == [] and pg.val_loss == []
    assert np.array_equal(pixels(pg.png), pixels(picture))  # the same state, the same picture
    _, _, _, _, _, train, test, _ = figure(pg)
    assert len(train.get_xdata()) == len(test.get_xdata()) == 0  # the curves start over
    assert_field(pg, twin_network([8, 8], "tanh", 2))  # the untrained network's field again


def test_changing_the_dataset_resets_the_network_and_loads_that_data():
    pg = small()
    pg.step()
    before = pg.png
    pg.controls["dataset"].value = "blobs"
    assert pg.loss == [] and pg.png != before
    X, y = datasets.blobs(N, std=5 * pg.controls["noise"].value, seed=0)
    assert pg.k == 3 and pg.net.sizes == [2, 8, 8, 3]  # three blobs: three softmax units
    assert len(pg.X_train) + len(pg.X_test) == N
    assert sorted(np.r_[pg.y_train, pg.y_test]) == sorted(y)
    # standardized with the training set's statistics
    np.testing.assert_allclose(pg.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(pg.X_train.std(axis=0), 1, atol=1e-12)


def test_the_dataset_dropdown_draws_that_datasets_points_and_a_fresh_field():
    pg = small()
    assert_points(pg, *points("spirals", 0.2))
    pg.step()
    pg.controls["dataset"].value = "blobs"
    X_train, y_train, X_test, y_test = points("blobs", 0.2)
    assert_points(pg, X_train, y_train, X_test, y_test)
    assert len(np.unique(figure(pg)[3].get_facecolors(), axis=0)) == 3  # three blobs, colours
    ax, ax_loss, _, _, _, train, _, _ = figure(pg)
    assert ax.get_title() == "2-8-8-3, tanh"
    net = twin_network([8, 8], "tanh", 3)  # untrained again, with three softmax units
    assert_field(pg, net)
    assert len(train.get_xdata()) == 0
    assert ax_loss.get_title() == (f"untrained: loss {cross_entropy(net, X_train, y_train):.3f}; "
                                   f"press play or step")


def test_the_noise_slider_moves_the_points():
    pg = small()
    pg.controls["noise"].value = 0.5
    assert_points(pg, *points("spirals", 0.5))
    assert_field(pg, twin_network([8, 8], "tanh", 2))


def test_changing_the_noise_moves_the_points_and_resets():
    pg = small()
    pg.step()
    points = pg.X_train.copy()
    pg.controls["noise"].value = 0.5
    assert pg.loss == [] and not np.array_equal(points, pg.X_train)
    np.testing.assert_array_equal(pg.X_train, playground.make_data("spirals", 0.5, N)[0])


@pytest.mark.parametrize(("text", "sizes"), [("4", [2, 4, 2]), ("16, 8,4", [2, 16, 8, 4, 2]),
                                             ("", [2, 2]), ("0", [2, 2])])
def test_the_hidden_layers_box_builds_that_architecture(text, sizes):
    pg = small()
    pg.step()
    before = pg.png
    pg.controls["hidden"].value = text
    assert pg.net.sizes == sizes and pg.loss == [] and pg.png != before
    # parameters: Σ n_l (n_{l−1} + 1)
    expected = sum(n * (m + 1) for m, n in zip(sizes, sizes[1:]))
    assert sum(p.size for _, p, _ in pg.net.parameters()) == expected


@pytest.mark.parametrize(("text", "widths", "title"), [
    ("4", [4], "2-4-2, tanh"), ("16, 8,4", [16, 8, 4], "2-16-8-4-2, tanh"), ("", [], "2-2, linear"),
    ("0", [], "2-2, linear"),
])
def test_the_hidden_layers_box_redraws_the_title_and_the_field(text, widths, title):
    pg = small()
    pg.step()
    pg.controls["hidden"].value = text
    ax, _, _, _, _, train, _, _ = figure(pg)
    assert ax.get_title() == title
    assert len(train.get_xdata()) == 0  # a new network: no history yet
    assert_field(pg, twin_network(widths, "tanh", 2))


def test_no_hidden_layer_draws_a_straight_boundary():
    pg = small(hidden="")
    for _ in range(3):
        pg.step()
    # softmax of one linear layer: the class changes where (w0 − w1)·x + (b0 − b1) = 0
    W, b = pg.net.layers[0].W, pg.net.layers[0].b
    side = pg.grid @ (W[0] - W[1]) + (b[0] - b[1]) > 0
    predicted = pg.net.predict(pg.grid) == 0
    assert np.array_equal(side, predicted)


def test_a_bad_hidden_text_keeps_the_network_and_says_why():
    pg = small()
    pg.step()
    net, before = pg.net, pg.png
    pg.controls["hidden"].value = "8,x"
    assert pg.net is net and len(pg.loss) == pg.epochs_per_tick
    assert "hidden layers" in pg.message and pg.png != before
    ax, _, _, _, _, train, _, message = figure(pg)
    assert message.get_text().startswith("hidden layers: write widths") and "'8,x'" in \
        message.get_text()
    assert ax.get_title() == "2-8-8-2, tanh" and len(train.get_xdata()) == 10  # kept
    pg.play.playing = True
    pg.play.value = 1  # the old network still trains, and the message stays
    assert len(pg.loss) == 2 * pg.epochs_per_tick and pg.play.playing and pg.message
    pg.controls["hidden"].value = "8"
    assert pg.message == "" and pg.net.sizes == [2, 8, 2]
    assert figure(pg)[-1].get_text() == "" and figure(pg)[0].get_title() == "2-8-2, tanh"


def test_the_activation_control_rebuilds_with_that_activation():
    pg = small()
    pg.controls["activation"].value = "relu"
    assert [layer.activation.name for layer in pg.net.layers] == ["relu", "relu", "softmax"]
    assert pg.net.layers[0].init == "he"


def test_the_activation_control_redraws_the_title_and_the_field():
    pg = small()
    pg.controls["activation"].value = "relu"
    assert figure(pg)[0].get_title() == "2-8-8-2, relu"
    assert_field(pg, twin_network([8, 8], "relu", 2))
    pg.controls["activation"].value = "sigmoid"
    assert figure(pg)[0].get_title() == "2-8-8-2, sigmoid"
    assert_field(pg, twin_network([8, 8], "sigmoid", 2))


def test_the_learning_rate_carries_on_without_a_reset():
    pg = small()
    pg.step()
    trained = weights(pg.net)
    pg.controls["lr"].value = 0.01
    assert pg.optimizer.lr == 0.01 and len(pg.loss) == pg.epochs_per_tick
    assert same(trained, weights(pg.net))


def test_the_next_tick_after_a_new_learning_rate_continues_the_curve_at_that_rate():
    pg = small(dataset="xor", lr=1.0)
    X_train, y_train, X_test, y_test = points("xor", 0.2)
    net = twin_network([8, 8], "tanh", 2)
    first = fit(net, X_train, y_train, SGD(1.0), epochs=10, batch_size=16, seed=0,
                validation=(X_test, y_test), progress=False)
    pg.step()
    pg.controls["lr"].value = 0.01
    pg.step()
    second = fit(net, X_train, y_train, SGD(0.01), epochs=10, batch_size=16, seed=10,
                 validation=(X_test, y_test), progress=False)
    train = figure(pg)[5]
    np.testing.assert_allclose(train.get_ydata(), first.loss + second.loss, rtol=1e-9)
    np.testing.assert_array_equal(train.get_xdata(), np.arange(1, 21))
    assert_field(pg, net)


@pytest.mark.parametrize(("label", "batch_size"), [("1", 1), ("all", None)])
def test_the_next_tick_after_a_new_batch_size_trains_with_it(label, batch_size):
    pg = small(dataset="moons")
    X_train, y_train, X_test, y_test = points("moons", 0.2)
    pg.controls["batch_size"].label = label
    pg.step()
    net = twin_network([8, 8], "tanh", 2)
    # batch size 1: 80 updates an epoch, so a tick is cut to MAX_UPDATES // 80 epochs
    epochs = 10 if batch_size is None else playground.MAX_UPDATES // 80
    history = fit(net, X_train, y_train, SGD(0.3), epochs=epochs, batch_size=batch_size,
                  seed=0, validation=(X_test, y_test), progress=False)
    _, _, _, _, _, train, test, _ = figure(pg)
    np.testing.assert_allclose(train.get_ydata(), history.loss, rtol=1e-9)
    np.testing.assert_allclose(test.get_ydata(), history.val_loss, rtol=1e-9)


@pytest.mark.parametrize(("label", "updates"), [("1", 80), ("16", 5), ("64", 2), ("all", 1)])
def test_the_batch_size_sets_the_updates_per_epoch(label, updates):
    pg = small()  # 80 training points
    pg.controls["batch_size"].label = label
    count = []
    step = pg.optimizer.step
    pg.optimizer.step = lambda net: (count.append(1), step(net))
    pg.train(1)
    assert len(pg.X_train) == 80 and len(count) == updates


@pytest.mark.parametrize(("batch_size", "epochs", "updates"),
                         [(1, 1, 200), (4, 5, 250), (16, 10, 130), (0, 10, 10)])
def test_a_tick_stays_short_for_small_batches(batch_size, epochs, updates):
    pg = Playground(batch_size=batch_size)  # the default: 200 training points, 10 epochs a tick
    count = []
    step = pg.optimizer.step
    pg.optimizer.step = lambda net: (count.append(1), step(net))
    pg.step()
    assert len(pg.loss) == epochs and len(count) == updates <= playground.MAX_UPDATES


def test_a_huge_learning_rate_pauses_with_a_diagnosis():
    pg = small(lr=10)
    pg.play.playing = True
    for _ in range(3):
        pg.step()
    assert "too large" in pg.message and "α = 10" in pg.message
    assert not pg.play.playing
    assert min(pg.loss[-pg.epochs_per_tick:]) > 2 * pg.start_loss
    message = figure(pg)[-1]
    assert "too large" in message.get_text() and "Try α = 1." in message.get_text()
    pg.controls["lr"].value = 0.1  # turning the knob down clears it
    assert pg.message == ""
    assert figure(pg)[-1].get_text() == ""  # gone from the picture too


def test_a_non_finite_loss_shows_fits_own_message_without_a_warning(recwarn):
    pg = small()
    pg.play.playing = True
    pg.net.layers[0].W[0, 0] = np.nan  # as after an overflow: NaN predictions, NaN loss
    pg.step()
    assert pg.message.startswith("training diverged in epoch 1") and not pg.play.playing
    assert pg.loss == [] and len(recwarn) == 0  # fit restored the weights; nothing printed
    pg.controls["lr"].value = 0.1
    assert pg.message == ""


def test_a_sensible_learning_rate_says_nothing():
    pg = small(dataset="moons")
    for _ in range(3):
        pg.step()
    assert pg.message == ""


def test_parse_hidden_rejects_what_it_cannot_build():
    assert playground.parse_hidden(" [8, 8] ") == [8, 8]
    for bad in ("8,x", "0,4", "65", "1,1,1,1,1,1,1"):
        with pytest.raises(ValueError, match="hidden layers"):
            playground.parse_hidden(bad)
    with pytest.raises(ValueError):
        Playground(hidden="x")


def test_the_field_mixes_the_class_colours_by_the_probabilities():
    pg = small(dataset="xor", lr=1.0)
    for _ in range(4):
        pg.train(pg.epochs_per_tick)
    image = pg.field().reshape(-1, 3)
    assert image.shape == (playground.GRID ** 2, 3)
    assert image.min() >= 0.55 - 1e-12 and image.max() <= 1 + 1e-12
    # where the net is sure of class c, the pixel is class c's colour, lightened
    P = pg.net.forward(pg.grid)
    sure = P.max(axis=1) > 0.99
    assert sure.mean() > 0.5
    for c in range(2):
        pure = 1 - 0.45 * (1 - np.array(to_rgb(CLASS_COLORS[c])))
        assert np.abs(image[sure & (P.argmax(axis=1) == c)] - pure).max() < 0.01


# -- what the figure says about α and the batch size -------------------------------------------
def updates_per_epoch(pg, batch_size):
    """How many batches nnlib's own minibatches cuts the training points into."""
    return len(list(datasets.minibatches(pg.X_train, pg.y_train, batch_size or len(pg.X_train))))


def test_moving_alpha_alone_redraws_and_the_figure_names_it():
    pg = small()
    pg.step()
    before, ax = pg.png, figure(pg)[0]
    assert ax.get_xlabel() == "α = 0.3 · batch 16 · 5 updates per epoch"
    pg.controls["lr"].value = 0.01
    assert pg.png != before and len(pg.loss) == pg.epochs_per_tick  # no reset, a new picture
    assert figure(pg)[0].get_xlabel() == "α = 0.01 · batch 16 · 5 updates per epoch"


@pytest.mark.parametrize(("label", "shown"), [("1", "batch 1 · 80 updates"),
                                              ("4", "batch 4 · 20 updates"),
                                              ("64", "batch 64 · 2 updates"),
                                              ("all", "batch all (80) · 1 update")])
def test_moving_the_batch_size_alone_redraws_and_the_figure_names_it(label, shown):
    pg = small()  # 80 training points
    before = pg.png
    pg.controls["batch_size"].label = label
    assert pg.png != before and pg.loss == []
    updates = updates_per_epoch(pg, pg.controls["batch_size"].value)
    assert shown.endswith(f"· {updates} update" + ("s" if updates > 1 else ""))
    assert figure(pg)[0].get_xlabel() == f"α = 0.3 · {shown} per epoch"


# -- the run as code ---------------------------------------------------------------------------
def run_code(code):
    """Execute the exported code in a namespace of its own; return the namespace and what it
    printed."""
    namespace, out = {}, io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, namespace)  # noqa: S102 — the code under test
    return namespace, out.getvalue()


def assert_reproduces(pg, code):
    namespace, printed = run_code(code)
    assert same(weights(namespace["net"]), weights(pg.net))  # bit for bit
    assert namespace["loss"] == pg.loss and namespace["test_loss"] == pg.val_loss
    assert namespace["net"].sizes == pg.net.sizes
    return namespace, printed


def test_the_code_of_an_untrained_playground_builds_the_same_network():
    pg = small(dataset="circles", noise=0.35, hidden="4,4", activation="relu")
    namespace, printed = assert_reproduces(pg, pg.code())
    assert namespace["loss"] == [] and printed == f"untrained: loss {pg.start_loss:.3f}\n"
    np.testing.assert_array_equal(namespace["X_train"], pg.X_train)
    np.testing.assert_array_equal(namespace["y_test"], pg.y_test)


@pytest.mark.parametrize("moves", [
    [("step",), ("step",), ("step",)],
    [("dataset", "moons"), ("step",), ("lr", 1.0), ("step",), ("step",),
     ("batch_size", 1), ("step",), ("lr", 0.03), ("batch_size", 0), ("step",)],
    [("dataset", "blobs"), ("noise", 0.35), ("hidden", ""), ("batch_size", 0), ("step",),
     ("step",)],
    [("hidden", "16, 8,4"), ("activation", "relu"), ("step",), ("lr", 0.01)],
    [("lr", 10.0), ("step",), ("step",), ("step",)],  # the loss rising: paused, still exact
])
def test_the_code_reproduces_the_playground_number_for_number(moves):
    pg = small()
    for move in moves:
        if move[0] == "step":
            pg.step()
        else:
            pg.controls[move[0]].value = move[1]
    namespace, printed = assert_reproduces(pg, pg.code())
    # it ends with the settings the controls show now, and prints the figure's numbers
    assert namespace["optimizer"].lr == pg.controls["lr"].value
    assert namespace["batch_size"] == (pg.controls["batch_size"].value or None)
    assert printed == (f"epoch {len(pg.loss)}: loss {pg.loss[-1]:.3f} train, "
                       f"{pg.val_loss[-1]:.3f} test\n")


def test_the_code_follows_every_tick_and_a_stale_copy_no_longer_matches():
    pg = small(dataset="moons")
    pg.step()
    pg.step()
    stale = pg.code()
    pg.step()
    namespace, _ = run_code(stale)
    assert not same(weights(namespace["net"]), weights(pg.net))
    assert namespace["loss"] == pg.loss[:20] and len(pg.loss) == 30
    assert_reproduces(pg, pg.code())


def test_the_code_names_each_setting_and_a_change_of_seed_would_break_it():
    pg = small()
    pg.step()
    code = pg.code()
    for text in ('datasets.spirals(n=120, noise=0.2, seed=0)', 'Dense(2, 8, "tanh")',
                 'Dense(8, 2, "softmax")', "SGD(lr=0.3), 16", "epochs=10", "for seed in [0]:"):
        assert text in code
    namespace, _ = run_code(code.replace("for seed in [0]:", "for seed in [1]:"))
    assert not same(weights(namespace["net"]), weights(pg.net))  # the check can fail


def test_the_code_uses_nnlib_only():
    pg = small()
    pg.step()
    tree = ast.parse(pg.code())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"nnlib"}
    assert not any(isinstance(node, ast.Import) for node in ast.walk(tree))
    assert all(len(line) <= 100 for line in pg.code().splitlines())


def test_a_reset_starts_the_code_over():
    pg = small()
    pg.step()
    assert "fit(" in pg.code()
    pg.reset()
    assert "fit(" not in pg.code()
    assert_reproduces(pg, pg.code())


def test_the_show_code_button_shows_the_code_and_keeps_it_current():
    pg = small()
    assert pg.code_view.layout.display == "none" and pg.code_view.value == ""
    pg.code_button.value = True  # pressed
    assert pg.code_button.description == "hide code" and pg.code_view.layout.display is None
    assert pg.code_view.value == f"<pre>{html.escape(pg.code())}</pre>"
    assert "fit(" not in pg.code_view.value
    pg.step()
    assert pg.code_view.value == f"<pre>{html.escape(pg.code())}</pre>"
    assert "for seed in [0]:" in pg.code_view.value
    pg.code_button.value = False
    assert pg.code_button.description == "show code" and pg.code_view.layout.display == "none"
    assert pg.code_button in pg.children[2].children and pg.code_view in pg.children


def test_the_code_displays_as_python_in_a_notebook():
    code = small().code()
    assert code._repr_markdown_() == f"```python\n{code}\n```"
    assert repr(code) == str(code)
