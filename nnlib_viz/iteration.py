"""Figures and an explorer for notebook 06, iteration (outline 1.6): epochs and batches, the
noise of small batches, the three stopping conditions and overfitting.

Static functions return a new figure. ``where_it_stops`` replays nnlib.fit's stopping rules on a
recorded run, so the stopping explorer can move its sliders without training again; the tests
check it against ``fit`` itself.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from nnlib import SGD, Dense, Network, datasets, fit
from nnlib.language import say

from .explorer import Explorer
from .plots import CLASS_COLORS, decision_regions, loss_curves

_TRAIN, _VAL, _GREY, _RED = "#1f77b4", "#ff7f0e", "#888888", "#c0392b"
THRESHOLDS = (("off", 0.0), ("0.5", 0.5), ("0.4", 0.4), ("0.3", 0.3), ("0.25", 0.25),
              ("0.2", 0.2), ("0.15", 0.15))


# -- mini-batches and noise --------------------------------------------------------------------
def batch_noise(curves):
    """Per-step losses of several runs against epochs, one panel each, on a shared y axis.

    ``curves`` maps a label to ``(losses, steps_per_epoch)``: ``losses`` holds one value per
    update — the loss of the batch just before its step — so update t sits at epoch t / steps.
    """
    fig, axes = plt.subplots(1, len(curves), figsize=(3.2 * len(curves), 2.8), sharey=True)
    for ax, (label, (losses, steps)), color in zip(np.atleast_1d(axes), curves.items(),
                                                   CLASS_COLORS):
        losses = np.asarray(losses)
        x = np.arange(1, len(losses) + 1) / steps
        ax.plot(x, losses, color=color, lw=0.6 if steps > 20 else 1.5,
                marker="o" if steps == 1 else None, ms=3)
        ax.set_title(say("{label}\n{steps} updates per epoch" if steps > 1 else
                         "{label}\n{steps} update per epoch", label=label, steps=steps),
                     fontsize=10)
        ax.set_xlabel(say("epoch"))
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    np.atleast_1d(axes)[0].set_ylabel(say("loss of the batch"))
    fig.subplots_adjust(left=0.07, right=0.98, top=0.8, bottom=0.17, wspace=0.08)
    return fig


# -- overfitting -------------------------------------------------------------------------------
def overfit_problem(seed=0):
    """The overfitting set-up of the notebook: a small noisy dataset and a too-big network.

    60 points of ``circles`` with noise 0.25, half kept for validation; a 2-32-32-2 ReLU
    network (1 218 parameters for 30 training points). Returns
    ``(X_train, y_train, X_val, y_val, make_net)`` where ``make_net()`` builds it afresh.
    """
    X, y = datasets.circles(60, noise=0.25, seed=seed)
    X_train, y_train, X_val, y_val, _, _ = datasets.train_val_test_split(X, y, val=0.5, test=0,
                                                                         seed=seed)

    def make_net():
        return Network([Dense(2, 32, "relu"), Dense(32, 32, "relu"), Dense(32, 2, "softmax")],
                       seed=seed)

    return X_train, y_train, X_val, y_val, make_net


def overfit_run(epochs=600, lr=0.1, seed=0):
    """Train ``overfit_problem`` full-batch for ``epochs``, no early stop: ``(net, history)``."""
    X_train, y_train, X_val, y_val, make_net = overfit_problem(seed)
    net = make_net()
    history = fit(net, X_train, y_train, SGD(lr), epochs=epochs, validation=(X_val, y_val),
                  seed=seed, progress=False)
    return net, history


def overfitting(net, history, X_train, y_train, X_val, y_val):
    """Left: training and validation loss per epoch. Right: the boundary the net ended with,
    over the training points (filled) and the validation points (rings)."""
    fig, (ax_loss, ax) = plt.subplots(1, 2, figsize=(9, 3.4),
                                      gridspec_kw={"width_ratios": [1.3, 1]})
    loss_curves(history, ax=ax_loss, title=say("training keeps falling, validation turns up"))
    best = int(np.argmin(history.val_loss)) + 1
    ax_loss.plot(best, history.val_loss[best - 1], "o", color=_VAL, ms=6)
    ax_loss.annotate(say("lowest validation loss\n(epoch {epoch})", epoch=best),
                     (best, history.val_loss[best - 1]), xytext=(0, -34),
                     textcoords="offset points", ha="center", fontsize=9)
    decision_regions(net, X_train, y_train, ax=ax, resolution=60,
                     title=say("after epoch {epoch}: dots train, rings validation",
                               epoch=history.epochs))
    ax.title.set_fontsize(10)
    palette = np.array(CLASS_COLORS)
    ax.scatter(*X_val.T, s=22, facecolors="none", edgecolors=palette[y_val], linewidths=1,
               label=say("validation"))
    fig.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.15, wspace=0.25)
    return fig


# -- the three stopping conditions -------------------------------------------------------------
def where_it_stops(history, epochs, loss_threshold=None, patience=None):
    """Replay nnlib.fit's stopping rules on a recorded run (``history`` without any early stop).

    Returns ``{"epochs": E, "stop_reason": ..., "best_epoch": b}`` — what
    ``fit(..., epochs, loss_threshold, patience)`` would report, since training is the same
    until it stops. Per epoch, in fit's order: the validation loss improves (strictly) or the
    wait grows; wait ≥ patience → "early_stopping"; loss < threshold → "loss_threshold";
    after the last epoch → "max_epochs".
    """
    if epochs > history.epochs:
        raise ValueError(f"the recorded run has {history.epochs} epochs; asked for {epochs}")
    best_loss, best_epoch, wait = np.inf, None, 0
    for epoch in range(1, epochs + 1):
        if history.val_loss:
            if history.val_loss[epoch - 1] < best_loss:
                best_loss, best_epoch, wait = history.val_loss[epoch - 1], epoch, 0
            else:
                wait += 1
        if patience and wait >= patience:
            return {"epochs": epoch, "stop_reason": "early_stopping", "best_epoch": best_epoch}
        if loss_threshold and history.loss[epoch - 1] < loss_threshold:
            return {"epochs": epoch, "stop_reason": "loss_threshold", "best_epoch": best_epoch}
    return {"epochs": epochs, "stop_reason": "max_epochs", "best_epoch": best_epoch}


def draw_stopping(fig, history, epochs, loss_threshold=0.0, patience=0):
    """The whole recorded run, faded after the epoch where these settings stop; returns the
    ``where_it_stops`` result. The weights kept are those of ``best_epoch`` for early stopping,
    else of the last epoch trained."""
    stop = where_it_stops(history, epochs, loss_threshold, patience)
    ax = fig.subplots()
    E, x = stop["epochs"], np.arange(1, history.epochs + 1)
    for values, color, label in ((history.loss, _TRAIN, "training loss"),
                                 (history.val_loss, _VAL, "validation loss")):
        ax.plot(x[:E], values[:E], color=color, lw=1.6, label=say(label))
        ax.plot(x[E - 1:], values[E - 1:], color=color, lw=1, alpha=0.25)
    ax.axvline(epochs, color=_GREY, lw=1, ls=":")
    if loss_threshold:
        ax.axhline(loss_threshold, color=_TRAIN, lw=1, ls=":")
    kept = stop["best_epoch"] if stop["stop_reason"] == "early_stopping" else E
    if history.val_loss:
        ax.plot(kept, history.val_loss[kept - 1], "o", color=_RED, ms=6,
                label=say("weights kept: epoch {epoch}", epoch=kept))
    ax.axvline(E, color=_RED, lw=1.2)
    ax.set_title(say("stops after epoch {epoch}: stop_reason = {reason!r}", epoch=E,
                     reason=stop["stop_reason"]), fontsize=10)
    ax.set_xlabel(say("epoch"))
    ax.set_ylabel(say("loss"))
    ax.set_xlim(0, history.epochs)
    ax.legend(frameon=False, fontsize=8, loc="upper center")
    fig.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.16)  # tight_layout: 2× slower
    return stop


def stopping_explorer(history=None):
    """Sliders for the iteration cap, the loss threshold and the patience over one recorded run
    (``overfit_run()`` by default). ``explorer.state`` holds the last ``where_it_stops``."""
    if history is None:
        history = overfit_run()[1]
    explorer_state = {}

    def draw(fig, epochs, loss_threshold, patience):
        explorer_state.update(draw_stopping(fig, history, epochs, loss_threshold, patience))

    style = {"description_width": "140px"}
    controls = {
        "epochs": widgets.IntSlider(value=min(400, history.epochs), min=10, max=history.epochs,
                                    step=10, description=say("max epochs"), style=style),
        "loss_threshold": widgets.SelectionSlider(
            options=[(say(label), value) for label, value in THRESHOLDS], value=0.0,
            description=say("loss threshold"), style=style),
        "patience": widgets.IntSlider(value=50, min=0, max=200, step=10,
                                      description=say("patience (0: off)"), style=style),
    }
    explorer = Explorer(draw, controls, figsize=(6.4, 3.0))
    explorer.state, explorer.history = explorer_state, history
    return explorer


EXPLORERS = (stopping_explorer,)
