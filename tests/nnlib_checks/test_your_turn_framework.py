"""The rules of the your-turn tasks themselves (``nnlib_checks/your_turn/__init__.py``): a
``Tasks`` refuses a notebook or a task it does not have, prints one line per check, remembers the
last verdict and counts what is done; an untouched answer waits, a wrong kind of answer is told
what kind is expected; how a ``ValueTask`` (tolerance, shape), a ``Prediction`` (how a letter
may be written) and a ``FunctionTask`` (the check's verdict, an error in the answer, no warning
from a stub) judge; how ``read_tasks`` reads the text a task module declares its tasks in, and
how a malformed text fails, naming its line. The tasks judged are the course's own; the right
answers come from the math.
"""

import importlib
import math
import re
import sys
import warnings

import numpy as np
import pytest

from nnlib_checks.your_turn import (
    NOTEBOOKS,
    WAITING,
    FunctionTask,
    Prediction,
    Tasks,
    ValueTask,
    read_tasks,
)

from .your_turn_support import (
    MODULES,
    as_submission,
    filled_in,
    printed,
    run_cell,
    submit,
    your_turn_cells,
)

INIT, FORWARD = MODULES["01_initialization"], MODULES["02_forward_propagation"]
UPDATE, ITERATION = MODULES["05_parameter_update"], MODULES["06_iteration"]
UPDATES = ITERATION.E * math.ceil(ITERATION.N / ITERATION.B)  # E epochs of ⌈n/B⌉ updates


def a_wrong_answer(task):
    """An answer of the right kind that is wrong: a catalogued mistake, a tempting value or a
    letter other than the answer."""
    if isinstance(task, FunctionTask):
        return as_submission(task.check.mistakes[0].variant)
    if isinstance(task, ValueTask):
        return task.wrong[0][0] if task.wrong else 12345.0
    return next(letter for letter in task.choices if letter != task.answer)


@pytest.mark.parametrize("name", ["08_beyond", "01", "initialization", "01_Initialization"])
def test_a_notebook_the_course_does_not_have_is_refused_with_the_ones_it_has(name):
    with pytest.raises(ValueError) as info:
        Tasks(name)
    assert repr(name) in str(info.value)
    for notebook in NOTEBOOKS:
        assert notebook in str(info.value)


def test_a_task_of_another_notebook_is_refused_with_this_notebook_s_tasks():
    tasks = Tasks("06_iteration")
    with pytest.raises(KeyError) as info:
        tasks.check("he_std", as_submission(INIT.he_std_solution))  # notebook 01's task
    assert "06_iteration has no task 'he_std'" in str(info.value)
    for name in your_turn_cells("06_iteration"):
        assert name in str(info.value)
    assert set(tasks.state.values()) == {"waiting"}


