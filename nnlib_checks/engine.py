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
"""

import ast
import builtins
import copy
import inspect
import linecache
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


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
    e.g. ``{m}``.
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


def _where(fn, err):
    """', in `line`' for the last line of the learner's own code — any function of the same
    notebook — that the error passed through, naming the function when it is another one."""
    namespace = getattr(fn, "__globals__", None)
    found, tb = None, err.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals is namespace:
            line = linecache.getline(frame.f_code.co_filename, tb.tb_lineno, frame.f_globals)
            found = (line.strip(), frame.f_code.co_name) if line.strip() else found
        tb = tb.tb_next
    if found is None:
        return ""
    line, name = found
    return f", in `{line}`" + (f" (in {name})" if name != fn.__name__ else "")


def _same_outcome(a, b, rtol, atol):
    """Two outcomes agree: the same error (type and text) or close values."""
    if a.error is not None or b.error is not None:
        return (a.error is not None and b.error is not None and type(a.error) is type(b.error)
                and str(a.error) == str(b.error))
    return close(a.value, b.value, rtol, atol)


def _fmt(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _num(x):
    x = float(x)
    return f"{x:.6g}" if np.isfinite(x) else str(x)


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


def by_depth(*names):
    """A ``describe`` for ``Check`` that names a path by its length: ``names[len(path)]``, a
    string or a function of the path's keys (the deepest name serves deeper paths too)."""
    def describe(path):
        depth = min(len(path), len(names) - 1)
        name = names[depth]
        return name(*path[:depth]) if callable(name) else name
    return describe


