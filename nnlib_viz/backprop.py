"""Figures and explorers for notebook 04, back propagation (outline 1.4 and 1.7).

Static figures:
    computation_graph(values, grads)      the tiny graph L = ½(σ(w x + b) − y)², forward values
                                          and backward gradients on every node and edge
    network_diagram(sizes, highlight)     a small network, one layer highlighted
    gradient_error_heatmaps(check)        |backprop − numeric| per parameter of a GradientCheck
    gradient_norm_bars(norms)             ‖dW[l]‖ per layer, log scale
Explorers (``EXPLORERS``):
    backward_explorer()                   step from layer L down to 1: δ, dW, db of that layer
    vanishing_explorer()                  depth and activation → per-layer gradient norms
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LogNorm
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.ticker import LogFormatter, LogLocator, NullLocator

from nnlib import Dense, Network, datasets
from nnlib.language import say

from .explorer import Explorer
from .plots import HIGHLIGHT, MUTED, axes

FORWARD, BACKWARD, LOCAL = "#222222", "#c0392b", "#1f5fa8"


# -- the tiny computation graph ------------------------------------------------------------------
# node: (x, y) position and the label drawn inside its circle
_NODES = {"w": ((0.0, 1.5), "$w$"), "x": ((0.0, -0.5), "$x$"), "u": ((2.6, 0.5), "$u$"),
          "b": ((2.6, -1.5), "$b$"), "z": ((5.2, 0.5), "$z$"), "a": ((7.8, 0.5), "$a$"),
          "y": ((7.8, -1.5), "$y$"), "L": ((10.4, 0.5), "$L$")}
_OPS = {"u": r"$u = w\,x$", "z": "$z = u + b$", "a": r"$a = \sigma(z)$",
        "L": r"$L = \frac{1}{2}(a - y)^2$"}
# where an edge's label sits, relative to the edge's midpoint: (dx, dy, ha, va)
_EDGE_LABEL = {("w", "u"): (-0.3, 0.25, "center", "bottom"),
               ("x", "u"): (0.05, -0.15, "left", "top"),
               ("b", "z"): (0.15, -0.05, "left", "top")}


def local_derivatives(v):
    """∂child/∂parent on every edge of the graph, from the forward values ``v``."""
    return {("w", "u"): (r"\partial u/\partial w = x", v["x"]),
            ("x", "u"): (r"\partial u/\partial x = w", v["w"]),
            ("u", "z"): (r"\partial z/\partial u = 1", 1.0),
            ("b", "z"): (r"\partial z/\partial b = 1", 1.0),
            ("z", "a"): (r"\partial a/\partial z = a(1-a)", v["a"] * (1 - v["a"])),
            ("a", "L"): (r"\partial L/\partial a = a - y", v["a"] - v["y"])}


def computation_graph(values, grads, ax=None):
    """Draw L = ½(σ(w x + b) − y)² as a graph: u = w x, z = u + b, a = σ(z).

    ``values``: forward value of every node, keys w, x, b, y, u, z, a, L (floats).
    ``grads``: ∂L/∂node for w, x, b, u, z, a, L (y is a label: no gradient).
    Black above a node: its forward value. Red below: its gradient. Blue on an edge: the local
    derivative — the chain rule multiplies them from L back to each input.
    """
    ax = axes(ax, (9.5, 4.2))
    r = 0.4
    for (src, dst), (name, val) in local_derivatives(values).items():
        (x0, y0), (x1, y1) = _NODES[src][0], _NODES[dst][0]
        ux, uy = np.subtract((x1, y1), (x0, y0)) / np.hypot(x1 - x0, y1 - y0)
        ax.add_patch(FancyArrowPatch((x0 + r * ux, y0 + r * uy), (x1 - r * ux, y1 - r * uy),
                                     arrowstyle="-|>", mutation_scale=12, color="#777"))
        dx, dy, ha, va = _EDGE_LABEL.get((src, dst), (0, 0.12, "center", "bottom"))
        ax.text((x0 + x1) / 2 + dx, (y0 + y1) / 2 + dy, f"${name}$\n$= {val:.3f}$", ha=ha,
                va=va, fontsize=8, color=LOCAL)
    for node, ((x, y), label) in _NODES.items():
        ax.add_patch(Circle((x, y), r, facecolor=HIGHLIGHT if node == "L" else MUTED,
                            edgecolor="#333"))
        ax.text(x, y, label, ha="center", va="center", fontsize=12)
        ax.text(x, y + r + 0.06, f"{values[node]:.3f}", ha="center", va="bottom",
                fontsize=9, color=FORWARD)
        if node in grads:
            ax.text(x, y - r - 0.06, f"∂L/∂{node} = {grads[node]:.3f}", ha="center", va="top",
                    fontsize=9, color=BACKWARD)
        if node in _OPS:
            ax.text(x, y + r + 0.45, _OPS[node], ha="center", va="bottom", fontsize=9)
    ax.text(10.4, -1.5,
            say("black: forward value\nblue: local derivative\nred: gradient ∂L/∂·"),
            ha="center", va="center", fontsize=8.5, color="#444")
    ax.set_xlim(-1.0, 11.4)
    ax.set_ylim(-2.3, 2.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax.figure


# -- networks, heatmaps --------------------------------------------------------------------------
def network_diagram(sizes, highlight=None, ax=None, dx=1.0):
    """Units of a network with ``sizes`` = [n_0, ..., n_L], layers ``dx`` apart; layer
    ``highlight`` (1..L) — its units and the weights W[highlight] that feed them — in colour."""
    ax = axes(ax, (3, 3))
    top = max(sizes)
    pos = [[(i * dx, (n - 1) / 2 - j) for j in range(n)] for i, n in enumerate(sizes)]
    for l in range(1, len(sizes)):
        segments = [(p, q) for p in pos[l - 1] for q in pos[l]]
        on = l == highlight
        ax.add_collection(LineCollection(segments, colors="#d08c00" if on else "#c8ccd2",
                                         linewidths=1.6 if on else 0.7, zorder=1))
    subscript = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    for l, layer in enumerate(pos):
        xs, ys = zip(*layer)
        ax.scatter(xs, ys, s=110, zorder=2, edgecolors="#333",
                   c=HIGHLIGHT if l == highlight else MUTED)
        name = "X" if l == 0 else say("layer {l}", l=l) if l == highlight else str(l)
        ax.text(l * dx, -(top - 1) / 2 - 0.6, f"{name}\nn{str(l).translate(subscript)} = "
                f"{sizes[l]}", ha="center", va="top", fontsize=8,
                fontweight="bold" if l == highlight else "normal")
    ax.set_xlim(-0.6, (len(sizes) - 1) * dx + 0.6)
    ax.set_ylim(-(top - 1) / 2 - 1.8, (top - 1) / 2 + 0.6)
    ax.axis("off")
    return ax.figure


def _heatmap(ax, M, title, corner=None, cell=0.75, annotate=30):
    """A signed matrix as colours (red > 0, blue < 0); matrices of at most ``annotate`` entries
    also get each value written in its cell (every number is a text artist, and text is the
    costliest part of a redraw).

    With ``corner`` = (x, y) the matrix is drawn at that top-left point of ``ax``'s data
    coordinates, ``cell`` units per entry (so several matrices share one axes and their sizes
    show their shapes); otherwise it fills ``ax``.
    """
    M = np.atleast_2d(M)
    vmax = float(np.abs(M).max()) or 1.0
    rows, cols = M.shape
    if corner is None:
        x0, top, cell = -0.5, rows - 0.5, 1.0
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=9)
    else:
        x0, top = corner
        ax.text(x0, top + 0.15, title, ha="left", va="bottom", fontsize=8.5)
    extent = (x0, x0 + cols * cell, top - rows * cell, top)
    ax.imshow(M, cmap="RdBu_r", vmin=-vmax, vmax=vmax, extent=extent,
              aspect="equal" if corner else "auto")
    for (i, j), v in np.ndenumerate(M if M.size <= annotate else np.empty((0, 0))):
        ax.text(x0 + (j + 0.5) * cell, top - (i + 0.5) * cell,
                f"{v:.2f}" if abs(v) >= 0.005 else "0", ha="center",
                va="center", fontsize=6.5, color="white" if abs(v) > 0.6 * vmax else "black")


def gradient_error_heatmaps(check, fig=None):
    """|backprop − numeric| for every entry of every parameter of a ``GradientCheck``, one panel
    per parameter (W[l] on top, b[l] below), all on one logarithmic colour scale."""
    names = list(check.errors)
    L = len(names) // 2
    fig = fig or plt.figure(figsize=(2.6 * L, 3.6))
    gaps = {n: np.abs(check.backprop[n] - check.numeric[n]) for n in names}
    positive = np.concatenate([g[g > 0].ravel() for g in gaps.values()])
    # exact agreement everywhere would leave nothing positive to scale: fall back to 1e-16
    low, high = (positive.min(), positive.max()) if positive.size else (1e-16, 1e-15)
    norm = LogNorm(vmin=low, vmax=max(high, 1.01 * low))
    axes = fig.subplots(2, L, squeeze=False,
                        gridspec_kw={"height_ratios": [4, 1], "hspace": 0.6})
    for i, name in enumerate(names):
        ax = axes[i % 2, i // 2]
        img = ax.imshow(np.atleast_2d(np.maximum(gaps[name], norm.vmin)), cmap="viridis",
                        norm=norm, aspect="auto")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(say("{name} {shape}\nrel. error {error:.1e}", name=name,
                         shape=check.backprop[name].shape, error=check.errors[name]), fontsize=8)
    fig.colorbar(img, ax=axes.ravel().tolist(), label=say("|backprop − numeric|"), shrink=0.8)
    return fig


def gradient_norm_bars(norms, ax=None, title=None):
    """Bars of ‖dW[l]‖ for l = 1..L on a log axis (``norms``: a sequence of L floats)."""
    ax = axes(ax, (5, 3))
    L = len(norms)
    ax.bar(np.arange(1, L + 1), norms, color="#4c72b0")
    ax.set_yscale("log")
    ax.set_ylim(1e-15, 10)
    # plain-text tick labels: mathtext ones ("$10^{-5}$") cost most of a redraw
    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_major_formatter(LogFormatter())
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xticks(np.arange(1, L + 1, 1 if L <= 12 else 2))  # every tick label costs a redraw
    ax.set_xlabel(say("layer l  (input side → output side)"))
    ax.set_ylabel("‖dW[l]‖")
    ax.set_title(title or say("gradient norm per layer"), fontsize=10)
    return ax.figure


# -- deep networks: how gradient size changes with depth -----------------------------------------
def deep_network(depth, activation, width=16, seed=0):
    """``depth`` Dense layers: depth − 1 hidden (width → width, ``activation``) and a softmax
    output with 2 classes. Weights use nnlib's default init (He for relu, Xavier otherwise)."""
    layers = [Dense(width, width, activation) for _ in range(depth - 1)]
    return Network(layers + [Dense(width, 2, "softmax")], seed=seed)


