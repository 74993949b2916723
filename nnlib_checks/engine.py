"""The checking engine behind every exercise: run an answer, and when it is wrong, say which
known mistake it makes.

A ``Check`` knows one function of an exercise: a reference answer (taken from the nnlib core),
the inputs to try (``Case``), and a catalogue of ``Mistake``s — each a buggy variant of the
check's one learner-style solution, plus the sentence that names the mistake (``mistakes``
builds the catalogue from edits of the solution). Calling the check on a learner's function
runs it on every case and compares, in this order:

1. the answer calls nnlib (or another library that does the work) instead of NumPy;
2. the answer raised, or returned the wrong structure or shapes — shape errors come first;
3. the answer changed one of its inputs in place;
4. the answer returned wrong values;
5. property probes (e.g. the same seed must give the same weights).

At steps 2–4 the learner's outcome is compared with every catalogued variant's outcome on the
same inputs; a match gives that mistake's message, otherwise a generic message says what and
where. A passing answer prints one line; a failing one raises ``Feedback`` (an AssertionError)
whose text is one short paragraph in the course's notation.

Every sentence a learner reads is an English template said through ``nnlib.language.say`` when
the message is made, so a notebook that chose Chinese gets Chinese feedback
(``nnlib_checks/zh.json``): the engine's own sentences below, the catalogue's messages (a
template filled in with the case's ``info``), the hints, the names of the results and the
labels of the cases. Code, the names of functions and arguments, numbers, shapes and the
errors Python and NumPy raise are said as they are.
"""

import ast
import builtins
import copy
import inspect
import linecache
import re
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnlib.language import say


class Feedback(AssertionError):  # noqa: N818 — it is feedback, not an internal error
    """A failed check. ``mistake`` is the catalogue name of the mistake found (None when the
    answer is wrong in a way the catalogue does not know); ``text`` is the message."""

    def __init__(self, function, text, mistake=None):
        self.function, self.text, self.mistake = function, text, mistake
        super().__init__(f"✗ {function}: {text}")

    def _render_traceback_(self):
        """IPython shows this instead of a traceback through the checker's internals: the
        learner needs the message, not our stack."""
        return [f"\x1b[0;31mFeedback\x1b[0m: {self}"]


@dataclass(frozen=True)
class Mistake:
    """One known mistake: ``variant`` is an answer that makes it (NumPy only, self-contained, so
    the tests can run it exactly as a learner's notebook would; ``mistakes.Solution`` makes it
    from edits of the check's solution), ``message`` names it.

    ``kind`` says how it is recognised: "value" (the learner's outcome — value, shapes or raised
    error — equals the variant's), "inplace" (the learner changed argument ``arg``), or "probe"
    (a property probe of the check reports it). ``message`` may use the case's ``info`` fields,
    e.g. ``{m}``: it is an English template, translated into the notebook's language before it
    is filled in.
    """

    name: str
    message: str
    variant: Callable
    kind: str = "value"
    arg: str | None = None


@dataclass
class Case:
    """One input to try: ``args`` (deep-copied for every call), a readable ``label`` and
    ``info`` fields for messages (e.g. m, the batch size)."""

    args: tuple
    label: str
    info: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    args_after: tuple = ()


def call(fn, case):
    """Run ``fn`` on a fresh deep copy of the case's inputs. Floating-point warnings are
    silenced (overflow shows up as inf/NaN in the result, which the checks look at)."""
    args = copy.deepcopy(case.args)
    kwargs = copy.deepcopy(case.kwargs)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = fn(*args, **kwargs)
    except Exception as err:  # the learner's error is feedback, not a crash of the check
        return Outcome(error=err, args_after=args)
    return Outcome(value=value, args_after=args)


# -- comparing results -------------------------------------------------------------------------
def _is_seq(x):
    return isinstance(x, (tuple, list))


def _as_array(x):
    """x as a numeric or boolean ndarray, or None when it is not array-like."""
    if isinstance(x, (np.ndarray, np.generic, int, float, bool)):
        arr = np.asarray(x)
        return arr if arr.dtype.kind in "biuf" else None
    return None


def signature(x):
    """The structure and shapes of a result, without its values."""
    if _is_seq(x):
        return ("seq", len(x), tuple(signature(v) for v in x))
    if isinstance(x, dict):
        return ("dict", tuple(sorted(map(str, x))), tuple(signature(x[k]) for k in sorted(x)))
    arr = _as_array(x)
    if arr is None:
        return ("other", type(x).__name__)
    return ("array", arr.shape)


