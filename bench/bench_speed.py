"""Training throughput of nnlib against a bare NumPy loop, PyTorch CPU, scikit-learn and the
physical floor (the step's matrix products alone).

    python bench/bench_speed.py [--quick] [--repeats N] [--candidate DIR]

Every contender trains the same MLP with plain SGD (fixed learning rate, no momentum, no weight
decay) on the same fixed-order mini-batches, in float32, on one BLAS thread, from the same
initial weights. Contenders run interleaved (A, B, C, D, A, B, C, D, ...) so that load from
other work on the machine hits them all alike; each is warmed up once before timing and the
median over the repeats is reported, in wall-clock time (time.perf_counter) and in CPU time of
the process (time.process_time; less disturbed when other work shares the cores). The learner's
own loop and its peer, which differ by a few per cent, are timed epoch by epoch, alternating
(PAIRED), and compared by their median epoch. The Markdown report is printed and written to
bench/results/speed.md. ``--candidate DIR`` adds a second copy of the nnlib package (e.g. a
patched one) as an extra contender, to measure a change to nnlib interleaved with the current
one. See bench/README.md.
"""

import os

# One BLAS / OpenMP thread for every contender. This must happen before NumPy (or anything that
# loads a BLAS) is imported: OpenBLAS and MKL read these variables when they load.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import importlib.util  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # use this checkout's nnlib even if another one is installed

import nnlib  # noqa: E402

try:
    if os.environ.get("BENCH_WITHOUT_TORCH"):  # bench_instructions.py's measured runs
        raise ImportError
    import torch
except ImportError:  # PyTorch is optional: its column is skipped
    torch = None

try:
    import threadpoolctl
except ImportError:
    threadpoolctl = None

DTYPE = np.float32
FIT, PUBLIC, BARE, FLOOR = "nnlib fit", "nnlib public API", "bare NumPy", "matmul floor"
# The bare loop without the per-batch loss: a learner's loop of forward, backward and step.
BARE_STEPS = "bare NumPy, no loss"
# (label, numerator, denominator, {workload: target}, at_least): time ratios, verdicts on the
# targets of the issue; a workload without a target is reported only. "{lib}" is nnlib's fit
# (and a --candidate copy of it).
COMPARISONS = (
    ("{lib} speedup vs PyTorch (torch time / {lib} time)", "PyTorch", "{lib}",
     {"digits": 2.5, "random": 0.95}, True),
    ("{lib} speedup vs scikit-learn (sklearn time / {lib} time)", "scikit-learn", "{lib}", {},
     True),
    ("{lib} time / bare NumPy time", "{lib}", BARE, {}, False),
    ("share of {lib}'s step in matrix products (floor time / {lib} time)", FLOOR, "{lib}",
     {"random": 0.75}, True),
)
PUBLIC_COMPARISONS = (  # the learner's own loop of forward, backward and step
    (f"{PUBLIC} time / {BARE_STEPS} time", PUBLIC, BARE_STEPS, {"digits": 1.10}, False),
    (f"{PUBLIC} speedup vs PyTorch (torch time / {PUBLIC} time)", "PyTorch", PUBLIC, {}, True),
    (f"share of {PUBLIC}'s step in matrix products (floor time / {PUBLIC} time)", FLOOR, PUBLIC,
     {}, True),
)


# -- workloads ---------------------------------------------------------------------------------
class Workload:
    def __init__(self, key, title, X, y, sizes, batch, lr, epochs, warm_n):
        self.key, self.title, self.X, self.y = key, title, X, y
        self.sizes, self.batch, self.lr, self.epochs = sizes, batch, lr, epochs
        self.warm_n = warm_n  # samples used for the single untimed warm-up run (one epoch)

    @property
    def n(self):
        return len(self.X)

    def describe(self):
        arch = "-".join(map(str, self.sizes))
        return (f"{arch}, {self.n} samples, batch {self.batch}, {self.epochs} epoch(s), "
                f"SGD lr={self.lr}")


def digits_workload(epochs):
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.data / 16).astype(DTYPE)
    y = digits.target.astype(np.int64)
    return Workload("digits", "Workload 1: load_digits, 64-128-10", X, y, [64, 128, 10],
                    batch=64, lr=0.1, epochs=epochs, warm_n=len(X))


