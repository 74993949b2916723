"""Grading a class: how long nbgrader takes to autograde 30 submissions of every assignment.

    python bench/bench_grading.py               # 30 students × 7 assignments, one at a time
    python bench/bench_grading.py --jobs 2      # two assignments at a time (one per core)
    python bench/bench_grading.py --students 5  # a quick run

In a scratch copy of exercises/ it generates the release, writes a class of submissions —
a realistic mix: about 40% fully correct, 40% with one catalogued mistake injected, 10% with
two, 10% handed back untouched, and one answer somewhere that loops forever — collects them in
submitted/<student>/<assignment>/, runs the pre-flight and `nbgrader autograde <assignment>
--force` for every assignment (in this environment's kernel, or NNLIB_GRADING_KERNEL's), then
`nbgrader export` (`python bench/bench_mistakes.py` measures the messages instead). It reports
the wall-clock and CPU time of the grading and
checks the grades: every fully correct submission must get full marks, every other one less.
The goal is the whole class in under 10 minutes on a 2-core machine. Results are printed and
written to bench/results/grading.md.
"""

import argparse
import csv
import inspect
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

import nnlib_checks as feedback

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
RESULTS = ROOT / "bench" / "results" / "grading.md"
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
FOREVER = "def {name}(*args, **kwargs):\n    while True:  # an endless loop\n        pass\n"
# Where the endless loop may go: functions no other graded function calls, so that it costs one
# cell timeout (as a real endless loop in, say, forward would cost one per cell that calls it).
LEAVES = [("01_initialization", "count_parameters"), ("01_initialization", "units_are_symmetric"),
          ("03_loss", "mse"), ("03_loss", "cross_entropy_from_logits"),
          ("05_parameter_update", "adam_update"), ("06_iteration", "should_stop")]


def meta(cell):
    return cell.metadata.get("nbgrader", {})


def targets(assignment):
    """[(solution cell id, function name, Mistake)] for every catalogued mistake of an
    assignment: the cell to change and the function the variant replaces."""
    module = feedback.ASSIGNMENTS[assignment]
    out = []
    if assignment == "07_capstone":  # the building blocks are checked with 01/02/04/05's checks
        for mod, name in [("01_initialization", "init_params"),
                          ("02_forward_propagation", "forward"),
                          ("04_backpropagation", "backward"),
                          ("05_parameter_update", "sgd_update")]:
            for m in feedback.ASSIGNMENTS[mod].CHECKS[name].mistakes:
                out.append(("building_blocks", name, m))
    for check_name, check in module.CHECKS.items():
        fn = "init_params" if check_name == "init_xavier" else check_name
        out += [(fn, fn, m) for m in check.mistakes]
    return out


def renamed(variant, name):
    return re.sub(rf"^def {variant.__name__}\(", f"def {name}(", inspect.getsource(variant))


def submission(assignment, release, solutions, changes):
    """The release notebook answered with the solutions, then ``changes`` {cell id: source
    appended after the answer (it redefines the function)}."""
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        cell_id = meta(cell).get("grade_id")
        if cell_id in solutions:
            cell.source = "\n".join(line for line in solutions[cell_id].splitlines()
                                    if line.strip() not in MARKERS)
            if cell_id in changes:
                cell.source += "\n\n\n" + "\n\n\n".join(changes[cell_id])
    return nb


def write_class(course, students, endless, rng):
    """Submissions for every student and assignment; returns {(student, assignment): kind}."""
    kinds = {}
    endless_at = (rng.randrange(students), *rng.choice(LEAVES)) if endless else None
    for assignment in feedback.ASSIGNMENTS:
        source = nbformat.read(EXERCISES / "source" / assignment / f"{assignment}.ipynb", 4)
        solutions = {meta(c)["grade_id"]: c.source for c in source.cells if meta(c).get("solution")}
        release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", 4)
        options = targets(assignment)
        for s in range(students):
            student = f"student{s + 1:02d}"
            roll = rng.random()
            if endless_at is not None and endless_at[:2] == (s, assignment):
                name = endless_at[2]
                kind, changes = "endless loop", {name: [FOREVER.format(name=name)]}
            elif roll < 0.4:
                kind, changes = "correct", {}
            elif roll < 0.9:
                changes, picked = {}, rng.sample(options, 1 if roll < 0.8 else 2)
                for cell, name, mistake in picked:
                    changes.setdefault(cell, []).append(renamed(mistake.variant, name))
                kind = f"{len(picked)} mistake{'s' if len(picked) > 1 else ''}"
            else:
                kind, changes = "untouched", None
            nb = release if changes is None else submission(assignment, release, solutions,
                                                            changes)
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
            kinds[student, assignment] = kind
    return kinds