# -- the check ---------------------------------------------------------------------------------
@dataclass
class Check:
    """The checker for one function an exercise asks for. Call it: ``check(fn)`` prints a ✓
    line or raises ``Feedback``; ``check(fn, strict=True)`` (the hidden tests) tries more
    shapes, seeds and edge cases.

    ``outputs`` names the parts of a tuple result (e.g. ("dW", "db", "dA_prev")), ``result``
    names a single result; ``describe(path)`` may name nested parts instead. ``accept(yours,
    expected, case)`` may accept a result that differs from the reference (e.g. weights drawn
    in another order) by returning None, or return (mistake name or None, message). ``probes``
    are functions ``probe(fn, strict)`` returning None or (mistake name or None, message).
    ``loose(path, case)`` marks parts whose shape may differ from the reference's in a valid
    answer (e.g. how many epochs ran before a loss threshold); ``accept`` judges them.
    ``solution`` is the learner-style answer the mistakes are edits of (it must pass).
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

    def __call__(self, fn, strict=False):
        problem = self.find_problem(fn, strict)
        if problem is not None:
            mistake, text = problem
            raise Feedback(self.name, text, mistake)
        print(f"✓ {self.name} passes all {'hidden ' if strict else ''}checks")

    # -- naming ----------------------------------------------------------------------------
    def what(self, path):
        if self.describe is not None:
            return self.describe(path)
        if not path:
            return self.result
        head = self.outputs[path[0]] if self.outputs else f"{self.result}[{path[0]}]"
        return head + "".join(f"[{k!r}]" if isinstance(k, str) else f"[{k}]" for k in path[1:])

    def _see(self):
        return f" See notebook {self.notebook}." if self.notebook else ""

    def _say(self, mistake, case):
        return mistake.message.format(**case.info)

    # -- the check itself --------------------------------------------------------------------
    def find_problem(self, fn, strict=False):
        """None if ``fn`` passes, else (mistake name or None, message)."""
        if not callable(fn):
            return None, f"expected a function; got {type(fn).__name__} {fn!r:.60}"
        uses = library_uses(fn, self.forbid, self.allow)
        if uses:
            libs = " and ".join(sorted({u.split(" from ")[-1].split(".")[0] for u in uses}))
            return "calls_library", (
                f"your answer uses {libs} ({', '.join(uses)}). The exercise is to write it "
                f"yourself with NumPy: {libs} is what your answer is checked against, not part "
                f"of it.")
        runs = []
        for case in self.cases(strict):
            expected = call(self.reference, case)
            if expected.error is not None:  # a bug in the checker, not in the answer
                raise RuntimeError(f"reference for {self.name} failed on {case.label}") \
                    from expected.error
            got = call(fn, case)
            if isinstance(got.error, NotImplementedError):
                return "not_implemented", (
                    "not implemented yet: replace `raise NotImplementedError()` with your code.")
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

    def _best(self, found, runs):
        """Of the mistakes that match on one case, the first that matches on every case (two
        mistakes can fail the same way on one input and differently on another)."""
        for m in found:
            if all(_same_outcome(self._variant(m, case, cache), got, self.rtol, self.atol)
                   for case, _, got, cache in runs):
                return m
        return found[0] if found else None

    def _value_mistakes(self):
        return [m for m in self.mistakes if m.kind == "value"]

    def _error_or_shape_problem(self, case, expected, got, cache, runs, fn):
        if got.error is not None:
            err = got.error
            said = f"{type(err).__name__}: {str(err).strip()}{_where(fn, err)}"
            found = [m for m in self._value_mistakes()
                     if _same_outcome(self._variant(m, case, cache), got, self.rtol, self.atol)]
            m = self._best(found, runs)
            if m:
                return m.name, f"{self._say(m, case)} (Your code raised {said}, on " \
                               f"{case.label}.)"
            return None, f"raised {said}, on {case.label}.{self._see()}"
        found = first_shape_difference(got.value, expected.value)
        if found is None:
            return None
        path, problem = found
        if self.loose is not None and self.loose(path, case):
            return None
        what = self.what(path)
        kind = problem[0]
        if kind == "length":
            head = (f"{what} should have {problem[1]} entries; got {problem[2]}"
                    if path or not self.outputs else
                    f"should return {problem[1]} values"
                    + (f" ({', '.join(self.outputs)})" if self.outputs else "")
                    + f"; got {problem[2]}")
        elif kind == "not_seq":
            head = f"{what} should be a tuple or list of {problem[1]}; got a {problem[2]}"
            if problem[2] == "generator":
                head += " (return a list, e.g. list(...), not a generator)"
        elif kind == "keys":
            head = f"{what} should be a dict with keys {problem[1]}; got {problem[2]}"
        elif kind == "not_array":
            wanted = "a single value" if problem[1] == () else \
                f"a NumPy array of shape {_fmt(problem[1])}"
            head = f"{what} should be {wanted}; got a {problem[2]}"
        elif problem[1] == ():
            head = f"{what} should be a single number; got an array of shape {_fmt(problem[2])}"
        else:
            head = f"{what} has shape {_fmt(problem[2])}, expected {_fmt(problem[1])}"
        if got.value is None and not path:
            return None, (f"your function returned None: did you forget to return the result? "
                          f"(Seen on {case.label}.)")
        on = f" (Seen on {case.label}.)"
        mine = signature(got.value)
        found = [m for m in self._value_mistakes()
                 if (out := self._variant(m, case, cache)).error is None
                 and signature(out.value) == mine]
        m = self._best(found, runs)
        if m:
            return m.name, f"{head}: {self._say(m, case)}{on}"
        if kind == "shape" and len(problem[1]) == 2 and problem[2] == problem[1][::-1]:
            return None, f"{head}: check the transpose.{on}{self._see()}"
        return None, f"{head}.{on}{self._see()}"

    def _inplace_problem(self, case, expected, got, cache, runs):
        for name, before, after in zip(self.args, case.args, got.args_after):
            if identical(before, after):
                continue
            for m in self.mistakes:
                if m.kind == "inplace" and m.arg == name:
                    return m.name, self._say(m, case)
            return None, (f"your function changed its input {name} in place; leave the inputs "
                          f"as they are and build new arrays for the result.{self._see()}")
        return None

    def _value_problem(self, case, expected, got, cache, runs):
        if close(got.value, expected.value, self.rtol, self.atol):
            return None
        found = [m for m in self._value_mistakes()
                 if (out := self._variant(m, case, cache)).error is None
                 and close(out.value, got.value, self.rtol, self.atol)
                 and not close(out.value, expected.value, self.rtol, self.atol)]
        m = self._best(found, runs)
        if m:
            return m.name, self._say(m, case)
        if self.accept is not None:
            return self.accept(got.value, expected.value, case)
        return None, self._generic_value_message(case, got.value, expected.value)

    def _generic_value_message(self, case, yours, expected):
        path, a, b = first_difference(yours, expected, self.rtol, self.atol)
        what = self.what(path)
        a, b = _as_array(a), _as_array(b)
        hint = f" {self.hint}" if self.hint else ""
        if a is None:
            return f"{what} is {yours!r:.60}, expected {expected!r:.60} on {case.label}." \
                   f"{hint}{self._see()}"
        a, b = a.astype(float), b.astype(float)
        if not np.isfinite(a).all() and np.isfinite(b).all():
            return (f"{what} contains NaN or ±inf on {case.label}, where every expected value "
                    f"is finite.{hint}{self._see()}")
        nonzero = np.abs(b) > 1e-12
        if nonzero.any() and np.isfinite(a).all() and np.allclose(a[~nonzero], 0):
            ratios = a[nonzero] / b[nonzero]
            r = ratios.flat[0]
            if abs(r - 1) > 1e-6 and np.allclose(ratios, r, rtol=1e-6):
                how = "has the wrong sign" if np.isclose(r, -1) else f"is {r:.4g} times the " \
                      f"expected value"
                return f"{what} {how} on {case.label}.{hint}{self._see()}"
        if a.ndim == 2 and a.shape[0] == a.shape[1] and np.allclose(a.T, b, self.rtol,
                                                                    self.atol):
            return f"{what} is the transpose of the expected matrix on {case.label}: check " \
                   f"the transpose.{hint}{self._see()}"
        if a.ndim == 0:
            return (f"{what} is {_num(a)}, expected {_num(b)} on {case.label}."
                    f"{hint}{self._see()}")
        diff = np.abs(a - b)
        diff[np.isnan(diff)] = np.inf
        idx = np.unravel_index(int(np.argmax(diff)), diff.shape)
        where = "(" + ", ".join(map(str, idx)) + ")"
        return (f"{what} differs from the expected values on {case.label}: at index {where} "
                f"yours is {_num(a[idx])}, expected {_num(b[idx])}.{hint}{self._see()}")
