"""Figures and explorers for notebook 03, the loss (outline 1.3 and 1.7).

One sample, one output: ŷ is a predicted value (MSE) or the predicted probability of class 1
(cross-entropy), y ∈ {0, 1} is the target. Per sample (the mean over m samples comes later):
    MSE            ℓ = ½ (ŷ − y)²                         ∂ℓ/∂ŷ = ŷ − y
    cross-entropy  ℓ = −[y log ŷ + (1 − y) log(1 − ŷ)]     ∂ℓ/∂ŷ = (ŷ − y) / (ŷ (1 − ŷ))
With a sigmoid output ŷ = σ(z), the chain rule gives ∂ℓ/∂z = (ŷ − y) σ′(z) for MSE and
∂ℓ/∂z = ŷ − y for cross-entropy: the saturation figures compare the two.
The current point of every explorer is computed with ``nnlib.losses``, the curves with the
formulas above; the tests check that the two agree.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from nnlib import losses
from nnlib.activations import sigmoid, sigmoid_prime
from nnlib.language import say

from .explorer import Explorer

LOSS_NAMES = {"mse": "MSE", "cross_entropy": "cross-entropy"}  # said in the current language
_COLORS = {"mse": "#1f77b4", "cross_entropy": "#d62728"}
_GREY = "#888888"
_ADJUST = {"left": 0.08, "right": 0.98, "bottom": 0.17, "top": 0.86, "wspace": 0.25}


def _title(ax, text):
    # A fixed y skips matplotlib's automatic title placement, a costly step of every redraw.
    ax.set_title(text, fontsize=10, y=1.0)


def per_sample(loss, yhat, y):
    """(ℓ, ∂ℓ/∂ŷ) for arrays ŷ, y (broadcast) by the formulas in the module docstring."""
    yhat, y = np.asarray(yhat, float), np.asarray(y, float)
    if loss == "mse":
        return 0.5 * (yhat - y) ** 2, yhat - y
    value = -(y * np.log(yhat) + (1 - y) * np.log(1 - yhat))
    return value, (yhat - y) / (yhat * (1 - yhat))


def point(loss, yhat, y):
    """(ℓ, ∂ℓ/∂ŷ) of one prediction through nnlib.losses (m = 1, so the mean is the sample)."""
    Yhat, Y = np.array([[float(yhat)]]), np.array([[float(y)]])
    if loss == "mse":
        return losses.mse(Yhat, Y), float(losses.mse_grad(Yhat, Y)[0, 0])
    # one output unit with targets 0/1: the two-class cross-entropy is the binary one
    return (losses.binary_cross_entropy(Yhat, Y),
            float(losses.binary_cross_entropy_grad(Yhat, Y)[0, 0]))


def draw_loss(fig, loss, yhat, y):
    """Left: ℓ(ŷ) for target y; right: ∂ℓ/∂ŷ. The chosen loss is bold with its current point,
    the other one thin for comparison. Returns (ℓ, ∂ℓ/∂ŷ) at ŷ."""
    grid = np.linspace(0.005, 0.995, 199)
    value, grad = point(loss, yhat, y)
    ax1, ax2 = fig.subplots(1, 2)
    for name, label in LOSS_NAMES.items():
        on = name == loss
        curve, slope = per_sample(name, grid, y)
        style = {"color": _COLORS[name], "lw": 2.2 if on else 0.9, "alpha": 1 if on else 0.6}
        ax1.plot(grid, curve, label=say(label), **style)
        ax2.plot(grid, slope, **style)
    ax1.plot([yhat], [value], "o", color="k")
    ax2.plot([yhat], [grad], "o", color="k")
    ax1.axvline(y, color=_GREY, lw=0.8, ls=":")
    ax1.set_ylim(-0.1, 4.5)
    ax1.set_yticks([0, 1, 2, 3, 4])
    ax2.set_ylim(-10, 10)
    ax2.set_yticks([-10, -5, 0, 5, 10])
    ax2.axhline(0, color=_GREY, lw=0.5)
    ax1.legend(frameon=False, fontsize=8, loc="upper center")
    _title(ax1, say("loss ℓ(ŷ), target y = {y}: ℓ = {value:.3f}", y=y, value=value))
    _title(ax2, say("gradient ∂ℓ/∂ŷ = {grad:.3f}", grad=grad))
    for ax in (ax1, ax2):
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        ax.tick_params(labelsize=8)
        ax.set_xlabel(say("prediction ŷ"), labelpad=0)
    fig.subplots_adjust(**_ADJUST)
    return value, grad


def loss_figure(loss="cross_entropy", yhat=0.2, y=1):
    """Static loss and gradient panels for one prediction."""
    fig = plt.figure(figsize=(7, 2.8))
    draw_loss(fig, loss, yhat, y)
    return fig


def loss_explorer(loss="mse", yhat=0.3, y=1):
    """Move a prediction ŷ: watch the loss and its gradient for MSE and cross-entropy."""
    state = {}

    def draw(fig, loss, yhat, y):
        state["loss"], state["yhat"], state["y"] = loss, yhat, y
        state["value"], state["grad"] = draw_loss(fig, loss, yhat, y)

    controls = {
        "loss": widgets.Dropdown(options=[(say(v), k) for k, v in LOSS_NAMES.items()],
                                 value=loss, description=say("loss")),
        "yhat": widgets.FloatSlider(value=yhat, min=0.01, max=0.99, step=0.01,
                                    description=say("prediction ŷ")),
        "y": widgets.ToggleButtons(options=[0, 1], value=y, description=say("target y")),
    }
    explorer = Explorer(draw, controls, figsize=(7, 2.8))
    explorer.state = state
    return explorer


# -- saturation: sigmoid + MSE against sigmoid + cross-entropy ---------------------------------
def saturation_gradients(z, y=1):
    """ŷ = σ(z) and ∂ℓ/∂z for MSE, (ŷ − y) σ′(z), and for cross-entropy, ŷ − y."""
    z = np.asarray(z, float)
    a = sigmoid(z)
    return a, (a - y) * sigmoid_prime(z), a - y


def draw_saturation(fig, z, y=1):
    """Left: ŷ = σ(z) with the target; right: ∂ℓ/∂z of both losses over z ∈ [−8, 8].

    Returns (ŷ, ∂ℓ/∂z for MSE, ∂ℓ/∂z for cross-entropy) at z."""
    grid = np.linspace(-8, 8, 161)
    a_grid, mse_grid, ce_grid = saturation_gradients(grid, y)
    a, dz_mse, dz_ce = (float(v) for v in saturation_gradients(z, y))
    ax1, ax2 = fig.subplots(1, 2)
    wrong = (-8, -2.5) if y == 1 else (2.5, 8)
    for ax in (ax1, ax2):
        ax.axvspan(*wrong, color="#f4cccc", lw=0)
    ax1.plot(grid, a_grid, color="k")
    ax1.axhline(y, color=_GREY, ls=":", lw=1)
    ax1.plot([z], [a], "o", color="k")
    ax1.text(np.mean(wrong), 0.5, say("confident\nand wrong"), ha="center", fontsize=8)
    _title(ax1, say("ŷ = σ({z:.1f}) = {a:.3f}, target y = {y}", z=z, a=a, y=y))
    ax2.plot(grid, mse_grid, color=_COLORS["mse"], label=say("MSE: (ŷ − y) σ′(z)"))
    ax2.plot(grid, ce_grid, color=_COLORS["cross_entropy"], label=say("cross-entropy: ŷ − y"))
    ax2.plot([z, z], [dz_mse, dz_ce], "o", color="k")
    ax2.axhline(0, color=_GREY, lw=0.5)
    ax2.set_ylim(-1.1, 1.1)
    ax2.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax2.legend(frameon=False, fontsize=8, loc="upper left" if y == 1 else "lower right")
    _title(ax2, say("∂ℓ/∂z: MSE {mse:.3f}, CE {ce:.3f}", mse=dz_mse, ce=dz_ce))
    for ax in (ax1, ax2):
        ax.set_xticks([-8, -4, 0, 4, 8])
        ax.tick_params(labelsize=8)
        ax.set_xlabel(say("z (the output unit's weighted input)"), labelpad=0)
    fig.subplots_adjust(**_ADJUST)
    return a, dz_mse, dz_ce


def saturation_figure(z=-5.0, y=1):
    """Static saturation panels at one z."""
    fig = plt.figure(figsize=(7, 2.8))
    draw_saturation(fig, z, y)
    return fig


def saturation_explorer(z=-5.0, y=1):
    """Slide the output unit's z: how much gradient each loss sends back through the sigmoid."""
    state = {}

    def draw(fig, z, y):
        state["z"], state["y"] = z, y
        state["a"], state["dz_mse"], state["dz_ce"] = draw_saturation(fig, z, y)

    controls = {
        "z": widgets.FloatSlider(value=z, min=-8, max=8, step=0.1, description="z"),
        "y": widgets.ToggleButtons(options=[0, 1], value=y, description=say("target y")),
    }
    explorer = Explorer(draw, controls, figsize=(7, 2.8))
    explorer.state = state
    return explorer


def training_comparison(curves, title=None):
    """Lines of accuracy per epoch: ``curves`` maps a label to a list of accuracies.

    A label containing "MSE" is drawn in the MSE colour, else in the cross-entropy colour; a
    label containing "saturated" is dashed (either word in English or in the current language).
    ``title`` defaults to "Accuracy per epoch, same network and data".
    """
    fig, ax = plt.subplots(figsize=(7.5, 3))
    for label, acc in curves.items():
        color = _COLORS["mse" if _mentions(label, "MSE") else "cross_entropy"]
        ax.plot(np.arange(1, len(acc) + 1), acc, color=color,
                ls="--" if _mentions(label, "saturated") else "-", label=label)
    ax.set_ylim(0.4, 1.0)
    ax.set_xlabel(say("epoch"))
    ax.set_ylabel(say("training accuracy"))
    ax.set_title(say("Accuracy per epoch, same network and data") if title is None else title,
                 fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def _mentions(label, word):
    """Whether ``label`` contains ``word``, in English or in the current language."""
    return word in label or say(word) in label


EXPLORERS = (loss_explorer, saturation_explorer)
