"""Tests for nnlib_viz.digits (notebook 07): the digit grids hold the right pixels, the
shifted copies are the right shifts, the confusion matrix figure shows the counts it was given,
the mistakes figure finds exactly the misclassified samples, and the explorer walks the samples
in the order of ŷ of the true class. Expected values are computed here from the definitions, on
small hand-made inputs."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib_viz import Explorer
from nnlib_viz import digits as dw


class FixedNet:
    """Stands in for a trained network: ``forward`` returns the probabilities it was given."""

    def __init__(self, Yhat):
        self.Yhat = np.asarray(Yhat, dtype=np.float64)

    def forward(self, X):
        assert len(X) == len(self.Yhat)
        return self.Yhat


def probabilities(true_p, y, pred=None, k=10):
    """Rows with ŷ_true = true_p[i] and the rest of the mass on ``pred[i]`` (or spread)."""
    Yhat = np.zeros((len(y), k))
    for i, (p, c) in enumerate(zip(true_p, y)):
        Yhat[i, c] = p
        others = [j for j in range(k) if j != c]
        if pred is not None and pred[i] != c:
            Yhat[i, pred[i]] = 1 - p
        else:
            Yhat[i, others] = (1 - p) / (k - 1)
    return Yhat


def texts(fig):
    return [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes
                                                for t in ax.texts]


def canvas(fig):
    """The single image of a digit grid, as an array with NaN in the gaps."""
    (ax,) = fig.axes
    (image,) = ax.images
    return np.ma.filled(image.get_array().astype(float), np.nan)


def hue(color):
    """"green", "red" or "grey": the dominant channel of an RGBA colour (grey: none)."""
    r, g, b = color[:3]
    if max(r, g, b) - min(r, g, b) < 0.1:
        return "grey"
    return {0: "red", 1: "green", 2: "blue"}[int(np.argmax([r, g, b]))]


def assert_digit_panel(fig, x, p, true, rank=None, total=None):
    """The picture is x, the bars are p with the true class green (and marked ▼), a wrong
    prediction red and every other class grey; the captions say which is which."""
    (picture,) = fig.artists
    np.testing.assert_array_equal(picture.offsetbox.get_data(), x.reshape(8, 8))
    ax = fig.axes[-1]
    bars = ax.patches
    assert [b.get_height() for b in bars] == pytest.approx(p)
    assert [b.get_x() + b.get_width() / 2 for b in bars] == pytest.approx(range(10))
    pred = int(np.argmax(p))
    expected = ["grey"] * 10
    expected[pred] = "red"
    expected[true] = "green"
    assert [hue(b.get_facecolor()) for b in bars] == expected
    (marker,) = ax.get_lines()
    assert marker.get_marker() == "v" and marker.get_xdata()[0] == true
    captions = [t.get_text() for t in fig.texts]
    verdict = "right" if pred == true else "WRONG"
    assert f"true {true}, predicted {pred}\n{verdict}" in captions
    if rank is not None:
        assert any(t.startswith(f"rank {rank} of {total}, hardest first") for t in captions)


# -- explorers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("factory", dw.EXPLORERS)
def test_every_explorer_builds_with_a_picture_and_state(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer)
    assert explorer.png.startswith(b"\x89PNG")
    assert explorer.state["rank"] == 1
    assert explorer.redraw_ms


def test_hardest_explorer_walks_from_least_to_most_sure_of_the_true_class():
    rng = np.random.default_rng(7)
    n = 12
    y = rng.integers(0, 10, n)
    true_p = rng.permutation(np.linspace(0.05, 0.95, n))   # all different: a strict order
    pred = np.where(true_p < 0.5, (y + 3) % 10, y)           # below 1/2 the rest goes to y+3
    X = rng.random((n, 64))
    Yhat = probabilities(true_p, y, pred)
    explorer = dw.hardest_digits_explorer(FixedNet(Yhat), X, y)
    slider = explorer.controls["rank"]
    assert (slider.min, slider.max) == (1, n)
    assert explorer.state["wrong"] == int(np.sum(true_p < 0.5))
    expected = sorted(range(n), key=lambda i: true_p[i])
    seen = []
    for rank in range(1, n + 1):
        before = explorer.png
        slider.value = rank
        state = explorer.state
        if rank > 1:
            assert explorer.png != before
        assert state["rank"] == rank and state["index"] == expected[rank - 1]
        i = state["index"]
        assert state["true"] == y[i] and state["pred"] == pred[i]
        assert state["p"][y[i]] == pytest.approx(true_p[i])
        seen.append(state["p"][y[i]])
        j = expected[rank - 1]
        assert_digit_panel(explorer.fig, X[j], Yhat[j], int(y[j]), rank, n)
    assert seen == sorted(seen)


def test_hardest_explorer_rank_slider_draws_that_digit_and_its_probabilities():
    rng = np.random.default_rng(11)
    n = 9
    y = rng.integers(0, 10, n)
    true_p = rng.permutation(np.linspace(0.1, 0.9, n))
    pred = np.where(true_p < 0.5, (y + 5) % 10, y)
    X = rng.random((n, 64))
    Yhat = probabilities(true_p, y, pred)
    explorer = dw.hardest_digits_explorer(FixedNet(Yhat), X, y)
    order = np.argsort(true_p)  # all different: least sure of the true class first
    for rank in (1, n, 4, n // 2 + 1):
        explorer.controls["rank"].value = rank
        i = order[rank - 1]
        assert_digit_panel(explorer.fig, X[i], Yhat[i], int(y[i]), rank, n)


def test_hardest_explorer_on_a_real_network_shows_its_probabilities():
    net, X, y = dw.default_model()
    explorer = dw.hardest_digits_explorer(net, X, y, rank=5)
    i = explorer.state["index"]
    Yhat = net.forward(X)
    np.testing.assert_allclose(explorer.state["p"], Yhat[i])
    assert explorer.state["pred"] == int(np.argmax(Yhat[i]))
    assert explorer.state["wrong"] == int(np.sum(Yhat.argmax(axis=1) != y))
    true_p = Yhat[np.arange(len(y)), y]
    assert np.sum(true_p < true_p[i]) <= 4   # four or fewer samples are less sure than rank 5
    explorer.controls["rank"].value = len(y)  # the surest digit: the picture and bars follow
    j = int(np.argmax(true_p))
    assert_digit_panel(explorer.fig, X[j], Yhat[j], int(y[j]), len(y), len(y))


def test_hardest_first_is_a_stable_sort_on_the_true_class_probability():
    y = np.array([0, 1, 2, 1])
    Yhat = probabilities([0.5, 0.2, 0.5, 0.9], y)
    assert list(dw.hardest_first(Yhat, y)) == [1, 0, 2, 3]   # the tie 0, 2 keeps its order


def test_the_probability_panel_marks_a_wrong_prediction():
    fig = plt.figure()
    p = np.full(10, 0.02)
    p[4] = 0.82
    assert dw.draw_digit_and_probabilities(fig, np.zeros(64), p, true=9) == 4
    assert any("WRONG" in t for t in texts(fig))
    bars = fig.axes[-1].patches
    assert [b.get_height() for b in bars] == pytest.approx(p)
    assert_digit_panel(fig, np.zeros(64), p, true=9)


# -- static figures ------------------------------------------------------------------------------
def test_digit_grid_puts_each_row_in_its_tile_with_gaps_between():
    rng = np.random.default_rng(1)
    X = rng.random((7, 64))
    fig = dw.digit_grid(X, [f"#{i}" for i in range(7)], cols=3)
    assert isinstance(fig, Figure)
    img = canvas(fig)
    rows, cols = 3, 3
    cell_h, cell_w = img.shape[0] // rows, img.shape[1] // cols
    assert img.shape == (rows * cell_h, cols * cell_w) and cell_w == 9 and cell_h > 8
    for i in range(7):
        r, c = divmod(i, cols)
        tile = img[r * cell_h:r * cell_h + 8, c * cell_w:c * cell_w + 8]
        np.testing.assert_array_equal(tile, X[i].reshape(8, 8))
    assert np.isnan(img[:, 8]).all() and np.isnan(img[8:cell_h, :]).all()   # the gaps
    assert np.isnan(img[2 * cell_h:, 1 * cell_w:]).all()                      # no tiles 8, 9
    assert sorted(texts(fig)) == sorted(f"#{i}" for i in range(7))


def test_samples_label_each_digit():
    X, y = np.random.default_rng(2).random((5, 64)), np.array([3, 1, 4, 1, 5])
    fig = dw.samples(X, y, n=4, cols=2)
    assert [t for t in texts(fig) if t.startswith("y =")] == ["y = 3", "y = 1", "y = 4", "y = 1"]


def test_mistakes_shows_exactly_the_misclassified_samples():
    rng = np.random.default_rng(3)
    y = np.array([0, 1, 2, 3, 4, 5])
    pred = np.array([0, 7, 2, 3, 9, 5])
    Yhat = probabilities([0.9, 0.1, 0.8, 0.7, 0.35, 0.6], y, pred)
    X = rng.random((6, 64))
    fig = dw.mistakes(X, y, Yhat, cols=4)
    captions = [t for t in texts(fig) if t.startswith("true")]
    assert captions == ["true 1 → 7\n90% sure", "true 4 → 9\n65% sure"]
    img = canvas(fig)
    np.testing.assert_array_equal(img[:8, :8], X[1].reshape(8, 8))
    np.testing.assert_array_equal(img[:8, 9:17], X[4].reshape(8, 8))


def test_mistakes_without_mistakes():
    y = np.array([2, 5])
    fig = dw.mistakes(np.zeros((2, 64)), y, probabilities([0.9, 0.8], y))
    assert "no mistakes" in texts(fig)


def test_first_layer_weights_scales_each_row_symmetrically():
    rng = np.random.default_rng(4)
    W = rng.normal(size=(40, 64))
    W[2] = 0                                   # a unit that never moved: white, not NaN
    fig = dw.first_layer_weights(W, n=32, cols=8)
    img = canvas(fig)
    (image,) = fig.axes[0].images
    assert image.get_clim() == (-1, 1)
    cell_h = img.shape[0] // 4
    np.testing.assert_allclose(img[:8, :8], (W[0] / np.abs(W[0]).max()).reshape(8, 8))
    np.testing.assert_array_equal(img[:8, 18:26], np.zeros((8, 8)))
    last = img[3 * cell_h:3 * cell_h + 8, 7 * 9:7 * 9 + 8]          # unit 32 = row 31
    np.testing.assert_allclose(last, (W[31] / np.abs(W[31]).max()).reshape(8, 8))
    assert sum(t.startswith("unit") for t in texts(fig)) == 32
    assert "40" in fig.get_suptitle()


def test_confusion_matrix_shows_the_counts_it_was_given():
    C = np.array([[5, 1, 0], [0, 4, 0], [2, 0, 3]])
    fig = dw.confusion_matrix(C)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), C)
    written = sorted(int(t.get_text()) for t in ax.texts)
    assert written == sorted(C[C > 0].tolist())            # every non-zero count, once
    assert "12 of 15" in ax.get_title()                     # trace and total
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def shifted_by_hand(img, dx, dy):
    """img (8, 8) moved dx right, dy down, pixel by pixel; blank where nothing comes in."""
    out = np.zeros_like(img)
    for r in range(8):
        for c in range(8):
            if 0 <= r - dy < 8 and 0 <= c - dx < 8:
                out[r, c] = img[r - dy, c - dx]
    return out


def test_shifted_copies_show_the_digit_then_each_shift_framed():
    x = np.random.default_rng(5).random(64)
    shifts = ((1, 0), (-1, 0), (0, 1), (0, -1), (2, -1))
    fig = dw.shifted_copies(x, label=3, shifts=shifts)
    assert isinstance(fig, Figure)
    img = canvas(fig)
    tiles = [img[:8, i * 9:i * 9 + 8] for i in range(len(shifts) + 1)]
    np.testing.assert_array_equal(tiles[0], x.reshape(8, 8))
    for (dx, dy), tile in zip(shifts, tiles[1:], strict=True):
        np.testing.assert_array_equal(tile, shifted_by_hand(x.reshape(8, 8), dx, dy))
    captions = [t.get_text() for t in fig.axes[0].texts]
    assert captions == ["original", "→ 1 right", "← 1 left", "↓ 1 down", "↑ 1 up",
                        "→ 2 right, ↑ 1 up"]
    assert "y = 3" in fig.get_suptitle()
    frames = fig.axes[0].patches
    assert len(frames) == len(shifts) + 1                            # one box per picture
    assert [f.get_xy() for f in frames] == [(i * 9 - 0.5, -0.5) for i in range(len(frames))]
    assert all((f.get_width(), f.get_height()) == (8, 8) for f in frames)


def test_shift_captions_follow_the_sign_convention():
    assert dw.shift_caption(1, 0) == "→ 1 right"
    assert dw.shift_caption(0, -3) == "↑ 3 up"
    assert dw.shift_caption(-2, 1) == "← 2 left, ↓ 1 down"
    assert dw.shift_caption(0, 0) == "not moved"


def test_digit_grid_draws_no_frames_unless_asked():
    assert not dw.digit_grid(np.zeros((3, 64))).axes[0].patches
