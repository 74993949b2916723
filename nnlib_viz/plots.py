"""Figures shared by the notebooks (matplotlib). Built on the core; the core never imports this.

Every function draws on an ``ax`` you pass (or a new one) and returns the figure, so the same
drawing serves a static figure in a notebook and a frame of an interactive widget. Their words
are said in the current language (``nnlib.language``).

Chinese needs no system font: ``use_course_font()`` (run when ``nnlib_viz`` is imported) adds
the font shipped in ``fonts/`` — Noto Sans SC cut down to the characters the course draws, by
``tools/build_font.py`` — to matplotlib, after the default family, so any character the default
font lacks is drawn with it.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnlib.language import say

FONT = Path(__file__).with_name("fonts") / "NotoSansSC-nnlib-subset.otf"
CJK_FAMILY = "Noto Sans SC nnlib"  # the subset's own family name (tools/build_font.py)
MONOSPACE = ["monospace", CJK_FAMILY]  # monospace text with Chinese in it
LOOP = ("initialize", "forward", "loss", "backward", "update", "iterate")
LOOP_LABELS = {  # both terms, in either language
    "initialize": "1 Initialize\n初始化",
    "forward": "2 Forward\n前向传播",
    "loss": "3 Loss\n计算损失",
    "backward": "4 Backward\n反向传播",
    "update": "5 Update\n参数更新",
    "iterate": "6 Iterate\n迭代",
}
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
HIGHLIGHT, MUTED = "#ffcc33", "#eef1f5"


def use_course_font():
    """Register the shipped CJK font with matplotlib (in memory: no font cache is rebuilt) and
    append its family to ``font.family``, as the fallback for characters the default lacks.

    The font has a regular face only; it is registered as the bold face too, so bold text (for
    which matplotlib asks every family of the list) draws its Chinese regular, without the
    warning "Failed to find font weight bold".
    """
    import dataclasses

    import matplotlib
    from matplotlib import font_manager

    fonts = font_manager.fontManager
    if not any(font.fname == str(FONT) for font in fonts.ttflist):
        fonts.addfont(str(FONT))  # (which empties matplotlib's cache of font look-ups)
        regular = next(font for font in fonts.ttflist if font.fname == str(FONT))
        fonts.ttflist.append(dataclasses.replace(regular, weight=700))
    families = list(matplotlib.rcParams["font.family"])
    if CJK_FAMILY not in families:
        matplotlib.rcParams["font.family"] = [*families, CJK_FAMILY]


def axes(ax, figsize):
    """``ax``, or new axes on a new figure of ``figsize`` when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def learning_loop(current=None, ax=None):
    """The learning loop: five boxes in a row and the arrow that repeats steps 2–5.

    ``current`` (one of LOOP, or None) is highlighted. Every step shows its English and its
    Chinese term, in either language (the Chinese with the shipped font).
    """
    if current is not None and current not in LOOP:
        raise ValueError(f"current must be one of {LOOP} or None; got {current!r}")
    ax = axes(ax, (8, 2.2))

    xs = np.arange(5) * 1.6
    for step, x in zip(LOOP[:5], xs):
        on = step == current
        ax.add_patch(FancyBboxPatch((x - 0.62, -0.25), 1.24, 0.5, boxstyle="round,pad=0.04",
                                    linewidth=2 if on else 1, edgecolor="#333",
                                    facecolor=HIGHLIGHT if on else MUTED))
        ax.text(x, 0, LOOP_LABELS[step], ha="center", va="center", fontsize=9,
                fontweight="bold" if on else "normal")
    for x0, x1 in zip(xs[:-1], xs[1:]):
        ax.add_patch(FancyArrowPatch((x0 + 0.68, 0), (x1 - 0.68, 0), arrowstyle="-|>",
                                     mutation_scale=12, color="#555"))
    on = current == "iterate"
    ax.add_patch(FancyArrowPatch((xs[4], -0.32), (xs[1], -0.32), arrowstyle="-|>",
                                 mutation_scale=14, linewidth=2.5 if on else 1.2,
                                 color="#d08c00" if on else "#555",
                                 connectionstyle="arc3,rad=-0.25"))
    ax.text((xs[1] + xs[4]) / 2, -0.78,
            say("{step} — repeat 2–5 until a stopping condition",
                step=LOOP_LABELS["iterate"].replace("\n", " ")),
            ha="center", va="center", fontsize=9, fontweight="bold" if on else "normal",
            bbox={"boxstyle": "round,pad=0.25", "facecolor": HIGHLIGHT if on else "white",
                  "edgecolor": "none"})
    ax.set_xlim(xs[0] - 0.75, xs[-1] + 0.75)
    ax.set_ylim(-1.0, 0.4)
    ax.axis("off")
    return ax.figure


def dataset(X, y, ax=None, title=None):
    """Scatter a 2-D dataset X (n, 2) coloured by its labels y (n,)."""
    ax = axes(ax, (4, 4))
    for c in np.unique(y):
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=12, color=CLASS_COLORS[int(c) % len(CLASS_COLORS)],
                   edgecolor="white", linewidth=0.3, label=say("class {c}", c=c))
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax.figure


def decision_regions(net, X, y, ax=None, resolution=150, title=None):
    """The class ``net`` predicts at every point of the plane, under the data X (n, 2), y (n,)."""
    ax = axes(ax, (4, 4))
    pad = 0.5
    x0, x1 = X[:, 0].min() - pad, X[:, 0].max() + pad
    y0, y1 = X[:, 1].min() - pad, X[:, 1].max() + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.c_[gx.ravel(), gy.ravel()]
    pred = net.predict(grid).reshape(gx.shape)
    k = max(int(np.max(y)) + 1, 2)
    from matplotlib.colors import ListedColormap

    ax.contourf(gx, gy, pred, levels=np.arange(k + 1) - 0.5,
                cmap=ListedColormap(CLASS_COLORS[:k]), alpha=0.25)
    dataset(X, y, ax=ax, title=title)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax.figure


def loss_curves(history, ax=None, title=None):
    """Training (and validation, if any) loss of a ``History``; marks the restored best epoch.
    ``title`` defaults to "Loss per epoch"."""
    ax = axes(ax, (5, 3.2))
    epochs = np.arange(1, history.epochs + 1)
    ax.plot(epochs, history.loss, label=say("training loss"))
    if history.val_loss:
        ax.plot(epochs, history.val_loss, label=say("validation loss"))
    if history.stop_reason == "early_stopping":
        ax.axvline(history.best_epoch, color="#888", linestyle="--", linewidth=1,
                   label=say("best epoch ({epoch})", epoch=history.best_epoch))
    ax.set_xlabel(say("epoch"))
    ax.set_ylabel(say("loss"))
    ax.set_title(say("Loss per epoch") if title is None else title)
    ax.legend(frameon=False)
    return ax.figure
