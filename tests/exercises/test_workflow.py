"""The graded exercises end to end, with nbgrader, in a scratch copy of ``exercises/``.

* every source notebook runs green with its solutions in place (executed with nbclient);
* ``nbgrader generate_assignment`` reproduces the committed ``exercises/release/`` exactly, and
  the release holds no solution line and no hidden test;
* ``nbgrader autograde`` gives the solutions full marks and the untouched release zero; an
  answer that loops forever is cut off by the per-cell timeout and the rest is still graded; a
  submission that edits or deletes the locked test cells is graded by the original tests;
* after the pre-flight (``tools/preflight.py``), submissions with deleted, duplicated or
  reordered cells, a renamed function, lost cell metadata, another nbformat version or another
  file name are all graded: the missing parts score 0, the rest normally, and the repairs are
  listed;
* ``nbgrader zip_collect``, ``export`` (CSV) and ``generate_feedback`` work as
  ``exercises/README.md`` shows, and the feedback names the mistake.

The tests that start Jupyter kernels and nbgrader processes are marked ``slow`` (about a minute
in all); they run in the default ``python -m pytest``, and ``-m "not slow"`` skips them. They
grade in this environment's own kernel (``NNLIB_GRADING_KERNEL=python3``): the sandbox kernel
of the README is tested, as root, by ``test_instructor_commands.py``.
"""

import copy
import csv
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nnlib_checks import loss
from tools import preflight

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
ASSIGNMENTS = [
    "01_initialization", "02_forward_propagation", "03_loss", "04_backpropagation",
    "05_parameter_update", "06_iteration", "07_capstone",
]
POINTS = {"01_initialization": 5, "02_forward_propagation": 6, "03_loss": 5,
          "04_backpropagation": 9, "05_parameter_update": 5, "06_iteration": 6,
          "07_capstone": 8}
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
           "### END HIDDEN TESTS")


def read(path):
    return nbformat.read(path, as_version=4)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def source_nb(name):
    return read(EXERCISES / "source" / name / f"{name}.ipynb")