def deep_batch(width=16, m=64, seed=0):
    """A batch X (m, width) ~ N(0, 1) with random labels y (m,) in {0, 1}: at initialization
    only the sizes matter for how gradients flow, not what the data mean."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, width)), rng.integers(0, 2, m)


def layer_gradient_norms(depth, activation, width=16, m=64, seed=0):
    """[‖dW[1]‖, ..., ‖dW[depth]‖] (Frobenius norms) after one forward and backward pass of
    ``deep_network`` on ``deep_batch``."""
    net = deep_network(depth, activation, width, seed)
    X, y = deep_batch(width, m, seed)
    net.forward(X)
    net.backward(y)
    return np.array([np.linalg.norm(layer.dW) for layer in net.layers])


def vanishing_explorer(depth=10, activation="sigmoid"):
    """Depth (2–20 layers) and hidden activation → bar chart of ‖dW[l]‖ per layer, log scale.

    ``explorer.state``: {"depth", "activation", "norms"} of the current picture.
    """
    state = {}

    def draw(fig, depth, activation):
        norms = layer_gradient_norms(depth, activation)
        state.update(depth=depth, activation=activation, norms=norms)
        ratio = norms[0] / norms[-1]
        gradient_norm_bars(norms, ax=fig.add_subplot(), title=say(
            "{activation}, {depth} layers:  ‖dW[1]‖ / ‖dW[{depth}]‖ = {ratio:.1e}",
            activation=activation, depth=depth, ratio=ratio))
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.16, top=0.9)

    explorer = Explorer(draw, {
        "depth": widgets.IntSlider(value=depth, min=2, max=20, description=say("depth")),
        "activation": widgets.ToggleButtons(options=["sigmoid", "tanh", "relu"],
                                            value=activation, description=say("activation")),
    }, figsize=(6, 3.2))
    explorer.state = state
    return explorer


# -- stepping backwards through a small network --------------------------------------------------
def small_problem(m=6, seed=0):
    """The explorer's network 2 → 4 → 3 → 3 (tanh, tanh, softmax) and a batch of m samples of
    three gaussian blobs: X (m, 2), y (m,)."""
    X, y = datasets.blobs(60, centers=3, seed=seed)
    net = Network([Dense(2, 4, "tanh"), Dense(4, 3, "tanh"), Dense(3, 3, "softmax")], seed=seed)
    return net, X[:m], y[:m]


def backward_explorer(net=None, X=None, y=None):
    """Step from the output layer L down to layer 1 and see that layer's δ (m, n_l),
    dW (n_l, n_{l−1}) and db (n_l,), with the layer highlighted in the network.

    ``explorer.state``: {"layer", "delta", "dW", "db"} of the layer shown.
    """
    if net is None:
        net, X, y = small_problem()
    net.forward(X)
    net.backward(y)
    L, m = len(net.layers), len(X)
    widest = max(net.sizes)
    half = (widest - 1) / 2  # the diagram's units span −half..half
    # entries as large as fit: δ (m rows) within the diagram's height, 4 units across a slot
    cell = min(0.75, (widest + 1) / m, 4.0 / widest)
    state = {}

    def draw(fig, layer):
        lay = net.layers[layer - 1]
        state.update(layer=layer, delta=lay.delta, dW=lay.dW, db=lay.db)
        # one axes for everything: each extra axes costs a large share of the redraw budget
        ax = fig.add_axes([0, 0, 1, 0.88])
        network_diagram(net.sizes, highlight=layer, ax=ax, dx=1.4)
        # plain Unicode, not mathtext: parsing TeX would cost most of the redraw budget
        rule = "Ŷ − Y" if layer == L else f"(δ[{layer + 1}] W[{layer + 1}]) ⊙ σ′(Z[{layer}])"
        left = 1.4 * L + 1.2
        for x, name, M, formula in (
                (left, "δ", lay.delta, rule),
                (left + 4.8, "dW", lay.dW, f"(1/m) δᵀ A[{layer - 1}]"),
                (left + 9.2, "db", lay.db[None, :], "(1/m) Σᵢ δ⁽ⁱ⁾")):
            shape = lay.db.shape if name == "db" else M.shape
            _heatmap(ax, M, f"{name}[{layer}] {shape}\n= {formula}", corner=(x, half + 0.3),
                     cell=cell)
        ax.set_xlim(-0.6, left + 13.4)
        ax.set_ylim(-half - 2.0, half + 1.6)
        ax.set_aspect("equal")
        fig.suptitle(say("backward pass at layer {layer} of {L}  (batch of m = {m} samples; "
                         "colours scaled per panel)", layer=layer, L=L, m=m), fontsize=10)

    options = [(say("{l} (output)", l=l) if l == L else str(l), l) for l in range(L, 0, -1)]
    explorer = Explorer(draw, {"layer": widgets.SelectionSlider(
        options=options, value=L, description=say("layer"))}, figsize=(9, 3.2))
    explorer.state = state
    return explorer


EXPLORERS = (backward_explorer, vanishing_explorer)
