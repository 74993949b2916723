"""The mistake catalogue as data: each check has one solution written the way a learner would
write it, and every catalogued mistake is that solution with a few textual edits, read from a
catalogue text and compiled into a function at import — so an edit that no longer applies
(the solution changed under it) fails right there, loudly.

    DENSE = Solution(dense_backward_solution, "dense")
    DENSE_MISTAKES = DENSE.catalogue('''
    dA_prev_W_transposed
        dA_prev = δ W, shape (m, n_in): δ @ W.T does not line up.
        - delta @ W
        + delta @ W.T
    ''')
"""

import ast
import inspect
import linecache
import re
import string
import textwrap

import numpy as np

from nnlib.language import say

from .engine import Mistake


def _source_of(function):
    """The source of ``function``, dedented, without its docstring."""
    source = textwrap.dedent(inspect.getsource(function))
    first = ast.parse(source).body[0].body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str):
        lines = source.splitlines(True)
        del lines[first.lineno - 1:first.end_lineno]
        source = "".join(lines)
    return source


def _indent(line):
    return line[:len(line) - len(line.lstrip())]


def apply_edit(source, old, new):
    """``source`` with the one occurrence of ``old`` replaced by ``new``. Lines after the first
    of ``old`` and of ``new`` are written flush left: they take the indentation of the line the
    occurrence starts on. Raises ValueError unless ``old`` occurs exactly once."""
    found = []
    for indent in sorted({_indent(line) for line in source.splitlines()}):
        target = old.replace("\n", "\n" + indent)
        start = source.find(target)
        while start != -1:
            if _indent(source[source.rfind("\n", 0, start) + 1:]) == indent:
                found.append((start, target, new.replace("\n", "\n" + indent)))
            start = source.find(target, start + 1)
    if len(found) != 1:
        raise ValueError(f"the edit {old!r} → {new!r} does not apply: {old!r} occurs "
                         f"{len(found)} times in the source, where it must occur exactly once")
    start, target, replacement = found[0]
    return source[:start] + replacement + source[start + len(target):]


_NAME = re.compile(r"(\w+)(?: \((probe|inplace)(?:: (\w+))?\))?")


def read_catalogue(text):
    """[(name, message, kind, arg, [(old, new), ...])] from a catalogue text, one entry per
    mistake:

        dW_transposed                                      ← its name, at the margin
            check the transpose — dW = 1/m δᵀ A_prev has   ← its message, indented by 4 (the
            the shape of W, (n_out, n_in).                    lines are joined with spaces)
            - delta.T @ A_prev                             ← an edit: the text to replace ("-"
            + A_prev.T @ delta                                lines), then its replacement ("+")

    A name may carry its kind: ``name (probe)`` or ``name (inplace: arg)``. An edit's lines keep
    their indentation relative to its first line; an edit without "+" lines deletes the text; a
    new "-" line after a "+" line, or a blank line, starts the next edit. A message line may not
    begin with "- " or "+ ". Anything else is a ValueError that names the line.
    """
    entries, edit = [], None  # edit: the (old lines, new lines) being read
    for number, line in enumerate(textwrap.dedent(text).strip("\n").splitlines(), start=1):
        where = f"catalogue line {number}, {line.strip()!r}"
        body = line[4:] if line.startswith("    ") else None
        if not line.strip():
            edit = None
        elif not line.startswith(" "):
            match = _NAME.fullmatch(line)
            if match is None or (match[2] == "inplace") != bool(match[3]):
                raise ValueError(f"{where}: expected `name`, `name (probe)` or "
                                 f"`name (inplace: arg)`")
            entries.append((match[1], [], match[2] or "value", match[3], []))
            edit = None
        elif not entries or body is None:
            raise ValueError(f"{where}: expected an entry's name, or a line indented by 4")
        elif body[:2] in ("- ", "+ ") or body in ("-", "+"):
            sign, code = body[0], body[2:].rstrip()
            if sign == "-" and (edit is None or edit[1]):
                edit = ([], [])
                entries[-1][4].append(edit)
            elif edit is None:
                raise ValueError(f"{where}: a \"+\" line needs the \"-\" lines it replaces")
            (edit[0] if sign == "-" else edit[1]).append(code)
        elif entries[-1][4]:
            raise ValueError(f"{where}: the message comes before the edits")
        else:
            entries[-1][1].append(line.strip())
    for name, message, _, _, edits in entries:
        if not message or not edits:
            raise ValueError(f"catalogue entry {name!r} needs a message and at least one edit")
    return [(name, " ".join(message), kind, arg,
             [("\n".join(old), "\n".join(new)) for old, new in edits])
            for name, message, kind, arg, edits in entries]


class Solution:
    """A check's answer written the way a learner would write it, in plain NumPy, and the
    factory of its catalogue: every catalogued mistake is this source with a few edits.

    Each variant is compiled at once (see ``read_catalogue`` and ``apply_edit``), as the
    function ``{prefix}_{name}`` in a namespace holding only ``namespace`` (NumPy by default),
    so an edit that no longer applies fails at import. Its source is registered in linecache,
    as IPython registers a cell's, so that ``inspect.getsource`` reads it.
    """

    def __init__(self, function, prefix, namespace=None):
        self.function, self.prefix = function, prefix
        self.namespace = {"np": np} if namespace is None else namespace
        self.source = _source_of(function)

    def variant(self, name, edits):
        """The solution with ``edits`` [(old, new), ...] applied, as the function
        ``{prefix}_{name}``."""
        source = self.source
        for old, new in edits:
            try:
                source = apply_edit(source, old, new)
            except ValueError as err:
                raise ValueError(f"mistake {name!r} of {self.function.__name__}: {err}") from None
        fn_name = f"{self.prefix}_{name}"
        source = re.sub(rf"^def {self.function.__name__}\(", f"def {fn_name}(", source)
        filename = f"<{self.function.__module__}: {fn_name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace = dict(self.namespace)
        exec(compile(source, filename, "exec"), namespace)
        return namespace[fn_name]

    def catalogue(self, text, **shared):
        """The ``Mistake``s of a catalogue text (see ``read_catalogue``); ``$NAME`` in it stands
        for ``shared[NAME]``, e.g. a message two checks share."""
        entries = read_catalogue(string.Template(text).substitute(shared))
        return tuple(Mistake(name, message, self.variant(name, edits), kind, arg)
                     for name, message, kind, arg, edits in entries)


def named(mistakes, name, **fields):
    """(name, message) of the catalogued mistake ``name``, as a probe or ``accept`` reports
    it: the message in the current language, filled in with ``fields`` (a catalogue message
    is a format template, so ``format`` also turns its {{ }} back into braces)."""
    return name, say({m.name: m.message for m in mistakes}[name]).format(**fields)


def variants_by_name(checks):
    """A module ``__getattr__`` giving every catalogued variant of ``checks`` by its function
    name, e.g. ``loss.mse_no_half``."""
    variants = {}
    for check in checks.values():
        for mistake in check.mistakes:
            fn = variants.setdefault(mistake.variant.__name__, mistake.variant)
            if fn is not mistake.variant:
                raise ValueError(f"two catalogued variants are named {fn.__name__}")

    def lookup(name):
        if name not in variants:
            raise AttributeError(f"no catalogued variant named {name!r}")
        return variants[name]
    return lookup