def nbgrader(course, *args, timeout=900):
    """Run an nbgrader command in ``course`` as an instructor would, with this environment's
    scripts on PATH (nbgrader runs ``alembic`` from PATH when it creates the gradebook)."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               NNLIB_GRADING_KERNEL="python3")
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=timeout)
    log = done.stdout + done.stderr
    if done.returncode != 0:  # show the errors, not nbgrader's whole log
        errors = re.findall(r"^\[\w+ \| (?:ERROR|CRITICAL)\].*(?:\n(?!\[)[^\n]*)*", log, re.M)
        pytest.fail(f"nbgrader {' '.join(args)} failed:\n" + "\n".join(errors or [log[-3000:]]))
    return log


# -- the layout --------------------------------------------------------------------------------
def test_the_course_directory_holds_the_seven_assignments():
    assert (EXERCISES / "nbgrader_config.py").is_file()
    assert sorted(p.name for p in (EXERCISES / "source").iterdir()) == ASSIGNMENTS
    assert sorted(p.name for p in (EXERCISES / "release").iterdir()) == ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_part_has_a_solution_and_a_locked_test_with_visible_and_hidden_checks(name):
    cells = source_nb(name).cells
    graded = [c for c in cells if nbgrader_meta(c).get("grade")]
    assert sum(nbgrader_meta(c)["points"] for c in graded) == POINTS[name]
    assert len(graded) >= 3, "partial credit: one graded cell per part"
    for cell in graded:
        meta = nbgrader_meta(cell)
        assert meta["locked"] and not meta["solution"], meta["grade_id"]
        visible, _, hidden = cell.source.partition("### BEGIN HIDDEN TESTS")
        assert hidden and "### END HIDDEN TESTS" in hidden, f"{meta['grade_id']}: hidden tests"
        assert re.search(r"^(assert |check\.|capstone_params = check\.)", visible, re.M), \
            f"{meta['grade_id']}: a visible self-check"
    solutions = [c for c in cells if nbgrader_meta(c).get("solution")]
    assert solutions and all("### BEGIN SOLUTION" in c.source for c in solutions)
    intro = cells[0].source
    assert f"../../../notebooks/{'07_putting_it_together' if name == '07_capstone' else name}" \
           f".ipynb" in intro, "the intro links the course notebook"


# -- source notebooks run green ----------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_source_notebook_runs_green_with_its_solutions(name):
    assert_runs_green(EXERCISES, name)


def assert_runs_green(course, name):
    """Run the source notebook of ``name`` in ``course`` (``exercises/`` or ``exercises/zh/``):
    no error, nothing on stderr, and every graded cell prints a ✓."""
    nb = read(course / "source" / name / f"{name}.ipynb")
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(course / "source" / name)}}).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"
                  or o.get("name") == "stderr"]
        assert not errors, f"{cell.source[:60]!r}: {errors}"
        if nbgrader_meta(cell).get("grade"):
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "✓" in text, f"{nbgrader_meta(cell)['grade_id']} printed no ✓"


# -- the nbgrader workflow in a scratch copy ---------------------------------------------------
def answered(name, replace=None, course=EXERCISES):
    """The release notebook of ``name`` in ``course`` with every answer filled in as in its source
    notebook (markers removed) — except the cells in ``replace`` {grade_id: source}."""
    replace = replace or {}
    solutions = {nbgrader_meta(c)["grade_id"]: c.source
                 for c in read(course / "source" / name / f"{name}.ipynb").cells
                 if nbgrader_meta(c).get("solution")}
    nb = read(course / "release" / name / f"{name}.ipynb")
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in replace:
            cell.source = replace[grade_id]
        elif grade_id in solutions:
            cell.source = "\n".join(line for line in solutions[grade_id].splitlines()
                                    if line.strip() not in MARKERS)
    return nb


def renamed(variant, name):
    """A catalogued buggy variant, written into a notebook cell as the function ``name``."""
    return re.sub(rf"^def {variant.__name__}\(", f"def {name}(", inspect.getsource(variant))


FOREVER = "def count_parameters(sizes):\n    while True:  # an endless loop\n        pass\n"


def tampered():
    """03_loss: a wrong mse whose test cell now reads `pass`, a wrong cross_entropy whose test
    cell was deleted, and a right cross_entropy_from_logits whose test cell was deleted."""
    nb = answered("03_loss", {"mse": renamed(loss.mse_no_half, "mse"),
                              "cross_entropy": renamed(loss.ce_log0, "cross_entropy")})
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == "test_mse":
            cell.source = "pass  # the tests are fine, trust me"
    nb.cells = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") not in
                ("test_cross_entropy", "test_cross_entropy_from_logits")]
    return nb


def damaged():
    """{student: (notebook or raw JSON text, file name)}: 03_loss answered with the solutions and
    then damaged as submissions come back."""
    def gid(cell):
        return nbgrader_meta(cell).get("grade_id")

    out = {}
    nb = answered("03_loss")  # the answer of mse and its test deleted: nbgrader's KeyError
    nb.cells = [c for c in nb.cells if gid(c) not in ("mse", "test_mse")]
    out["deleter"] = nb
    nb = answered("03_loss")  # mse's cell duplicated, the first copy broken, the last right
    k = [gid(c) for c in nb.cells].index("mse")
    first = copy.deepcopy(nb.cells[k])
    first.id = "mse-copy"  # JupyterLab gives a pasted cell an id of its own
    first.source = "def mse(Yhat, Y):\n    return 0.0"
    nb.cells.insert(k, first)
    out["duplicator"] = nb
    nb = answered("03_loss")  # cross_entropy's answer moved below its test cell
    ids = [gid(c) for c in nb.cells]
    cell = nb.cells.pop(ids.index("cross_entropy"))
    nb.cells.insert(ids.index("test_cross_entropy"), cell)
    out["reorderer"] = nb
    nb = answered("03_loss")  # mse renamed
    for c in nb.cells:
        if gid(c) == "mse":
            c.source = c.source.replace("def mse(", "def mean_squared_error(")
    out["renamer"] = nb
    nb = answered("03_loss")  # an editor that drops cell metadata
    for c in nb.cells:
        c.metadata = {}
    out["stripper"] = nb
    nb = answered("03_loss")  # saved by an older Jupyter: nbformat 4.4, no cell ids
    raw = json.loads(nbformat.writes(nb))
    raw["nbformat_minor"] = 4
    for c in raw["cells"]:
        c.pop("id", None)
    out["oldtimer"] = json.dumps(raw, indent=1)
    return out


REPAIRED = {"deleter": 4, "duplicator": 5, "reorderer": 5, "renamer": 5, "stripper": 5,
            "oldtimer": 5, "renamedfile": 5}


def submit(course, student, name, nb):
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A scratch course: release generated, four submitters collected, autograded, exported and
    fed back — with the commands of exercises/README.md."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(EXERCISES / "source", course / "source")
    shutil.copy(EXERCISES / "nbgrader_config.py", course)
    nbgrader(course, "generate_assignment", "*", "--force")
    for name in ASSIGNMENTS:
        submit(course, "solutions", name, answered(name))
        submit(course, "untouched", name, read(course / "release" / name / f"{name}.ipynb"))
    submit(course, "forever", "01_initialization",
           answered("01_initialization", {"count_parameters": FOREVER}))
    archive = course / "downloaded" / "03_loss" / "archive"
    archive.mkdir(parents=True)
    nbformat.write(tampered(), archive / "tamper_03_loss.ipynb")
    nbgrader(course, "zip_collect", "03_loss", "--force")
    for student, nb in damaged().items():
        folder = course / "submitted" / student / "03_loss"
        folder.mkdir(parents=True)
        (folder / "03_loss.ipynb").write_text(nb if isinstance(nb, str) else nbformat.writes(nb),
                                              encoding="utf-8")
    folder = course / "submitted" / "renamedfile" / "03_loss"
    folder.mkdir(parents=True)
    nbformat.write(answered("03_loss"), folder / "03_loss (1).ipynb")
    for name in ASSIGNMENTS:
        subprocess.run([sys.executable, str(ROOT / "tools" / "preflight.py"), name],
                       cwd=course, check=True, capture_output=True, text=True)
    with ThreadPoolExecutor(max_workers=3) as pool:  # mostly waiting on kernels
        list(pool.map(lambda name: nbgrader(course, "autograde", name, "--force"), ASSIGNMENTS))
    nbgrader(course, "export")
    nbgrader(course, "generate_feedback", "03_loss", "--force")
    return course


@pytest.fixture(scope="module")
def grades(course):
    with open(course / "grades.csv", newline="") as f:
        return {(row["student_id"], row["assignment"]): row for row in csv.DictReader(f)}


@pytest.mark.slow
def test_the_committed_release_is_what_generate_assignment_makes(course):
    for name in ASSIGNMENTS:
        fresh = read(course / "release" / name / f"{name}.ipynb")
        committed = read(EXERCISES / "release" / name / f"{name}.ipynb")
        assert [(c.cell_type, c.source, c.metadata) for c in committed.cells] == \
               [(c.cell_type, c.source, c.metadata) for c in fresh.cells], \
            f"exercises/release/{name} is stale: regenerate it (see exercises/README.md)"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_release_holds_no_solution_and_no_hidden_test(name):
    assert_release_holds_no_solution(EXERCISES, name)


def assert_release_holds_no_solution(course, name):
    """The committed release of ``name`` in ``course``: no nbgrader marker, no hidden test, no
    line of a solution in its code (the instructions may quote a formula), no outputs."""
    path = course / "release" / name / f"{name}.ipynb"
    release = path.read_text(encoding="utf-8")
    for marker in MARKERS + ("strict=True", "held_out_accuracy(train_classifier"):
        assert marker not in release
    code = "\n".join(c.source for c in read(path).cells if c.cell_type == "code")
    for cell in read(course / "source" / name / f"{name}.ipynb").cells:
        if nbgrader_meta(cell).get("solution"):
            inside = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            for line in inside.splitlines():
                line = line.strip()
                if len(line) > 12 and not line.startswith(("#", "return ", '"""')):
                    assert line not in code, f"solution line shipped: {line!r}"
    nb = json.loads(release)
    assert all(not c.get("outputs") for c in nb["cells"]), "the release is stored without outputs"


