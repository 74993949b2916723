"""How the graded exercises treat realistic mistakes: how many lose points, how many get a
message that names the mistake, how many a generic one.

    python bench/bench_mistakes.py              # the whole set, with every generic message
    python bench/bench_mistakes.py --quiet      # the counts only

The set — realistic one-line edits of the source notebooks' answers — is kept in
``tests/exercises/realistic_mistakes.py``; each submission is run as the autograder runs it
(setup and answer cells, then the locked test cells of the edited part with their hidden
tests), in this process. A mistake is *named* when the first failing test cell raises the
check's Feedback with a catalogue name; *generic* otherwise (a generic Feedback, a plain
assert, a traceback). Results are printed and written to bench/results/mistakes.md.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.exercises import realistic_mistakes as realistic  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "mistakes.md"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    args = parser.parse_args()
    start = time.perf_counter()
    results = [realistic.grade(slip) for slip in realistic.SLIPS]
    seconds = time.perf_counter() - start
    counts = realistic.summary(results)
    lines = ["# Realistic mistakes: lose points, named, generic", "",
             f"Measured by `python bench/bench_mistakes.py` in {seconds:.0f} s.", "",
             "| assignment | mistakes | lose points | named | generic | pass |",
             "|---|---:|---:|---:|---:|---:|"]
    for assignment in dict.fromkeys(s.assignment for s in realistic.SLIPS):
        c = realistic.summary([r for r in results if r.slip.assignment == assignment])
        lines.append(f"| {assignment} | {c['mistakes']} | {c['lose points']} | {c['named']} "
                     f"| {c['generic']} | {c['pass']} |")
    lines.append(f"| **all** | **{counts['mistakes']}** | **{counts['lose points']}** | "
                 f"**{counts['named']}** | **{counts['generic']}** | **{counts['pass']}** |")
    fresh = realistic.summary([realistic.grade(slip) for slip in realistic.FRESH])
    lines += ["", f"A second set, written after the catalogue was grown for the first and not "
                  f"used to grow it (`FRESH`): {fresh['mistakes']} mistakes, "
                  f"{fresh['lose points']} lose points, {fresh['named']} named, "
                  f"{fresh['generic']} generic, {fresh['pass']} pass."]
    if not args.quiet:
        for kind in ("passes", "generic"):
            found = [r for r in results if r.kind == kind]
            if found:
                lines += ["", f"## {'Not caught' if kind == 'passes' else 'Generic messages'}",
                          ""]
                lines += [f"* `{r.slip.id}`" + (f" ({r.cell}): {r.message}" if r.message else "")
                          for r in found]
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
