"""The speed tables in the READMEs are the benchmark's own output, written between markers."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_speed():
    spec = importlib.util.spec_from_file_location("bench_speed", ROOT / "bench" / "bench_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def block(path, bench):
    text = path.read_text(encoding="utf-8")
    assert text.count(bench.README_START) == text.count(bench.README_END) == 1, path
    return text.split(bench.README_START)[1].split(bench.README_END)[0]


def test_readme_tables_were_written_by_the_current_benchmark():
    bench = bench_speed()
    header = "| workload | " + " | ".join(c for c, _ in bench.README_COLUMNS) + " |"
    for path in (bench.README, bench.BENCH_README):
        table = block(path, bench)
        assert header in table, f"{path.name}: regenerate with bench/bench_speed.py --readme"
        rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
        assert len(rows) == 3, rows  # the header and one row per workload
        assert re.search(r"`python bench/bench_speed.py [^`]*`", table)
    assert re.search(r"\b(PASS|MISS)\b", block(bench.BENCH_README, bench)), "no verdicts"


def test_write_readme_replaces_only_the_block(tmp_path):
    bench = bench_speed()
    page = tmp_path / "README.md"
    page.write_text(f"before\n{bench.README_START}\nold table\n{bench.README_END}\nafter\n",
                    encoding="utf-8")
    bench.write_readme("new table", page)
    assert page.read_text(encoding="utf-8") == (
        f"before\n{bench.README_START}\nnew table\n{bench.README_END}\nafter\n")


class Recorder:
    """A contender that notes when each of its epochs runs."""

    def __init__(self, name, log):
        self.name, self.log = name, log

    def epoch_by_epoch(self):
        while True:
            self.log.append(self.name)
            yield


def test_the_paired_loops_alternate_epoch_by_epoch():
    bench, log = bench_speed(), []
    a, b = Recorder("A", log), Recorder("B", log)
    times = bench.timed_epoch_by_epoch([a, b], epochs=4)
    assert log == ["A", "B", "B", "A", "A", "B", "B", "A"]
    assert [len(walls) for walls, _ in times.values()] == [4, 4]
    log.clear()
    bench.timed_epoch_by_epoch([a, b], epochs=1, start=1)  # the next round starts with B
    assert log == ["B", "A"]


def test_each_contender_is_timed_once_per_round_and_the_pair_together():
    bench = bench_speed()
    kinds = bench.contenders()
    units = bench.timing_units(kinds)
    assert sorted(k.name for unit in units for k in unit) == sorted(k.name for k in kinds)
    assert [sorted(k.name for k in unit) for unit in units if len(unit) > 1] == [
        sorted(bench.PAIRED)]


def test_epoch_by_epoch_trains_what_a_whole_run_trains():
    """The paired loops do the work the table says: the learner's loop ends with fit's weights
    bit for bit, and the bare loop with weights equal to float32 rounding."""
    import numpy as np

    bench = bench_speed()
    wl = bench.digits_workload(epochs=2)
    X, y, params = wl.X[:256], wl.y[:256], bench.initial_params(wl.sizes)
    fit = bench.NnlibContender(wl, X, y, params, 2)
    fit.run()
    for kind, tol in ((bench.PublicApiContender, 0), (bench.BareStepsContender, 1e-5)):
        c = kind(wl, X, y, params, 2)
        assert len(list(c.epoch_by_epoch())) == 2
        for (W, b), (W_fit, b_fit), (W_0, _) in zip(c.weights(), fit.weights(), params):
            assert np.max(np.abs(W - W_fit)) <= tol and np.max(np.abs(b - b_fit)) <= tol
            assert np.max(np.abs(W - W_0)) > 1e-3  # it trained
