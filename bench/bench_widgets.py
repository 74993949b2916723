"""Redraw times of every course explorer (``nnlib_viz.*.EXPLORERS``) as a learner moves it.

    python bench/bench_widgets.py [--repeats N] [--steps N] [--out FILE] [--profile]

Every module of ``nnlib_viz`` that has an ``EXPLORERS`` tuple is found with pkgutil (private
modules are skipped). Each factory in it is called with no arguments, the redraw its constructor
makes is discarded, and then each control is moved through several values, one after the other,
the way a learner would:

* sliders (int, float, log, selection): about 10 values evenly spread from min to max, then back
  down, then the starting value again;
* dropdowns, toggle buttons, radio buttons: every option, then the starting one again;
* check boxes: flipped and flipped back;
* text fields: a few valid layer-size lists ("8", "4, 4", "16, 8, 4") when the field holds one;
  other text fields are skipped and listed.

Each move is wrapped in try/except; controls that could not be driven are listed under the
table. The times are the explorer's own ``redraw_ms`` (wall time of clear + draw + PNG), as
recorded for those moves; the CPU time of the process per move is shown next to them, since
the machine may be shared. Explorers with a ``step()`` and ``tick_ms`` (the playground) are
also built fresh and stepped ``--steps`` times (default 30): one row for the whole tick
(training + redraw) and one for the redraw inside it.

The target is a median redraw of at most 100 ms. The Markdown report is printed on stdout (the
progress goes to stderr) and written to bench/results/widgets.md (git-ignored). ``--profile``
adds a cProfile summary of one redraw of each explorer that misses the target.
"""

import os

# Before anything imports matplotlib or loads a BLAS: no display, and one OpenBLAS thread (the
# course's matrices are small; a thread pool waiting for a busy core only adds delay).
os.environ["MPLBACKEND"] = "Agg"
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import cProfile  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import io  # noqa: E402
import pkgutil  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's nnlib, even if another one is installed

import ipywidgets as widgets  # noqa: E402
import matplotlib  # noqa: E402

import nnlib_viz  # noqa: E402

TARGET_MS = 100.0  # median redraw time per explorer
SWEEP_POINTS = 10  # values per slider sweep, min to max
TEXT_SIZES = ("8", "4, 4", "16, 8, 4")  # valid layer-size lists for a "hidden sizes" field
SIZES_TEXT = re.compile(r"^\s*(\d+\s*([,;\s]\s*\d+\s*)*)?$")  # "", "8", "16, 8", "8,8"


def log(message):
    print(message, file=sys.stderr, flush=True)


