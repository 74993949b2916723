"""The your-turn tasks of notebook 02 (``nnlib_checks.your_turn.forward_propagation``): the
solution passes, every catalogued mistake gets its own message, an untouched answer waits, a
wrong value or prediction is explained — and the notebook's own cells, untouched and then
filled in from their worked answers, print what a learner would see.

The helpers at the top serve notebook 03's tests as well (``test_your_turn_loss``).
"""

import json
import linecache
import re
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib_checks.your_turn import WAITING, FunctionTask, Prediction, Tasks, ValueTask
from nnlib_checks.your_turn import forward_propagation as fp

from .test_checks import as_submission, submit

ROOT = Path(__file__).resolve().parents[2]


# -- helpers (notebook 03's tests use them too) ------------------------------------------------
def your_turn_cells(notebook):
    """{task name: (the your-turn cell's source, the worked answer's text)} of a notebook."""
    cells = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text("utf-8"))["cells"]
    found = {}
    for i, cell in enumerate(cells):
        if "your-turn" in cell["metadata"].get("tags", []):
            source = "".join(cell["source"])
            name = re.search(r'tasks\.check\("(\w+)"', source)[1]
            found[name] = (source, "".join(cells[i + 1]["source"]))
    return found


def filled_in(source, worked):
    """The your-turn cell with its blank filled in from the worked answer, as a learner would:
    the worked answer's function replaces the stub; a value or a letter replaces the ``...``."""
    code = re.search(r"```python\n(.*?)```", worked, re.S)
    if code:
        return code[1] + "\n\n" + source.strip().splitlines()[-1]
    first, rest = source.split("\n", 1)
    var = first.split("=")[0].strip()
    letter = re.search(r"</summary>\s*\(([a-z])\)\.", worked)
    value = f'"{letter[1]}"' if letter else re.search(rf"`{var} = ([^`]+)`", worked)[1]
    return f"{var} = {value}\n{rest}"


def run_cell(source, notebook, capsys):
    """What the cell prints in a fresh kernel of ``notebook`` (NumPy and ``tasks`` at hand)."""
    filename = f"<your-turn cell {hash(source)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), {"np": np, "tasks": Tasks(notebook)})
    return capsys.readouterr().out


def check_cell(notebook, name, capsys):
    """The cell waits untouched, and is done once filled in from its worked answer."""
    source, worked = your_turn_cells(notebook)[name]
    assert run_cell(source, notebook, capsys) == f"⏳ {name}: {WAITING}\n"
    assert run_cell(filled_in(source, worked), notebook, capsys).startswith(f"✓ {name}: right.")


def mistakes_of(module):
    return [(name, m) for name, task in module.TASKS.items() if isinstance(task, FunctionTask)
            for m in task.check.mistakes]


def check_mistake(task, mistake):
    """A learner's code that makes ``mistake`` is told that mistake (and no other)."""
    answer = as_submission(mistake.variant)
    verdict, message = task.judge(answer)
    assert verdict == "wrong"
    assert task.check.find_problem(answer)[0] == mistake.name, message
    assert mistake.message.split("{")[0][:60] in message   # the text before any {field}


def check_function_task(task):
    """The solution passes, a stub returning ... waits, and the mistakes' messages differ."""
    assert task.judge(as_submission(task.check.solution)) == ("done", "right.")
    params = ", ".join(task.check.args)
    assert task.judge(submit(f"def f({params}):\n    return ...")) == ("waiting", WAITING)
    messages = [m.message for m in task.check.mistakes]
    assert len(set(messages)) == len(messages) >= 3


def check_value_task(task):
    """Right is done, untouched waits, each tempting wrong value gets its own sentence and any
    other wrong value the hint."""
    assert task.judge(task.expected) == ("done", "right.")
    assert task.judge(...) == ("waiting", WAITING)
    for value, message in task.wrong:
        assert task.judge(value) == ("wrong", message)
    assert len({m for _, m in task.wrong}) == len(task.wrong)
    assert task.judge("nonsense") == ("wrong", task.hint)
    assert task.judge(12345.0) == ("wrong", task.hint)


def check_prediction(task):
    """The right letter is done with the reason; a wrong one says the answer, the reason and
    (for a tempting one) why it tempts; anything else asks for a letter."""
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


def check_kinds(module):
    for task in module.TASKS.values():
        {FunctionTask: check_function_task, ValueTask: check_value_task,
         Prediction: check_prediction}[type(task)](task)


# -- notebook 02 ------------------------------------------------------------------------------
NOTEBOOK = "02_forward_propagation"


@pytest.mark.parametrize("name", sorted(fp.TASKS))
def test_the_notebook_cell_waits_then_passes_with_its_worked_answer(name, capsys):
    check_cell(NOTEBOOK, name, capsys)


@pytest.mark.parametrize(("name", "mistake"), mistakes_of(fp),
                         ids=[f"{n}-{m.name}" for n, m in mistakes_of(fp)])
def test_every_catalogued_mistake_gets_its_message(name, mistake):
    check_mistake(fp.TASKS[name], mistake)


def test_every_task_judges_right_wrong_and_untouched_answers():
    check_kinds(fp)


def test_the_answers_are_what_nnlib_computes_on_the_notebook_s_numbers():
    layer = nnlib.Dense(3, 1, "identity")
    layer.W[...], layer.b[...] = [0.4, 0.3, -0.6], 0.1
    assert np.isclose(fp.TASKS["neuron_z"].expected, 0.3)
    assert np.isclose(layer.forward(np.array([[2.0, -1.0, 0.5]]))[0, 0], 0.3)
    assert tuple(fp.TASKS["z_shape"].expected) == (5, 4)


def test_dense_relu_may_use_nnlib_s_relu_but_not_its_layer():
    task = fp.TASKS["dense_relu"]
    relu = submit("def dense_relu(A_prev, W, b):\n    return relu(A_prev @ W.T + b)",
                  relu=nnlib.activations.relu)
    assert task.judge(relu) == ("done", "right.")
    layer = submit("def dense_relu(A_prev, W, b):\n"
                   "    layer = Dense(W.shape[1], W.shape[0])\n"
                   "    layer.W, layer.b = W, b\n"
                   "    return layer.forward(A_prev)", Dense=nnlib.Dense)
    verdict, message = task.judge(layer)
    assert verdict == "wrong" and "uses nnlib" in message


def test_an_error_in_the_answer_is_reported_with_its_line_not_raised():
    task = fp.TASKS["dense_relu"]
    verdict, message = task.judge(submit("def dense_relu(A_prev, W, b):\n"
                                         "    return np.maximum(W @ A_prev.T + b, 0)"))
    assert verdict == "wrong" and "W @ A_prev.T + b" in message