@pytest.mark.slow
def test_the_solutions_get_full_marks(grades):
    for name in ASSIGNMENTS:
        row = grades["solutions", name]
        assert float(row["score"]) == float(row["max_score"]) == POINTS[name], name


@pytest.mark.slow
def test_the_untouched_release_gets_zero(grades):
    for name in ASSIGNMENTS:
        assert float(grades["untouched", name]["score"]) == 0, name


@pytest.mark.slow
def test_an_endless_loop_is_cut_off_and_the_rest_still_graded(course, grades):
    assert float(grades["forever", "01_initialization"]["score"]) == POINTS["01_initialization"] - 1
    nb = read(course / "autograded" / "forever" / "01_initialization" / "01_initialization.ipynb")
    cells = {nbgrader_meta(c).get("grade_id"): c for c in nb.cells}
    names = [o.get("ename") for o in cells["test_count_parameters"].outputs]
    assert {"KeyboardInterrupt", "CellTimeoutError"} & set(names), names
    assert "✓" in "".join(o.get("text", "") for o in cells["test_units_are_symmetric"].outputs)


@pytest.mark.slow
def test_edited_or_deleted_test_cells_are_replaced_by_the_originals(course, grades):
    # mse (1 point) and cross_entropy (2) are wrong; cross_entropy_from_logits (2) is right
    assert float(grades["tamper", "03_loss"]["score"]) == 2
    nb = read(course / "autograded" / "tamper" / "03_loss" / "03_loss.ipynb")
    original = {nbgrader_meta(c)["grade_id"]: c.source for c in source_nb("03_loss").cells
                if nbgrader_meta(c).get("grade")}
    graded = {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get("grade")}
    assert set(graded) == set(original)
    assert graded["test_mse"].source == original["test_mse"]
    for grade_id in ("test_cross_entropy", "test_cross_entropy_from_logits"):
        assert original[grade_id] in graded[grade_id].source  # re-added, with a note on top


