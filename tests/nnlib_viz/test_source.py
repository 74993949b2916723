"""show_source: the notebooks show nnlib's own lines, read from the library when the cell runs."""

import inspect
import re

import nnlib
from nnlib_viz.source import show_source


def test_the_lines_shown_are_the_lines_in_the_file():
    shown = show_source(nnlib.Dense.backward_delta)
    path = inspect.getfile(nnlib.Dense)
    with open(path, encoding="utf-8") as f:
        file_lines = f.read().splitlines()
    body = file_lines[shown.first - 1:shown.last]
    assert [line.strip() for line in shown.code.splitlines()] == [line.strip() for line in body]
    assert shown.path == "nnlib/layers.py"
    assert "self.dW = delta_m.T @ self.A_prev" in shown.code


def test_without_the_docstring_the_code_stays_and_the_explanation_goes():
    full, short = show_source(nnlib.fit), show_source(nnlib.fit, docstring=False)
    assert '"""Train' in full.code and '"""' not in short.code
    assert short.code.splitlines()[0].startswith("def fit(")
    code_lines = [line for line in full.code.splitlines() if "optimizer.step(net)" in line]
    assert code_lines and all(line in short.code for line in code_lines)


def test_markdown_and_plain_text_say_where_the_lines_live():
    shown = show_source(nnlib.SGD.step)
    md = shown._repr_markdown_()
    assert re.match(r"`SGD\.step — nnlib/optim\.py, lines \d+–\d+`", md)
    assert "```python\ndef step(self, net):" in md
    assert repr(shown).startswith("# SGD.step — nnlib/optim.py")
