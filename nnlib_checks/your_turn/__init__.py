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
this file, one per notebook, and declares its tasks as data — one text read by ``read_tasks``
into ``TASKS``. Every sentence is said in the notebook's language (``nnlib.language``): the
texts are English templates, translated when the check speaks.
"""

import ast
import importlib
import re
import string
import textwrap
from dataclasses import dataclass, field

import numpy as np

from nnlib.language import say

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
RIGHT = "right."


@dataclass
class FunctionTask:
    """Write a function; ``check`` (an exercise-style ``Check``) judges it on several inputs."""

    title: str
    check: Check

    def judge(self, answer):
        if answer is Ellipsis:
            return "waiting", say(WAITING)
        if not callable(answer):
            return "wrong", say("expected a function; got {type}.", type=type(answer).__name__)
        # Untouched, the function still returns its `...`; an error is the check's to report.
        if call(answer, self.check.cases(False)[0]).value is Ellipsis:
            return "waiting", say(WAITING)
        problem = self.check.find_problem(answer)
        return ("done", say(RIGHT)) if problem is None else ("wrong", problem[1])

    def texts(self):
        """The English templates this task says (the check's own are the check's)."""
        return [self.title]


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
            return "waiting", say(WAITING)
        if isinstance(answer, str):
            return "wrong", say("give a number or a tuple of numbers, not the text {text}.",
                                text=repr(answer))
        if self._same(answer, self.expected):
            return "done", say(RIGHT)
        for value, message in self.wrong:
            if self._same(answer, value):
                return "wrong", say(message)
        return "wrong", say(self.hint)

    def texts(self):
        return [self.title, self.hint] + [message for _, message in self.wrong]


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
            return "waiting", say(WAITING)
        letter = str(answer).strip().lower().strip("().")
        if letter not in self.choices:
            options = ", ".join(f'"{c}"' for c in self.choices)
            return "wrong", say("answer with one of {options}; got {answer}.", options=options,
                                answer=repr(answer))
        if letter == self.answer:
            return "done", say("right. {why}", why=say(self.why))
        if letter in self.wrong:
            return "wrong", say("not quite: the answer is ({answer}). {extra} {why} Now run the "
                                "next cell and see it happen.", answer=self.answer,
                                extra=say(self.wrong[letter]), why=say(self.why))
        return "wrong", say("not quite: the answer is ({answer}). {why} Now run the next cell "
                            "and see it happen.", answer=self.answer, why=say(self.why))

    def texts(self):
        return [self.title, *self.choices.values(), self.why, *self.wrong.values()]


SYMBOLS = {"done": "✓", "wrong": "✗", "waiting": "⏳"}


class Tasks:
    """The your-turn tasks of one notebook, and which of them the learner has done."""

    def __init__(self, notebook):
        if notebook not in NOTEBOOKS:
            raise ValueError(say("notebook must be one of {notebooks}; got {notebook}",
                                 notebooks=", ".join(NOTEBOOKS), notebook=repr(notebook)))
        module = importlib.import_module(f"{__name__}.{NOTEBOOKS[notebook]}")
        self.notebook, self.tasks = notebook, module.TASKS
        self.state = dict.fromkeys(self.tasks, "waiting")

    def check(self, name, answer):
        """Judge ``answer`` for task ``name`` and print one line."""
        if name not in self.tasks:
            raise KeyError(say("{notebook} has no task {name}; its tasks are {tasks}",
                               notebook=self.notebook, name=repr(name),
                               tasks=", ".join(self.tasks)))
        verdict, message = self.tasks[name].judge(answer)
        self.state[name] = verdict
        print(f"{SYMBOLS[verdict]} {name}: {message}")

    def progress(self):
        """How many of this notebook's tasks are done, and which are still open."""
        done = [name for name, verdict in self.state.items() if verdict == "done"]
        still = [name for name in self.tasks if name not in done]
        line = say("Your turn: {done} of {total} tasks of this notebook done.", done=len(done),
                   total=len(self.tasks))
        if still:
            line += say(" Still open: {tasks}.", tasks=", ".join(
                f"{n} ({say(self.tasks[n].title)})" for n in still))
        print(line)


# -- tasks as data -----------------------------------------------------------------------------
_ENTRY = re.compile(r"(\w+) \((\w+)\)")
_FIELD = re.compile(r"(\w+)(?: (.+?))?: (.*)")
_KINDS = {  # kind: {key: (required, repeated)}
    "value": {"title": (True, False), "expected": (True, False), "hint": (True, False),
              "wrong": (False, True), "rtol": (False, False)},
    "prediction": {"title": (True, False), "choice": (True, True), "answer": (True, False),
                   "why": (True, False), "wrong": (False, True)},
    "function": {"title": (True, False), "check": (True, False)},
}
_TEXTS = {"title", "hint", "why", "choice", "wrong"}  # keys whose text is a sentence