def close(a, b, rtol, atol):
    """Whether two results agree: same structure, same shapes, values within tolerance (NaN and
    inf count as equal to themselves, so a buggy variant's NaN matches a learner's NaN)."""
    if signature(a) != signature(b):
        return False
    if _is_seq(a):
        return all(close(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, dict):
        return all(close(a[k], b[k], rtol, atol) for k in a)
    x, y = _as_array(a), _as_array(b)
    if x is None:
        return a == b
    if x.dtype.kind in "biu" and y.dtype.kind in "biu" or "b" in (x.dtype.kind, y.dtype.kind):
        return np.array_equal(x, y)
    return bool(np.allclose(x.astype(float), y.astype(float), rtol=rtol, atol=atol,
                            equal_nan=True))


def identical(a, b):
    """Exact equality, for telling whether an input was modified in place. Objects that are
    not numbers or containers of numbers (e.g. a random Generator) are not compared."""
    if _is_seq(a) or isinstance(a, dict):
        if signature(a) != signature(b):
            return False
        items = zip(a, b) if _is_seq(a) else ((a[k], b[k]) for k in a)
        return all(identical(x, y) for x, y in items)
    x, y = _as_array(a), _as_array(b)
    if x is None or y is None:
        return True
    return x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")


def first_difference(a, b, rtol, atol, path=()):
    """(path, yours, expected) of the first leaf where two same-shaped results differ."""
    if signature(a) != signature(b) and (not _is_seq(a) or not _is_seq(b) or len(a) != len(b)):
        return path, a, b
    if _is_seq(a) or isinstance(a, dict):
        keys = range(len(a)) if _is_seq(a) else sorted(a)
        for k in keys:
            found = first_difference(a[k], b[k], rtol, atol, path + (k,))
            if found:
                return found
        return None
    return None if close(a, b, rtol, atol) else (path, a, b)


def first_shape_difference(a, b, path=()):
    """(path, problem) for the first place where a result's structure or shape is wrong, with
    ``problem`` a tuple describing it; None when structure and shapes agree."""
    if _is_seq(b):
        if not _is_seq(a):
            return path, ("not_seq", len(b), type(a).__name__)
        if len(a) != len(b):
            return path, ("length", len(b), len(a))
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_shape_difference(x, y, path + (i,))
            if found:
                return found
        return None
    if isinstance(b, dict):
        if not isinstance(a, dict) or set(map(str, a)) != set(map(str, b)):
            return path, ("keys", sorted(map(str, b)), type(a).__name__ if not isinstance(a, dict)
                          else sorted(map(str, a)))
        for k in sorted(b):
            found = first_shape_difference(a[k], b[k], path + (k,))
            if found:
                return found
        return None
    want, got = _as_array(b), _as_array(a)
    if got is None:
        return path, ("not_array", want.shape, type(a).__name__)
    if got.shape != want.shape:
        return path, ("shape", want.shape, got.shape)
    return None


def agrees_where_wrong(variant, yours, expected, rtol, atol):
    """Whether ``yours`` is right wherever it is right and, wherever it is wrong, equal to
    ``variant``: part by part (e.g. a W that makes a catalogued mistake next to a b that does
    not). All three must have the same structure and shapes."""
    if not signature(variant) == signature(yours) == signature(expected):
        return False
    if _is_seq(yours):
        return all(agrees_where_wrong(v, y, e, rtol, atol)
                   for v, y, e in zip(variant, yours, expected))
    if isinstance(yours, dict):
        return all(agrees_where_wrong(variant[k], yours[k], expected[k], rtol, atol)
                   for k in yours)
    return close(yours, expected, rtol, atol) or close(yours, variant, rtol, atol)


def _learner_frame(fn, err):
    """(frame, line number, line) of the last line of the learner's own code — any function of
    the same notebook — that the error passed through; None when it passed through none."""
    namespace = getattr(fn, "__globals__", None)
    found, tb = None, err.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals is namespace:
            line = linecache.getline(frame.f_code.co_filename, tb.tb_lineno, frame.f_globals)
            found = (frame, tb.tb_lineno, line.strip()) if line.strip() else found
        tb = tb.tb_next
    return found


def _where(fn, err):
    """', in `line`' for the last line of the learner's own code that the error passed
    through, naming the function when it is another one."""
    found = _learner_frame(fn, err)
    if found is None:
        return ""
    frame, _, line = found
    name = frame.f_code.co_name
    if name != fn.__name__:
        return say(", in `{line}` (in {function})", line=line, function=name)
    return say(", in `{line}`", line=line)


def where_in_answer(fn, err):
    """', in `line`' (and the function, when another one) of the learner's code that ``err``
    passed through last, or ""."""
    return _where(fn, err)


def broadcast_shapes(err):
    """The shapes, as tuples, of a NumPy broadcasting error; None for any other error."""
    text = str(err)
    if not isinstance(err, ValueError) or "could not be broadcast" not in text:
        return None
    return [tuple(int(n) for n in re.findall(r"\d+", s))
            for s in _SHAPE.findall(text.split("shapes", 1)[-1])]


_SHAPE = re.compile(r"\([\d,\s]*\)")
_SHAPE_ERRORS = ("could not be broadcast", "mismatch in its core dimension", "not aligned",
                 "cannot reshape", "shapes", "size")


def _error_key(err):
    """What identifies an error: its type and text — for a broadcasting error its type and the
    shapes involved, in any order (``a * b`` and ``b * a`` fail alike)."""
    text = str(err).strip()
    if "could not be broadcast" in text:
        shapes = [s.replace(" ", "") for s in _SHAPE.findall(text.split("shapes", 1)[-1])]
        return type(err).__name__, "broadcast", tuple(sorted(shapes))
    return type(err).__name__, text


def _local_shapes(err):
    """{name: shape} of the arrays in the innermost frame of notebook code (a cell or a
    catalogue variant, whose file names start with "<") that ``err`` passed through."""
    frame, tb = None, err.__traceback__ if err is not None else None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("<"):
            frame = tb.tb_frame
        tb = tb.tb_next
    if frame is None:
        return {}
    return {k: v.shape for k, v in frame.f_locals.items() if isinstance(v, np.ndarray)}


def _failing_line(err):
    """The source line of the innermost notebook frame (see ``_local_shapes``) of ``err``."""
    found, tb = "", err.__traceback__ if err is not None else None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.startswith("<"):
            found = linecache.getline(code.co_filename, tb.tb_lineno,
                                      tb.tb_frame.f_globals).strip() or found
        tb = tb.tb_next
    return found


def _parse_line(line):
    """The syntax tree of one line of code — a block's header (``for …:``) too — or None."""
    for text in (line, line + "\n    pass"):
        try:
            return ast.parse(text)
        except SyntaxError:
            continue
    return None


def _matmul_operands(line):
    """{"delta.T", "A_prev"}: the operands of every @ on a line (None when it does not parse
    or has no @)."""
    tree = _parse_line(line)
    if tree is None:
        return None
    found = {ast.unparse(side) for node in ast.walk(tree)
             if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)
             for side in (node.left, node.right)}
    return found or None


