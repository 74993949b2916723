"""Figures and an explorer for notebook 07, putting it together (outline 1.8): handwritten
digits end to end — the images, their shifted copies, a confusion matrix, the mistakes, the
first layer's weights.

Images are rows of X (n, 64) in [0, 1], each an 8×8 picture read row by row. Grids of images
are drawn on one canvas (a single ``imshow``) rather than one axes per digit: the same picture
at a fraction of the drawing time.

Explorers (``EXPLORERS``):
    hardest_digits_explorer   the test digits ordered from least to most confident in the true
                              class: the picture and the ten probabilities Ŷ of the network
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize
from matplotlib.offsetbox import AnnotationBbox, OffsetImage
from matplotlib.patches import Rectangle

from nnlib import Dense, Momentum, Network, datasets, fit
from nnlib.language import say

from .explorer import Explorer

SIDE = 8  # the digits are 8×8 pictures
_RIGHT, _WRONG, _GREY = "#2ca02c", "#d62728", "#9aa3ad"


# -- grids of images ---------------------------------------------------------------------------
def digit_grid(X, titles=None, cols=10, title=None, cmap="gray_r", vmin=0.0, vmax=1.0,
               title_colors=None, scale=0.75, frame=None):
    """The rows of X (n, 64) as 8×8 pictures in a grid, with an optional caption under each.

    Returns the figure. Captions are one or two short lines (``titles``, n strings), coloured
    by ``title_colors`` (n colours) if given. ``frame``, a colour, outlines each 8×8 box: needed
    wherever the position of the ink inside its box matters, since blank pixels are white too.
    """
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    cols = max(1, min(cols, n))
    rows = max(1, -(-n // cols))
    lines = max((t.count("\n") + 1 for t in titles), default=0) if titles else 0
    gap_y = int(np.ceil(1 + 2.4 * lines))  # room under each picture for its caption
    cell_w, cell_h = SIDE + 1, SIDE + gap_y
    fig = plt.figure(figsize=(scale * cols * cell_w / SIDE,
                              scale * rows * cell_h / SIDE + (0.35 if title else 0.05)))
    ax = fig.add_axes((0, 0, 1, 1 - (0.3 / fig.get_figheight() if title else 0)))
    canvas = np.full((rows * cell_h, cols * cell_w), np.nan)
    for i, x in enumerate(X):
        r, c = divmod(i, cols)
        canvas[r * cell_h:r * cell_h + SIDE, c * cell_w:c * cell_w + SIDE] = x.reshape(SIDE,
                                                                                      SIDE)
    colormap = plt.get_cmap(cmap).with_extremes(bad="white")
    ax.imshow(canvas, cmap=colormap, vmin=vmin, vmax=vmax, interpolation="nearest",
              extent=(-0.5, canvas.shape[1] - 0.5, canvas.shape[0] - 0.5, -0.5))
    for i, text in enumerate(titles or []):
        r, c = divmod(i, cols)
        color = title_colors[i] if title_colors is not None else "black"
        ax.text(c * cell_w + SIDE / 2 - 0.5, r * cell_h + SIDE, text, ha="center", va="top",
                fontsize=8, color=color, linespacing=1.1)
    for i in range(n if frame else 0):
        r, c = divmod(i, cols)
        ax.add_patch(Rectangle((c * cell_w - 0.5, r * cell_h - 0.5), SIDE, SIDE, fill=False,
                               edgecolor=frame, linewidth=0.8))
    ax.set_axis_off()
    if title:
        fig.suptitle(title, fontsize=10, y=1 - 0.05 / fig.get_figheight())
    return fig


def samples(X, y, n=40, cols=10):
    """The first ``n`` digits of X (n, 64) with their labels y."""
    return digit_grid(X[:n], [f"y = {int(c)}" for c in y[:n]], cols=cols,
                      title=say("the first {shown} of {total} digits and their labels",
                                shown=min(n, len(X)), total=len(X)))


SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # (dx, dy): right, left, down, up, as in datasets


def shift_caption(dx, dy):
    """Words for the shift (dx, dy) — dx > 0 right, dy > 0 down: "→ 1 right", "↑ 2 up",
    "→ 1 right, ↓ 1 down"; "not moved" for (0, 0)."""
    words = [say(template, n=abs(d)) for d, template in
             ((dx, "→ {n} right" if dx > 0 else "← {n} left"),
              (dy, "↓ {n} down" if dy > 0 else "↑ {n} up")) if d]
    if len(words) == 2:
        return say("{first}, {second}", first=words[0], second=words[1])
    return words[0] if words else say("not moved")


def shifted_copies(x, label=None, shifts=SHIFTS):
    """The picture x (64,) and its copies moved by each (dx, dy) of ``shifts``, as made by
    ``datasets.shift_augment`` (pixels shifted in are blank), each in a frame so that the move
    shows. ``label``, if given, is written in the title: every copy keeps it."""
    x = np.asarray(x, dtype=np.float64).reshape(1, SIDE * SIDE)
    copies, _ = datasets.shift_augment(x, np.zeros(1), shifts=shifts)
    captions = [say("original")] + [shift_caption(dx, dy) for dx, dy in shifts]
    title = (say("a digit and its shifted copies") if label is None else
             say("a digit with y = {label} and its shifted copies: every one keeps y = {label}",
                 label=label))
    return digit_grid(copies, captions, cols=len(copies), title=title, scale=1.1, frame=_GREY)


def mistakes(X, y, Yhat, cols=8):
    """Every misclassified row of X (n, 64): true label, predicted label, and the network's
    confidence in its prediction, max_k ŷ_k (from Yhat (n, 10), the softmax outputs)."""
    pred = np.argmax(Yhat, axis=1)
    wrong = np.flatnonzero(pred != y)
    if len(wrong) == 0:
        fig = plt.figure(figsize=(4, 1))
        fig.text(0.5, 0.5, say("no mistakes"), ha="center", va="center")
        return fig
    titles = [say("true {true} → {pred}\n{confidence:.0%} sure", true=y[i], pred=pred[i],
                  confidence=Yhat[i, pred[i]]) for i in wrong]
    return digit_grid(X[wrong], titles, cols=cols, scale=0.95,
                      title=say("the {count} misclassified digits", count=len(wrong)),
                      title_colors=[_WRONG] * len(wrong))


def first_layer_weights(W, n=32, cols=8, title=None):
    """Rows 1..n of the first layer's W (n_1, 64), each reshaped 8×8: the pattern of pixels
    that drives hidden unit j up (red) or down (blue). Each picture is scaled by its own
    max |w| so that the colour scale is symmetric around 0; an all-zero row stays white.
    Works as well for a change of weights, W − W_init."""
    total = len(W)
    W = np.asarray(W, dtype=np.float64)[:n]
    scale = np.abs(W).max(axis=1, keepdims=True)
    scaled = W / np.where(scale == 0, 1, scale)
    return digit_grid(scaled, [say("unit {j}", j=j + 1) for j in range(len(W))], cols=cols,
                      cmap="RdBu_r", vmin=-1, vmax=1, scale=0.7,
                      title=title or say("first-layer weights: rows 1–{shown} of the {total} "
                                         "in W[1], each as an 8×8 picture", shown=len(W),
                                         total=total))


# -- the confusion matrix ----------------------------------------------------------------------
def confusion_matrix(C, ax=None, title=None):
    """The confusion matrix C (k, k) — C[i, j] = how many samples of true class i were
    predicted as j — with every non-zero count written in its cell; mistakes in red."""
    C = np.asarray(C)
    k = len(C)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 3.8))
    ax.imshow(C, cmap="Blues", vmin=0, vmax=max(C.max(), 1))
    for i, j in zip(*np.nonzero(C)):
        on_diagonal = i == j
        ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=8,
                color="white" if C[i, j] > 0.6 * C.max() else (_GREY if on_diagonal else _WRONG),
                fontweight="normal" if on_diagonal else "bold")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel(say("predicted class"))
    ax.set_ylabel(say("true class"))
    ax.set_title(title or say("confusion matrix: {correct} of {total} on the diagonal",
                              correct=np.trace(C), total=C.sum()), fontsize=10)
    return ax.figure


# -- the explorer ------------------------------------------------------------------------------
def hardest_first(Yhat, y):
    """The order of the samples from least to most confident in the true class:
    indices sorted by ŷ_true = Yhat[i, y_i] ascending (ties keep their order)."""
    return np.argsort(Yhat[np.arange(len(y)), y], kind="stable")


def draw_digit_and_probabilities(fig, x, p, true, rank=None, total=None):
    """Left: the picture x (64,). Right: the ten probabilities p (10,) as bars, the true class
    in green (and marked ▼), a wrong prediction in red; above them ``rank`` (1-based) of
    ``total``, if given. Returns the predicted class.

    The picture is a single artist in figure coordinates (no axes of its own), the bars one
    axes placed by hand, the captions figure text: no layout engine runs, so the explorer
    redraws in well under 100 ms.
    """
    pred, ok = int(np.argmax(p)), int(np.argmax(p)) == true
    picture = OffsetImage(x.reshape(SIDE, SIDE), zoom=12, cmap="gray_r",
                          norm=Normalize(0, 1), interpolation="nearest")  # zoom is in points
    fig.add_artist(AnnotationBbox(picture, (0.18, 0.44), xycoords="figure fraction",
                                  frameon=True, pad=0, bboxprops={"edgecolor": _GREY}))
    fig.text(0.05, 0.86, say("true {true}, predicted {pred}\nright" if ok else
                             "true {true}, predicted {pred}\nWRONG", true=true, pred=pred),
             fontsize=10, color=_RIGHT if ok else _WRONG, va="center")
    ax = fig.add_axes((0.42, 0.2, 0.55, 0.62))
    colors = [_GREY] * len(p)
    colors[pred] = _RIGHT if ok else _WRONG
    colors[true] = _RIGHT
    ax.bar(range(len(p)), p, color=colors)
    ax.plot([true], [min(p[true] + 0.08, 1.0)], "v", color=_RIGHT, ms=7)  # visible if ŷ ≈ 0
    ax.set_ylim(0, 1.1)
    ax.set_xticks(range(len(p)))
    ax.set_yticks((0, 0.5, 1))
    ax.set_xlabel(say("class k (▼ = true class)"), fontsize=9)
    ax.set_ylabel(r"$\hat{y}_k$", rotation=0, labelpad=12, fontsize=11)
    # (its Chinese writes ŷ as plain text: mathtext cannot draw Chinese in the same string)
    if rank is None:
        caption = say(r"$\hat{{y}}_{{true}}$ = {p:.2f}", p=p[true])
    else:
        caption = say(r"rank {rank} of {total}, hardest first · $\hat{{y}}_{{true}}$ = {p:.2f}",
                      rank=rank, total=total, p=p[true])
    fig.text(0.42, 0.9, caption, fontsize=9)
    return pred


def default_model(seed=0):
    """A quickly trained 64-32-10 network and the test split it never saw (for the bench)."""
    X, y = datasets.digits()
    X_train, y_train, _, _, X_test, y_test = datasets.train_val_test_split(X, y, seed=seed)
    net = Network([Dense(64, 32, "relu"), Dense(32, 10, "softmax")], seed=seed)
    fit(net, X_train, y_train, Momentum(0.05), epochs=15, batch_size=32, seed=seed,
        progress=False)
    return net, X_test, y_test


def hardest_digits_explorer(net=None, X=None, y=None, rank=1):
    """Browse the test digits from the one the network is least sure of (rank 1) onwards.

    ``net`` a trained classifier, X (n, 64), y (n,) the test set; without them a small network
    is trained on the digits here. ``explorer.state`` holds the shown sample: ``rank``,
    ``index`` into X, ``true``, ``pred``, ``p`` (its 10 probabilities ŷ) and ``wrong`` (how many
    samples of X the network gets wrong).
    """
    if net is None:
        net, X, y = default_model()
    X, y = np.asarray(X), np.asarray(y)
    Yhat = net.forward(X).copy()
    order = hardest_first(Yhat, y)
    state = {"wrong": int(np.sum(Yhat.argmax(axis=1) != y))}

    def draw(fig, rank):
        i = int(order[rank - 1])
        state.update(rank=rank, index=i, true=int(y[i]), p=Yhat[i])
        state["pred"] = draw_digit_and_probabilities(fig, X[i], Yhat[i], int(y[i]), rank, len(y))

    controls = {"rank": widgets.IntSlider(value=rank, min=1, max=len(y), description=say("rank"),
                                          continuous_update=False)}
    explorer = Explorer(draw, controls, figsize=(6, 2.6))
    explorer.state = state
    return explorer


EXPLORERS = (hardest_digits_explorer,)
