"""A learner alone in JupyterLab: speaker notes out of sight, hands-on tasks in every step, the
library's own code on the page. Checked on the committed notebooks (their stored outputs are
what nbval re-executes and compares)."""

import importlib
import json
import re
from pathlib import Path

import pytest

from nnlib_checks.your_turn import NOTEBOOKS as TASK_MODULES

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
MIN_TASKS = {"01_initialization": 3, "02_forward_propagation": 3, "03_loss": 3,
             "04_backpropagation": 3, "05_parameter_update": 3, "06_iteration": 3,
             "07_putting_it_together": 1}
SHOWS_LIBRARY_CODE = ("02_forward_propagation", "04_backpropagation", "05_parameter_update",
                      "06_iteration")
NOTES_START = '<details class="speaker-notes"><summary>For instructors'


def cells(name):
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return nb["cells"]


def source(cell):
    return "".join(cell["source"])


def text_output(cell):
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return "".join(parts)


def slide_type(cell):
    return cell["metadata"].get("slideshow", {}).get("slide_type")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_speaker_notes_are_folded_away_for_learners(name):
    """Every speaker note is a RISE notes cell (the presenter's view shows it) whose text sits in
    a closed <details> with a one-line "For instructors" header (JupyterLab shows the header)."""
    for i, cell in enumerate(cells(name)):
        text = source(cell).strip()
        if slide_type(cell) == "notes":
            assert cell["cell_type"] == "markdown", f"cell {i}"
            assert text.startswith(NOTES_START) and text.endswith("</details>"), f"cell {i}"
            assert "<details open" not in text, f"cell {i}: notes must start folded"
        else:
            assert "speaker notes" not in text.lower() and NOTES_START not in text, \
                f"cell {i} holds speaker notes but is not a notes cell"


def your_turn_cells(name):
    return [(i, c) for i, c in enumerate(cells(name))
            if "your-turn" in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("name", sorted(MIN_TASKS))
def test_every_step_has_your_turn_tasks_with_a_check_and_a_worked_answer(name):
    all_cells, tasks = cells(name), your_turn_cells(name)
    assert len(tasks) >= MIN_TASKS[name], f"{len(tasks)} your-turn cells"
    checked = []
    for i, cell in tasks:
        code = source(cell)
        assert cell["cell_type"] == "code" and "..." in code, f"cell {i}: a blank to fill in"
        found = re.findall(r'tasks\.check\("(\w+)"', code)
        assert len(found) == 1, f"cell {i} checks exactly one task"
        checked += found
        # untouched, the check waits for an answer instead of failing
        assert text_output(cell).startswith(f"⏳ {found[0]}: waiting"), f"cell {i}"
        after = [source(c) for c in all_cells[i + 1:i + 3] if c["cell_type"] == "markdown"]
        assert any("<summary>Worked answer</summary>" in s for s in after), \
            f"cell {i}: a worked answer the learner can unfold follows the task"
    module = importlib.import_module(f"nnlib_checks.your_turn.{TASK_MODULES[name]}")
    assert sorted(checked) == sorted(module.TASKS), "each task of the module is asked once"


@pytest.mark.parametrize("name", sorted(MIN_TASKS))
def test_the_end_of_the_notebook_counts_the_tasks_done(name):
    code = [c for c in cells(name) if c["cell_type"] == "code"]
    assert any(f'tasks = Tasks("{name}")' in source(c) for c in code)
    progress = [c for c in code if source(c).strip() == "tasks.progress()"]
    assert len(progress) == 1
    n = len(your_turn_cells(name))
    assert text_output(progress[0]).startswith(f"Your turn: 0 of {n} tasks")
    last_task = max(i for i, _ in your_turn_cells(name))
    assert cells(name).index(progress[0]) > last_task


@pytest.mark.parametrize("name", SHOWS_LIBRARY_CODE)
def test_the_step_shows_the_library_s_own_lines(name):
    shown = [c for c in cells(name) if c["cell_type"] == "code" and "show_source(" in source(c)]
    assert shown, "show_source(...) of the nnlib code that does this step"
    for cell in shown:
        assert re.match(r"# [\w.]+ — nnlib/\w+\.py, lines \d+–\d+\n", text_output(cell))
