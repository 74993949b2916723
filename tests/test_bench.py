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
