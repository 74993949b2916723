"""What the your-turn tests share (``nnlib_checks.your_turn``); not a test module itself.

``MODULES`` holds every notebook's task module, as ``nnlib_checks.your_turn.NOTEBOOKS`` lists
them. A learner's answer is built as a notebook builds it: ``execute`` runs a cell's source in a
fresh namespace holding NumPy (and the notebook's ``tasks`` when the cell checks one), with the
source registered in linecache as IPython registers a cell's, so an error can quote its line.
``your_turn_cells`` reads a notebook's your-turn cells with the worked answers that follow them,
and ``filled_in`` fills a cell's blank from its worked answer, as a learner would.

``test_your_turn`` holds the tests every task module gets, ``test_your_turn_framework`` those of
the rules themselves, and each ``test_your_turn_<module>`` what is particular to one notebook.
"""

import contextlib
import functools
import importlib
import inspect
import io
import itertools
import json
import linecache
import re
from pathlib import Path

import numpy as np

from nnlib_checks.your_turn import NOTEBOOKS

ROOT = Path(__file__).resolve().parents[2]
MODULES = {notebook: importlib.import_module(f"nnlib_checks.your_turn.{module}")
           for notebook, module in NOTEBOOKS.items()}
_CELLS = itertools.count()


def execute(source, **namespace):
    """The namespace after running ``source`` as a notebook cell, with NumPy as ``np`` and
    ``namespace`` at hand."""
    filename = f"<your-turn cell {next(_CELLS)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np, **namespace}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def submit(source, **namespace):
    """The function a cell defines (its first ``def``), as the learner hands it to a check."""
    return execute(source, **namespace)[re.search(r"^def (\w+)", source, re.M)[1]]


def as_submission(function):
    """A solution or a catalogued variant, handed in from its source as a learner's cell."""
    return submit(inspect.getsource(function))


def printed(function, *args, **kwargs):
    """What ``function(*args, **kwargs)`` prints."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        function(*args, **kwargs)
    return out.getvalue()


def run_cell(source, tasks):
    """What the cell prints when it runs with ``tasks`` (a notebook's ``Tasks``) at hand."""
    return printed(execute, source, tasks=tasks)


@functools.cache
def cells(notebook):
    """The cells of ``notebooks/<notebook>.ipynb``, as stored."""
    return json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text("utf-8"))["cells"]


def your_turn_cells(notebook):
    """{task name: (the your-turn cell's source, the worked answer's text)} of a notebook, in
    the notebook's order."""
    stored, found = cells(notebook), {}
    for i, cell in enumerate(stored):
        if "your-turn" in cell["metadata"].get("tags", []):
            source = "".join(cell["source"])
            name = re.search(r'tasks\.check\("(\w+)"', source)[1]
            found[name] = (source, "".join(stored[i + 1]["source"]))
    return found


def filled_in(source, worked):
    """The your-turn cell with its ``...`` filled in from the worked answer, as a learner would:
    the worked answer's code replaces the line of the blank (and the stub's whole function, when
    the blank is inside one), its `name = value` or its letter replaces the ``...``; the cell's
    setup lines (the data a task works on) and its check stay."""
    lines = source.splitlines()
    k = next(i for i, line in enumerate(lines) if re.search(r"(=|return) \.\.\.", line))
    code = re.search(r"```python\n(.*?)```", worked, re.S)
    letter = re.search(r"</summary>\s*\(([a-z])\)\.", worked)
    var = lines[k].split("=")[0].strip()
    if code:
        answer = code[1].rstrip("\n").splitlines()
    elif letter:
        answer = [f'{var} = "{letter[1]}"']
    else:
        answer = [f"{var} = " + re.search(rf"`{var} = ([^`]+)`", worked)[1]]
    start = k
    if lines[k].startswith(" "):  # the blank is inside the stub: the answer is the function
        start = max(i for i in range(k) if lines[i].startswith("def "))
    return "\n".join(lines[:start] + answer + lines[k + 1:])