@pytest.mark.slow
def test_grades_export_to_csv_for_every_submission(grades):
    students = {"solutions": ASSIGNMENTS, "untouched": ASSIGNMENTS,
                "forever": ["01_initialization"], "tamper": ["03_loss"]}
    for student, names in students.items():
        for name in names:
            assert float(grades[student, name]["max_score"]) == POINTS[name]


@pytest.mark.slow
def test_the_feedback_names_the_mistake(course):
    html = (course / "feedback" / "tamper" / "03_loss" / "03_loss.html").read_text("utf-8")
    assert "did you forget the 1/2?" in html
    assert "log(0) = −∞, and 0 · log 0 gives NaN" in html


@pytest.mark.slow
def test_damaged_submissions_are_repaired_and_graded(course, grades):
    """What nbgrader alone cannot grade (a KeyError, or a test before its answer) is graded
    after the pre-flight: only the missing part scores 0, and every repair is listed — in
    preflight/03_loss.csv and in a note at the top of the learner's notebook."""
    for student, points in REPAIRED.items():
        assert float(grades[student, "03_loss"]["score"]) == points, student
    with open(course / "preflight" / "03_loss.csv", newline="") as f:
        repairs = {}
        for row in csv.DictReader(f):
            repairs.setdefault(row["student_id"], []).append(row["repair"])
    assert set(repairs) == set(REPAIRED) | {"tamper"}
    assert repairs["tamper"] == [f"cell {t}: deleted; put back from the release" for t in
                                 ("test_cross_entropy", "test_cross_entropy_from_logits")]
    assert repairs["deleter"] == ["answer cell mse: deleted; put back from the release (its "
                                  "tests score 0)", "cell test_mse: deleted; put back from the "
                                  "release"]
    assert repairs["duplicator"] == ["cell mse: duplicated; kept the last copy"]
    assert repairs["renamer"] == ["answer cell mse: defines mean_squared_error instead of mse; "
                                  "added mse = mean_squared_error"]
    assert repairs["oldtimer"] == ["saved as nbformat 4.4; rewritten as 4.5"]
    assert "cells were reordered" in repairs["reorderer"][0]
    assert "renamed 03_loss.ipynb" in repairs["renamedfile"][0]
    assert all("nbgrader metadata was lost" in r for r in repairs["stripper"])
    nb = read(course / "autograded" / "deleter" / "03_loss" / "03_loss.ipynb")
    assert nb.cells[0].source.startswith("**Repaired before grading**")
    assert "answer cell mse: deleted" in nb.cells[0].source
    # nothing else was touched: the solutions and the untouched release needed no note
    for student in ("solutions", "untouched"):
        assert not (course / "preflight" / "originals" / student).exists() or \
            not read(course / "submitted" / student / "03_loss" / "03_loss.ipynb").cells[0] \
            .source.startswith("**Repaired")


def test_the_preflight_changes_nothing_the_second_time(tmp_path):
    """Run twice, the pre-flight finds nothing more to repair."""
    course = tmp_path / "course"
    (course / "release" / "03_loss").mkdir(parents=True)
    shutil.copy(EXERCISES / "release" / "03_loss" / "03_loss.ipynb", course / "release" /
                "03_loss")
    shutil.copytree(EXERCISES / "source" / "03_loss", course / "source" / "03_loss")
    for student, nb in damaged().items():
        folder = course / "submitted" / student / "03_loss"
        folder.mkdir(parents=True)
        (folder / "03_loss.ipynb").write_text(nb if isinstance(nb, str) else nbformat.writes(nb),
                                              encoding="utf-8")
    first = preflight.run(course, "03_loss", quiet=True)
    assert set(first) == set(REPAIRED) - {"renamedfile"}
    before = {p: p.read_bytes() for p in (course / "submitted").rglob("*.ipynb")}
    assert preflight.run(course, "03_loss", quiet=True) == {}
    assert {p: p.read_bytes() for p in (course / "submitted").rglob("*.ipynb")} == before


def test_the_preflight_enters_every_submitter_in_the_gradebook(tmp_path):
    """Autograde adds a learner it has not seen; two assignments graded side by side would both
    add a new learner and one submission would go ungraded. The pre-flight adds them first."""
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    (course / "release" / "03_loss").mkdir(parents=True)
    shutil.copy(EXERCISES / "release" / "03_loss" / "03_loss.ipynb", course / "release" /
                "03_loss")
    for student in ("ada", "grace"):
        submit(course, student, "03_loss", answered("03_loss"))
    preflight.run(course, "03_loss", quiet=True)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert sorted(s.id for s in gradebook.students) == ["ada", "grace"]