def nbgrader(course, *args):
    # this environment's own kernel: the bench measures grading, not the sandbox's start-up
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               NNLIB_GRADING_KERNEL=os.environ.get("NNLIB_GRADING_KERNEL", "python3"))
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=1, help="assignments graded at once")
    parser.add_argument("--no-endless", action="store_true", help="leave out the endless loop")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch course directory")
    args = parser.parse_args()

    course = Path(tempfile.mkdtemp(prefix="bench_grading_"))
    shutil.copytree(EXERCISES / "source", course / "source")
    shutil.copy(EXERCISES / "nbgrader_config.py", course)
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    nbgrader(course, "generate_assignment", "*", "--force")
    release_s = time.perf_counter() - start
    kinds = write_class(course, args.students, not args.no_endless, random.Random(args.seed))

    per_assignment = {}

    def grade(assignment):
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "tools" / "preflight.py"), assignment],
                       cwd=course, check=True, capture_output=True)
        nbgrader(course, "autograde", assignment, "--force")
        per_assignment[assignment] = time.perf_counter() - t

    cpu, start = cpu_of_children(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(grade, feedback.ASSIGNMENTS))
    grading_s = time.perf_counter() - start
    cpu = cpu_of_children() - cpu
    nbgrader(course, "export")
    load_after = os.getloadavg()[0]

    with open(course / "grades.csv", newline="") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    wrong = [key for key, kind in kinds.items()
             if (float(rows[key]["score"]) == float(rows[key]["max_score"])) != (kind == "correct")]
    n = len(kinds)
    lines = [
        f"# Grading a class: {args.students} students × {len(feedback.ASSIGNMENTS)} assignments",
        "",
        f"Measured by `python bench/bench_grading.py --students {args.students} --jobs "
        f"{args.jobs}` on {os.cpu_count()} cores (load average {load_before:.1f} before, "
        f"{load_after:.1f} after; the machine may be shared).",
        "",
        "| | |",
        "|---|---|",
        f"| submissions autograded | {n} ({len(rows)} rows in grades.csv) |",
        f"| **grading time (wall clock)** | **{grading_s:.0f} s = {grading_s / 60:.1f} min**, "
        f"{grading_s / n:.2f} s per submission |",
        f"| CPU time of nbgrader and kernels | {cpu:.0f} s |",
        f"| generate_assignment, all seven | {release_s:.1f} s |",
        f"| goal: the class in under 10 min | {'met' if grading_s < 600 else 'NOT met'} |",
        f"| grades as expected (correct ⇔ full marks) | "
        f"{'yes' if not wrong else f'NO: {sorted(wrong)[:5]}'} |",
        "",
        "| assignment | wall clock | mean score / max |",
        "|---|---|---|",
    ]
    for assignment in feedback.ASSIGNMENTS:
        scores = [float(rows[s, assignment]["score"]) for s, a in kinds if a == assignment]
        top = float(next(r for k, r in rows.items() if k[1] == assignment)["max_score"])
        lines.append(f"| {assignment} | {per_assignment[assignment]:.0f} s | "
                     f"{sum(scores) / len(scores):.1f} / {top:g} |")
    mix = {}
    for kind in kinds.values():
        mix[kind] = mix.get(kind, 0) + 1
    lines += ["", "Submissions: " + ", ".join(f"{v} {k}" for k, v in sorted(mix.items())) + "."]
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    if args.keep:
        print("course directory kept:", course)
    else:
        shutil.rmtree(course)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
