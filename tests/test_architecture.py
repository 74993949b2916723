"""The layout: three packages, imports that run one way, a library that stays small and private.

    notebooks  → nnlib_viz (figures, explorers) → nnlib
    exercises  → nnlib_checks (checks, mistakes) → nnlib

nnlib imports NumPy only (tqdm when a progress bar is asked for); nnlib_viz and nnlib_checks
never import each other. The rules are read from the code itself (its import statements and its
syntax tree), so a new file is covered without editing this test.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("nnlib", "nnlib_viz", "nnlib_checks")
# What each layer may import from the course's own packages.
ALLOWED = {
    "nnlib": set(),
    "nnlib_viz": {"nnlib"},
    "nnlib_checks": {"nnlib"},
    "notebooks": {"nnlib", "nnlib_viz", "nnlib_checks"},
    "exercises": {"nnlib", "nnlib_checks"},
}
HEAVY = ("matplotlib", "ipywidgets", "IPython", "nbgrader", "sklearn", "scipy", "tqdm")


def python_files(package):
    return sorted((ROOT / package).rglob("*.py"))


def notebook_sources(folder):
    """(path, code) of every code cell of the notebooks under ``folder`` (magics become pass)."""
    for path in sorted((ROOT / folder).rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                yield path, "\n".join(line[:len(line) - len(line.lstrip())] + "pass"
                                      if line.lstrip().startswith("%") else line for line in lines)


def imported_modules(code):
    """The top-level names of every module that ``code`` imports (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def wrong_arrows(layer, sources):
    """(where, module) for every import of a course package that ``layer`` may not make."""
    bad = []
    for where, code in sources:
        for module in imported_modules(code) & set(PACKAGES):
            if module != layer and module not in ALLOWED[layer]:
                bad.append((str(where), module))
    return bad


def layer_sources(layer):
    if layer in PACKAGES:
        return [(p.relative_to(ROOT), p.read_text(encoding="utf-8")) for p in python_files(layer)]
    return [(p.relative_to(ROOT), code) for p, code in notebook_sources(layer)]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_run_one_way(layer):
    sources = layer_sources(layer)
    assert sources, f"found no code in {layer}/"
    assert wrong_arrows(layer, sources) == []


def test_a_wrong_arrow_is_caught():
    """The rule itself: an import against the direction is reported, a right one is not."""
    assert wrong_arrows("nnlib", [("layers.py", "from nnlib_viz import plots")]) == \
        [("layers.py", "nnlib_viz")]
    assert wrong_arrows("nnlib_checks", [("x.py", "import nnlib_viz.plots")]) == \
        [("x.py", "nnlib_viz")]
    assert wrong_arrows("nnlib_viz", [("x.py", "from nnlib import Dense")]) == []


def test_importing_every_module_of_nnlib_loads_numpy_and_nothing_else():
    """In a fresh interpreter, import every module under nnlib/ and list what else came in."""
    modules = sorted("nnlib." + p.stem for p in python_files("nnlib") if p.stem != "__init__")
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"for name in {modules!r}: __import__(name)\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(new - set(sys.stdlib_module_names) - {'nnlib', 'numpy'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]", f"importing nnlib also loaded {out.strip()}"
    assert not set(HEAVY) & set(ast.literal_eval(out.strip()))


def code_lines(source):
    """Lines of code: no blank lines, no comments, no docstrings."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    return [line for n, line in enumerate(source.splitlines(), start=1)
            if line.strip() and not line.strip().startswith("#") and n not in docstrings]


def test_code_lines_leave_out_blanks_comments_and_docstrings():
    source = 'def f():\n    """Doc\n    string."""\n\n    # a comment\n    return 1\n'
    assert code_lines(source) == ["def f():", "    return 1"]


def test_nnlib_is_small_enough_to_read_in_one_sitting():
    counts = {p.name: len(code_lines(p.read_text(encoding="utf-8")))
              for p in python_files("nnlib")}
    assert sum(counts.values()) <= 1000, counts


def test_fit_shows_the_loop_in_at_most_40_lines():
    source = (ROOT / "nnlib" / "train.py").read_text(encoding="utf-8")
    fit = next(n for n in ast.parse(source).body
               if isinstance(n, ast.FunctionDef) and n.name == "fit")
    body = source.splitlines()[fit.body[1].lineno - 1:fit.end_lineno]  # after the docstring
    lines = [line for line in body if line.strip() and not line.strip().startswith("#")]
    assert len(lines) <= 40, f"fit's body has {len(lines)} lines"


def private_reaches(source):
    """``obj._name`` with obj not self/cls, and ``from m import _name``: another object's or
    module's private name. Protocol names like ``_repr_mimebundle_`` are not private."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Attribute) and not (
                isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            names = [(node.lineno, node.attr, ast.unparse(node))]
        elif isinstance(node, ast.ImportFrom):
            names = [(node.lineno, a.name, f"from {node.module} import {a.name}")
                     for a in node.names]
        for line, name, text in names:
            protocol = name.startswith("_") and name.endswith("_")
            if name.startswith("_") and not protocol:
                found.append((line, text))
    return sorted(found)


def test_private_reaches_are_found():
    assert private_reaches("net._forward(X)\nself._slots\nfrom .x import _y\n") == \
        [(1, "net._forward"), (3, "from x import _y")]
    assert private_reaches("bundle = super()._repr_mimebundle_()\n") == []


@pytest.mark.parametrize("folder", PACKAGES + ("tools", "bench", "tests"))
def test_no_module_reaches_into_private_names(folder):
    found = [(str(p.relative_to(ROOT)), line, text) for p in sorted((ROOT / folder).rglob("*.py"))
             for line, text in private_reaches(p.read_text(encoding="utf-8"))]
    assert found == []