# -- discovery ---------------------------------------------------------------------------------
def discover():
    """[(module name, factory)] for every public nnlib_viz module with an EXPLORERS tuple."""
    found = []
    for info in sorted(pkgutil.iter_modules(nnlib_viz.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"nnlib_viz.{info.name}")
        factories = getattr(module, "EXPLORERS", None)
        if isinstance(factories, tuple):
            found += [(info.name, factory) for factory in factories]
    return found


# -- the values each control is moved through --------------------------------------------------
def _there_and_back(points):
    """[a, b, c] → [a, b, c, b, a]: up the range, then down again."""
    return list(points) + list(points[-2::-1])


def _dedupe(values):
    out = []
    for v in values:
        if not out or v != out[-1]:
            out.append(v)
    return out


def _numeric_sweep(control):
    """About SWEEP_POINTS values from min to max on the control's step grid, and back."""
    lo, hi, step = control.min, control.max, getattr(control, "step", None) or 0
    if isinstance(control, widgets.FloatLogSlider):  # min, max and step are exponents
        exps = np.linspace(lo, hi, SWEEP_POINTS)
        if step:
            exps = lo + np.round((exps - lo) / step) * step
        return _dedupe(_there_and_back([float(control.base ** e) for e in exps]))
    points = np.linspace(lo, hi, SWEEP_POINTS)
    if step:
        points = np.clip(lo + np.round((points - lo) / step) * step, lo, hi)
    if isinstance(control.value, int) and not isinstance(control.value, bool):
        return _dedupe(_there_and_back([int(round(p)) for p in points]))
    return _dedupe(_there_and_back([round(float(p), 10) for p in points]))


def plan(control):
    """(kind, attribute, values) to set in order; values is None when the control is skipped."""
    if hasattr(control, "options") and hasattr(control, "index"):
        if not isinstance(control.index, int):  # multiple selection: not a single-value control
            return type(control).__name__, "index", None
        n = len(control.options)
        if isinstance(control, widgets.SelectionSlider):
            picks = np.unique(np.round(np.linspace(0, n - 1, min(n, SWEEP_POINTS))).astype(int))
            return "selection slider", "index", _dedupe(_there_and_back(picks.tolist()))
        return type(control).__name__, "index", list(range(n))
    if isinstance(control.value, bool):
        return type(control).__name__, "value", [not control.value]
    if hasattr(control, "min") and hasattr(control, "max"):
        return type(control).__name__, "value", _numeric_sweep(control)
    if isinstance(control.value, str):
        if SIZES_TEXT.match(control.value):
            return "text (layer sizes)", "value", list(TEXT_SIZES)
        return "text", "value", None
    return type(control).__name__, "value", None


# -- measuring ---------------------------------------------------------------------------------
class Row:
    """One line of the report: an explorer's control moves, or a ticking explorer's steps."""

    def __init__(self, module, explorer, what="controls"):
        self.module, self.explorer, self.what = module, explorer, what
        self.ms, self.cpu_ms, self.notes = [], [], []
        self.controls = []  # (name, kind, moves, redraw ms list) for the per-control table

    def stats(self):
        """(median, p90, max, min) of the wall times in ms, or None when there are none."""
        if not self.ms:
            return None
        ms = np.asarray(self.ms)
        return float(np.median(ms)), float(np.percentile(ms, 90)), float(ms.max()), float(ms.min())

    @property
    def verdict(self):
        """PASS/MISS of the median wall time (the explorer's own ``redraw_ms``)."""
        stats = self.stats()
        if stats is None:
            return "—"
        return "PASS" if stats[0] <= TARGET_MS else "MISS"

    @property
    def cpu_verdict(self):
        """The same target on the process's CPU time per move: less disturbed by other load."""
        if not self.cpu_ms:
            return "—"
        return "PASS" if np.median(self.cpu_ms) <= TARGET_MS else "MISS"


def drive_controls(explorer, row, repeats):
    """Move every control of ``explorer`` through its plan ``repeats`` times; fill ``row``."""
    for name, control in explorer.controls.items():
        kind, attr, values = plan(control)
        if values is None:
            row.notes.append(f"`{name}` ({kind}) skipped: no values to try were inferred")
            row.controls.append((name, kind, 0, []))
            continue
        start = getattr(control, attr)
        moves, control_ms, failures = 0, [], []
        for _ in range(repeats):
            for value in [*values, start]:  # ... and back to where the control started
                if value == getattr(control, attr):
                    continue  # setting the current value sends no change: nothing to time
                before = len(explorer.redraw_ms)
                cpu = time.process_time()
                try:
                    setattr(control, attr, value)
                except Exception as err:  # keep going: report the control, time the others
                    failures.append(f"{value!r}: {type(err).__name__}: {err}")
                    continue
                finally:
                    cpu = 1000 * (time.process_time() - cpu)
                moves += 1
                new = explorer.redraw_ms[before:]
                if not new:
                    failures.append(f"{value!r}: no redraw")
                    continue
                control_ms += new
                row.cpu_ms.append(cpu)
        row.ms += control_ms
        row.controls.append((name, kind, moves, control_ms))
        if failures:
            shown = "; ".join(failures[:3]) + (f"; … ({len(failures)} in all)"
                                               if len(failures) > 3 else "")
            row.notes.append(f"`{name}` ({kind}) could not be driven for "
                             f"{len(failures)} move(s): {shown}")


def step_ticker(factory, module, steps):
    """Fresh explorer, ``steps`` calls of ``step()``: (tick row, redraw-inside-tick row)."""
    ticks = Row(module, factory.__name__, f"`step()` × {steps}: train + redraw")
    redraws = Row(module, factory.__name__, f"`step()` × {steps}: its redraw only")
    explorer = factory()
    explorer.tick_ms.clear()
    del explorer.redraw_ms[:]
    for _ in range(steps):
        cpu = time.process_time()
        try:
            explorer.step()
        except Exception as err:
            ticks.notes.append(f"`step()` failed: {type(err).__name__}: {err}")
            break
        ticks.cpu_ms.append(1000 * (time.process_time() - cpu))
    ticks.ms = list(explorer.tick_ms)
    redraws.ms = list(explorer.redraw_ms)
    if getattr(explorer, "message", ""):
        ticks.notes.append(f"message after the last step: {explorer.message!r}")
    return ticks, redraws


def measure(found, repeats, steps):
    """Time every explorer in turn; (rows, {label: factory} of those that could be built)."""
    rows, built = [], {}
    for module, factory in found:
        label = f"{module}.{factory.__name__}"
        log(f"  {label} ...")
        row = Row(module, factory.__name__)
        rows.append(row)
        gc.collect()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                explorer = factory()
            except Exception as err:
                row.notes.append(f"could not be built: {type(err).__name__}: {err}")
                log(traceback.format_exc())
                continue
            built[label] = factory
            del explorer.redraw_ms[:]  # the constructor's initial redraw is not a move
            drive_controls(explorer, row, repeats)
            if callable(getattr(explorer, "step", None)) and hasattr(explorer, "tick_ms"):
                gc.collect()
                for _ in range(repeats):
                    try:
                        ticks, redraws = step_ticker(factory, module, steps)
                    except Exception as err:  # a fresh build failed: say so, keep going
                        row.notes.append(f"step run not timed: {type(err).__name__}: {err}")
                        break
                    rows += _merge(rows, ticks) + _merge(rows, redraws)
            # Only one explorer alive at a time: a heap full of earlier figures would make the
            # garbage collector's pauses, which land inside redraws, longer than in a notebook.
            del explorer
        for text in sorted({f"{w.category.__name__}: {w.message}" for w in caught}):
            row.notes.append(f"warning while driving it: {text}")
    return rows, built


def _merge(rows, new):
    """Add ``new`` to an existing row for the same explorer and measurement, or return it."""
    for row in rows:
        if (row.module, row.explorer, row.what) == (new.module, new.explorer, new.what):
            row.ms += new.ms
            row.cpu_ms += new.cpu_ms
            row.notes += [n for n in new.notes if n not in row.notes]
            return []
    return [new]


# (label, file name ending, function name): read from the profile as cumulative times. The
# first block splits a redraw into its phases; the second names matplotlib's usual hot spots
# (they overlap: tick labels are text, for example).
PHASES = (
    ("fig.clear()", "figure.py", "clear"),
    ("savefig: render (Agg draw)", "backend_agg.py", "draw"),
    ("savefig: PNG encode (PIL)", "Image.py", "save"),
    ("savefig: total", "figure.py", "savefig"),
)
HOT_SPOTS = (
    ("axes created (Axes.__init__)", "_base.py", "__init__"),
    ("ticks created (Axis._get_tick)", "axis.py", "_get_tick"),
    ("axis drawn (Axis.draw: ticks, labels)", "axis.py", "draw"),
    ("tick locations (Axis._update_ticks)", "axis.py", "_update_ticks"),
    ("text drawn (Text.draw)", "text.py", "draw"),
    ("text measured (Text._get_layout)", "text.py", "_get_layout"),
    ("title placed (_update_title_position)", "_base.py", "_update_title_position"),
    ("fig.tight_layout()", "figure.py", "tight_layout"),
    ("legend created (Legend.__init__)", "legend.py", "__init__"),
    ("legend drawn (Legend.draw)", "legend.py", "draw"),
    ("lines drawn (Line2D.draw)", "lines.py", "draw"),
    ("collections drawn (Collection.draw)", "collections.py", "draw"),
    ("images drawn (_ImageBase.draw)", "image.py", "draw"),
)


def _cumulative(entries, file, function):
    """Cumulative seconds in ``function`` of a file ending in ``file``, outermost calls only."""
    def matches(key):
        return key[2] == function and key[0].endswith(file)
    return sum(entry[3] for key, entry in entries.items()
               if matches(key) and not any(matches(caller) for caller in entry[4]))


def _cumulative_via(entries, file, function, caller_file, caller_function):
    """Cumulative seconds in ``function`` when called directly by ``caller_function``."""
    return sum(stats[3] for key, entry in entries.items()
               if key[2] == function and key[0].endswith(file)
               for caller, stats in entry[4].items()
               if caller[2] == caller_function and caller[0].endswith(caller_file))


def _nnlib_compute(entries):
    """Cumulative seconds in nnlib's own numerics (nnlib/*.py outside nnlib/widgets)."""
    def core(key):
        path = key[0].replace(os.sep, "/")
        return "/nnlib/" in path and "/nnlib_viz/" not in path
    return sum(entry[3] for key, entry in entries.items()
               if core(key) and not any(core(caller) for caller in entry[4]))


def profile_redraw(explorer, top=10):
    """cProfile (CPU-time clock) of one ``redraw()`` with the current values, as text: the
    phases of the redraw, matplotlib's hot spots, nnlib's numerics, the top functions by
    their own time. The profiler slows Python code more than C code: read the shares."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    explorer.redraw()
    profiler.disable()
    stats = pstats.Stats(profiler)
    entries = stats.stats  # {(file, line, function): (cc, nc, tottime, cumtime, callers)}
    total = max(entry[3] for entry in entries.values())
    draw = getattr(explorer, "draw", None)
    code = getattr(draw, "__code__", None)
    rows = []
    if code is not None:
        rows.append((f"the explorer's draw ({code.co_name})",
                     _cumulative(entries, code.co_filename, code.co_name)))
    rows += [(label, _cumulative(entries, file, fn)) for label, file, fn in PHASES]
    # A figure with a layout engine (even the placeholder fig.tight_layout() leaves behind) is
    # drawn once more, without rendering, before savefig renders it.
    rows.append(("savefig: pre-draw (layout engine set)",
                 _cumulative_via(entries, "artist.py", "draw_wrapper", "backend_bases.py",
                                 "print_figure")))
    rows.append(("nnlib numerics (nnlib/*.py)", _nnlib_compute(entries)))
    rows.append(("-- hot spots (overlapping) --", None))
    rows += [(label, _cumulative(entries, file, fn)) for label, file, fn in HOT_SPOTS]
    lines = [f"one redraw: {1000 * total:.1f} ms CPU under the profiler "
             f"(its redraw_ms: {explorer.redraw_ms[-1]:.1f} ms wall)"]
    for label, seconds in rows:
        if seconds is None:
            lines.append(f"  {label}")
        elif seconds > 0:
            lines.append(f"  {label:<42} {1000 * seconds:7.1f} ms {100 * seconds / total:5.1f} %")
    out = io.StringIO()
    stats.stream = out
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    body = "\n".join(line for line in out.getvalue().splitlines()
                     if line.strip() and not line.lstrip().startswith(("Ordered by", "List")))
    return "\n".join(lines) + "\n\nby own time:\n" + body


# -- report ------------------------------------------------------------------------------------
def loadavg():
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "unavailable"


def header(args):
    return "\n".join([
        f"# Widget redraw times ({datetime.datetime.now():%Y-%m-%d %H:%M})",
        "",
        f"Python {platform.python_version()}, NumPy {np.__version__}, matplotlib "
        f"{matplotlib.__version__} (backend {matplotlib.get_backend()}), ipywidgets "
        f"{widgets.__version__}; {os.cpu_count()} CPUs, {platform.machine()}, "
        f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}.",
        f"Sweeps repeated {args.repeats}×; {args.steps} `step()` calls per repeat for "
        f"explorers that tick. Target: median redraw ≤ {TARGET_MS:g} ms.",
    ])


def table(rows):
    lines = ["| module | explorer | what | redraws | median ms | p90 ms | max ms | median ≤ 100 ms "
             "| min ms | CPU ms per move, median | CPU ≤ 100 ms |",
             "|---|---|---|---:|---:|---:|---:|---|---:|---:|---|"]
    for row in rows:
        stats = row.stats()
        median, p90, top, low = ["—"] * 4 if stats is None else [f"{s:.1f}" for s in stats]
        cpu = f"{np.median(row.cpu_ms):.1f}" if row.cpu_ms else "—"
        lines.append(f"| {row.module} | {row.explorer} | {row.what} | {len(row.ms)} | "
                     f"{median} | {p90} | {top} | {row.verdict} | {low} | {cpu} | "
                     f"{row.cpu_verdict} |")
    return "\n".join(lines)


def control_table(rows):
    lines = ["| explorer | control | kind | moves | redraws | median ms | max ms |",
             "|---|---|---|---:|---:|---:|---:|"]
    for row in rows:
        for name, kind, moves, ms in row.controls:
            med, top = (f"{np.median(ms):.1f}", f"{max(ms):.1f}") if ms else ("—", "—")
            lines.append(f"| {row.module}.{row.explorer} | `{name}` | {kind} | {moves} | "
                         f"{len(ms)} | {med} | {top} |")
    return "\n".join(lines)


def notes(rows):
    lines = [f"- {row.module}.{row.explorer}: {note}" for row in rows for note in row.notes]
    return "\n".join(lines) if lines else "- every control was driven; no warnings."


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=2,
                        help="times each control sweep (and the step run) is repeated")
    parser.add_argument("--steps", type=int, default=30, help="step() calls per ticking run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "widgets.md")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one redraw of each explorer over the target")
    args = parser.parse_args()
    if args.repeats < 1 or args.steps < 1:
        parser.error("--repeats and --steps must be at least 1")

    load_start = loadavg()
    log(f"load average at start: {load_start}")
    started = time.perf_counter()
    found = discover()
    log(f"{len(found)} explorers in {len({m for m, _ in found})} modules")
    rows, built = measure(found, args.repeats, args.steps)
    load_end = loadavg()
    log(f"load average at end: {load_end}")

    parts = [
        header(args),
        f"Load average (1, 5, 15 min): {load_start} at start, {load_end} at end; "
        f"run took {time.perf_counter() - started:.0f} s.",
        table(rows),
        "Per control (redraws caused by moving it):",
        control_table([row for row in rows if row.controls]),
        "Notes:",
        notes(rows),
    ]
    if args.profile:
        for row in rows:
            label = f"{row.module}.{row.explorer}"
            if row.what == "controls" and row.verdict == "MISS" and label in built:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    explorer = built[label]()  # fresh, at its default values
                    explorer.redraw()  # one redraw more, so the profiled one is not the first
                    text = profile_redraw(explorer).strip()
                del explorer
                gc.collect()
                parts.append(f"cProfile of one redraw of {label} (default values):\n\n```\n"
                             f"{text}\n```")
    report = "\n\n".join(parts) + "\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    log(f"written to {args.out}")


if __name__ == "__main__":
    main()
