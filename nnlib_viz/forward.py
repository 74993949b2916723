"""Figures and explorers for notebook 02, forward propagation (outline 1.2 and 2.1–2.5).

Static functions build a new figure and return it; each ``draw_*`` draws on a figure it is given,
so the same code renders a static picture and every frame of an explorer. Explorer factories
return an ``Explorer`` whose ``state`` dict holds what the last redraw computed (tests read it).
"""

import unicodedata

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from nnlib import Dense, Network
from nnlib.activations import ACTIVATIONS, softmax
from nnlib.language import say
from nnlib_viz import plots

from .explorer import Explorer

ELEMENTWISE = ("relu", "sigmoid", "tanh", "identity")
Z_RANGE = (-6.0, 6.0)
_BLUE, _ORANGE, _GREY = "#1f77b4", "#ff7f0e", "#888888"
# plain-text subscripts (x₁₂): mathtext would cost a slow first-use setup in every notebook
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _num(value, spec="g"):
    return format(value, spec).replace("-", "−")  # a typographic minus, as in the formulas


# -- one neuron --------------------------------------------------------------------------------
def neuron(x, w, b, activation="sigmoid"):
    """One neuron with numbers: inputs x (d,), weights w (d,), bias b → z = w·x + b, a = σ(z)."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    z = float(w @ x + b)
    a = float(ACTIVATIONS[activation].forward(np.array([z]))[0])
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    ys = np.linspace(0.8, -0.8, len(x)) if len(x) > 1 else np.zeros(1)
    for xj, wj, yj, j in zip(x, w, ys, range(1, len(x) + 1)):
        sub = str(j).translate(_SUB)
        ax.annotate("", xy=(2.0, 0), xytext=(0.35, yj),
                    arrowprops={"arrowstyle": "-|>", "color": _GREY, "lw": 1})
        ax.text(0, yj, f"x{sub} = {_num(xj)}", ha="center", va="center",
                bbox={"boxstyle": "round", "fc": "#eef1f5", "ec": "#333"})
        ax.text(1.0, yj * 0.6, f"w{sub} = {_num(wj)}", ha="center", va="center", fontsize=9,
                color=_BLUE, bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
    ax.add_patch(plt.Circle((2.45, 0), 0.45, fc="#ffcc33", ec="#333"))
    ax.text(2.45, 0, "Σ | σ", ha="center", va="center", fontsize=11)
    ax.text(2.45, -0.7, f"b = {_num(b)}", ha="center", fontsize=9, color=_BLUE)
    ax.annotate("", xy=(4.2, 0), xytext=(2.9, 0), arrowprops={"arrowstyle": "-|>", "lw": 1.2})
    ax.text(3.0, 0.55, f"z = w·x + b = {_num(z, '.3f')}", fontsize=10)
    ax.text(4.3, 0, f"a = σ(z) = {_num(a, '.3f')}", va="center", fontsize=10)
    ax.set_xlim(-0.5, 6.2)
    ax.set_ylim(-1.1, 1.1)
    ax.axis("off")
    ax.set_title(say("one neuron, σ = {activation}", activation=activation), fontsize=10)
    return fig


# -- shapes through a network ------------------------------------------------------------------
def layer_shapes(n, sizes, hidden="relu", output="softmax"):
    """Run a real forward pass and read the shapes: one dict per layer l = 1..L.

    ``sizes`` = [d, n_1, ..., n_L]. Keys: ``A_prev``, ``W``, ``b``, ``Z``, ``A`` (shape tuples
    of the actual arrays: A_prev (n, n_{l−1}), W (n_l, n_{l−1}), b (n_l,), Z = A (n, n_l)) and
    ``params`` = n_l (n_{l−1} + 1).
    """
    layers = [Dense(i, o, hidden) for i, o in zip(sizes[:-2], sizes[1:-1])]
    layers.append(Dense(sizes[-2], sizes[-1], output))
    net = Network(layers, loss="mse", seed=0)  # mse: any output activation is allowed
    net.forward(np.zeros((n, sizes[0])))
    return [{"layer": l, "A_prev": lay.A_prev.shape, "W": lay.W.shape, "b": lay.b.shape,
             "Z": lay.Z.shape, "A": lay.A.shape, "params": lay.W.size + lay.b.size}
            for l, lay in enumerate(net.layers, start=1)]


def _fmt(shape):
    return str(tuple(shape))  # (16,) keeps its comma: b is a vector, not a (16, 1) column


def shape_lines(n, sizes):
    """The shape table as text lines (monospace columns) and the rows it came from."""
    rows = layer_shapes(n, sizes)
    header = (say("layer"), say("input A[l-1]"), "W[l]", "b[l]", "Z[l] = A W^T + b",
              "A[l] = σ(Z)", say("params"))
    cells = [[str(r["layer"]), _fmt(r["A_prev"]), _fmt(r["W"]), _fmt(r["b"]), _fmt(r["Z"]),
              _fmt(r["A"]), str(r["params"])] for r in rows]
    cells[0][1] = "X " + cells[0][1]
    cells[-1][5] = "Ŷ " + cells[-1][5]
    total = [say("total"), "", "", "", "", "", str(sum(r["params"] for r in rows))]
    widths = [max(_columns(c[i]) for c in [header, total, *cells]) for i in range(len(header))]

    def line(cols):
        return "  ".join(" " * (w - _columns(c)) + c for c, w in zip(cols, widths))

    rule = "-" * _columns(line(header))
    return [line(header), rule, *map(line, cells), rule, line(total)], rows


def _columns(text):
    """How many monospace columns ``text`` fills: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def draw_shapes(fig, n, sizes):
    """A table with one row per layer: A[l−1], W[l], b[l], Z[l], A[l] shapes and parameters.

    Drawn as one block of monospace text: a single artist renders far faster than a table.
    """
    lines, rows = shape_lines(n, sizes)
    title = say("n = {n} samples, sizes {sizes} (hidden relu, output softmax)", n=n,
                sizes=" → ".join(map(str, sizes)))
    ax = fig.add_axes((0, 0, 1, 1))  # an empty axes: notebooks do not display axes-less figures
    ax.axis("off")
    ax.text(0.03, 0.95, "\n".join([title, "", *lines]), ha="left", va="top",
            family=plots.MONOSPACE, fontsize=9, transform=ax.transAxes)
    return rows


