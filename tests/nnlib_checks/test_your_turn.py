"""The tests every notebook's your-turn tasks get, written once for every task module that
``nnlib_checks.your_turn.NOTEBOOKS`` lists: the notebook checks each task once, in the module's
order; the task's stored cell waits untouched and passes once filled in from its worked answer;
a function task's solution passes, its stub waits and every catalogued mistake gets its own
message; a value task explains each tempting wrong value; a prediction explains a wrong letter
and is done with the right one. A failure's id names the notebook and the task (and the
mistake); what is particular to one notebook is in its ``test_your_turn_<module>``.
"""

import re

import pytest

from nnlib_checks.your_turn import NOTEBOOKS, WAITING, FunctionTask, Prediction, Tasks, ValueTask

from .your_turn_support import (
    MODULES,
    ROOT,
    as_submission,
    cells,
    filled_in,
    run_cell,
    submit,
    your_turn_cells,
)


def tasks_of(kind, *, notebook=False):
    """pytest params, one per task of that kind in any notebook: the task, or (notebook, name)."""
    return [pytest.param(*((nb, name) if notebook else (task,)), id=f"{nb}-{name}")
            for nb, module in MODULES.items() for name, task in module.TASKS.items()
            if isinstance(task, kind)]


MISTAKES = [pytest.param(task, mistake, id=f"{nb}-{name}-{mistake.name}")
            for nb, module in MODULES.items() for name, task in module.TASKS.items()
            if isinstance(task, FunctionTask) for mistake in task.check.mistakes]


def test_every_notebook_with_your_turn_cells_has_its_task_module():
    stored = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(nb for nb in stored if your_turn_cells(nb)) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_the_notebook_checks_each_task_once_in_the_module_s_order(notebook):
    """Once each, in your-turn cells, in the order ``progress`` lists the open tasks."""
    checked = [name for cell in cells(notebook) if cell["cell_type"] == "code"
               for name in re.findall(r'tasks\.check\("(\w+)"', "".join(cell["source"]))]
    assert checked == list(MODULES[notebook].TASKS)
    assert list(your_turn_cells(notebook)) == checked


@pytest.mark.parametrize(("notebook", "name"), tasks_of(object, notebook=True))
def test_the_notebook_cell_waits_then_passes_with_its_worked_answer(notebook, name):
    source, worked = your_turn_cells(notebook)[name]
    assert run_cell(source, Tasks(notebook)) == f"⏳ {name}: {WAITING}\n"
    task = MODULES[notebook].TASKS[name]
    said = f"right. {task.why}" if isinstance(task, Prediction) else "right."
    assert run_cell(filled_in(source, worked), Tasks(notebook)) == f"✓ {name}: {said}\n"


@pytest.mark.parametrize("task", tasks_of(FunctionTask))
def test_a_function_task_passes_its_solution_and_waits_for_its_stub(task):
    assert task.judge(as_submission(task.check.solution)) == ("done", "right.")
    params = ", ".join(task.check.args)
    assert task.judge(submit(f"def f({params}):\n    return ...")) == ("waiting", WAITING)
    assert task.judge(...) == ("waiting", WAITING)
    mistakes = task.check.mistakes
    assert len({m.message for m in mistakes}) == len(mistakes) >= 3
    assert len({m.name for m in mistakes}) == len(mistakes)


@pytest.mark.parametrize(("task", "mistake"), MISTAKES)
def test_each_catalogued_mistake_gets_its_own_message(task, mistake):
    """A learner's code that makes ``mistake`` is told that mistake (and no other), in the
    catalogue's words filled in for one of the check's cases."""
    answer = as_submission(mistake.variant)
    verdict, message = task.judge(answer)
    assert verdict == "wrong"
    assert task.check.find_problem(answer)[0] == mistake.name, message
    said = [mistake.message.format(**case.info) for case in task.check.cases(False)]
    assert any(text in message for text in said), message


@pytest.mark.parametrize("task", tasks_of(ValueTask))
def test_a_value_task_explains_each_tempting_wrong_value(task):
    """Right is done, untouched waits, each tempting wrong value gets its own sentence and any
    other wrong value the hint."""
    assert task.judge(task.expected) == ("done", "right.")
    assert task.judge(...) == ("waiting", WAITING)
    for value, message in task.wrong:
        assert task.judge(value) == ("wrong", message)
    assert len({m for _, m in task.wrong}) == len(task.wrong)
    assert task.judge("nonsense") == \
        ("wrong", "give a number or a tuple of numbers, not the text 'nonsense'.")
    assert task.judge(str(task.expected))[0] == "wrong"  # the right number, but as text
    assert task.judge(12345.0) == ("wrong", task.hint)


@pytest.mark.parametrize("task", tasks_of(Prediction))
def test_a_prediction_explains_a_wrong_letter_and_is_done_with_the_right_one(task):
    """The right letter is done with the reason; a wrong one says the answer, the reason and
    (for a tempting one) why it tempts; anything else asks for a letter."""
    assert task.answer in task.choices
    assert set(task.wrong) <= set(task.choices) - {task.answer}  # each extra sentence is said
    assert task.judge(...) == ("waiting", WAITING)
    verdict, message = task.judge(f"({task.answer.upper()})")
    assert verdict == "done" and task.why in message
    for letter in task.choices:
        if letter != task.answer:
            verdict, message = task.judge(letter)
            assert verdict == "wrong" and f"the answer is ({task.answer})" in message
            assert task.why in message and task.wrong.get(letter, "") in message
    verdict, message = task.judge("z")
    assert verdict == "wrong" and message.startswith("answer with one of")
