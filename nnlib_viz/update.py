"""Figures and explorers for notebook 05, parameter update (outline 1.5).

The 2-D loss surfaces are quadratics L(θ) = ½ Σᵢ λᵢ θᵢ² with θ = (w1, w2) and gradient
∇L = λ ⊙ θ; the curvatures λ set the shape: ``BOWL`` (1, 4), ``VALLEY`` (1, 25). Every path on
them is made by nnlib's own optimizers (``descend``): the two numbers are dressed up as a
one-layer network (``TwoParameters``), so the course code *is* the library code.

Static figures:
    gradient_step(theta, lr)          one step θ − α∇L on the bowl's contours
    descent_paths(paths)              several optimizers' paths on one contour plot
    loss_curves_by(histories)         loss per epoch of several ``fit`` runs
Explorers (``EXPLORERS``):
    learning_rate_explorer()          α (log slider) → 20 gradient-descent steps on the bowl
    valley_explorer()                 valley steepness, steps → SGD, Momentum, Adam paths
"""


import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import NullLocator

from nnlib import SGD, Adam, Momentum
from nnlib.language import say

from .explorer import Explorer
from .plots import axes

BOWL = (1.0, 4.0)
VALLEY = (1.0, 25.0)
REGIME_COLORS = {"too small": "#8c564b", "good": "#2ca02c", "oscillating": "#d08c00",
                 "divergent": "#d62728"}
PATH_COLORS = {"SGD": "#1f77b4", "Momentum": "#ff7f0e", "Adam": "#2ca02c"}


# -- the quadratic surfaces and descent on them --------------------------------------------------
def quadratic_loss(theta, curvatures=BOWL):
    """L(θ) = ½ Σᵢ λᵢ θᵢ² for θ of shape (..., 2); returns shape (...)."""
    theta = np.asarray(theta, dtype=float)
    return 0.5 * np.sum(np.asarray(curvatures) * theta**2, axis=-1)


def quadratic_grad(theta, curvatures=BOWL):
    """∇L(θ) = λ ⊙ θ, shape (2,)."""
    return np.asarray(curvatures) * np.asarray(theta, dtype=float)


class TwoParameters:
    """θ = (w1, w2) dressed as a network with one parameter, so ``SGD``/``Momentum``/``Adam.step``
    can move it: an optimizer only asks ``net.parameters()`` for (name, θ, ∂L/∂θ) triples.
    """

    def __init__(self, theta):
        self.value, self.grad = np.array(theta, dtype=float).reshape(2), None

    def parameters(self):
        return [("θ", self.value, self.grad)]

    @property
    def theta(self):
        return self.value.copy()

    def set_gradient(self, grad):
        self.grad = np.asarray(grad, dtype=float).reshape(2)


def descend(optimizer, theta0, steps, curvatures=BOWL):
    """The path θ₀, θ₁, ..., θ_steps (shape (steps + 1, 2)) that the nnlib ``optimizer`` takes
    on L(θ) = ½ Σ λᵢ θᵢ², starting at ``theta0``."""
    point = TwoParameters(theta0)
    path = [point.theta]
    with np.errstate(over="ignore", invalid="ignore"):  # a divergent path may overflow: fine
        for _ in range(steps):
            point.set_gradient(quadratic_grad(point.theta, curvatures))
            optimizer.step(point)
            path.append(point.theta)
    return np.array(path)


def lr_regime(lr, curvatures=BOWL, steps=20):
    """How gradient descent with learning rate α behaves on L = ½ Σ λᵢ θᵢ².

    Each step multiplies coordinate i by (1 − α λᵢ), so:
      "divergent"    some |1 − α λᵢ| > 1 (α > 2 / λ_max): that coordinate grows every step;
      "oscillating"  some 1 − α λᵢ < 0 (α > 1 / λ_max): it flips sign every step, shrinking;
      "too small"    after ``steps`` steps the slowest coordinate's share of the loss,
                     (1 − α λ_min)^(2 steps), is still above a tenth of where it started;
      "good"         otherwise.
    """
    factors = 1 - lr * np.asarray(curvatures, dtype=float)
    if np.max(np.abs(factors)) > 1:
        return "divergent"
    if np.min(factors) < 0:
        return "oscillating"
    if np.max(np.abs(factors)) ** (2 * steps) > 0.1:
        return "too small"
    return "good"