def shape_table(n, sizes):
    """Static version of the shape explorer for the network ``sizes`` = [d, n_1, ..., n_L]."""
    fig = plt.figure(figsize=(7.5, 0.17 * len(sizes) + 1.0))
    draw_shapes(fig, n, sizes)
    return fig


def parse_sizes(text):
    """'16, 8' → [16, 8]; raises ValueError unless every entry is a positive integer."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    sizes = [int(p) for p in parts]  # int('x') raises ValueError with a clear message
    if any(s < 1 for s in sizes):
        raise ValueError(say("layer sizes must be positive"))
    return sizes


def shape_explorer(n=64, d=2, hidden="16, 8", k=3):
    """Choose n, d, the hidden layer sizes and k classes; see every array's shape per layer."""
    state = {}

    def draw(fig, n, d, hidden, k):
        try:
            sizes = [d, *parse_sizes(hidden), k]
        except ValueError:
            state["rows"] = None
            fig.text(0.5, 0.5, say("hidden sizes {hidden!r}: write positive integers separated "
                                   "by commas, e.g. 16, 8", hidden=hidden),
                     ha="center", va="center", color="#b00")
            return
        state["sizes"] = sizes
        state["rows"] = draw_shapes(fig, n, sizes)

    style = {"description_width": "150px"}
    controls = {
        "n": widgets.IntSlider(value=n, min=1, max=256, description=say("n (samples)"),
                               style=style),
        "d": widgets.IntSlider(value=d, min=1, max=64, description=say("d (features)"),
                               style=style),
        "hidden": widgets.Text(value=hidden, description=say("hidden sizes n_1, …"),
                               style=style, continuous_update=False),
        "k": widgets.IntSlider(value=k, min=2, max=10, description=say("k (classes)"),
                               style=style),
    }
    explorer = Explorer(draw, controls, figsize=(7.5, 2.2))
    explorer.state = state
    return explorer


# -- activation functions ----------------------------------------------------------------------
def _title(ax, text):
    # A fixed y skips matplotlib's automatic title placement, a costly step of every redraw.
    ax.set_title(text, fontsize=10, y=1.0)


