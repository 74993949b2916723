"""Notebook 01 (initialization, outline 1.1): figures and explorers.

* ``parameter_table`` / ``architecture_explorer``: the parameters W[l] (n_l, n_{l−1}) and b[l]
  (n_l,) of a network whose layer sizes you choose, and their count Σ n_l (n_{l−1} + 1).
* ``symmetry``: networks trained from zeros and from He init, with every hidden unit's line.
* ``deep_activations`` / ``activation_histograms`` / ``activations_explorer``: what the scale
  of the initial weights does to the activations of a 10-layer network.

Every number shown is computed by nnlib itself (``Network``, ``Dense``), never re-implemented.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from nnlib import Dense, Network
from nnlib.language import say
from nnlib_viz import plots

from .explorer import Explorer

WIDE = {"description_width": "initial"}  # show each control's whole label

MAX_SHOWN = 8  # units drawn per layer in the network diagram; the rest are counted in its label
DEPTH, WIDTH, SAMPLES = 10, 64, 64  # the deep network of the scale experiment
# 64·64·64 multiply-adds per layer keeps OpenBLAS on one thread (it threads above ~2.6e5): on a
# busy 2-core machine a threaded (128, 64) @ (64, 64) product took 26 ms instead of 0.015 ms.
HIST_RANGE = {"relu": (0.0, 4.0), "tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


# -- parameters and their shapes ---------------------------------------------------------------
def parse_sizes(text):
    """"4, 3" → [4, 3]: hidden layer sizes typed by a learner (empty text: no hidden layer)."""
    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise ValueError(say("hidden sizes must be whole numbers separated by commas; "
                             "got {text!r}", text=text)) from None
    if any(s < 1 for s in sizes):
        raise ValueError(say("every layer needs at least one unit; got {text!r}", text=text))
    return sizes


def build_network(sizes, seed=0):
    """A classifier with layer sizes [n_0, ..., n_L]: ReLU hidden layers, then softmax
    (sigmoid with binary cross-entropy when n_L = 1)."""
    *hidden, n_out = sizes[1:]
    layers = [Dense(n_in, n, "relu") for n_in, n in zip(sizes[:-2], hidden)]
    if n_out == 1:
        layers.append(Dense(sizes[-2], 1, "sigmoid"))
        return Network(layers, loss="binary_cross_entropy", seed=seed)
    layers.append(Dense(sizes[-2], n_out, "softmax"))
    return Network(layers, loss="cross_entropy", seed=seed)


def parameter_rows(net):
    """[(l, W shape, b shape, count)] for l = 1..L, count = W.size + b.size = n_l (n_{l−1} + 1),
    read from ``net.parameters()``."""
    params = net.parameters()
    return [(l, W.shape, b.shape, W.size + b.size)
            for l, ((_, W, _), (_, b, _)) in enumerate(zip(params[::2], params[1::2]), start=1)]


def _sub(k):
    """0 → "₀": subscripts as plain text (mathtext is slow to lay out in a redraw)."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _diagram(ax, sizes):
    """Each layer a column of units, every unit joined to every unit of the next layer:
    the lines between columns l−1 and l are the entries of W[l]."""
    columns = []
    for x, n in enumerate(sizes):
        shown = min(n, MAX_SHOWN)
        ys = np.linspace(-1, 1, shown) * min(1.0, shown / MAX_SHOWN) if shown > 1 else np.zeros(1)
        columns.append(np.column_stack([np.full(shown, x), ys]))
    edges = [(a, b) for left, right in zip(columns, columns[1:]) for a in left for b in right]
    ax.add_collection(LineCollection(edges, colors="#9aa7b8", linewidths=0.5, zorder=1))
    for x, (pts, n) in enumerate(zip(columns, sizes)):
        color = "#ffcc33" if x == 0 else ("#1f77b4" if x < len(sizes) - 1 else "#2ca02c")
        ax.scatter(pts[:, 0], pts[:, 1], s=60, color=color, edgecolor="#333", linewidth=0.6,
                   zorder=2)
        label = say("input") if x == 0 else say("layer {l}", l=x)
        more = "\n" + say("(+{count} more)", count=n - MAX_SHOWN) if n > MAX_SHOWN else ""
        ax.text(x, -1.25, f"{label}\nn{_sub(x)} = {n}{more}", ha="center", va="top", fontsize=8)
        if x:
            ax.text(x - 0.5, 1.12, f"W[{x}]", ha="center", fontsize=8, color="#555")
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-1.8, 1.25)
    ax.axis("off")


