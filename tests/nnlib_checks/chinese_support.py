"""What the tests of the checks' Chinese share (``test_chinese``); not a test module itself.

``templates()`` walks every English template a learner can be shown by ``nnlib_checks``: the
sentences the code says (the first argument of every ``say(...)`` in the package, read from its
syntax tree, and the names given to ``by_depth``), the catalogue's messages, each check's hint
and the names of its results, and every text of every your-turn task. ``english_words`` tells
English prose from code and notation, so that a template without prose (``"dW"``,
``"W = 0 (3, 4)"``) needs no translation.
"""

import ast
import importlib
import re
from pathlib import Path

import nnlib_checks
from nnlib_checks.your_turn import NOTEBOOKS, FunctionTask

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "nnlib_checks"
TASK_MODULES = {notebook: importlib.import_module(f"nnlib_checks.your_turn.{module}")
                for notebook, module in NOTEBOOKS.items()}
# say(...) arguments that are data: the objects holding them are walked instead (``data``)
DATA = {"name", "message", "mistake.message", "self.hint", "self.result",
        "self.outputs[path[0]]", "self.why", "self.wrong[letter]", "self.tasks[n].title",
        "{m.name: m.message for m in mistakes}[name]"}
# words of notation and code, not English prose
NOTATION = {"log", "ln", "exp", "max", "min", "sum", "mean", "tanh", "relu", "sigmoid",
            "softmax", "argmax", "argmin", "sqrt", "abs", "inf", "nan", "lr", "beta", "eps",
            "seed", "tol", "sizes", "patience", "params", "grads", "caches", "history", "blobs",
            "float64", "db"}


def _module_constants(tree):
    """{NAME: [str, ...]} of the module's top-level strings and dicts of strings."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found[node.targets[0].id] = [value.value]
            elif isinstance(value, ast.Dict) and all(
                    isinstance(v, ast.Constant) and isinstance(v.value, str)
                    for v in value.values):
                found[node.targets[0].id] = [v.value for v in value.values]
    return found


def _strings(node, constants):
    """The template strings an argument can be, or None when it is not made of constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body, constants), _strings(node.orelse, constants)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
            and node.value.id in constants:
        return constants[node.value.id]
    return None


def said():
    """({template: where}, [where: an argument of say that is neither constant nor data])."""
    found, unknown, trees, constants = {}, [], {}, {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        trees[path] = source, ast.parse(source)
        for name, strings in _module_constants(trees[path][1]).items():
            constants.setdefault(name, []).extend(strings)
    for path, (source, tree) in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else None
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name == "say" and node.args:
                strings = _strings(node.args[0], constants)
                if strings is None and ast.get_source_segment(source, node.args[0]) not in DATA:
                    unknown.append(f"{where}: say({ast.get_source_segment(source, node.args[0])})")
                for text in strings or []:
                    found.setdefault(text, where)
            elif name == "by_depth":
                for arg in node.args:
                    for text in _strings(arg, constants) or []:
                        found.setdefault(text, where)
    return found, unknown


def checks():
    """(where, Check) of every exercise check and every your-turn function task."""
    for assignment, module in nnlib_checks.ASSIGNMENTS.items():
        for name, check in module.CHECKS.items():
            yield f"{assignment}.{name}", check
    for notebook, module in TASK_MODULES.items():
        for name, task in module.TASKS.items():
            if isinstance(task, FunctionTask):
                yield f"{notebook}.{name}", task.check


def data():
    """{template: where} of the catalogue's messages, the checks' hints and result names and
    the your-turn tasks' texts."""
    found = {}
    for where, check in checks():
        for text in (check.hint, check.result, *(check.outputs or ())):
            if not text.isidentifier():  # a name of the code (dW, params, state) is said as is
                found.setdefault(text, where)
        for mistake in check.mistakes:
            found.setdefault(mistake.message, f"{where}: {mistake.name}")
    for notebook, module in TASK_MODULES.items():
        for name, task in module.TASKS.items():
            for text in task.texts():
                found.setdefault(text, f"{notebook}.{name}")
    return found


def templates():
    """{template: where} of every English template a learner can be shown."""
    return {**data(), **said()[0]}


def english_words(text):
    """The words of English prose in ``text``: not its {fields}, `code`, quoted strings, names
    with a dot, an underscore or a digit, names followed by ( [ or =, nor words of notation."""
    text = re.sub(r"\{[^{}]*\}|`[^`]*`|\"[^\"]*\"", " ", text)
    words = re.findall(r"(?<![\w.])([A-Za-z]+)(?![\w(\[]|\.\w|\s*=)", text)
    return [w for w in words if w.islower() and len(w) > 1 and w not in NOTATION]


def chinese(text):
    return re.search(r"[\u4e00-\u9fff]", text) is not None
