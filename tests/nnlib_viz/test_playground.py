"""The training playground of notebook 06 (nnlib_viz/playground.py), without a browser."""

import base64
import io
import math

import matplotlib.image
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from nnlib import SGD, datasets, fit
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
    pg.play.playing = True
    pg.play.value = 1  # the old network still trains, and the message stays
    assert len(pg.loss) == 2 * pg.epochs_per_tick and pg.play.playing and pg.message
    pg.controls["hidden"].value = "8"
    assert pg.message == "" and pg.net.sizes == [2, 8, 2]


def test_the_activation_control_rebuilds_with_that_activation():
    pg = small()
    pg.controls["activation"].value = "relu"
    assert [layer.activation.name for layer in pg.net.layers] == ["relu", "relu", "softmax"]
    assert pg.net.layers[0].init == "he"


def test_the_learning_rate_carries_on_without_a_reset():
    pg = small()
    pg.step()
    trained = weights(pg.net)
    pg.controls["lr"].value = 0.01
    assert pg.optimizer.lr == 0.01 and len(pg.loss) == pg.epochs_per_tick
    assert same(trained, weights(pg.net))


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
    pg.controls["lr"].value = 0.1  # turning the knob down clears it
    assert pg.message == ""


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
