"""The Chinese exercises, ``exercises/zh/``: an nbgrader course of their own, built from the English
source and ``exercises/zh/translations/`` by ``tools/build_zh.py`` — and the same course.

* the same assignments, grade_ids and points as ``exercises/``, and the same nbgrader settings
  (only the course_id and the gradebook differ); one more cell, read-only and not graded,
  chooses Chinese for the checks before any other code runs;
* ``exercises/zh/source/`` is exactly what the build makes of the translations, and runs green
  with its solutions;
* ``nbgrader generate_assignment`` reproduces the committed ``exercises/zh/release/``, which holds
  no solution line and no hidden test;
* ``nbgrader autograde`` gives the solutions full marks and the untouched release zero, and a
  catalogued mistake its message **in Chinese** — also when the learner edited or deleted the
  language cell (nbgrader puts back a read-only cell; the pre-flight a deleted one).

The nbgrader helpers are those of ``test_workflow.py``, which tests the English course the same
way; as there, the tests that start kernels or nbgrader are marked ``slow`` and grade in this
environment's kernel (``NNLIB_GRADING_KERNEL=python3``).
"""

import csv
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from traitlets.config.loader import PyFileConfigLoader

from nnlib import language
from nnlib_checks import loss
from nnlib_checks.engine import Feedback
from tools.build_zh import EXERCISE_LANGUAGE_ID, LANGUAGE_CELL, load_translation, translate

from .test_workflow import (
    ASSIGNMENTS,
    EXERCISES,
    POINTS,
    ROOT,
    answered,
    assert_release_holds_no_solution,
    assert_runs_green,
    nbgrader,
    nbgrader_meta,
    read,
    renamed,
    submit,
)

ZH = EXERCISES / "zh"
CJK = re.compile(r"[\u4e00-\u9fff]")
NOTEBOOK = {name: "07_putting_it_together" if name == "07_capstone" else name
            for name in ASSIGNMENTS}


def english_nb(name, folder="source"):
    return read(EXERCISES / folder / name / f"{name}.ipynb")


def zh_nb(name, folder="source"):
    return read(ZH / folder / name / f"{name}.ipynb")


def layout(nb):
    """What a course is made of: (graded cells with their points, answer cells, all cells
    nbgrader knows), by grade_id, in order."""
    cells = [nbgrader_meta(c) for c in nb.cells if nbgrader_meta(c).get("grade_id")]
    return ([(m["grade_id"], m["points"]) for m in cells if m.get("grade")],
            [m["grade_id"] for m in cells if m.get("solution")],
            [m["grade_id"] for m in cells])


# -- the layout --------------------------------------------------------------------------------
def test_the_chinese_course_holds_the_seven_assignments():
    assert (ZH / "nbgrader_config.py").is_file() and (ZH / "README.md").is_file()
    for folder in ("source", "release"):
        assert sorted(p.name for p in (ZH / folder).iterdir()) == ASSIGNMENTS, folder
    assert sorted(p.stem for p in (ZH / "translations").glob("*.md")) == ASSIGNMENTS


def settings(course):
    config = PyFileConfigLoader("nbgrader_config.py", str(course)).load_config()
    return {section: dict(values) for section, values in config.items()}


def test_the_chinese_course_has_the_english_settings_and_its_own_gradebook():
    english, chinese = settings(EXERCISES), settings(ZH)
    assert english["CourseDirectory"].pop("course_id") == "nnlib-gradient-descent"
    assert chinese["CourseDirectory"].pop("course_id") == "nnlib-gradient-descent-zh"
    assert english["CourseDirectory"].pop("db_url") == \
        f"sqlite:///{EXERCISES / 'gradebook.db'}?timeout=60"
    assert chinese["CourseDirectory"].pop("db_url") == \
        f"sqlite:///{ZH / 'gradebook.db'}?timeout=60"
    assert chinese == english  # kernel (the sandbox), timeouts, add_missing_cells, zip_collect


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_same_assignment_grade_ids_and_points_as_the_english_course(name):
    graded, answers, known = layout(english_nb(name))
    assert sum(points for _, points in graded) == POINTS[name]
    for folder in ("source", "release"):
        zh_graded, zh_answers, zh_known = layout(zh_nb(name, folder))
        assert zh_graded == graded, f"exercises/zh/{folder}/{name}: graded cells and points"
        assert zh_answers == answers, f"exercises/zh/{folder}/{name}: answer cells"
        assert [g for g in zh_known if g != EXERCISE_LANGUAGE_ID] == known
        assert zh_known.count(EXERCISE_LANGUAGE_ID) == 1


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_source_is_what_the_build_makes_of_the_translation(name):
    """Cells, sources and metadata (the nbgrader roles included): run
    ``python tools/build_zh.py --only exercises`` after changing a translation."""
    built = translate(english_nb(name), load_translation(ZH / "translations" / f"{name}.md"),
                      "exercise")
    assert [(c.id, c.cell_type, c.source, c.metadata) for c in zh_nb(name).cells] == \
        [(c.id, c.cell_type, c.source, c.metadata) for c in built.cells]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_chinese_is_chosen_first_by_a_read_only_cell(name):
    nb = zh_nb(name, "release")
    first = next(c for c in nb.cells if c.cell_type == "code")
    meta = nbgrader_meta(first)
    assert first.source == LANGUAGE_CELL and meta["grade_id"] == EXERCISE_LANGUAGE_ID
    assert meta["locked"] and not meta["grade"] and not meta["solution"]
    assert first.metadata["editable"] is False and first.metadata["deletable"] is False


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_instructions_are_chinese_and_link_the_chinese_notebook(name):
    nb = zh_nb(name, "release")
    intro = nb.cells[0].source
    assert f"](../../../../notebooks/zh/{NOTEBOOK[name]}.ipynb)" in intro
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert len(CJK.findall(cell.source)) >= 10, cell.source[:60]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_release_holds_no_solution_and_no_hidden_test(name):
    assert_release_holds_no_solution(ZH, name)