# -- figures -------------------------------------------------------------------------------------
def _contours(ax, curvatures, xlim, ylim, levels=9):
    """Contour lines of the quadratic, drawn exactly: the level set L = c is the ellipse
    w1 = √(2c/λ1) cos t, w2 = √(2c/λ2) sin t (cheaper than a contour of a grid). Levels are
    spaced evenly in log L, so both the flat floor and the steep walls show."""
    lam = np.asarray(curvatures, dtype=float)
    corner = quadratic_loss([max(map(abs, xlim)), max(map(abs, ylim))], lam)
    t = np.linspace(0, 2 * np.pi, 120)
    ellipses = [np.column_stack([np.sqrt(2 * c / lam[0]) * np.cos(t),
                                 np.sqrt(2 * c / lam[1]) * np.sin(t)])
                for c in np.geomspace(corner / 2000, corner, levels)]
    ax.add_collection(LineCollection(ellipses, colors="#9aa3ad", linewidths=0.7))
    ax.plot(0, 0, marker="*", color="k", markersize=9, linestyle="none")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")


def gradient_step(theta, lr, curvatures=BOWL, ax=None, lim=3.0):
    """One gradient-descent step on L = ½ Σ λᵢ θᵢ²: the point θ, the contour through it, the
    uphill vector α∇L(θ) (at right angles to that contour) and the step to θ − α∇L(θ)."""
    ax = axes(ax, (4.4, 4))
    theta = np.asarray(theta, dtype=float)
    grad = quadratic_grad(theta, curvatures)
    new = theta - lr * grad
    _contours(ax, curvatures, (-lim, lim), (-lim, lim))
    lam, here = np.asarray(curvatures, dtype=float), quadratic_loss(theta, curvatures)
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(np.sqrt(2 * here / lam[0]) * np.cos(t), np.sqrt(2 * here / lam[1]) * np.sin(t),
            color="#555", linewidth=1.3)
    ax.annotate("", xy=theta + lr * grad, xytext=theta,
                arrowprops={"arrowstyle": "-|>", "color": "#d62728", "linestyle": "--"})
    ax.text(*(theta + lr * grad), say(" +α∇L(θ): uphill"), color="#d62728", fontsize=8,
            va="bottom")
    ax.annotate("", xy=new, xytext=theta,
                arrowprops={"arrowstyle": "-|>", "color": "#1f77b4", "linewidth": 2})
    ax.plot(*theta, "o", color="k")
    ax.plot(*new, "o", color="#1f77b4")
    ax.text(*theta, "  θ", fontsize=10, va="top")
    ax.text(*new, "  θ − α∇L(θ)", fontsize=9, color="#1f77b4", va="top")
    ax.set_title(say("one step, α = {lr:g}:  L {before:.3f} → {after:.3f}", lr=lr, before=here,
                     after=quadratic_loss(new, curvatures)), fontsize=10)
    ax.set_aspect("equal")
    return ax.figure


def descent_paths(paths, curvatures=VALLEY, ax=None, xlim=(-10, 2), ylim=(-3, 3)):
    """Overlay paths ({label: array (steps + 1, 2)}) on the contours of the quadratic."""
    ax = axes(ax, (6, 3.2))
    _contours(ax, curvatures, xlim, ylim)
    for i, (label, path) in enumerate(paths.items()):
        shown = np.clip(path, -1e3, 1e3)  # a divergent path: keep the coordinates drawable
        final = quadratic_loss(path[-1], curvatures)
        ax.plot(shown[:, 0], shown[:, 1], marker="o", markersize=2.5, linewidth=1.2,
                color=PATH_COLORS.get(label, f"C{i}"), label=f"{label}: L = {final:.2g}")
    ax.plot(*paths[next(iter(paths))][0], "ko")
    ax.legend(fontsize=8, loc="lower right", framealpha=0.9)
    return ax.figure