def _same_matmul(a, b):
    """Two matrix-product errors come from the same product: the failing lines share an
    operand (the arguments' names are the exercise's, so a learner's line reads like a
    variant's); True when either line shows no product."""
    if "core dimension" not in str(a) and "not aligned" not in str(a):
        return True
    mine, theirs = _matmul_operands(_failing_line(a)), _matmul_operands(_failing_line(b))
    return mine is None or theirs is None or bool(mine & theirs)


def _shape_agreement(a, b):
    return sum(a[k] == b[k] for k in set(a) & set(b))


def _same_outcome(a, b, rtol, atol, exact=False):
    """Two outcomes agree: the same error — the same type and text when ``exact``, else see
    ``_error_key`` — or close values."""
    if a.error is not None or b.error is not None:
        if a.error is None or b.error is None:
            return False
        if exact:
            return type(a.error) is type(b.error) and str(a.error) == str(b.error)
        return _error_key(a.error) == _error_key(b.error)
    return close(a.value, b.value, rtol, atol)


_SAFE_NODES = (ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.Slice, ast.Tuple,
               ast.UnaryOp, ast.USub, ast.BinOp, ast.Add, ast.Sub, ast.Load)


def _arrays_on_line(frame, line):
    """[(expression, shape)] for the arrays a line of the learner's code works with — its
    names, transposes and indexed parts, evaluated in the frame where it failed (only
    expressions without calls, so nothing of the learner's runs again)."""
    tree = _parse_line(line)
    if tree is None:
        return []
    namespace = {**frame.f_globals, **frame.f_locals}
    found = {}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
            continue
        if isinstance(node, ast.Attribute) and node.attr != "T":
            continue
        if not all(isinstance(n, _SAFE_NODES) for n in ast.walk(node)):
            continue
        text = ast.unparse(node)
        if text in found:
            continue
        try:
            value = eval(compile(ast.Expression(node), "<shape>", "eval"),  # noqa: S307
                         {"__builtins__": {}}, namespace)
        except Exception:  # noqa: BLE001 — a name the line defines, or an index out of range
            continue
        if isinstance(value, np.ndarray) and value.ndim >= 1:
            found[text] = value.shape
    # in the order they appear on the line; a name whose transpose is listed adds nothing
    shown = [(t, shape) for t, shape in found.items() if f"{t}.T" not in found]
    return sorted(shown, key=lambda item: line.find(item[0]))


