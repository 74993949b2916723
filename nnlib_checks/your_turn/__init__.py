"""Your-turn tasks in the course notebooks: small hands-on moments, each with an instant check.

    from nnlib_checks.your_turn import Tasks
    tasks = Tasks("01_initialization")           # once, near the top of the notebook

    def he_std(n_in):                            # a your-turn cell: the learner writes a line
        return ...
    tasks.check("he_std", he_std)                # ✓, ✗ with the mistake named, or ⏳ waiting

    prediction = ...                             # a predict-then-run task: "a", "b" or "c"
    tasks.check("zero_init_prediction", prediction)

    tasks.progress()                             # the last cell: how many tasks are done

An untouched task (its ``...`` still in place) is "waiting", never an error, so a notebook runs
top to bottom before anybody has written a line. The checks print; they never raise: a wrong
answer is a sentence, not a stopped notebook. Function tasks reuse the exercises' checking
engine (``Check``, its cases and its catalogue of named mistakes); a task's module lives beside
this file, one per notebook, and lists its tasks in ``TASKS``.
"""

import importlib
from dataclasses import dataclass, field

import numpy as np

from ..engine import Check, call

NOTEBOOKS = {
    "01_initialization": "initialization",
    "02_forward_propagation": "forward_propagation",
    "03_loss": "loss",
    "04_backpropagation": "backpropagation",
    "05_parameter_update": "parameter_update",
    "06_iteration": "iteration",
    "07_putting_it_together": "putting_it_together",
}

WAITING = "waiting for your answer: replace the ... and run this cell again."


@dataclass
class FunctionTask:
    """Write a function; ``check`` (an exercise-style ``Check``) judges it on several inputs."""

    title: str
    check: Check

    def judge(self, answer):
        if answer is Ellipsis:
            return "waiting", WAITING
        if not callable(answer):
            return "wrong", f"expected a function; got {type(answer).__name__}."
        # Untouched, the function still returns its `...`; an error is the check's to report.
        if call(answer, self.check.cases(False)[0]).value is Ellipsis:
            return "waiting", WAITING
        problem = self.check.find_problem(answer)
        return ("done", "right.") if problem is None else ("wrong", problem[1])


@dataclass
class ValueTask:
    """Compute a value (a number, a shape, an array). ``wrong`` maps a tempting wrong value to
    the sentence that explains it; ``hint`` is said for any other wrong value."""

    title: str
    expected: object
    hint: str
    wrong: list = field(default_factory=list)  # [(value, message)]
    rtol: float = 1e-6

    def _same(self, a, b):
        try:
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        except (TypeError, ValueError):
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=self.rtol, atol=1e-12))

    def judge(self, answer):
        if answer is Ellipsis:
            return "waiting", WAITING
        if isinstance(answer, str):
            return "wrong", f"give a number or a tuple of numbers, not the text {answer!r}."
        if self._same(answer, self.expected):
            return "done", "right."
        for value, message in self.wrong:
            if self._same(answer, value):
                return "wrong", message
        return "wrong", self.hint


@dataclass
class Prediction:
    """Predict before you run: ``choices`` {letter: statement}; ``answer`` the right letter;
    ``why`` the explanation (a sentence) shown once a prediction is made, right or wrong;
    ``wrong`` an extra sentence for a tempting wrong letter."""

    title: str
    choices: dict
    answer: str
    why: str
    wrong: dict = field(default_factory=dict)

    def judge(self, answer):
        if answer is Ellipsis:
            return "waiting", WAITING
        letter = str(answer).strip().lower().strip("().")
        if letter not in self.choices:
            options = ", ".join(f'"{c}"' for c in self.choices)
            return "wrong", f"answer with one of {options}; got {answer!r}."
        if letter == self.answer:
            return "done", f"right. {self.why}"
        extra = f"{self.wrong[letter]} " if letter in self.wrong else ""
        return "wrong", (f"not quite: the answer is ({self.answer}). {extra}{self.why} "
                         f"Now run the next cell and see it happen.")


SYMBOLS = {"done": "✓", "wrong": "✗", "waiting": "⏳"}


class Tasks:
    """The your-turn tasks of one notebook, and which of them the learner has done."""

    def __init__(self, notebook):
        if notebook not in NOTEBOOKS:
            raise ValueError(f"notebook must be one of {', '.join(NOTEBOOKS)}; got {notebook!r}")
        module = importlib.import_module(f"{__name__}.{NOTEBOOKS[notebook]}")
        self.notebook, self.tasks = notebook, module.TASKS
        self.state = dict.fromkeys(self.tasks, "waiting")

    def check(self, name, answer):
        """Judge ``answer`` for task ``name`` and print one line."""
        if name not in self.tasks:
            raise KeyError(f"{self.notebook} has no task {name!r}; its tasks are "
                           f"{', '.join(self.tasks)}")
        verdict, message = self.tasks[name].judge(answer)
        self.state[name] = verdict
        print(f"{SYMBOLS[verdict]} {name}: {message}")

    def progress(self):
        """How many of this notebook's tasks are done, and which are still open."""
        done = [name for name, verdict in self.state.items() if verdict == "done"]
        still = [name for name in self.tasks if name not in done]
        line = f"Your turn: {len(done)} of {len(self.tasks)} tasks of this notebook done."
        if still:
            line += " Still open: " + ", ".join(f"{n} ({self.tasks[n].title})" for n in still)
            line += "."
        print(line)
