"""A live training explorer in the spirit of TensorFlow Playground (notebook 06, outline 1.6).

Pick a dataset, its noise, the hidden layers, the activation, the learning rate α and the batch
size; press play and watch the learning loop run: every tick trains a few epochs with
``nnlib.fit`` on the same network and optimizer, then redraws the decision field and the loss
curves. The ticks come from an ``ipywidgets.Play`` in the browser (its ``value`` counts up on a
timer), so no thread runs in the kernel and the notebook stays responsive between ticks.

The points are standardized with the training set's mean and std (``datasets.standardize``), so
one learning rate behaves alike on every dataset; the figures show these standardized x₁, x₂.

``show code`` (or ``Playground.code()``) writes the run as plain nnlib code — the data, the
network and every ``fit`` call the ticks made, with their α, batch size and seeds — so an
experiment can leave the widget for a cell of one's own and reproduce it number for number.
"""

import html
import time
import warnings
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.ticker import MaxNLocator

from nnlib import SGD, Dense, DivergenceWarning, Network, datasets, fit
from nnlib.language import say

from .explorer import Explorer, speaks_its_language
from .plots import CLASS_COLORS

ACTIVATIONS = ("relu", "tanh", "sigmoid")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # a log scale: ×3, ×10
BATCH_SIZES = (("1", 1), ("4", 4), ("16", 16), ("64", 64), ("all", 0))  # 0: full batch
MAX_LAYERS, MAX_WIDTH = 6, 64
GRID = 64  # the decision field is evaluated on GRID × GRID points: coarse, but fast to redraw
MAX_UPDATES = 250  # per tick: small batches train fewer epochs per tick, so a tick stays short
RISE_FACTOR = 2.0  # a whole tick with every epoch's loss above 2× the untrained loss: diverging
_WIDE = {"description_width": "72px"}


def parse_hidden(text):
    """"8,8" → [8, 8]; "" or "0" → [] (no hidden layer: a linear boundary).

    Raises ValueError with a readable reason for anything else (so the explorer can show it).
    """
    text = text.strip().strip("[]()")
    if text in ("", "0", "none"):
        return []
    try:
        widths = [int(part) for part in text.replace(" ", ",").split(",") if part]
    except ValueError:
        raise ValueError(say("hidden layers: write widths separated by commas, like 8,8; "
                             "got {text!r}", text=text)) from None
    if len(widths) > MAX_LAYERS or not all(1 <= w <= MAX_WIDTH for w in widths):
        raise ValueError(say("hidden layers: at most {layers} layers of 1 to {width} units; "
                             "got {text!r}", layers=MAX_LAYERS, width=MAX_WIDTH, text=text))
    return widths


def make_data(name, noise, n=300, seed=0):
    """``(X_train, y_train, X_test, y_test)``: 2/3 train, 1/3 test, standardized by the train set.

    ``noise`` is the std added to each coordinate; for "blobs", whose centres sit 5 apart, the
    blob std is 5 · noise so that the slider means about the same everywhere.
    """
    kwargs = {"std": 5 * noise} if name == "blobs" else {"noise": noise}
    X, y = datasets.make(name, n=n, seed=seed, **kwargs)
    X_train, y_train, X_test, y_test, _, _ = datasets.train_val_test_split(
        X, y, val=1 / 3, test=0, seed=seed)
    X_train, X_test = datasets.standardize(X_train, X_test)
    return X_train, y_train, X_test, y_test


class Tick(NamedTuple):
    """One ``fit`` call of the playground: ``epochs`` asked for, shuffled with ``seed``, at
    ``lr`` and ``batch_size`` (None: all); ``ran`` epochs (fewer if training diverged)."""

    epochs: int
    seed: int
    lr: float
    batch_size: int | None
    ran: int


def _runs_of_ticks(calls):
    """``calls`` cut into runs that one loop can repeat: the same epochs, α and batch size,
    each call running all its epochs and its seed following on from the previous one's."""
    runs = []
    for call in calls:
        last = runs[-1][-1] if runs else None
        if last and last.ran == last.epochs == call.epochs and last.lr == call.lr \
                and last.batch_size == call.batch_size and call.seed == last.seed + last.epochs:
            runs[-1].append(call)
        else:
            runs.append([call])
    return runs