def _fmt(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _num(x):
    x = float(x)
    return f"{x:.6g}" if np.isfinite(x) else str(x)


def listing(items, sep=", "):
    """"a, b and c": ``items`` joined by ``sep``, the last one by "and", in the current
    language."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return say("{items} and {last}", items=sep.join(items[:-1]), last=items[-1])


def see_notebook(notebook):
    """" See notebook 04_backpropagation.", the sentence that ends a generic message."""
    return say(" See notebook {notebook}.", notebook=notebook) if notebook else ""


# -- finding library calls ---------------------------------------------------------------------
def _code_names(code):
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_names(const)


def _module_of(obj):
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, type)):
        return getattr(obj, "__module__", None) or ""
    if obj is None or isinstance(obj, (int, float, str, bool, tuple, list, dict)):
        return ""
    return type(obj).__module__ or ""


def _matches(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def library_uses(fn, forbid=("nnlib",), allow=()):
    """What ``fn`` (and the functions of the same notebook it calls) uses from the ``forbid``
    libraries, other than the ``allow``ed modules: a sorted list of readable strings.

    Looks at the names its code refers to — resolved in its globals, so an alias such as
    ``from nnlib.activations import softmax as sm`` is found — and at imports inside it; the
    source's syntax tree is read as well when the source is available.
    """
    found, seen = set(), set()

    def bad(module):
        return _matches(module, forbid) and not _matches(module, allow)

    def visit(f):
        code = getattr(f, "__code__", None)
        if code is None or code in seen:
            return
        seen.add(code)
        g = getattr(f, "__globals__", {})
        for name in _code_names(code):
            if "." in name and bad(name):  # import a.b inside the function
                found.add(name)
                continue
            if name not in g or hasattr(builtins, name) and g[name] is getattr(builtins, name):
                continue
            obj = g[name]
            module = _module_of(obj)
            if module and bad(module):
                found.add(name if module == name else f"{name} from {module}")
            elif isinstance(obj, types.FunctionType) and obj.__globals__ is g:
                visit(obj)  # a helper defined in the same notebook
        try:
            tree = ast.parse(inspect.getsource(f).strip())
        except (OSError, TypeError, SyntaxError, IndentationError):
            return
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if bad(a.name))
            elif isinstance(node, ast.ImportFrom) and node.module and bad(node.module):
                found.add(node.module)

    visit(fn)
    return sorted(found)


def notebook_functions(fn):
    """{name: function} of the functions of the same notebook that ``fn`` calls, directly or
    through other such functions (``fn`` itself not included)."""
    found, seen = {}, set()
    g = getattr(fn, "__globals__", {})

    def visit(f):
        code = getattr(f, "__code__", None)
        if code is None or code in seen:
            return
        seen.add(code)
        for name in _code_names(code):
            obj = g.get(name)
            if isinstance(obj, types.FunctionType) and obj.__globals__ is g and obj is not fn:
                found.setdefault(name, obj)
                visit(obj)

    visit(fn)
    return found


def by_depth(*names):
    """A ``describe`` for ``Check`` that names a path by its length: ``names[len(path)]``, a
    string or a function of the path's keys (the deepest name serves deeper paths too)."""
    def describe(path):
        depth = min(len(path), len(names) - 1)
        name = names[depth]
        return name(*path[:depth]) if callable(name) else say(name)
    return describe


NOT_IMPLEMENTED = "not implemented yet: replace `raise NotImplementedError()` with your code."


def _not_implemented(fn, err):
    found = _learner_frame(fn, err)
    name = found[0].f_code.co_name if found else fn.__name__
    if name in (fn.__name__, "<module>"):
        return say(NOT_IMPLEMENTED)
    return say("not implemented yet: {function} calls {helper}, which still raises "
               "NotImplementedError — write {helper} first.", function=fn.__name__, helper=name)


# -- the check ---------------------------------------------------------------------------------
@dataclass
class Check:
    """The checker for one function an exercise asks for. Call it: ``check(fn)`` prints a ✓
    line or raises ``Feedback``; ``check(fn, strict=True)`` (the hidden tests) tries more
    shapes, seeds and edge cases.

    ``outputs`` names the parts of a tuple result (e.g. ("dW", "db", "dA_prev")), ``result``
    names a single result; ``describe(path)`` may name nested parts instead. ``accept(yours,
    expected, case)`` may accept a result that differs from the reference (e.g. weights drawn
    in another order) by returning None, return (mistake name or None, message), or return
    False for the generic message. ``probes``
    are functions ``probe(fn, strict)`` returning None or (mistake name or None, message).
    ``loose(path, case)`` marks parts whose shape may differ from the reference's in a valid
    answer (e.g. how many epochs ran before a loss threshold); ``accept`` judges them.
    ``solution`` is the learner-style answer the mistakes are edits of (it must pass).
    ``needs`` are (name, Check) pairs of the exercise's earlier functions: when the answer
    fails and calls the learner's own ``name`` that fails its check, that is reported first,
    in one sentence. ``reference_for(fn)`` may give another reference for this answer (e.g. one
    that uses the learner's own, different but valid, shuffling), or None. ``hint``, ``result``
    and ``outputs`` are English, said in the notebook's language (a name of the code, such as
    "dW", is said as it is).
    """

    name: str
    reference: Callable
    cases: Callable[[bool], list]
    mistakes: tuple = ()
    notebook: str = ""
    args: tuple = ()
    outputs: tuple | None = None
    result: str = "the result"
    describe: Callable | None = None
    hint: str = ""
    rtol: float = 1e-6
    atol: float = 1e-9
    forbid: tuple = ("nnlib",)
    allow: tuple = ()
    accept: Callable | None = None
    probes: tuple = ()
    loose: Callable | None = None
    solution: Callable | None = None
    needs: tuple = ()
    reference_for: Callable | None = None

    def __call__(self, fn, strict=False):
        problem = self.find_problem(fn, strict)
        if problem is not None:
            mistake, text = problem
            raise Feedback(self.name, text, mistake)
        print(say("✓ {name} passes all hidden checks" if strict else "✓ {name} passes all checks",
                  name=self.name))

    # -- naming ----------------------------------------------------------------------------
    def what(self, path):
        """The name of the part ``path`` of the result, e.g. "dW", in the current language."""
        if self.describe is not None:
            return self.describe(path)
        if not path:
            return say(self.result)
        head = say(self.outputs[path[0]]) if self.outputs else f"{say(self.result)}[{path[0]}]"
        return head + "".join(f"[{k!r}]" if isinstance(k, str) else f"[{k}]" for k in path[1:])

    def _see(self):
        return see_notebook(self.notebook)

    def _hint(self):
        return say(" {hint}", hint=say(self.hint)) if self.hint else ""

    def _say(self, mistake, case):
        """The mistake's message in the current language, filled in for ``case``."""
        return say(mistake.message).format(**case.info)

    # -- the check itself --------------------------------------------------------------------
    def find_problem(self, fn, strict=False):
        """None if ``fn`` passes, else (mistake name or None, message)."""
        problem = self._find_problem(fn, strict)
        if problem is None or problem[0] in ("calls_library", "not_implemented"):
            return problem
        helpers = notebook_functions(fn)
        for name, check in self.needs:
            if name not in helpers:
                continue
            found = check.find_problem(helpers[name])
            if found is not None:
                return "prerequisite", say(
                    "{function} calls your {helper}, which does not pass its own check yet: fix "
                    "{helper} first (✗ {helper}: {problem})", function=self.name, helper=name,
                    problem=found[1])
        return problem

    def _find_problem(self, fn, strict=False):
        if not callable(fn):
            return None, say("expected a function; got {type} {value}", type=type(fn).__name__,
                             value=f"{fn!r:.60}")
        uses = library_uses(fn, self.forbid, self.allow)
        if uses:
            libs = listing(sorted({u.split(" from ")[-1].split(".")[0] for u in uses}), " and ")
            return "calls_library", say(
                "your answer uses {libraries} ({uses}). The exercise is to write it yourself "
                "with NumPy: {libraries} is what your answer is checked against, not part of "
                "it.", libraries=libs, uses=", ".join(uses))
        runs = []
        reference = (self.reference_for(fn) if self.reference_for else None) or self.reference
        for case in self.cases(strict):
            expected = call(reference, case)
            if expected.error is not None:  # a bug in the checker, not in the answer
                raise RuntimeError(f"reference for {self.name} failed on {case.label}") \
                    from expected.error
            got = call(fn, case)
            if isinstance(got.error, NotImplementedError):
                return "not_implemented", _not_implemented(fn, got.error)
            runs.append((case, expected, got, {}))
        for run in runs:
            problem = self._error_or_shape_problem(*run, runs, fn)
            if problem:
                return problem
        for run in runs:
            problem = self._inplace_problem(*run, runs)
            if problem:
                return problem
        for run in runs:
            problem = self._value_problem(*run, runs)
            if problem:
                return problem
        for probe in self.probes:
            problem = probe(fn, strict)
            if problem:
                return problem
        return None

    def _variant(self, mistake, case, cache):
        if mistake.name not in cache:
            cache[mistake.name] = call(mistake.variant, case)
        return cache[mistake.name]

    def _best(self, found, runs, exact=False):
        """Of the mistakes that match on one case, the first that matches on every case (two
        mistakes can fail the same way on one input and differently on another). Among
        variants that raise the same error, the one whose failing line saw arrays of the same
        shapes as the answer's (``Z - M`` fails alike whether M or the sum lost its axis)."""
        every = [m for m in found
                 if all(_same_outcome(self._variant(m, case, cache), got, self.rtol, self.atol,
                                      exact) for case, _, got, cache in runs)]
        failed = [(case, got, cache) for case, _, got, cache in runs if got.error is not None]
        if len(every) > 1 and failed:
            case, got, cache = failed[0]
            mine = _local_shapes(got.error)
            return max(every, key=lambda m: _shape_agreement(
                mine, _local_shapes(self._variant(m, case, cache).error)))
        if every:
            return every[0]
        return found[0] if found else None

    def _best_partial(self, case, got, expected, cache, runs):
        """The first mistake the answer makes in part — wrong exactly like its variant where it
        is wrong, right elsewhere — on every case."""
        def agrees(m, case, expected, got, cache):
            out = self._variant(m, case, cache)
            return out.error is None and got.error is None and agrees_where_wrong(
                out.value, got.value, expected.value, self.rtol, self.atol)

        for m in self._value_mistakes():
            out = self._variant(m, case, cache)
            if out.error is not None or close(out.value, expected.value, self.rtol, self.atol):
                continue
            if all(agrees(m, c, e, g, k) for c, e, g, k in runs):
                return m
        return None

    def _value_mistakes(self):
        return [m for m in self.mistakes if m.kind == "value"]

    def _error_or_shape_problem(self, case, expected, got, cache, runs, fn):
        if got.error is not None:
            err = got.error
            said = f"{type(err).__name__}: {str(err).strip()}{_where(fn, err)}"
            m = None
            for exact in (True, False):  # the same message first, then the same shapes
                found = [m for m in self._value_mistakes()
                         if _same_outcome(out := self._variant(m, case, cache), got, self.rtol,
                                          self.atol, exact)
                         and _same_matmul(err, out.error)]
                m = self._best(found, runs, exact)
                if m:
                    break
            if m:
                return m.name, say("{mistake} (Your code raised {error}, on {label}.)",
                                   mistake=self._say(m, case), error=said, label=case.label)
            return None, self._error_message(fn, err, said, case, expected)
        found = first_shape_difference(got.value, expected.value)
        if found is None:
            return None
        path, problem = found
        if self.loose is not None and self.loose(path, case):
            return None
        if got.value is None and not path:
            return None, say("your function returned None: did you forget to return the "
                             "result? (Seen on {label}.)", label=case.label)
        head = self._shape_head(path, problem)
        mine = signature(got.value)
        found = [m for m in self._value_mistakes()
                 if (out := self._variant(m, case, cache)).error is None
                 and signature(out.value) == mine]
        m = self._best(found, runs)
        if m:
            return m.name, say("{head}: {mistake} (Seen on {label}.)", head=head,
                               mistake=self._say(m, case), label=case.label)
        kind, see = problem[0], self._see()
        if kind == "shape" and len(problem[1]) == 2 and problem[2] == problem[1][::-1]:
            return "transposed", say("{head}: check the transpose. (Seen on {label}.)",
                                     head=head, label=case.label) + see
        if kind == "shape" and problem[2] == problem[1] + (1,):
            return "extra_axis", say(
                "{head}: an extra axis of length 1 — drop keepdims=True (or flatten the "
                "result). (Seen on {label}.)", head=head, label=case.label) + see
        if kind == "shape" and problem[2] == () and problem[1]:
            return "reduced_everything", say(
                "{head}: a sum, mean, max or argmax without axis= reduced every axis to one "
                "number — give the axis it runs over (axis=0 over the samples, axis=1 over each "
                "row's entries). (Seen on {label}.)", head=head, label=case.label) + see
        return None, say("{head}. (Seen on {label}.)", head=head, label=case.label) + see

    def _shape_head(self, path, problem):
        """What is wrong with the structure or shape of the part ``path`` of the result, e.g.
        "dW has shape (4, 3), expected (3, 4)" (``problem`` from ``first_shape_difference``)."""
        what, kind = self.what(path), problem[0]
        if kind == "length" and (path or not self.outputs):
            return say("{what} should have {n} entries; got {got}", what=what, n=problem[1],
                       got=problem[2])
        if kind == "length":
            return say("should return {n} values ({outputs}); got {got}", n=problem[1],
                       outputs=", ".join(say(name) for name in self.outputs), got=problem[2])
        if kind == "not_seq" and problem[2] == "generator":
            return say("{what} should be a tuple or list of {n}; got a generator (return a "
                       "list, e.g. list(...), not a generator)", what=what, n=problem[1])
        if kind == "not_seq":
            return say("{what} should be a tuple or list of {n}; got a {type}", what=what,
                       n=problem[1], type=problem[2])
        if kind == "keys":
            return say("{what} should be a dict with keys {keys}; got {got}", what=what,
                       keys=problem[1], got=problem[2])
        if kind == "not_array" and problem[1] == ():
            return say("{what} should be a single value; got a {type}", what=what,
                       type=problem[2])
        if kind == "not_array":
            return say("{what} should be a NumPy array of shape {shape}; got a {type}",
                       what=what, shape=_fmt(problem[1]), type=problem[2])
        if problem[1] == ():
            return say("{what} should be a single number; got an array of shape {shape}",
                       what=what, shape=_fmt(problem[2]))
        return say("{what} has shape {got}, expected {expected}", what=what,
                   got=_fmt(problem[2]), expected=_fmt(problem[1]))

    def _expected_shapes(self, expected):
        """"dW (3, 4), db (3,) and dA_prev (8, 4)": the shapes of the expected result."""
        value = expected.value
        if self.outputs and _is_seq(value) and len(value) == len(self.outputs):
            parts = [(say(name), _as_array(v)) for name, v in zip(self.outputs, value)]
        else:
            parts = [(self.what(()), _as_array(value))]
        return listing(f"{name} {_fmt(a.shape)}" for name, a in parts
                       if a is not None and a.ndim)

    def _error_message(self, fn, err, said, case, expected):
        """The message for an error no catalogued mistake makes. For a shape error: the arrays
        of the failing line and their shapes, the shapes the result must have, the formula."""
        text = str(err)
        shape_error = isinstance(err, ValueError) and any(p in text for p in _SHAPE_ERRORS)
        found = _learner_frame(fn, err) if shape_error else None
        arrays = _arrays_on_line(found[0], found[2]) if found else []
        if not arrays:
            return say("raised {error}, on {label}.", error=said, label=case.label) + \
                self._see()
        frame, _, line = found
        where = (say("`{line}` (in {function})", line=line, function=frame.f_code.co_name)
                 if frame.f_code.co_name != fn.__name__ else f"`{line}`")
        shapes = ", ".join(say("{name} is {shape}", name=t, shape=_fmt(s))
                           for t, s in arrays[:5])
        numpy = text.strip().split("\n")[0]
        kind = say("do not broadcast together: an element-wise operation (+, −, *, /) needs "
                   "equal shapes, or 1 where they differ" if "broadcast" in text else
                   "do not line up for the matrix product: A @ B needs A's last dimension to "
                   "equal B's first" if "core dimension" in text or "aligned" in text else
                   "do not fit")
        want = self._expected_shapes(expected)
        result = say(" The result must be {shapes}.", shapes=want) if want else ""
        return say("shape error in {where} on {label}: {shapes}, and these {kind} (NumPy: "
                   "{numpy}).", where=where, label=case.label, shapes=shapes, kind=kind,
                   numpy=numpy) + result + self._hint() + self._see()

    def _inplace_problem(self, case, expected, got, cache, runs):
        for name, before, after in zip(self.args, case.args, got.args_after):
            if identical(before, after):
                continue
            for m in self.mistakes:
                if m.kind == "inplace" and m.arg == name:
                    return m.name, self._say(m, case)
            return None, say("your function changed its input {name} in place; leave the "
                             "inputs as they are and build new arrays for the result.",
                             name=name) + self._see()
        return None

    def _value_problem(self, case, expected, got, cache, runs):
        if close(got.value, expected.value, self.rtol, self.atol):
            return None
        found = [m for m in self._value_mistakes()
                 if (out := self._variant(m, case, cache)).error is None
                 and close(out.value, got.value, self.rtol, self.atol)
                 and not close(out.value, expected.value, self.rtol, self.atol)]
        m = self._best(found, runs)
        if m is None:
            m = self._best_partial(case, got, expected, cache, runs)
        if m:
            return m.name, self._say(m, case)
        if self.accept is not None:
            verdict = self.accept(got.value, expected.value, case)
            if verdict is not False:
                return verdict
        return self._generic_value_message(case, got.value, expected.value)

    def _dimensions(self, case):
        """[(label, size)] of every axis of the case's array arguments, e.g.
        ("A_prev.shape[1]", 4), the first argument's rows first."""
        dims = []
        for i, arg in enumerate(case.args):
            a = arg if isinstance(arg, np.ndarray) else None
            if a is None or a.ndim == 0:
                continue
            name = self.args[i] if i < len(self.args) else f"argument {i + 1}"
            dims += [(f"{name}.shape[{axis}]", size) for axis, size in enumerate(a.shape)]
        return dims

    def _scale_message(self, what, r, case):
        """(mistake, message) for a result that is the expected one times ``r``: the
        scale mistakes of the course's formulas named (the sign, the 1/m, a wrong m, a 2)."""
        fields = {"what": what, "label": case.label}
        if np.isclose(r, -1):
            return "sign", say("{what} has the wrong sign on {label}: check the order of a "
                               "difference (Ŷ − Y, θ − α∂L/∂θ) and every minus sign.", **fields)
        dims = self._dimensions(case)
        m = dims[0][1] if dims else 0
        if m > 1 and np.isclose(r, m):
            return "no_1_over_m", say("{what} is m = {m} times too large on {label}: did you "
                                      "forget the 1/m?", m=m, **fields)
        if m > 1 and np.isclose(r, 1 / m):
            return "twice_1_over_m", say("{what} is m = {m} times too small on {label}: the 1/m "
                                         "was applied twice (a mean already divides by m).",
                                         m=m, **fields)
        for label, d in dims:
            if d not in (m, 1) and np.isclose(r, m / d):
                return "wrong_m", say("{what} is {ratio} times the expected value on {label}: "
                                      "that is m/{d} — did you divide by {d} ({axis}) instead "
                                      "of m = {m}, the number of samples (rows)?",
                                      ratio=f"{r:.4g}", d=d, axis=label, m=m, **fields)
        if np.isclose(r, 2):
            return "factor_2", say("{what} is twice the expected value on {label}: check for a "
                                   "lost or extra factor 2 (the 1/2 of a square's mean, or the "
                                   "2 of its derivative).", **fields)
        if np.isclose(r, 0.5):
            return "factor_2", say("{what} is half the expected value on {label}: check for a "
                                   "lost or extra factor 2 (the 1/2 of a square's mean, or the "
                                   "2 of its derivative).", **fields)
        return None, None

    def _generic_value_message(self, case, yours, expected):
        path, a, b = first_difference(yours, expected, self.rtol, self.atol)
        what, label = self.what(path), case.label
        a, b = _as_array(a), _as_array(b)
        tail = self._hint() + self._see()
        if a is None:
            return None, say("{what} is {yours}, expected {expected} on {label}.", what=what,
                             yours=f"{yours!r:.60}", expected=f"{expected!r:.60}",
                             label=label) + tail
        a, b = a.astype(float), b.astype(float)
        if not np.isfinite(a).all() and np.isfinite(b).all():
            return None, say("{what} contains NaN or ±inf on {label}, where every expected "
                             "value is finite.", what=what, label=label) + tail
        nonzero = np.abs(b) > 1e-12
        if nonzero.any() and np.isfinite(a).all() and np.allclose(a[~nonzero], 0):
            ratios = a[nonzero] / b[nonzero]
            r = ratios.flat[0]
            if abs(r - 1) > 1e-6 and np.allclose(ratios, r, rtol=1e-6):
                mistake, text = self._scale_message(what, r, case)
                if mistake:
                    return mistake, text + tail
                return None, say("{what} is {ratio} times the expected value on {label}.",
                                 what=what, ratio=f"{r:.4g}", label=label) + tail
        if a.ndim == 2 and a.shape[0] == a.shape[1] and np.allclose(a.T, b, self.rtol,
                                                                    self.atol):
            return "transposed", say("{what} is the transpose of the expected matrix on "
                                     "{label}: check the transpose.", what=what,
                                     label=label) + tail
        if a.ndim == 0:
            return None, say("{what} is {yours}, expected {expected} on {label}.", what=what,
                             yours=_num(a), expected=_num(b), label=label) + tail
        diff = np.abs(a - b)
        diff[np.isnan(diff)] = np.inf
        idx = np.unravel_index(int(np.argmax(diff)), diff.shape)
        where = "(" + ", ".join(map(str, idx)) + ")"
        return None, say("{what} differs from the expected values on {label}: at index {index} "
                         "yours is {yours}, expected {expected}.", what=what, label=label,
                         index=where, yours=_num(a[idx]), expected=_num(b[idx])) + tail