def parameter_table(sizes, fig=None, seed=0):
    """Figure: the network diagram and a table of W[l], b[l] shapes and parameter counts for
    layer sizes [n_0, ..., n_L], built with nnlib. Returns the figure."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8, 3)) if fig is None else fig
    _draw_parameter_table(fig, build_network(list(sizes), seed=seed))
    return fig


def _draw_parameter_table(fig, net):
    """Draw the diagram and table of ``parameter_table`` for ``net``; return its rows."""
    rows = parameter_rows(net)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05)
    _diagram(left, net.sizes)
    text = [[str(l), f"{W}", f"{b}", f"{W[0]}·{W[1]} + {b[0]} = {n:,}"] for l, W, b, n in rows]
    text.append([say("total"), "", "", f"{sum(r[3] for r in rows):,}"])
    table = right.table(cellText=text, colLabels=["l", say("W[l] shape"), say("b[l] shape"),
                                                  say("parameters")],
                        colWidths=[0.1, 0.26, 0.22, 0.42], loc="center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 1.25)
    right.axis("off")
    right.set_title(say("per layer: n_l · n_(l−1) weights + n_l biases"), fontsize=9)
    return rows


def architecture_explorer(n_inputs=2, hidden="4, 3", n_outputs=2):
    """Layer sizes (input slider, hidden sizes as text, output slider) → diagram and table.

    ``explorer.state`` holds what was drawn: ``sizes``, ``rows`` (see ``parameter_rows``),
    ``total`` parameters, or ``error`` (a sentence) when the text cannot be read.
    """
    state = {}

    def draw(fig, n_inputs, hidden, n_outputs):
        state.clear()
        try:
            sizes = [n_inputs, *parse_sizes(hidden), n_outputs]
            if len(sizes) > 8 or max(sizes) > 2048:
                raise ValueError(say("keep it to at most 6 hidden layers of at most 2048 "
                                     "units"))
        except ValueError as err:
            state["error"] = str(err)
            fig.text(0.5, 0.5, str(err), ha="center", va="center", wrap=True, color="#d62728")
            return
        rows = _draw_parameter_table(fig, build_network(sizes))
        state.update(sizes=sizes, rows=rows, total=sum(row[3] for row in rows))

    controls = {
        "n_inputs": widgets.IntSlider(value=n_inputs, min=1, max=16,
                                      description=say("inputs n₀"), style=WIDE),
        "hidden": widgets.Text(value=hidden, description=say("hidden sizes"), style=WIDE,
                               continuous_update=False, placeholder=say("e.g. 8, 8")),
        "n_outputs": widgets.IntSlider(value=n_outputs, min=1, max=10,
                                       description=say("outputs n_L"), style=WIDE),
    }
    explorer = Explorer(draw, controls, figsize=(8, 3))
    explorer.state = state
    return explorer


# -- symmetry: what zero initialization does ---------------------------------------------------
def distinct_units(W, tol=1e-9):
    """How many different rows W (n_units, n_in) has: identical rows are clones of one unit."""
    rows = []
    for w in W:
        if not any(np.allclose(w, r, rtol=0, atol=tol * max(1.0, np.abs(r).max())) for r in rows):
            rows.append(w)
    return len(rows)


def _unit_lines(ax, layer):
    """Draw each hidden unit's line w·x + b = 0 (where its weighted input z changes sign)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for (w1, w2), b in zip(layer.W, layer.b):
        if abs(w2) >= abs(w1) > 0 or (w1 == 0 and w2 != 0):
            xs = np.array([x0, x1])
            ax.plot(xs, -(w1 * xs + b) / w2, color="#222", linewidth=0.8, linestyle="--")
        elif w1 != 0:
            ys = np.array([y0, y1])
            ax.plot(-(w2 * ys + b) / w1, ys, color="#222", linewidth=0.8, linestyle="--")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def symmetry(nets, X, y, resolution=80):
    """Figure: for each (title → trained 2-input network) its decision regions over X (n, 2),
    y (n,), and the line w·x + b = 0 of every unit of its first layer (dashed)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(nets), figsize=(3.3 * len(nets), 3.4), squeeze=False)
    for ax, (title, net) in zip(axes[0], nets.items()):
        plots.decision_regions(net, X, y, ax=ax, resolution=resolution)
        _unit_lines(ax, net.layers[0])
        layer = net.layers[0]
        ax.set_title(say("{title}\n{distinct} distinct of {units} units · accuracy "
                         "{accuracy:.0%}", title=title, distinct=distinct_units(layer.W),
                         units=layer.n_out, accuracy=net.accuracy(X, y)), fontsize=9)
        ax.set_xlabel("$x_1$", fontsize=8)
        ax.set_ylabel("$x_2$", fontsize=8)
    fig.tight_layout()
    return fig


# -- why the scale matters ---------------------------------------------------------------------
def deep_network(activation="relu", init="he", scale=0.01, depth=DEPTH, width=WIDTH, seed=0):
    """``depth`` Dense(width → width) layers with one activation and one init scheme."""
    layers = [Dense(width, width, activation, init=init, scale=scale) for _ in range(depth)]
    return Network(layers, loss="mse", seed=seed)


def deep_activations(activation="relu", init="he", scale=0.01, depth=DEPTH, width=WIDTH,
                     n=SAMPLES, seed=0):
    """[A[1], ..., A[depth]], each (n, width): a standard-normal batch X (n, width), drawn from
    seed + 1, sent through ``deep_network``."""
    net = deep_network(activation, init, scale, depth, width, seed)
    X = np.random.default_rng(seed + 1).standard_normal((n, width))
    net.forward(X)
    return [layer.A for layer in net.layers]


def layer_stds(activation="relu", init="he", scale=0.01, **kwargs):
    """std of A[l] over all samples and units, l = 1..depth: shape (depth,)."""
    return np.array([A.std() for A in deep_activations(activation, init, scale, **kwargs)])


def _std_axis(ax, stds, label=None, **style):
    """log10 of the stds on a linear axis, ticks written as powers of ten (no mathtext: the
    log axis' tick labels tripled the redraw time)."""
    layers = np.arange(1, len(stds) + 1)
    ax.plot(layers, np.log10(np.maximum(stds, 1e-300)), marker="o", markersize=3, label=label,
            **style)
    ax.set_xlabel(say("layer l"), fontsize=8)
    ax.set_ylabel(say("std of A[l] (log scale)"), fontsize=8)
    ax.set_xticks(layers[::max(1, len(layers) // 5)])
    ax.tick_params(labelsize=7)


def _powers_of_ten(ax, low, high):
    """Fix the y range to [low, high] (log10 units) with at most 7 ticks labelled 1e±k."""
    low, high = np.floor(low), np.ceil(high)
    step = max(1, int(np.ceil((high - low) / 6)))
    ticks = np.arange(low, high + 1, step)
    ax.set_yticks(ticks, [f"1e{int(t)}" if t else "1" for t in ticks], fontsize=7)
    ax.set_ylim(low, high)


def std_per_layer(settings, ax=None):
    """Figure: std of A[l] against l, one line per {label: (activation, init, scale)}."""
    ax = plots.axes(ax, (5, 3.2))
    every = []
    for label, (activation, init, scale) in settings.items():
        every.append(np.log10(layer_stds(activation, init, scale)))
        _std_axis(ax, 10 ** every[-1], label=label)
    _powers_of_ten(ax, min(-3, np.min(every)), max(3, np.max(every)))
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.set_title(say("{depth} layers of {width} units, input std 1", depth=DEPTH, width=WIDTH),
                 fontsize=10)
    ax.figure.tight_layout()
    return ax.figure


def weight_std(init, n_in, n_out, scale=0.01):
    """The std nnlib draws W with: √(2/n_in) He, √(2/(n_in+n_out)) Xavier, ``scale`` normal."""
    return {"he": np.sqrt(2 / n_in), "xavier": np.sqrt(2 / (n_in + n_out)),
            "normal": scale, "zeros": 0.0}[init]


_SUPTITLE = {  # by init == "normal": the scale is the std of "normal" and nothing else
    True: "{activation}, init={init}: std of W = {std:.3g};  "
          "std A[{depth}] / std A[1] = {ratio:.2g}",
    False: "{activation}, init={init} (scale unused): std of W = {std:.3g};  "
           "std A[{depth}] / std A[1] = {ratio:.2g}",
}


def _draw_histograms(fig, As, activation, init, scale):
    """Draw the ridges and the std panel for A[1..DEPTH] = ``As``; return the stds (DEPTH,)."""
    stds = np.array([A.std() for A in As])
    ridges, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
    lo, hi = HIST_RANGE[activation]
    edges = np.linspace(lo, hi, 41)
    mids = (edges[:-1] + edges[1:]) / 2
    for l, A in enumerate(As, start=1):
        values = A[A > 0] if activation == "relu" else A.ravel()  # ReLU's exact zeros: a spike
        counts = np.histogram(np.clip(values, lo, hi), edges)[0].astype(float)
        base = len(As) - l
        ridges.fill_between(mids, base, base + 0.9 * counts / max(counts.max(), 1),
                            color="#1f77b4", alpha=0.6, linewidth=0)
        if activation == "relu" and np.mean(values >= hi) > 0.05:  # piled up past the range
            ridges.plot([hi], [base + 0.45], marker=">", color="#d62728", markersize=6,
                        clip_on=False)
    shown = [1, len(As) // 2, len(As)]  # a few labels: every tick label costs redraw time
    ridges.set_yticks([len(As) - l + 0.3 for l in shown], [f"A[{l}]" for l in shown], fontsize=7)
    ridges.set_xlim(lo, hi)
    ridges.set_xticks(np.linspace(lo, hi, 3))
    ridges.set_xlabel(say("activation value (> 0 only)" if activation == "relu" else
                          "activation value"), fontsize=8)
    ridges.set_title(say("histogram per layer (values beyond the range: end bins, ▶)"),
                     fontsize=8)
    _std_axis(right, stds, color="#1f77b4")
    logs = np.log10(np.maximum(stds, 1e-300))
    _powers_of_ten(right, min(-3, logs.min() - 0.5), max(3, logs.max() + 0.5))
    s = weight_std(init, WIDTH, WIDTH, scale)
    fig.suptitle(say(_SUPTITLE[init == "normal"], activation=activation, init=init, std=s,
                     depth=len(As), ratio=stds[-1] / stds[0]), fontsize=10)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.84, wspace=0.3)
    return stds


def activation_histograms(activation="relu", init="normal", scale=0.01, fig=None):
    """Figure: a histogram of A[l] for each layer l of ``deep_network`` (ridges, layer 1 on
    top; values beyond the range land in the end bins) and the std of A[l] (log scale)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(7.5, 3.6)) if fig is None else fig
    _draw_histograms(fig, deep_activations(activation, init, scale), activation, init, scale)
    return fig


def activations_explorer(activation="relu", init="normal", scale=0.1):
    """Activation × init scheme × scale (the std for init="normal") → histograms of A[1..10]
    and their stds. ``explorer.state["stds"]`` holds the stds drawn, shape (DEPTH,).

    The default, ReLU with std 0.1 (He's would be 0.18), shows the signal shrinking layer by
    layer while every histogram is still visible: the picture a static page keeps."""
    state = {}

    def draw(fig, activation, init, scale):
        As = deep_activations(activation, init, scale)
        state["stds"] = _draw_histograms(fig, As, activation, init, scale)

    controls = {
        "activation": widgets.Dropdown(options=list(HIST_RANGE), value=activation,
                                       description=say("activation"), style=WIDE),
        "init": widgets.Dropdown(options=["normal", "xavier", "he"], value=init,
                                 description=say("init"), style=WIDE),
        "scale": widgets.FloatLogSlider(value=scale, base=10, min=-3, max=1, step=0.25,
                                        description=say("scale"), style=WIDE,
                                        continuous_update=False),
    }
    explorer = Explorer(draw, controls, figsize=(7.5, 3.6))

    def only_for_normal(change):  # the scale is the std of "normal" and nothing else
        controls["scale"].disabled = change["new"] != "normal"

    controls["init"].observe(only_for_normal, names="value")
    only_for_normal({"new": init})
    explorer.state = state
    return explorer


EXPLORERS = (architecture_explorer, activations_explorer)