def random_workload(n):
    rng = np.random.default_rng(1234)
    X = rng.standard_normal((n, 784), dtype=DTYPE)
    y = rng.integers(0, 10, size=n).astype(np.int64)
    return Workload("random", "Workload 2: random data, 784-256-256-10", X, y,
                    [784, 256, 256, 10], batch=128, lr=0.01, epochs=1, warm_n=20 * 128)


def initial_params(sizes, seed=0):
    """He-normal W (n_out, n_in) and zero b, float32: the one starting point for everybody."""
    rng = np.random.default_rng(seed)
    return [((rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(DTYPE),
             np.zeros(n_out, DTYPE))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


# -- contenders --------------------------------------------------------------------------------
# Each contender is built (untimed) from the data and the initial weights; ``run()`` is the timed
# training; ``predict(X)`` and ``weights()`` are for the sanity checks afterwards.
class NnlibContender:
    """``nnlib.fit``, called the way a learner calls it."""

    name = FIT
    lib = nnlib

    def __init__(self, wl, X, y, params, epochs):
        sizes, lib = wl.sizes, self.lib
        layers = [lib.Dense(a, b, "relu") for a, b in zip(sizes[:-2], sizes[1:-1])]
        layers.append(lib.Dense(sizes[-2], sizes[-1], "softmax"))
        self.net = lib.Network(layers, dtype=DTYPE)
        for layer, (W, b) in zip(self.net.layers, params):
            layer.W[...], layer.b[...] = W, b
        self.wl, self.X, self.y, self.epochs = wl, X, y, epochs

    def run(self):
        wl, lib = self.wl, self.lib
        history = lib.fit(self.net, self.X, self.y, optimizer=lib.SGD(wl.lr),
                            epochs=self.epochs, batch_size=wl.batch, shuffle=False,
                            progress=False)
        if history.stop_reason != "max_epochs" or history.epochs != self.epochs:
            raise RuntimeError(f"{self.name} stopped early: {history.message}")

    def predict(self, X):
        return self.net.predict(X)

    def weights(self):
        return [(layer.W, layer.b) for layer in self.net.layers]


class PublicApiContender(NnlibContender):
    """A learner's own loop (notebooks 04–05): net.forward(X), net.backward(y), opt.step(net),
    every call checking its input and turning labels into one-hot rows, on the same fixed-order
    batches as the bare loop. Its peer is the bare loop without the loss (BARE_STEPS); the two
    are timed epoch by epoch, alternating (see ``timed_epoch_by_epoch``)."""

    name = PUBLIC

    def run(self):
        for _ in self.epoch_by_epoch():
            pass

    def epoch_by_epoch(self):
        """The training, one epoch per ``next()``."""
        net, optimizer, B = self.net, self.lib.SGD(self.wl.lr), self.wl.batch
        for _ in range(self.epochs):
            for i in range(0, len(self.X), B):
                net.forward(self.X[i:i + B])
                net.backward(self.y[i:i + B])
                optimizer.step(net)
            yield


class FloorContender:
    """The physical floor: per batch, only the step's matrix products, with the shapes and
    transposes nnlib and the bare loop use — forward A Wᵀ, backward δᵀ A_prev and δ W (none for
    the first layer) — and no element-wise work at all."""

    name = FLOOR

    def __init__(self, wl, X, y, params, epochs):
        self.Ws = [W for W, _ in params]
        self.wl, self.X, self.epochs = wl, X, epochs

    def run(self):
        Ws, B, X = self.Ws, self.wl.batch, self.X
        for _ in range(self.epochs):
            for i in range(0, len(X), B):
                As = [X[i:i + B]]
                for W in Ws:
                    As.append(As[-1] @ W.T)
                delta = As[-1]
                for l in range(len(Ws) - 1, -1, -1):
                    _ = delta.T @ As[l]
                    if l > 0:
                        delta = delta @ Ws[l]

    predict = weights = None  # it trains nothing: no sanity columns


def bare_numpy_train(params, X, y, lr, epochs, batch, record_loss=True):
    """Plain mini-batch SGD for a relu MLP with a softmax + cross-entropy output, in place;
    with ``record_loss`` it also computes each batch's loss, as fit does. A generator: each
    ``next()`` trains one epoch and gives its mean loss (0 without ``record_loss``)."""
    n, L = len(X), len(params)
    k = params[-1][0].shape[0]
    Y = np.eye(k, dtype=X.dtype)[y]
    tiny = np.finfo(X.dtype).tiny
    for _ in range(epochs):
        total = 0.0
        for i in range(0, n, batch):
            Xb, Yb = X[i:i + batch], Y[i:i + batch]
            m = len(Xb)
            A, As, Zs = Xb, [Xb], []
            for l, (W, b) in enumerate(params):
                Z = A @ W.T + b
                if l < L - 1:
                    A = np.maximum(Z, 0)
                else:
                    E = np.exp(Z - Z.max(axis=1, keepdims=True))
                    A = E / E.sum(axis=1, keepdims=True)
                Zs.append(Z)
                As.append(A)
            if record_loss:
                total += float(-np.sum(Yb * np.log(np.maximum(A, tiny))) / m) * m
            delta = A - Yb
            for l in range(L - 1, -1, -1):
                W, b = params[l]
                dW = delta.T @ As[l] / m
                db = delta.sum(axis=0) / m
                if l > 0:  # nobody needs dA for the first layer
                    delta = (delta @ W) * (Zs[l - 1] > 0)
                W -= lr * dW
                b -= lr * db
        yield total / n


def bare_numpy_predict(params, X):
    A = X
    for W, b in params[:-1]:
        A = np.maximum(A @ W.T + b, 0)
    W, b = params[-1]
    return (A @ W.T + b).argmax(axis=1)


class BareContender:
    name = BARE
    record_loss = True

    def __init__(self, wl, X, y, params, epochs):
        self.params = [(W.copy(), b.copy()) for W, b in params]
        self.wl, self.X, self.y, self.epochs = wl, X, y, epochs

    def run(self):
        for _ in self.epoch_by_epoch():
            pass

    def epoch_by_epoch(self):
        """The training, one epoch per ``next()``."""
        return bare_numpy_train(self.params, self.X, self.y, self.wl.lr, self.epochs,
                                self.wl.batch, self.record_loss)

    def predict(self, X):
        return bare_numpy_predict(self.params, X)

    def weights(self):
        return self.params


class BareStepsContender(BareContender):
    """The bare loop doing only what a learner's loop asks for: forward, backward, update."""

    name = BARE_STEPS
    record_loss = False


class TorchContender:
    name = "PyTorch"
    _batches = {}  # (workload, n) -> precomputed (X_b, y_b) tensors, built once, untimed

    def __init__(self, wl, X, y, params, epochs):
        nn = torch.nn
        mods = []
        for l, (W, b) in enumerate(params):
            lin = nn.Linear(W.shape[1], W.shape[0])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(W))
                lin.bias.copy_(torch.from_numpy(b))
            mods.append(lin)
            if l < len(params) - 1:
                mods.append(nn.ReLU())
        self.model = nn.Sequential(*mods)
        key = (wl.key, len(X))
        if key not in self._batches:
            Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
            self._batches[key] = [(Xt[i:i + wl.batch], yt[i:i + wl.batch])
                                  for i in range(0, len(X), wl.batch)]
        self.batches, self.wl, self.epochs = self._batches[key], wl, epochs

    def run(self):
        model, batches = self.model, self.batches
        optimizer = torch.optim.SGD(model.parameters(), lr=self.wl.lr, momentum=0.0)
        criterion = torch.nn.CrossEntropyLoss()
        for _ in range(self.epochs):
            total = 0.0
            for xb, yb in batches:
                optimizer.zero_grad()
                loss = criterion(model(xb), yb)
                loss.backward()
                optimizer.step()
                total += loss.item() * len(xb)

    def predict(self, X):
        with torch.no_grad():
            return self.model(torch.from_numpy(X)).argmax(dim=1).numpy()

    def weights(self):
        lins = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        return [(m.weight.detach().numpy(), m.bias.detach().numpy()) for m in lins]


class SklearnContender:
    name = "scikit-learn"

    def __init__(self, wl, X, y, params, epochs):
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        self.quiet = ConvergenceWarning
        self.clf = MLPClassifier(
            hidden_layer_sizes=tuple(wl.sizes[1:-1]), activation="relu", solver="sgd",
            momentum=0.0, nesterovs_momentum=False, learning_rate="constant",
            learning_rate_init=wl.lr, batch_size=wl.batch, max_iter=1, shuffle=False,
            alpha=0.0, tol=0.0, n_iter_no_change=10**9, early_stopping=False, random_state=0,
            warm_start=True,
        )
        # scikit-learn has no public way to pass initial weights: fit one epoch on a few samples
        # (untimed) to build the model, then overwrite coefs_/intercepts_ with ours; warm_start
        # makes the timed fit() start from them. Its layout is W transposed: (n_in, n_out).
        n0 = min(len(X), 300)
        if len(np.unique(y[:n0])) != wl.sizes[-1]:
            raise RuntimeError("the first samples must contain every class")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", self.quiet)
            self.clf.fit(X[:n0], y[:n0])
        self.clf.coefs_ = [np.ascontiguousarray(W.T) for W, _ in params]
        self.clf.intercepts_ = [b.copy() for _, b in params]
        self.clf.set_params(max_iter=epochs)
        self.X, self.y, self.epochs = X, y, epochs

    def run(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", self.quiet)
            self.clf.fit(self.X, self.y)
        if self.clf.n_iter_ != self.epochs:  # n_iter_ counts this fit() call only
            raise RuntimeError(f"scikit-learn ran {self.clf.n_iter_} epochs, not {self.epochs}")

    def predict(self, X):
        return self.clf.predict(X)

    def weights(self):
        return [(W.T, b) for W, b in zip(self.clf.coefs_, self.clf.intercepts_)]


def load_candidate(path):
    """Import the nnlib package in directory ``path`` under the name ``nnlib_candidate``."""
    path = Path(path).resolve()
    if not (path / "__init__.py").is_file():
        raise SystemExit(f"--candidate {path}: not a package directory (no __init__.py)")
    spec = importlib.util.spec_from_file_location(
        "nnlib_candidate", path / "__init__.py", submodule_search_locations=[str(path)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)

    class CandidateContender(NnlibContender):
        name = "nnlib candidate"
        lib = module

    CandidateContender.path = path
    return CandidateContender


def contenders(candidate=None):
    found = [NnlibContender, PublicApiContender, BareContender, BareStepsContender,
             FloorContender]
    if candidate is not None:
        found.append(candidate)
    if torch is not None:
        found.append(TorchContender)
    found.append(SklearnContender)
    return found


# -- timing ------------------------------------------------------------------------------------
# The public-API target compares two loops that differ by a few per cent, less than a burst of
# load from other work on the machine changes a 0.1 s run. So these two are timed epoch by
# epoch, alternating, and compared by their median epoch: a burst then hits both alike.
PAIRED = (PUBLIC, BARE_STEPS)


def timing_units(kinds):
    """The contenders as the units of one round: each alone, the PAIRED ones together."""
    units = []
    for kind in kinds:
        if kind.name not in PAIRED:
            units.append([kind])
        elif not any(k.name in PAIRED for unit in units for k in unit):
            units.append([k for k in kinds if k.name in PAIRED])
    return units


def timed_epoch_by_epoch(contenders, epochs, start=0):
    """{name: ([wall s], [CPU s]) per epoch}, the contenders' epochs alternating: A B, then B A
    (B A first when ``start`` is odd), so that neither always runs right after the other."""
    runs = {c.name: c.epoch_by_epoch() for c in contenders}
    times = {name: ([], []) for name in runs}
    for e in range(epochs):
        for name in (list(runs) if (start + e) % 2 == 0 else list(runs)[::-1]):
            t0, c0 = time.perf_counter(), time.process_time()
            next(runs[name])
            times[name][0].append(time.perf_counter() - t0)
            times[name][1].append(time.process_time() - c0)
    return times


def bench(wl, kinds, repeats, log):
    """Wall and CPU seconds of each contender per round, the PAIRED ones' seconds per epoch, and
    each one's last trained model."""
    params = initial_params(wl.sizes)
    for kind in kinds:  # warm-up: one untimed epoch on wl.warm_n samples
        kind(wl, wl.X[:wl.warm_n], wl.y[:wl.warm_n], params, 1).run()
    wall = {kind.name: [] for kind in kinds}
    cpu = {kind.name: [] for kind in kinds}
    per_epoch = {kind.name: ([], []) for kind in kinds if kind.name in PAIRED}
    last = {}
    for r in range(repeats):
        for unit in timing_units(kinds):  # interleaved: A, B, C, D, A, B, C, D, ...
            built = [kind(wl, wl.X, wl.y, params, wl.epochs) for kind in unit]  # untimed
            gc.collect()
            if len(built) == 1:
                t0, c0 = time.perf_counter(), time.process_time()
                built[0].run()
                times = {built[0].name: ([time.perf_counter() - t0], [time.process_time() - c0])}
            else:
                times = timed_epoch_by_epoch(built, wl.epochs, start=r)
            for c in built:
                walls, cpus = times[c.name]
                wall[c.name].append(sum(walls))
                cpu[c.name].append(sum(cpus))
                if c.name in per_epoch:
                    per_epoch[c.name][0].extend(walls)
                    per_epoch[c.name][1].extend(cpus)
                last[c.name] = c
        log(f"  round {r + 1}/{repeats}: "
            + ", ".join(f"{name} {ts[-1]:.3f} s" for name, ts in wall.items()))
    return wall, cpu, per_epoch, last


def median(xs):
    return statistics.median(xs)


def report_workload(wl, wall, cpu, per_epoch, last, load):
    """The workload's tables and verdicts, and each contender's median seconds for the README.

    For the PAIRED contenders the medians are the median epoch × the number of epochs, and their
    comparison's "per-round ratios" are per-epoch ratios."""
    samples = wl.n * wl.epochs
    med = {name: median(ts) for name, ts in wall.items()}
    cmed = {name: median(ts) for name, ts in cpu.items()}
    for name, (walls, cpus) in per_epoch.items():
        med[name], cmed[name] = median(walls) * wl.epochs, median(cpus) * wl.epochs
    ref_weights = last[FIT].weights()
    lines = [f"### {wl.title}", "",
             f"{wl.describe()}; load average {load[0]:.2f} before, {load[1]:.2f} after.", "",
             "| contender | samples/s | median wall s | min–max wall s | median CPU s "
             "| train accuracy | max abs weight diff vs nnlib |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, ts in wall.items():
        c, acc, diff = last[name], "—", "—"
        if c.weights is not None:
            acc = f"{float(np.mean(c.predict(wl.X) == wl.y)):.4f}"
            diff = f"{max(float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) for pa, pb in zip(c.weights(), ref_weights) for a, b in zip(pa, pb)):.2g}"  # noqa: E501
        lines.append(f"| {name} | {samples / med[name]:,.0f} | {med[name]:.4f} | "
                     f"{min(ts):.4f}–{max(ts):.4f} | {cmed[name]:.4f} | {acc} | {diff} |")
    if per_epoch:
        n_epochs = len(next(iter(per_epoch.values()))[0])
        lines += ["", f"{' and '.join(per_epoch)} were timed epoch by epoch, alternating "
                  f"({n_epochs} epochs each); their medians are the median epoch × {wl.epochs}."]

    lines += ["", "| comparison | wall: ratio of medians | wall: median of per-round ratios "
              "| CPU: ratio of medians | target | result (wall) | result (CPU) |",
              "|---|---:|---:|---:|---:|---|---|"]
    verdicts = {}

    def row(label, num, den, target=None, at_least=True):
        ratio, cratio = med[num] / med[den], cmed[num] / cmed[den]
        pairs = (zip(per_epoch[num][0], per_epoch[den][0])
                 if num in per_epoch and den in per_epoch else zip(wall[num], wall[den]))
        paired = median([a / b for a, b in pairs])
        def verdict(x):
            if target is None:
                return ""
            return "PASS" if (x >= target if at_least else x <= target) else "MISS"

        goal = "—" if target is None else f"{'≥' if at_least else '≤'} {target:g}×"
        lines.append(f"| {label} | {ratio:.2f}× | {paired:.2f}× | {cratio:.2f}× | {goal} | "
                     f"{verdict(ratio)} | {verdict(cratio)} |")
        return f"{verdict(ratio)} (wall {ratio:.2f}×; CPU {cratio:.2f}× {verdict(cratio)})"

    fits = [name for name in wall if name.startswith("nnlib") and name != PUBLIC]
    rows = [(label.format(lib=lib), num.format(lib=lib), den.format(lib=lib), targets, at_least)
            for lib in fits for label, num, den, targets, at_least in COMPARISONS]
    for label, num, den, targets, at_least in rows + list(PUBLIC_COMPARISONS):
        if num in med and den in med:
            text = row(label, num, den, targets.get(wl.key), at_least)
            if wl.key in targets:
                verdicts[label.split(" (")[0]] = text
    return lines, verdicts, med


# -- the README's table ------------------------------------------------------------------------
README, BENCH_README = ROOT / "README.md", ROOT / "bench" / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
# (column, how it is computed from the medians of one workload): throughputs, then ratios
README_COLUMNS = (
    ("nnlib fit", lambda m, n: f"{n / m[FIT] / 1e3:,.0f}k"),
    ("nnlib public API", lambda m, n: f"{n / m[PUBLIC] / 1e3:,.0f}k"),
    ("bare NumPy", lambda m, n: f"{n / m[BARE] / 1e3:,.0f}k"),
    ("PyTorch CPU", lambda m, n: f"{n / m['PyTorch'] / 1e3:,.0f}k" if "PyTorch" in m else "—"),
    ("scikit-learn", lambda m, n: f"{n / m['scikit-learn'] / 1e3:,.0f}k"),
    ("fit vs PyTorch", lambda m, n: f"{m['PyTorch'] / m[FIT]:.2f}× faster" if "PyTorch" in m
     else "—"),
    ("public API / bare loop", lambda m, n: f"{m[PUBLIC] / m[BARE_STEPS]:.2f}×"),
    ("fit's time in matrix products", lambda m, n: f"{m[FLOOR] / m[FIT]:.0%}"),
)


def readme_block(results, command, date):
    """The Markdown between the README's bench markers, from ``[(workload, medians)]``."""
    lines = [f"Training throughput in samples/s, float32, one BLAS thread, plain SGD, fixed-order "
             f"mini-batches, all contenders interleaved in one run of `{command}` ({date}; "
             f"details, caveats and the targets in [bench/README.md](bench/README.md)):", "",
             "| workload | " + " | ".join(c for c, _ in README_COLUMNS) + " |",
             "|---|" + "---:|" * len(README_COLUMNS)]
    for wl, med in results:
        cells = [f(med, wl.n * wl.epochs) for _, f in README_COLUMNS]
        lines.append(f"| {wl.title.split(': ', 1)[-1]}, batch {wl.batch} | " + " | ".join(cells)
                     + " |")
    lines += ["", "\"public API\" is a learner's own loop of `net.forward`, `net.backward` and "
              "`opt.step`, next to the same bare NumPy loop without the per-batch loss (the two "
              "timed epoch by epoch, alternating); \"matrix products\" is the time of the step's "
              "matrix products alone divided by `fit`'s."]
    return "\n".join(lines)


def write_readme(block, path):
    text = path.read_text(encoding="utf-8")
    head, start, rest = text.partition(README_START)
    _, end, tail = rest.partition(README_END)
    if not (start and end):
        raise SystemExit(f"{path} lacks the markers {README_START} … {README_END}")
    path.write_text(f"{head}{start}\n{block}\n{end}{tail}", encoding="utf-8")


# -- environment -------------------------------------------------------------------------------
def environment(args):
    def ver(mod):
        return getattr(mod, "__version__", "?")

    import sklearn

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    env_vars = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    lines = [
        f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"- command: `{' '.join([Path(sys.executable).name] + sys.argv)}`"
        f" ({'quick' if args.quick else 'full'}, {args.repeats} repeats, interleaved, median)",
        f"- CPU: {cpu}, {os.cpu_count()} logical CPUs; load average at start: "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"- Python {platform.python_version()}, NumPy {np.__version__}, scikit-learn "
        f"{ver(sklearn)}, PyTorch {ver(torch) if torch else 'not installed (skipped)'}, "
        f"nnlib {nnlib.__version__}",
        "- environment: " + ", ".join(f"{v}={os.environ.get(v, '(unset)')}" for v in env_vars),
    ]
    if threadpoolctl is not None:
        for info in threadpoolctl.threadpool_info():
            where = Path(info.get("filepath", "?")).name
            kernel = f", kernel {info['architecture']}" if info.get("architecture") else ""
            lines.append(f"- threadpoolctl: {info.get('internal_api')} {info.get('version')} "
                         f"({where}){kernel}, {info.get('num_threads')} thread(s)")
    else:
        lines.append("- threadpoolctl: not installed, thread counts not verified")
    if torch is not None:
        found = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
        blas = found.group(1) if found else "?"
        cap = torch.backends.cpu.get_cpu_capability()
        lines.append(f"- PyTorch: {torch.get_num_threads()} intra-op thread(s), BLAS {blas}, "
                     f"CPU capability {cap}, oneDNN available "
                     f"{torch.backends.mkldnn.is_available()}")
    return lines


def blas_warnings():
    out = []
    if threadpoolctl is not None:
        busy = [i for i in threadpoolctl.threadpool_info() if i.get("num_threads") != 1]
        for info in busy:
            out.append(f"WARNING: {info.get('internal_api')} ({Path(info['filepath']).name}) "
                       f"runs {info.get('num_threads')} threads, not 1")
    if torch is not None and torch.get_num_threads() != 1:
        out.append(f"WARNING: PyTorch runs {torch.get_num_threads()} threads, not 1")
    coretype, l2 = os.environ.get("OPENBLAS_CORETYPE"), os.environ.get("OPENBLAS_L2_SIZE")
    if coretype or l2:
        out.append("NOTE: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; they change which OpenBLAS "
                   "kernel runs. To benchmark the default kernel unset both together: "
                   "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_speed.py")
    return out


# -- main --------------------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer epochs, samples and repeats (about 20 s)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed rounds per workload (default 7, --quick 3)")
    parser.add_argument("--candidate", type=Path, metavar="DIR",
                        help="also time the nnlib package in DIR (e.g. a patched copy)")
    parser.add_argument("--readme", action="store_true",
                        help="also rewrite the speed table in README.md from this run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "speed.md",
                        help="where to write the Markdown report")
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 3 if args.quick else 7
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if torch is not None:
        torch.set_num_threads(1)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    candidate = load_candidate(args.candidate) if args.candidate else None
    kinds = contenders(candidate)
    env_lines = environment(args)
    if candidate is not None:
        env_lines.append(f"- nnlib candidate: {candidate.path}")
    env_lines += [f"- {note}" for note in blas_warnings()]
    for line in env_lines:
        log(line)
    workloads = [digits_workload(epochs=20 if args.quick else 50),
                 random_workload(n=20_000 if args.quick else 60_000)]
    start = time.perf_counter()
    body, summary, results = [], [], []
    for wl in workloads:
        log(f"{wl.title}: {wl.describe()}")
        load_before = os.getloadavg()[0]
        wall, cpu, per_epoch, last = bench(wl, kinds, args.repeats, log)
        lines, verdicts, med = report_workload(wl, wall, cpu, per_epoch, last,
                                               (load_before, os.getloadavg()[0]))
        results.append((wl, med))
        body += lines + [""]
        summary += [f"- {wl.title}: {k}: {v}" for k, v in verdicts.items()]
    elapsed = time.perf_counter() - start
    report = (["## nnlib training speed", ""] + env_lines
              + ["- load average at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg())
                 + f"; benchmark time {elapsed:.0f} s", ""]
              + body + ["Targets (verdict on wall-clock medians; CPU time in brackets):", ""]
              + summary)
    text = "\n".join(report) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    log(f"written to {args.out}")
    if args.readme:
        command = "python bench/bench_speed.py " + " ".join(argv if argv is not None
                                                             else sys.argv[1:])
        table = readme_block(results, command.strip(), time.strftime("%Y-%m-%d"))
        write_readme(table, README)
        targets = ["The targets, verdicts on the wall-clock medians of that run (CPU time in "
                   "brackets):", ""] + summary
        write_readme(table + "\n\n" + "\n".join(targets), BENCH_README)
        log(f"speed tables written to {README} and {BENCH_README}")


if __name__ == "__main__":
    main()