def test_check_prints_one_line_with_the_verdict_and_remembers_the_last_one():
    tasks, updates = Tasks("06_iteration"), ITERATION.TASKS["updates"]
    assert printed(tasks.check, "updates", ...) == f"⏳ updates: {WAITING}\n"
    assert tasks.state["updates"] == "waiting"
    assert printed(tasks.check, "updates", UPDATES) == "✓ updates: right.\n"
    assert tasks.state["updates"] == "done"
    floor = ITERATION.E * (ITERATION.N // ITERATION.B)  # the last, short batch forgotten
    said = updates.judge(floor)[1]
    assert said != updates.hint
    assert printed(tasks.check, "updates", floor) == f"✗ updates: {said}\n"
    assert tasks.state["updates"] == "wrong"
    # a prediction prints one line too: the answer, the reason, and what to run next
    line = printed(tasks.check, "early_stopping_prediction", "a")
    assert line.startswith("✗ early_stopping_prediction: not quite: the answer is (b).")
    assert line.endswith("Now run the next cell and see it happen.\n") and line.count("\n") == 1
    assert tasks.state["early_stopping_prediction"] == "wrong"


def progress_line(tasks, done):
    """What ``progress`` says when the tasks ``done`` are done: the count, then the others."""
    still = [name for name in tasks.tasks if name not in done]
    line = f"Your turn: {len(done)} of {len(tasks.tasks)} tasks of this notebook done."
    if still:
        line += " Still open: " + ", ".join(f"{n} ({tasks.tasks[n].title})" for n in still) + "."
    return line + "\n"


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_progress_counts_the_tasks_done_and_lists_the_open_ones(notebook):
    """Run as a learner runs the notebook: some cells filled in, one answer then made wrong,
    the rest filled in — the count follows every cell's last verdict."""
    tasks, cells = Tasks(notebook), your_turn_cells(notebook)
    names = list(cells)
    assert list(tasks.tasks) == names and tasks.state == dict.fromkeys(names, "waiting")
    assert printed(tasks.progress) == progress_line(tasks, [])
    for name in names:
        run_cell(cells[name][0], tasks)  # untouched: still waiting
    assert printed(tasks.progress) == progress_line(tasks, [])
    first = names[::2]
    for name in first:
        run_cell(filled_in(*cells[name]), tasks)
    assert printed(tasks.progress) == progress_line(tasks, first)
    tasks.check(names[0], a_wrong_answer(tasks.tasks[names[0]]))  # done, then wrong: open
    assert printed(tasks.progress) == progress_line(tasks, first[1:])
    for name in names[1::2]:
        run_cell(filled_in(*cells[name]), tasks)
    assert printed(tasks.progress) == progress_line(tasks, names[1:])
    run_cell(filled_in(*cells[names[0]]), tasks)
    assert printed(tasks.progress) == f"Your turn: {len(names)} of {len(names)} tasks of this " \
                                      f"notebook done.\n"


def test_a_function_waits_while_it_returns_its_dots_and_its_stub_warns_nothing():
    """An untouched stub runs like the checks run an answer: its warnings stay inside."""
    he_std = INIT.TASKS["he_std"]
    stub = submit("def he_std(n_in):\n    half = np.log(0.0)   # a line on the way\n"
                  "    return ...")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert he_std.judge(stub) == ("waiting", WAITING)
    assert caught == []
    assert he_std.judge(...) == ("waiting", WAITING)
    # the stub must run: one that cannot be called with the inputs is an error, not waiting
    verdict, message = he_std.judge(submit("def he_std():\n    return ..."))
    assert verdict == "wrong" and "TypeError" in message


def test_a_wrong_kind_of_answer_is_told_what_kind_is_expected():
    he_std, shape = INIT.TASKS["he_std"], INIT.TASKS["w2_shape"]
    assert he_std.judge(math.sqrt(2 / 64)) == ("wrong", "expected a function; got float.")
    assert he_std.judge("np.sqrt(2 / n_in)") == ("wrong", "expected a function; got str.")
    assert shape.judge(submit("def W2_shape():\n    return (3, 4)")) == ("wrong", shape.hint)
    assert shape.judge("(3, 4)") == \
        ("wrong", "give a number or a tuple of numbers, not the text '(3, 4)'.")
    prediction = INIT.TASKS["depth_prediction"]
    for answer in (2, "d", "smaller", True, ""):
        assert prediction.judge(answer) == (
            "wrong", f'answer with one of "a", "b", "c"; got {answer!r}.')


def test_a_value_is_right_within_the_task_s_tolerance_and_in_the_same_shape():
    z = FORWARD.TASKS["neuron_z"]  # by hand, so 1 % is close enough
    w, x, b = np.array([0.4, 0.3, -0.6]), np.array([2.0, -1.0, 0.5]), 0.1
    assert z.judge((w @ x + b) * 1.005) == ("done", "right.")
    assert z.judge((w @ x + b) * 1.05) == ("wrong", z.hint)
    no_bias = [message for value, message in z.wrong
               if np.ndim(value) == 0 and np.isclose(value, w @ x)]
    assert z.judge(w @ x * 1.005) == ("wrong", no_bias[0])  # a tempting value, rounded
    updates = ITERATION.TASKS["updates"]  # a count: no tolerance to speak of
    assert updates.judge(UPDATES * (1 + 1e-7)) == ("done", "right.")
    assert updates.judge(UPDATES + 1) == ("wrong", updates.hint)
    step = UPDATE.TASKS["sgd_step"]
    theta, lr = np.array([-2.2, 1.2]), 0.2
    new = theta - lr * np.array([1.0, 4.0]) * theta  # ∇L = (w1, 4 w2)
    assert step.judge(list(new)) == step.judge(tuple(new)) == ("done", "right.")
    assert step.judge(new[None, :]) == ("wrong", step.hint)  # (1, 2), not (2,)
    assert step.judge(new[::-1]) == ("wrong", step.hint)
    shape = INIT.TASKS["w2_shape"]
    assert shape.judge([3, 4]) == ("done", "right.")
    assert shape.judge((3, 4, 1)) == ("wrong", shape.hint)


def test_a_letter_may_be_written_in_either_case_with_or_without_parentheses():
    task = INIT.TASKS["depth_prediction"]
    letter = task.answer
    for written in (letter, letter.upper(), f"({letter})", f" ({letter.upper()}) ", f"{letter})"):
        assert task.judge(written) == ("done", f"right. {task.why}")


def test_a_function_s_verdict_is_its_check_s():
    """Done exactly when the check finds nothing; otherwise the check's own sentence, also for
    a mistake the catalogue does not know."""
    task = INIT.TASKS["he_std"]
    for source in ("def he_std(n_in):\n    return (2 / n_in) ** 0.5",
                   "def he_std(n_in):\n    return np.sqrt(2) / np.sqrt(n_in)"):
        answer = submit(source)
        assert task.check.find_problem(answer) is None
        assert task.judge(answer) == ("done", "right.")
    unknown = submit("def he_std(n_in):\n    return np.sqrt(3 / n_in)")
    name, message = task.check.find_problem(unknown)
    assert name is None and task.judge(unknown) == ("wrong", message)


def test_an_error_in_the_answer_is_reported_with_its_line_not_raised():
    task = FORWARD.TASKS["dense_relu"]
    answer = submit("def dense_relu(A_prev, W, b):\n"
                    "    return np.maximum(W @ A_prev.T + b, 0)")
    verdict, message = task.judge(answer)
    assert verdict == "wrong" and "W @ A_prev.T + b" in message
    tasks = Tasks("02_forward_propagation")
    assert printed(tasks.check, "dense_relu", answer) == f"✗ dense_relu: {message}\n"
    assert tasks.state["dense_relu"] == "wrong"


# -- the tasks are data ------------------------------------------------------------------------
TASK_TEXT = '''
shape (value)
    title: the shape of W[2]
    expected: (3, 4)
    rtol: 1e-2
    hint: one row per unit,
        one column per input.
    wrong (4, 3): that is the transpose.
    wrong tempting: $said

guess (prediction)
    title: what happens
    choice a: this
    choice b: that
    answer: b
    why: because.
    wrong a: not this.

write (function)
    title: a function
    check: he_std
'''


def test_a_task_text_reads_into_the_task_objects():
    """Literals by ast.literal_eval, other values and the check by name, $name in a sentence
    from ``said``, lines indented by 8 joined to their field."""
    tasks = read_tasks(TASK_TEXT, values={"tempting": 2.5, "he_std": INIT.he_std},
                       said={"said": "a sentence said elsewhere."})
    assert tasks == {
        "shape": ValueTask(title="the shape of W[2]", expected=(3, 4), rtol=0.01,
                           hint="one row per unit, one column per input.",
                           wrong=[((4, 3), "that is the transpose."),
                                  (2.5, "a sentence said elsewhere.")]),
        "guess": Prediction(title="what happens", choices={"a": "this", "b": "that"},
                            answer="b", why="because.", wrong={"a": "not this."}),
        "write": FunctionTask(title="a function", check=INIT.he_std),
    }


@pytest.mark.parametrize(("old", "new", "line", "problem"), [
    ("shape (value)", "shape (values)", 1, "expected `name (kind)`"),
    ("write (function)", "shape (function)", 18, "a second task named 'shape'"),
    ("    rtol: 1e-2", "    tolerance: 1e-2", 4, "expected `key: text` with key one of"),
    ("    expected: (3, 4)", "    expected: (3, 4", 3, "neither a Python literal nor one of"),
    ("    wrong tempting:", "    wrong missing:", 8, "'missing' is neither a Python literal"),
    ("$said", "$unsaid", 8, "is not one of those said"),
    ("    answer: b", "    answer: c", 14, "the answer is not one of the choices"),
    ("    wrong a: not this.", "    wrong b: not this.", 16, "must name a choice other than"),
    ("    check: he_std", "    check: tempting", 20, "'tempting' is not a Check"),
    ("    title: what happens", "    title: what happens\n    title: twice", 12,
     "a second `title`"),
    ("    choice a: this", "    choice: this", 12, "`choice` takes an argument"),
    ("    title: a function", "        a function", 19, "continues a field, but none precedes"),
    ("    title: a function", "   title: a function", 19, "a line indented by 4 or 8"),
])
def test_a_malformed_task_text_names_its_line(old, new, line, problem):
    text = TASK_TEXT.replace(old, new)
    with pytest.raises(ValueError, match=rf"^tasks line {line}, .*{re.escape(problem)}"):
        read_tasks(text, values={"tempting": 2.5, "he_std": INIT.he_std},
                   said={"said": "a sentence said elsewhere."})


def test_a_task_without_a_field_it_needs_names_its_entry():
    text = TASK_TEXT.replace("    hint: one row per unit,\n        one column per input.\n", "")
    with pytest.raises(ValueError, match=r"^tasks line 1, 'shape \(value\)': a value task "
                                         r"needs `hint`"):
        read_tasks(text, values={"tempting": 2.5, "he_std": INIT.he_std},
                   said={"said": "a sentence said elsewhere."})


def test_a_malformed_task_module_fails_at_import(tmp_path, monkeypatch):
    """A notebook's task module cannot lose a task silently: its text is read at import."""
    (tmp_path / "a_task_module.py").write_text(
        "from nnlib_checks.your_turn import read_tasks\n\n"
        "TASKS = read_tasks('''\nupdates (value)\n    title: the updates\n"
        "    expected: 100\n    hint: count them\n    wrong 5 one epoch's\n''')\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("a_task_module", None)
    with pytest.raises(ValueError, match=r"tasks line 5, \"wrong 5 one epoch's\": expected "
                                         r"`key: text`"):
        importlib.import_module("a_task_module")