def draw_activation(fig, activation, z):
    """σ(z) and σ′(z) over z ∈ [−6, 6] with the point z marked; returns (σ(z), σ′(z))."""
    act = ACTIVATIONS[activation]
    grid = np.linspace(*Z_RANGE, 241)
    point = np.array([float(z)])
    a, slope = float(act.f(point)[0]), float(act.f_prime(point)[0])
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(grid, act.f(grid), color=_BLUE)
    ax2.plot(grid, act.f_prime(grid), color=_ORANGE)
    ax1.plot([z], [a], "o", color="k")
    ax2.plot([z], [slope], "o", color="k")
    # the tangent line shows that σ′ is the slope of σ at z
    ax1.plot(grid, a + slope * (grid - z), "--", color=_GREY, lw=0.8)
    bounded = activation in ("sigmoid", "tanh")
    ax1.set_ylim(-1.5, 2.0) if bounded else ax1.set_ylim(-6.5, 6.5)
    ax1.set_yticks([-1, 0, 1, 2] if bounded else [-6, -3, 0, 3, 6])
    ax2.set_ylim(-0.1, 1.15)
    ax2.set_yticks([0, 0.25, 0.5, 0.75, 1])
    _title(ax1, f"{activation}: σ({z:.2f}) = {a:.3f}")
    _title(ax2, say("derivative: σ′({z:.2f}) = {slope:.3f}", z=z, slope=slope))
    for ax in (ax1, ax2):
        ax.axhline(0, color=_GREY, lw=0.5)
        ax.set_xticks([-6, -3, 0, 3, 6])
        ax.tick_params(labelsize=8)
        ax.set_xlabel("z", labelpad=0)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.88, wspace=0.2)
    return a, slope


def activation_figure(activation="relu", z=1.0):
    """Static σ and σ′ for one activation."""
    fig = plt.figure(figsize=(7, 2.8))
    draw_activation(fig, activation, z)
    return fig


def activation_explorer(activation="sigmoid", z=2.0):
    """Pick an activation (relu, sigmoid, tanh, identity) and a point z: σ, σ′ and the tangent."""
    state = {}

    def draw(fig, activation, z):
        state["activation"], state["z"] = activation, z
        state["a"], state["slope"] = draw_activation(fig, activation, z)

    controls = {
        "activation": widgets.Dropdown(options=ELEMENTWISE, value=activation,
                                       description="σ"),
        "z": widgets.FloatSlider(value=z, min=Z_RANGE[0], max=Z_RANGE[1], step=0.1,
                                 description="z"),
    }
    explorer = Explorer(draw, controls, figsize=(7, 2.8))
    explorer.state = state
    return explorer


# -- softmax -----------------------------------------------------------------------------------
def draw_softmax(fig, logits, temperature=1.0):
    """Bars: the scores z (left) and softmax(z / T) (right); returns the probabilities (k,)."""
    z = np.asarray(logits, float)
    probs = softmax((z / temperature)[None, :])[0]
    ticks = np.arange(len(z))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.bar(ticks, z, color=_GREY)
    ax1.axhline(0, color="k", lw=0.5)
    ax1.set_ylim(-5.5, 5.5)
    ax1.set_yticks([-5, 0, 5])
    _title(ax1, say("scores (logits) z: any real numbers"))
    ax2.bar(ticks, probs, color=_BLUE)
    for c, p in enumerate(probs):
        ax2.text(c, p + 0.02, f"{p:.2f}", ha="center", fontsize=9)
    ax2.set_ylim(0, 1.1)
    ax2.set_yticks([0, 0.5, 1])
    _title(ax2, say("softmax(z / T), T = {T:g}: sum = {total:.2f}", T=temperature,
                    total=probs.sum()))
    for ax in (ax1, ax2):
        ax.set_xticks(ticks)
        ax.set_xlabel(say("class"), labelpad=0)
        ax.tick_params(labelsize=8)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.88, wspace=0.2)
    return probs


def softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0), temperature=1.0):
    """Four logit sliders and a temperature: watch softmax turn scores into probabilities."""
    state = {}

    def draw(fig, z0, z1, z2, z3, T):
        state["logits"], state["T"] = np.array([z0, z1, z2, z3]), T
        state["probs"] = draw_softmax(fig, state["logits"], T)

    controls = {f"z{c}": widgets.FloatSlider(value=v, min=-5, max=5, step=0.1,
                                             description=f"z{c}")
                for c, v in enumerate(logits)}
    controls["T"] = widgets.FloatSlider(value=temperature, min=0.2, max=5, step=0.1,
                                        description=say("T (temperature)"),
                                        style={"description_width": "110px"})
    explorer = Explorer(draw, controls, figsize=(7, 2.6))
    explorer.state = state
    return explorer


# -- untrained networks -----------------------------------------------------------------------
def untrained_regions(nets, X, y, resolution=80):
    """Side by side: the class each network predicts over the plane, under the data X (n, 2)."""
    fig, axes = plt.subplots(1, len(nets), figsize=(3.2 * len(nets), 3.3), squeeze=False)
    for ax, net in zip(axes[0], nets):
        plots.decision_regions(net, X, y, ax=ax, resolution=resolution,
                               title=say("untrained, seed {seed}", seed=net.seed))
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.9, wspace=0.25)
    return fig


EXPLORERS = (shape_explorer, activation_explorer, softmax_explorer)