# -- source notebooks run green ----------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_source_notebook_runs_green_with_its_solutions(name):
    assert_runs_green(ZH, name)


# -- the nbgrader workflow in a scratch copy ---------------------------------------------------
def mse_mistaken(language_cell="keep"):
    """03_loss answered, but mse forgets the 1/2 (a catalogued mistake); the language cell kept,
    switched to English ("edit") or deleted ("delete")."""
    nb = answered("03_loss", {"mse": renamed(loss.mse_no_half, "mse")}, course=ZH)
    if language_cell == "edit":
        for cell in nb.cells:
            if nbgrader_meta(cell).get("grade_id") == EXERCISE_LANGUAGE_ID:
                cell.source = 'from nnlib import language\n\nlanguage.use("en")'
    elif language_cell == "delete":
        nb.cells = [c for c in nb.cells
                    if nbgrader_meta(c).get("grade_id") != EXERCISE_LANGUAGE_ID]
    return nb


MISTAKEN = {"mistaken": "keep", "english": "edit", "nolanguage": "delete"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A scratch copy of the Chinese course: release generated, submissions pre-flighted,
    autograded, exported and fed back — with the commands of exercises/README.md."""
    course = tmp_path_factory.mktemp("zh_course")
    shutil.copytree(ZH / "source", course / "source")
    shutil.copy(ZH / "nbgrader_config.py", course)
    nbgrader(course, "generate_assignment", "*", "--force")
    for name in ASSIGNMENTS:
        submit(course, "solutions", name, answered(name, course=ZH))
        submit(course, "untouched", name, read(course / "release" / name / f"{name}.ipynb"))
    for student, how in MISTAKEN.items():
        submit(course, student, "03_loss", mse_mistaken(how))
    for name in ASSIGNMENTS:
        subprocess.run([sys.executable, str(ROOT / "tools" / "preflight.py"), name],
                       cwd=course, check=True, capture_output=True, text=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda name: nbgrader(course, "autograde", name, "--force"), ASSIGNMENTS))
    nbgrader(course, "export")
    nbgrader(course, "generate_feedback", "03_loss", "--force")
    return course


@pytest.fixture(scope="module")
def grades(course):
    with open(course / "grades.csv", newline="") as f:
        return {(row["student_id"], row["assignment"]): row for row in csv.DictReader(f)}


def graded_cells(course, student, name="03_loss"):
    nb = read(course / "autograded" / student / name / f"{name}.ipynb")
    return {nbgrader_meta(c).get("grade_id"): c for c in nb.cells}


@pytest.mark.slow
def test_the_committed_release_is_what_generate_assignment_makes(course):
    for name in ASSIGNMENTS:
        fresh = read(course / "release" / name / f"{name}.ipynb")
        committed = zh_nb(name, "release")
        assert [(c.cell_type, c.source, c.metadata) for c in committed.cells] == \
               [(c.cell_type, c.source, c.metadata) for c in fresh.cells], \
            f"exercises/zh/release/{name} is stale: run python tools/build_zh.py --only exercises"


@pytest.mark.slow
def test_the_solutions_get_full_marks(grades):
    for name in ASSIGNMENTS:
        row = grades["solutions", name]
        assert float(row["score"]) == float(row["max_score"]) == POINTS[name], name


@pytest.mark.slow
def test_the_untouched_release_gets_zero(grades):
    for name in ASSIGNMENTS:
        assert float(grades["untouched", name]["score"]) == 0, name
        assert float(grades["untouched", name]["max_score"]) == POINTS[name], name


@pytest.mark.slow
def test_a_mistake_loses_its_points_only(grades):
    for student in MISTAKEN:  # mse is worth 1 point
        assert float(grades[student, "03_loss"]["score"]) == POINTS["03_loss"] - 1, student


@pytest.mark.slow
def test_the_language_cell_is_put_back_when_edited_or_deleted(course):
    for student in MISTAKEN:
        cell = graded_cells(course, student)[EXERCISE_LANGUAGE_ID]
        assert cell.source == LANGUAGE_CELL, student


def chinese_feedback():
    """What the check says, in Chinese, to an mse that forgets the 1/2."""
    with language.using("zh"), pytest.raises(Feedback) as said:
        loss.mse(loss.mse_no_half)
    return str(said.value)


@pytest.mark.slow
def test_the_feedback_names_the_mistake_in_chinese(course):
    """Waits for the checks' Chinese catalogue (nnlib_checks/zh.json): until then the checks
    speak English and this test fails."""
    message = chinese_feedback()
    assert message.startswith("✗ mse")
    assert CJK.search(message), f"the check answers in English: {message!r} — is " \
                                f"nnlib_checks/zh.json there, and does the engine use it?"
    for student in MISTAKEN:
        outputs = graded_cells(course, student)["test_mse"].outputs
        said = " ".join(o.get("evalue", "") + "".join(o.get("text", "")) for o in outputs)
        assert message in said, f"{student}: {said!r}"
    html = (course / "feedback" / "mistaken" / "03_loss" / "03_loss.html").read_text("utf-8")
    longest = max(re.findall(r"[\u4e00-\u9fff，。：；、]+", message), key=len)
    assert longest in html
