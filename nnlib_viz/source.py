"""The library's own lines on the page: ``show_source(nnlib.Dense.forward)``.

A notebook that teaches a step shows the few lines of nnlib that do it, read from the installed
library when the cell runs — so what the page shows is what runs, and cannot drift from it (a
change to the library changes the cell's output, and the notebook tests notice).
"""

import ast
import inspect
import textwrap
from pathlib import Path

from nnlib.language import say


class LibrarySource:
    """The source of one function, method or class, with where it lives.

    ``docstring=False`` leaves the docstring out, so a long explanation does not hide the code
    (the docstring is in the library, one ``help()`` away). Shown as highlighted Python in
    JupyterLab and on GitHub (Markdown), and as plain text elsewhere.
    """

    def __init__(self, obj, docstring=True):
        lines, first = inspect.getsourcelines(obj)
        module = inspect.getmodule(obj)
        package = Path(inspect.getfile(module)).resolve()
        top = module.__name__.split(".")[0]
        root = next(p for p in package.parents if p.name == top)
        self.path = package.relative_to(root.parent).as_posix()
        self.name = obj.__qualname__
        if not docstring:
            lines, first = _without_docstring(obj, lines, first)
        self.first, self.last = first, first + len(lines) - 1
        self.code = textwrap.dedent("".join(lines)).rstrip("\n")

    @property
    def header(self):
        return say("{name} — {path}, lines {first}–{last}", name=self.name, path=self.path,
                   first=self.first, last=self.last)

    def _repr_markdown_(self):
        return f"`{self.header}`\n\n```python\n{self.code}\n```"

    def __repr__(self):
        return f"# {self.header}\n{self.code}"


def _without_docstring(obj, lines, first):
    """The lines of ``obj`` with its docstring cut out (the signature stays)."""
    doc = inspect.getdoc(obj)
    if not doc:
        return lines, first
    node = ast.parse(textwrap.dedent("".join(lines))).body[0]
    start, end = node.body[0].lineno - 1, node.body[0].end_lineno  # the docstring's lines
    return lines[:start] + lines[end:], first


def show_source(obj, docstring=True):
    """Show the source of ``obj`` (a function, method or class of nnlib) as it runs now."""
    return LibrarySource(obj, docstring=docstring)