def loss_curves_by(histories, ax=None, title=None):
    """Training loss per epoch of several ``fit`` runs ({label: History}) on a log axis; a run
    that stopped as diverged ends in a red ×. ``title`` defaults to "training loss per epoch"."""
    ax = axes(ax, (5.5, 3.2))
    for label, history in histories.items():
        epochs = np.arange(1, history.epochs + 1)
        diverged = history.stop_reason == "diverged"
        line, = ax.plot(epochs, history.loss,
                        label=say("{label} — diverged", label=label) if diverged else f"{label}")
        if diverged:
            ax.plot(epochs[-1], history.loss[-1], "x", color="#d62728", markersize=10,
                    markeredgewidth=2)
    ax.set_yscale("log")
    ax.set_xlabel(say("epoch"))
    ax.set_ylabel(say("loss"))
    ax.set_title(say("training loss per epoch") if title is None else title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    return ax.figure


# -- explorers -----------------------------------------------------------------------------------
BOWL_START = (-2.6, 1.6)


def learning_rate_explorer(lr=0.1, steps=20):
    """A log slider for α → ``steps`` gradient-descent steps (nnlib.SGD) on the bowl
    L = ½(w1² + 4 w2²) from ``BOWL_START``, and the loss per step.

    ``explorer.state``: {"lr", "path" (steps + 1, 2), "losses", "regime"}.
    """
    state = {}

    def draw(fig, lr):
        path = descend(SGD(lr), BOWL_START, steps, BOWL)
        losses = quadratic_loss(path, BOWL)
        regime = lr_regime(lr, BOWL, steps)
        state.update(lr=lr, path=path, losses=losses, regime=regime)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        descent_paths({"SGD": path}, BOWL, ax=left, xlim=(-3, 3), ylim=(-2.2, 2.2))
        left.get_legend().remove()
        right.plot(np.arange(steps + 1), np.clip(losses, 1e-12, 1e6), "o-", markersize=3,
                   color=REGIME_COLORS[regime])
        right.set_yscale("log")
        right.set_ylim(1e-12, 1e6)
        # few ticks with plain-text labels: every tick is several artists, and mathtext
        # labels ("$10^{-5}$") would cost much of the redraw budget
        right.set_yticks([1e-12, 1e-8, 1e-4, 1, 1e4], ["1e-12", "1e-8", "1e-4", "1", "1e4"])
        right.yaxis.set_minor_locator(NullLocator())
        right.set_xticks([0, steps // 2, steps])
        left.set_xticks([-2, 0, 2])
        left.set_yticks([-2, 0, 2])
        right.set_xlabel(say("step"))
        right.set_ylabel(say("loss"))
        fig.suptitle(say("α = {lr:.3g}: {regime}  (after {steps} steps L = {loss:.2g})",
                         lr=lr, regime=say(regime), steps=steps, loss=losses[-1]),
                     color=REGIME_COLORS[regime], fontsize=11)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=0.88, wspace=0.3)

    explorer = Explorer(draw, {"lr": widgets.FloatLogSlider(
        value=lr, base=10, min=-2.5, max=0, step=0.05, description=say("α (lr)"),
        readout_format=".3g")}, figsize=(7.5, 3.2))
    explorer.state = state
    return explorer


VALLEY_START = (-9.0, 1.5)
VALLEY_OPTIMIZERS = {"SGD": lambda: SGD(0.07), "Momentum": lambda: Momentum(0.02, beta=0.8),
                     "Adam": lambda: Adam(0.5)}


def valley_paths(steepness=25.0, steps=40):
    """{name: path} of nnlib's SGD(0.07), Momentum(0.02, β = 0.8) and Adam(0.5) on the valley
    L = ½(w1² + steepness · w2²) from ``VALLEY_START``."""
    curvatures = (1.0, float(steepness))
    return {name: descend(make(), VALLEY_START, steps, curvatures)
            for name, make in VALLEY_OPTIMIZERS.items()}


def valley_explorer(steepness=25, steps=40):
    """The valley's steepness λ₂ (1–40) and the number of steps → the paths of SGD, Momentum
    and Adam overlaid on its contours.

    ``explorer.state``: {"steepness", "steps", "paths" ({name: path}), "losses" ({name: L})}.
    """
    state = {}

    def draw(fig, steepness, steps):
        curvatures = (1.0, float(steepness))
        paths = valley_paths(steepness, steps)
        losses = {name: float(quadratic_loss(p[-1], curvatures)) for name, p in paths.items()}
        state.update(steepness=steepness, steps=steps, paths=paths, losses=losses)
        ax = fig.add_subplot()
        descent_paths(paths, curvatures, ax=ax)
        ax.set_title(say("L = ½(w1² + {steepness} w2²), {steps} steps from {start}",
                         steepness=steepness, steps=steps, start=VALLEY_START), fontsize=10)
        ax.set_xticks([-10, -5, 0])  # few ticks: each one is several artists to draw
        ax.set_yticks([-2, 0, 2])
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=0.9)

    explorer = Explorer(draw, {
        "steepness": widgets.IntSlider(value=steepness, min=1, max=40, description="λ₂"),
        "steps": widgets.IntSlider(value=steps, min=5, max=80, description=say("steps")),
    }, figsize=(6.5, 3.4))
    explorer.state = state
    return explorer


EXPLORERS = (learning_rate_explorer, valley_explorer)