def _value(text, values, where):
    """A Python literal, or the name of one of ``values``."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        if text.isidentifier() and text in values:
            return values[text]
    raise ValueError(f"{where}: {text!r} is neither a Python literal nor one of the values "
                     f"given ({', '.join(values) or 'none'})")


def read_tasks(text, values=None, said=None):
    """{name: task} from a text that declares a notebook's tasks, one entry each:

        w2_shape (value)                                   ← its name and kind, at the margin:
            title: the shape of W[2] for sizes [2, 4, 3, 2]   value, prediction or function
            expected: (3, 4)                               ← a field, indented by 4: `key: text`
            hint: W[l] has one row per unit of layer l and
                one column per input from layer l − 1.     ← more of it, indented by 8
            wrong (4, 3): that is the transpose: …         ← `key argument: text`

    A value task has a title, ``expected``, a hint, any number of ``wrong <value>: sentence``
    and may have ``rtol``; a prediction a title, ``choice <letter>: statement`` (two or more),
    ``answer``, ``why`` and any ``wrong <letter>: sentence``; a function task a title and
    ``check``. Values (expected, rtol, a wrong value, the check) are Python literals read with
    ``ast.literal_eval``, or the name of an object in ``values``; in a sentence ``$name`` stands
    for ``said[name]`` (e.g. a message of the exercise's catalogue). An argument may not contain
    ": ". Anything else is a ValueError that names the line.
    """
    values, said = values or {}, said or {}
    entries, last = [], None  # entries: [(name, kind, where, [(key, arg, [text], where)])]
    for number, line in enumerate(textwrap.dedent(text).strip("\n").splitlines(), start=1):
        where = f"tasks line {number}, {line.strip()!r}"
        if not line.strip():
            last = None
        elif not line.startswith(" "):
            match = _ENTRY.fullmatch(line)
            if match is None or match[2] not in _KINDS:
                raise ValueError(f"{where}: expected `name (kind)` with kind one of "
                                 f"{', '.join(_KINDS)}")
            if any(match[1] == name for name, *_ in entries):
                raise ValueError(f"{where}: a second task named {match[1]!r}")
            entries.append((match[1], match[2], where, []))
            last = None
        elif not entries:
            raise ValueError(f"{where}: a field before the first task's name")
        elif line.startswith(" " * 8) and not line[8].isspace():
            if last is None:
                raise ValueError(f"{where}: a line indented by 8 continues a field, but none "
                                 f"precedes it")
            last[2].append(line.strip())
        elif line.startswith(" " * 4) and not line[4].isspace():
            match = _FIELD.fullmatch(line[4:].rstrip())
            keys = _KINDS[entries[-1][1]]
            if match is None or match[1] not in keys:
                raise ValueError(f"{where}: expected `key: text` with key one of "
                                 f"{', '.join(keys)}")
            last = (match[1], match[2], [match[3]], where)
            entries[-1][3].append(last)
        else:
            raise ValueError(f"{where}: expected a name at the margin, or a line indented by 4 "
                             f"or 8")
    return {name: _task(kind, fields, where, values, said)
            for name, kind, where, fields in entries}


def _task(kind, fields, where, values, said):
    """One task from its fields [(key, argument, [text lines], where)]."""
    keys = _KINDS[kind]
    found = {key: [] for key in keys}
    for key, arg, lines, at in fields:
        text = " ".join(lines)
        if key in _TEXTS:
            try:
                text = string.Template(text).substitute(said)
            except (KeyError, ValueError) as err:
                raise ValueError(f"{at}: $-name {err} is not one of those said "
                                 f"({', '.join(said) or 'none'})") from None
        if (arg is not None) != (key in ("wrong", "choice")):
            raise ValueError(f"{at}: `{key}` " + ("takes an argument, `key argument: text`"
                                                  if arg is None else "takes no argument"))
        if found[key] and not keys[key][1]:
            raise ValueError(f"{at}: a second `{key}`")
        found[key].append((arg, text, at))
    for key, (required, _) in keys.items():
        if required and not found[key]:
            raise ValueError(f"{where}: a {kind} task needs `{key}`")
    one = {key: found[key][0][1] for key in keys if found[key] and not keys[key][1]}
    at = {key: found[key][0][2] for key in keys if found[key] and not keys[key][1]}
    if kind == "function":
        check = _value(one["check"], values, at["check"])
        if not isinstance(check, Check):
            raise ValueError(f"{at['check']}: {one['check']!r} is not a Check")
        return FunctionTask(title=one["title"], check=check)
    if kind == "value":
        extra = {"rtol": float(_value(one["rtol"], values, at["rtol"]))} if "rtol" in one else {}
        return ValueTask(title=one["title"], expected=_value(one["expected"], values,
                                                             at["expected"]),
                         hint=one["hint"], wrong=[(_value(arg, values, w), text)
                                                  for arg, text, w in found["wrong"]], **extra)
    choices = {arg: text for arg, text, _ in found["choice"]}
    if len(choices) < 2 or len(choices) != len(found["choice"]):
        raise ValueError(f"{where}: a prediction needs two or more choices, each letter once")
    if one["answer"] not in choices:
        raise ValueError(f"{at['answer']}: the answer is not one of the choices "
                         f"{', '.join(choices)}")
    for letter, _, w in found["wrong"]:
        if letter not in choices or letter == one["answer"]:
            raise ValueError(f"{w}: `wrong {letter}` must name a choice other than the answer")
    return Prediction(title=one["title"], choices=choices, answer=one["answer"], why=one["why"],
                      wrong={letter: text for letter, text, _ in found["wrong"]})
