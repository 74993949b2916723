"""The shared figures of nnlib_viz/plots.py: what each one draws, read from its artists."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnlib import Dense, History, Network
from nnlib_viz import plots

STEPS = ("1 Initialize", "2 Forward", "3 Loss", "4 Backward", "5 Update")


def loop_parts(fig):
    (ax,) = fig.axes
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    return ax, boxes, arrows


@pytest.mark.parametrize("current", [None, "initialize", "forward", "loss", "backward",
                                     "update", "iterate"])
def test_learning_loop_highlights_the_current_step(current):
    ax, boxes, arrows = loop_parts(plots.learning_loop(current))
    assert len(boxes) == 5 and len(arrows) == 5  # four arrows between boxes, one back
    labels = [t.get_text() for t in ax.texts]
    assert [label.split("\n")[0] for label in labels[:5]] == list(STEPS)
    assert labels[5].startswith("6 Iterate")
    fills = [to_rgba(box.get_facecolor()) for box in boxes]
    plain = fills[0] if current != "initialize" else fills[1]
    lit = [i for i, fill in enumerate(fills) if fill != plain]
    step = {"initialize": 0, "forward": 1, "loss": 2, "backward": 3, "update": 4}.get(current)
    assert lit == ([] if step is None else [step])  # exactly the current box, or none
    back = arrows[-1]  # the arrow from Update back to Forward: repeat 2–5
    recoloured = to_rgba(back.get_edgecolor()) != to_rgba(arrows[0].get_edgecolor())
    assert recoloured == (current == "iterate")
    bold = [t.get_text().split("\n")[0] for t in ax.texts if t.get_fontweight() == "bold"]
    if step is not None and bold:  # without a CJK font the current step's label is bold
        assert bold == [STEPS[step]]


def test_learning_loop_rejects_an_unknown_step():
    with pytest.raises(ValueError, match="current must be one of"):
        plots.learning_loop("train")


def test_dataset_scatters_each_class_in_its_own_colour():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), np.arange(30) % 3
    fig = plots.dataset(X, y, title="three classes")
    (ax,) = fig.axes
    assert len(ax.collections) == 3
    colours = set()
    for c, scatter in enumerate(ax.collections):
        np.testing.assert_array_equal(scatter.get_offsets(), X[y == c])
        assert scatter.get_label() == f"class {c}"
        colours.add(tuple(scatter.get_facecolor()[0]))
    assert len(colours) == 3 and ax.get_title() == "three classes"


def test_decision_regions_fill_the_plane_with_the_predicted_class():
    # softmax of z = (x₁, −x₁): class 0 wherever x₁ > 0, class 1 wherever x₁ < 0
    net = Network([Dense(2, 2, "softmax")], seed=0)
    net.layers[0].W[...] = [[1.0, 0.0], [-1.0, 0.0]]
    X = np.array([[-2.0, -1.0], [2.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    y = np.array([1, 0, 1, 0])
    fig = plots.decision_regions(net, X, y, resolution=50, title="a straight boundary")
    (ax,) = fig.axes
    regions, *scatters = ax.collections
    class0, class1 = regions.get_paths()
    for x1 in (-1.7, -0.3, 0.3, 1.7):
        for x2 in (-1.2, 0.0, 1.2):
            assert class0.contains_point((x1, x2)) == (x1 > 0)
            assert class1.contains_point((x1, x2)) == (x1 < 0)
    for c, scatter in enumerate(scatters):
        np.testing.assert_array_equal(scatter.get_offsets(), X[y == c])
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < X[:, 0].min() and X[:, 0].max() < x1 and y0 < X[:, 1].min() < X[:, 1].max() < y1
    assert ax.get_title() == "a straight boundary"


def test_loss_curves_draw_each_loss_and_mark_the_restored_epoch():
    history = History()
    history.loss, history.val_loss = [1.0, 0.6, 0.4, 0.3], [1.1, 0.7, 0.8, 0.9]
    history.stop_reason, history.best_epoch = "early_stopping", 2
    (ax,) = plots.loss_curves(history, title="with early stopping").axes
    train, val, best = ax.get_lines()
    np.testing.assert_array_equal(train.get_xydata(), np.column_stack([[1, 2, 3, 4],
                                                                       history.loss]))
    np.testing.assert_array_equal(val.get_ydata(), history.val_loss)
    assert (train.get_label(), val.get_label()) == ("training loss", "validation loss")
    np.testing.assert_array_equal(best.get_xdata(), [2, 2])
    assert best.get_label() == "best epoch (2)"
    assert ax.get_title() == "with early stopping"

    plain = History()
    plain.loss, plain.stop_reason = [0.9, 0.5], "max_epochs"
    (ax,) = plots.loss_curves(plain).axes
    (only,) = ax.get_lines()  # no validation, no early stop: one curve
    np.testing.assert_array_equal(only.get_ydata(), [0.9, 0.5])
