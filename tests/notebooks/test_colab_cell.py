"""The Colab setup cell that opens every notebook: it installs the library on Colab only."""

import sys
import types
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from tools.colab_cell import cell_source, repository

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def run_cell(source, on_colab, monkeypatch):
    """Run the cell as IPython would (magics become get_ipython() calls); return the magics."""
    calls = []
    shell = types.SimpleNamespace(run_line_magic=lambda name, line: calls.append((name, line)))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    code = TransformerManager().transform_cell(source)
    exec(compile(code, "<colab cell>", "exec"), {"get_ipython": lambda: shell})
    return calls


def test_does_nothing_outside_colab(monkeypatch):
    assert run_cell(cell_source(), on_colab=False, monkeypatch=monkeypatch) == []


def test_installs_the_library_from_the_repository_on_colab(monkeypatch):
    calls = run_cell(cell_source(), on_colab=True, monkeypatch=monkeypatch)
    assert len(calls) == 1
    magic, line = calls[0]
    assert magic == "pip" and line.startswith("install")
    assert f"nnlib @ git+{repository()}" in line


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_opens_with_the_current_colab_cell(path):
    import nbformat

    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "code" and first.source == cell_source(), (
        f"{path.name}: run `python tools/colab_cell.py`, then re-execute the notebooks")
    assert first.metadata["slideshow"]["slide_type"] == "skip"
    assert first.outputs == [], "outside Colab the cell prints nothing"


def test_readme_launch_badges_use_the_same_repository():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    owner_repo = repository().removeprefix("https://github.com/")
    assert f"mybinder.org/v2/gh/{owner_repo}/" in readme
    assert f"colab.research.google.com/github/{owner_repo}/" in readme