class Code(str):
    """Python source as a string that a notebook shows as highlighted code, not as a quoted
    one-line repr; ``exec(code)`` runs it."""

    def _repr_markdown_(self):
        return f"```python\n{self}\n```"

    def __repr__(self):
        return str(self)


def build_network(widths, activation, k, seed=0):
    """2 → widths… → k: hidden layers with ``activation``, a softmax output, cross-entropy."""
    sizes = [2, *widths]
    layers = [Dense(n_in, n_out, activation) for n_in, n_out in zip(sizes, sizes[1:])]
    return Network(layers + [Dense(sizes[-1], k, "softmax")], loss="cross_entropy", seed=seed)


class Playground(Explorer):
    """Controls, play / step / reset, and a figure: decision field | training and test loss.

    Arguments set the controls' starting values: ``dataset`` (one of datasets.TEACHING_SETS),
    ``noise``, ``hidden`` ("8,8": two hidden layers of 8 units; "": none), ``activation``,
    ``lr`` (one of LEARNING_RATES) and ``batch_size`` (1, 4, 16, 64, or 0 / None: the whole
    training set). Each tick of the Play widget, every ``interval`` ms, trains
    ``epochs_per_tick`` epochs (fewer for small batches, see ``tick_epochs``). ``n`` points
    are drawn with ``seed``, which also seeds the network.

    State read by tests and notebooks: ``net``, ``optimizer`` (SGD), ``loss`` and ``val_loss``
    (one entry per epoch trained, on the training and the test points), ``val_accuracy``,
    ``message`` (why training paused, or "" ), ``tick_ms`` (time of each train + redraw) and
    ``calls`` (every ``fit`` call since the last reset, as ``Tick``s).
    ``step()`` trains one tick and redraws; ``reset()`` rebuilds the network
    from the controls with the same seed, so it restarts from identical weights; ``code()``
    writes the run as nnlib code, which the **show code** button shows under the figure. The
    line under the decision field names α, the batch size and the updates per epoch, so moving
    either control alone changes the picture.

    It speaks the language it was built in (``Explorer``): controls, figure, ``message`` (fit's
    own included) and the comments and printed line of ``code()``, whoever calls ``step``,
    ``train``, ``reset`` or ``code`` and from wherever.
    """

    def __init__(self, dataset="spirals", noise=0.2, hidden="8,8", activation="tanh", lr=0.3,
                 batch_size=16, epochs_per_tick=10, interval=200, n=300, seed=0):
        parse_hidden(hidden)  # a bad default is the caller's error: raise it now
        self.epochs_per_tick, self.n, self.seed = epochs_per_tick, n, seed
        self.tick_ms, self.message, self._artists = [], "", None
        self._diagnosed = False  # whether ``message`` is a diagnosis that paused training
        controls = {
            "dataset": widgets.Dropdown(options=[(say(name), name)
                                                 for name in datasets.TEACHING_SETS],
                                        value=dataset, description=say("dataset"), style=_WIDE),
            "noise": widgets.FloatSlider(value=noise, min=0.0, max=0.6, step=0.05,
                                         description=say("noise"), style=_WIDE),
            "hidden": widgets.Text(value=hidden, description=say("hidden"), style=_WIDE,
                                   placeholder=say("e.g. 8,8 (empty: none)"),
                                   continuous_update=False),
            "activation": widgets.Dropdown(options=ACTIVATIONS, value=activation,
                                           description=say("activation"), style=_WIDE),
            "lr": widgets.SelectionSlider(options=LEARNING_RATES, value=lr,
                                          description=say("lr α"), style=_WIDE),
            "batch_size": widgets.Dropdown(options=[(say(label), size)
                                                    for label, size in BATCH_SIZES],
                                           value=batch_size or 0, description=say("batch size"),
                                           style=_WIDE),
        }
        for control in controls.values():  # equal widths: two tidy rows of three
            control.layout.width = "245px"
        # Registered before Explorer's own redraw observer, so the state is new when it draws.
        for name in ("dataset", "noise"):
            controls[name].observe(self._new_data, names="value")
        for name in ("hidden", "activation"):
            controls[name].observe(self._new_network, names="value")
        controls["lr"].observe(self._new_lr, names="value")
        self.play = widgets.Play(value=0, min=0, max=10**6, interval=interval,
                                 show_repeat=False, description=say("play"))
        self.play.observe(self._on_play, names="value")
        self.step_button = widgets.Button(description=say("step"), icon="step-forward",
                                          tooltip=say("train one tick"))
        self.reset_button = widgets.Button(description=say("reset"), icon="refresh",
                                           tooltip=say("the same initial weights again"))
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.code_button = widgets.ToggleButton(description=say("show code"), icon="code",
                                                tooltip=say("this run as nnlib code, to copy"))
        self.code_view = widgets.HTML(layout={"display": "none"})
        self.code_button.observe(self._toggle_code, names="value")
        self._load_data(dataset, noise)
        self._build(hidden, activation, lr)
        super().__init__(self._draw, controls, figsize=(7.6, 3.3), dpi=80)
        c = self.controls
        self.children = [
            widgets.HBox([c["dataset"], c["noise"], c["batch_size"]]),
            widgets.HBox([c["hidden"], c["activation"], c["lr"]]),
            widgets.HBox([self.play, self.step_button, self.reset_button, self.code_button]),
            self.image,
            self.code_view,
        ]

    # -- state -----------------------------------------------------------------------------
    def _load_data(self, name, noise):
        self.dataset, self.noise = name, noise
        self.X_train, self.y_train, self.X_test, self.y_test = make_data(name, noise, self.n,
                                                                         self.seed)
        self.k = int(max(self.y_train.max(), self.y_test.max())) + 1
        both = np.vstack([self.X_train, self.X_test])
        lo, hi = both.min(axis=0) - 0.4, both.max(axis=0) + 0.4
        self.extent = (lo[0], hi[0], lo[1], hi[1])
        g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))
        self.grid = np.column_stack([g0.ravel(), g1.ravel()])

    def _build(self, hidden, activation, lr):
        try:
            widths = parse_hidden(hidden)
        except ValueError as err:  # keep the old network and say why
            self.message, self._diagnosed = str(err), False
            self.play.playing = False
            return
        self.widths, self.activation = widths, activation
        self.net = build_network(widths, activation, self.k, self.seed)
        self.calls = []  # every fit call since the build, as a Tick
        self.optimizer = SGD(lr)
        self.loss, self.val_loss, self.val_accuracy = [], [], []
        self.message, self._diagnosed = "", False
        self.start_loss = self.net.loss(self.net.forward(self.X_train), self.y_train)

    def _new_data(self, change):
        self._load_data(self.controls["dataset"].value, self.controls["noise"].value)
        self.reset(redraw=False)

    def _new_network(self, change):
        self.reset(redraw=False)

    def _new_lr(self, change):
        self.optimizer.lr = change["new"]  # keeps training where it is, like turning a knob
        if self._diagnosed:  # a new α deserves a fresh start
            self.message, self._diagnosed = "", False

    @speaks_its_language
    def reset(self, redraw=True):
        """Rebuild the network from the controls with the same seed (identical initial W, b)."""
        self.play.playing = False
        c = self.controls
        self._build(c["hidden"].value, c["activation"].value, c["lr"].value)
        if redraw:
            self.redraw()

    # -- training --------------------------------------------------------------------------
    def _on_play(self, change):
        # Play's own stop button sends value back to 0: that is not a tick.
        if change["new"] > change["old"]:
            self.step()

    @speaks_its_language
    def train(self, epochs):
        """Train ``epochs`` more epochs with nnlib.fit and append what it measured."""
        seed = self.seed + len(self.loss)  # a new, reproducible order every tick
        batch_size = self.controls["batch_size"].value or None
        with warnings.catch_warnings():
            # Reported on the figure instead: a warning would print under the widget each tick.
            warnings.simplefilter("ignore", DivergenceWarning)
            history = fit(self.net, self.X_train, self.y_train, self.optimizer, epochs=epochs,
                          batch_size=batch_size, seed=seed,
                          validation=(self.X_test, self.y_test), progress=False)
        self.calls.append(Tick(epochs, seed, self.optimizer.lr, batch_size, history.epochs))
        self.loss += history.loss
        self.val_loss += history.val_loss
        self.val_accuracy += history.val_accuracy
        diagnosis = None
        if history.stop_reason == "diverged":
            diagnosis = history.message
        elif history.loss and min(history.loss) > RISE_FACTOR * self.start_loss:
            # fit stops by itself only on a non-finite (or millionfold) loss; cross-entropy's
            # clipped log keeps a diverging loss finite, so check the trend here.
            lr = self.optimizer.lr
            diagnosis = say("the loss is rising, not falling: {now:.3g} now, {before:.3g} "
                            "before training. α = {lr:g} is too large: each step overshoots "
                            "the valley. Try α = {smaller:g}.", now=history.loss[-1],
                            before=self.start_loss, lr=lr, smaller=lr / 10)
        if diagnosis:
            self.message, self._diagnosed = diagnosis, True
            self.play.playing = False
        return history

    def updates_per_epoch(self):
        """⌈n / B⌉: the updates one epoch makes with the batch size now chosen."""
        batch = self.controls["batch_size"].value or len(self.X_train)
        return -(-len(self.X_train) // batch)

    def settings_label(self):
        """α, the batch size and the updates per epoch, as the figure shows them."""
        batch = self.controls["batch_size"].value or say("all ({n})", n=len(self.X_train))
        updates = self.updates_per_epoch()
        return say("α = {lr:g} · batch {batch} · {updates} updates per epoch" if updates > 1 else
                   "α = {lr:g} · batch {batch} · {updates} update per epoch",
                   lr=self.controls["lr"].value, batch=batch, updates=updates)

    def tick_epochs(self):
        """Epochs per tick: ``epochs_per_tick``, fewer if that would exceed MAX_UPDATES updates
        (batch size 1 on 200 points is 200 updates per epoch), but at least one."""
        return max(1, min(self.epochs_per_tick, MAX_UPDATES // self.updates_per_epoch()))

    def step(self, change=None):
        """One tick: train ``tick_epochs()`` epochs, then redraw. Records ``tick_ms``."""
        start = time.perf_counter()
        self.train(self.tick_epochs())
        self.redraw()
        self.tick_ms.append(1000 * (time.perf_counter() - start))

    # -- the run as code --------------------------------------------------------------------
    @speaks_its_language
    def code(self):
        """This run as plain nnlib code (a ``Code`` string): the data, the network, then every
        ``fit`` call the ticks made since the last reset, with their α, batch size and seed.
        Run it and it rebuilds the same weights and the same two loss curves, number for
        number; it ends with the settings the controls show now."""
        lr, batch = self.controls["lr"].value, self.controls["batch_size"].value or None
        sizes = "-".join(str(size) for size in self.net.sizes)
        act = self.activation if self.widths else "linear"
        lines = ["# " + say("The playground's run as nnlib code: the same weights, the same "
                            "loss curves."),
                 "# " + say("{dataset} (noise {noise:g}), {sizes} {activation}, α = {lr:g}, "
                            "batch {batch}, {epochs} epochs trained", dataset=self.dataset,
                            noise=self.noise, sizes=sizes, activation=act, lr=lr,
                            batch=batch or say("all"), epochs=len(self.loss)),
                 "from nnlib import SGD, Dense, Network, datasets, fit", "",
                 *self._data_code(), *self._network_code(), *self._training_code(lr, batch)]
        return Code("\n".join(lines))

    def _data_code(self):
        spread = f"std={5 * self.noise!r}" if self.dataset == "blobs" else f"noise={self.noise!r}"
        blobs = "  # " + say("the blobs' std is 5 · noise") if self.dataset == "blobs" else ""
        return [f"X, y = datasets.{self.dataset}(n={self.n}, {spread}, seed={self.seed}){blobs}",
                "X_train, y_train, X_test, y_test, _, _ = datasets.train_val_test_split(",
                f"    X, y, val=1 / 3, test=0, seed={self.seed})  # "
                + say("2/3 to train on, 1/3 to test"),
                "X_train, X_test = datasets.standardize(X_train, X_test)  # "
                + say("by the training set's mean, std")]

    def _network_code(self):
        sizes = self.net.sizes
        items = [f'Dense({a}, {b}, "{self.activation}"), ' for a, b in zip(sizes, sizes[1:-1])]
        items += [f'Dense({sizes[-2]}, {sizes[-1]}, "softmax")], ',
                  f'loss="cross_entropy", seed={self.seed})']
        lines, line = [], "net = Network(["
        for item in items:  # as many on a line as fit in 96 characters
            if len(line) + len(item.rstrip()) > 96:
                lines.append(line.rstrip())
                line = " " * len("net = Network(")
            line += item
        return lines + [line]

    def _training_code(self, lr, batch):
        """The optimizer, then one loop per run of ticks with the same settings, and a line
        wherever α or the batch size changed."""
        used = (self.calls[0].lr, self.calls[0].batch_size) if self.calls else (lr, batch)
        lines = [f"optimizer, batch_size = SGD(lr={used[0]!r}), {used[1]}  # "
                 + say("α, and the batch (None: all)"),
                 "loss, test_loss = [], []"]
        for group in _runs_of_ticks(self.calls):
            first = group[0]
            lines += _settings_change(used, (first.lr, first.batch_size), "then you moved {what}")
            used, epochs = (first.lr, first.batch_size), first.epochs
            if len(group) == 1:
                seeds = f"[{first.seed}]"
                what = say("one tick of {epochs} epoch" if epochs == 1 else
                           "one tick of {epochs} epochs", epochs=epochs)
            else:
                seeds = f"range({first.seed}, {first.seed + epochs * len(group)}, {epochs})"
                what = say("{ticks} ticks of {epochs} epoch, each shuffled with its own seed"
                           if epochs == 1 else
                           "{ticks} ticks of {epochs} epochs, each shuffled with its own seed",
                           ticks=len(group), epochs=epochs)
            lines += [f"for seed in {seeds}:  # {what}",
                      f"    history = fit(net, X_train, y_train, optimizer, epochs={epochs}, "
                      "batch_size=batch_size,",
                      "                  seed=seed, validation=(X_test, y_test), "
                      "progress=False)",
                      "    loss += history.loss",
                      "    test_loss += history.val_loss"]
        lines += _settings_change(used, (lr, batch), "not trained with yet: you moved {what}")
        # The printed sentence is an f-string of the code written out: say() leaves its {…} be.
        if not self.loss:
            return lines + ['print(f"' + say("untrained: loss {net.loss(net.forward(X_train), "
                                             "y_train):.3f}") + '")']
        return lines + ['print(f"' + say("epoch {len(loss)}: loss {loss[-1]:.3f} train, "
                                         "{test_loss[-1]:.3f} test") + '")']

    @speaks_its_language
    def _toggle_code(self, change):
        self.code_button.description = say("hide code" if change["new"] else "show code")
        self.code_view.layout.display = None if change["new"] else "none"
        self._show_code()

    def _show_code(self):
        if self.code_button.value:  # kept up to date while it is shown
            self.code_view.value = f"<pre>{html.escape(self.code())}</pre>"

    def publish(self, start):
        super().publish(start)
        self._show_code()

    # -- drawing ---------------------------------------------------------------------------
    def field(self):
        """RGB image (GRID, GRID, 3): each point's class colours mixed by the predicted Ŷ."""
        colors = np.array([to_rgb(c) for c in CLASS_COLORS[:self.k]])
        with np.errstate(all="ignore"):
            Yhat = np.nan_to_num(self.net.forward(self.grid), nan=1 / self.k)
        rgb = Yhat @ colors
        return (1 - 0.45 * (1 - rgb)).reshape(GRID, GRID, 3)  # pale, so the points stand out

    @speaks_its_language
    def redraw(self, change=None):
        """Explorer.redraw clears the figure and draws it anew (~2× slower); the playground's
        figure always has the same artists, so after the first frame it moves their data in
        place, then publishes the frame as Explorer.redraw does."""
        if self._artists is None:
            return super().redraw(change)
        start = time.perf_counter()
        self._update()
        self.publish(start)

    def _draw(self, fig, **values):
        """Create the artists on a clean ``fig`` (Explorer's first redraw), then fill them."""
        ax, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.25]})
        fig.subplots_adjust(left=0.02, right=0.98, top=0.9, wspace=0.12)
        ax.set_xticks([])
        ax.set_yticks([])
        ax_loss.set_xlabel(say("epoch"), fontsize=8, labelpad=1)
        ax_loss.tick_params(labelsize=7)
        for axis in (ax_loss.xaxis, ax_loss.yaxis):  # few tick labels: text is slow to draw
            axis.set_major_locator(MaxNLocator(4, integer=axis is ax_loss.xaxis))
        (train,) = ax_loss.plot([], [], lw=1.2, label=say("training"))
        (test,) = ax_loss.plot([], [], lw=1.2, label=say("test"))
        ax_loss.legend(frameon=False, fontsize=8, loc="lower left")  # the curves start high
        self._artists = {
            "ax": ax, "ax_loss": ax_loss, "train": train, "test": test,
            "field": ax.imshow(np.ones((GRID, GRID, 3)), origin="lower", aspect="auto"),
            "points": ax.scatter([], [], s=12, edgecolors="white", linewidths=0.3),
            "test_points": ax.scatter([], [], s=12, facecolors="none", linewidths=0.8),
            "message": fig.text(0.01, 0.015, "", color="#c0392b", fontsize=8, wrap=True),
        }
        self._update()

    def _update(self):
        art, palette = self._artists, np.array(CLASS_COLORS)
        ax, ax_loss = art["ax"], art["ax_loss"]
        art["field"].set_data(self.field())
        art["field"].set_extent(self.extent)
        art["points"].set_offsets(self.X_train)
        art["points"].set_facecolors(palette[self.y_train % len(palette)])
        art["test_points"].set_offsets(self.X_test)
        art["test_points"].set_edgecolors(palette[self.y_test % len(palette)])
        ax.set_xlim(self.extent[:2])
        ax.set_ylim(self.extent[2:])
        act = self.net.layers[0].activation if self.widths else "linear"
        ax.set_title(f"{'-'.join(str(s) for s in self.net.sizes)}, {act}", fontsize=9)
        ax.set_xlabel(self.settings_label(), fontsize=8, labelpad=3)
        epochs = np.arange(1, len(self.loss) + 1)
        art["train"].set_data(epochs, self.loss)
        art["test"].set_data(epochs, self.val_loss)
        if self.loss:
            top = max(max(self.loss), max(self.val_loss))
            ax_loss.set_xlim(0, max(len(self.loss), 10))
            ax_loss.set_ylim(0, 1.05 * top if np.isfinite(top) else 1)
            ax_loss.set_title(say("epoch {epoch}: loss {train:.3f} train, {test:.3f} test · "
                                  "test acc {accuracy:.0%}", epoch=len(self.loss),
                                  train=self.loss[-1], test=self.val_loss[-1],
                                  accuracy=self.val_accuracy[-1]), fontsize=9)
        else:
            ax_loss.set_xlim(0, 10)
            ax_loss.set_ylim(0, 1.05 * self.start_loss)
            ax_loss.set_title(say("untrained: loss {loss:.3f}; press play or step",
                                  loss=self.start_loss), fontsize=9)
        art["message"].set_text(self.message)
        ax.figure.subplots_adjust(bottom=0.22 if self.message else 0.13)  # room for the message


def _settings_change(before, after, why):
    """[the line of code that moves (α, batch size) from ``before`` to ``after``], or [];
    its comment is the template ``why`` with {what} moved."""
    moved = [(target, name, new) for target, name, old, new in
             zip(("optimizer.lr", "batch_size"), ("α", "the batch size"), before, after)
             if old != new]
    if not moved:
        return []
    targets, names, values = zip(*moved)
    names = [say(name) for name in names]
    what = names[0] if len(names) == 1 else say("{first} and {second}", first=names[0],
                                                 second=names[1])
    return [f"{', '.join(targets)} = {', '.join(map(repr, values))}  # "
            + say(why, what=what)]


def playground(**kwargs):
    """The playground with its defaults (spirals, 8,8 tanh, α = 0.3, batch 16); see Playground."""
    return Playground(**kwargs)


EXPLORERS = (playground,)
