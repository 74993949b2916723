"""The Chinese edition reads like the English one: the same rules, in Chinese (notebooks/zh/)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
CHINESE = sorted(p.stem for p in (ROOT / "notebooks" / "zh").glob("*.ipynb"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def cells(stem):
    return json.loads((ROOT / "notebooks" / "zh" / f"{stem}.ipynb").read_text("utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def test_every_english_notebook_has_its_chinese_edition():
    assert CHINESE == ENGLISH


@pytest.mark.parametrize("stem", CHINESE)
def test_the_notebook_speaks_chinese_from_its_first_cells(stem):
    all_cells = cells(stem)
    code = [c for c in all_cells if c["cell_type"] == "code"]
    assert 'language.use("zh")' in source(code[1]), "the language cell follows the setup cell"
    title = next(source(c) for c in all_cells if c["cell_type"] == "markdown")
    assert title.startswith("# ") and HAN.search(title.splitlines()[0])
    prose = [source(c) for c in all_cells if c["cell_type"] == "markdown"]
    assert all(HAN.search(text) for text in prose), "every markdown cell is in Chinese"


@pytest.mark.parametrize("stem", CHINESE)
def test_notes_answers_and_tasks_keep_their_form(stem):
    for cell in cells(stem):
        text = source(cell)
        if cell["metadata"].get("slideshow", {}).get("slide_type") == "notes":
            assert text.startswith('<details class="speaker-notes"><summary>教师备注')
        assert "<summary>Answer</summary>" not in text
        assert "<summary>Worked answer</summary>" not in text
        if "your-turn" in cell["metadata"].get("tags", []):
            assert "tasks.check(" in text and "..." in text
