"""The course's rules for every notebook, checked on the committed files (docs/authoring.md)."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EXPECTED = [
    "00_start_here", "01_initialization", "02_forward_propagation", "03_loss",
    "04_backpropagation", "05_parameter_update", "06_iteration", "07_putting_it_together",
]
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
PASTED_PLOTTING = re.compile(r"\bax\.(plot|scatter|imshow|contourf?|bar|hist)\(|ipywidgets|"
                             r"\bplt\.(plot|scatter|imshow|subplots|figure)\(")


def load(name):
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"])


def test_the_course_has_exactly_the_eight_notebooks_in_order():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_title_objectives_checks_exercise_and_summary(name):
    cells = load(name)["cells"]
    first_markdown = next(c for c in cells if c["cell_type"] == "markdown")
    assert cells.index(first_markdown) <= 1, "only the Colab setup cell may precede the title"
    title = source(first_markdown)
    assert title.startswith("# "), "the first markdown cell is the title"
    if name != "00_start_here":
        assert re.search(r"·\s*[\u4e00-\u9fff]", title), "title carries the Chinese term"
    text = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert re.search(r"learning objectives", text, re.I)
    assert re.search(r"^#+ .*summary", text, re.I | re.M)
    if name != "00_start_here":
        assert "<details>" in text, "check-your-understanding answers in <details>"
        assert "exercises/" in text, "a link to the matching exercise"


@pytest.mark.parametrize("name", EXPECTED)
def test_every_cell_is_lecture_ready_and_short(name):
    for i, cell in enumerate(load(name)["cells"]):
        slide = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        assert slide in SLIDE_TYPES, f"cell {i} has slide_type {slide!r}"
        if cell["cell_type"] == "code":
            lines = source(cell).splitlines()
            assert len(lines) <= 25, f"cell {i} has {len(lines)} lines (at most 25)"
            pasted = PASTED_PLOTTING.search(source(cell))
            assert not pasted, (f"cell {i}: plotting code {pasted.group()!r} belongs in "
                                "nnlib_viz.plots")


@pytest.mark.parametrize("name", EXPECTED)
def test_executed_top_to_bottom_without_errors_or_warnings(name):
    code = [c for c in load(name)["cells"] if c["cell_type"] == "code" and source(c).strip()]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error", f"stored error in: {source(c)[:60]!r}"
            assert out.get("name") != "stderr", f"stderr output in: {source(c)[:60]!r}"


@pytest.mark.parametrize("name", EXPECTED[1:])
def test_derived_code_is_asserted_equal_to_nnlib(name):
    code = "\n".join(source(c) for c in load(name)["cells"] if c["cell_type"] == "code")
    assert "import nnlib" in code or "from nnlib" in code
    assert re.search(r"^\s*assert |np\.testing\.assert", code, re.M)


@pytest.mark.parametrize("name", EXPECTED[:7])
def test_widgets_come_with_a_static_picture(name):
    outputs = [o for c in load(name)["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    view = "application/vnd.jupyter.widget-view+json"
    explorers = [o for o in outputs if view in o.get("data", {})]
    assert explorers, "at least one interactive widget"
    for out in explorers:
        assert "image/png" in out["data"], "a widget output must carry a static PNG"
