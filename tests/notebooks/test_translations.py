"""The Chinese edition (中文版) is built from the English source and cannot drift from it.

* every cell of every English notebook and exercise has a translation made from its current
  English text (a changed English cell makes its translation stale, and the test names it);
* the committed Chinese notebooks are exactly what the build makes of the translations;
* a term of the course has one rendering (the glossary, shared with ``nnlib.language``);
* every translated message keeps the fields of its English template.
nbval re-executes the Chinese notebooks like the English ones (they live in notebooks/zh/).
"""

import json
import re
import string
from pathlib import Path

import nbformat
import pytest

from nnlib import language
from tools.build_zh import TranslationError, english_hash, load_translation, pairs, problems
from tools.build_zh import translate as build_chinese

ROOT = Path(__file__).resolve().parents[2]
PAIRS = list(pairs())
IDS = [english.relative_to(ROOT).as_posix() for english, _, _ in PAIRS]
GLOSSARY = json.loads((ROOT / "nnlib" / "glossary.json").read_text(encoding="utf-8"))["terms"]
CATALOGUES = [ROOT / package / "zh.json" for package in ("nnlib", "nnlib_viz", "nnlib_checks")]
DOCS = [ROOT / "README.zh-CN.md", ROOT / "docs" / "instructor.zh-CN.md"]


@pytest.mark.parametrize(("english", "translation", "chinese"), PAIRS, ids=IDS)
def test_every_cell_has_a_current_translation(english, translation, chinese):
    wrong = problems(nbformat.read(english, as_version=4), load_translation(translation))
    assert wrong == [], "\n".join(f"cell {cell}: {what} — {start!r}" for cell, what, start
                                  in wrong)


@pytest.mark.parametrize(("english", "translation", "chinese"), PAIRS, ids=IDS)
def test_the_chinese_notebook_is_built_from_the_current_translation(english, translation,
                                                                    chinese):
    kind = "notebook" if chinese.parent.name == "zh" else "exercise"
    built = build_chinese(nbformat.read(english, as_version=4), load_translation(translation),
                          kind)
    committed = nbformat.read(chinese, as_version=4)
    assert [(c.id, c.cell_type, c.source) for c in committed.cells] == \
        [(c.id, c.cell_type, c.source) for c in built.cells], \
        "run python tools/build_zh.py after changing a translation"


def test_a_changed_english_cell_makes_its_translation_stale():
    english, translation, _ = PAIRS[0]
    nb = nbformat.read(english, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown")
    entries = {c.id: {"from": english_hash(c.source), "text": "译文"} if c.cell_type == "markdown"
               else {"from": english_hash(c.source), "strings": {}} for c in nb.cells}
    assert problems(nb, {"cells": entries}) == []
    cell.source += "\nOne more sentence."
    assert [(cell_id, what.split()[0]) for cell_id, what, _ in problems(nb, {"cells": entries})] \
        == [(cell.id, "stale")]
    with pytest.raises(TranslationError, match=cell.id):
        build_chinese(nb, {"cells": entries}, "notebook")


def chinese_texts():
    """(where, text) for every piece of Chinese the course has."""
    for _, translation, _ in PAIRS:
        if translation.exists():
            yield translation.relative_to(ROOT).as_posix(), translation.read_text("utf-8")
    for path in CATALOGUES + DOCS:
        if path.exists():
            yield path.relative_to(ROOT).as_posix(), path.read_text("utf-8")


@pytest.mark.parametrize("term", GLOSSARY, ids=[t["en"] for t in GLOSSARY])
def test_a_term_has_one_rendering(term):
    found = [(where, other) for where, text in chinese_texts() for other in term["not"]
             if other in text]
    assert found == [], f"{term['en']} is {term['zh']} in this course; found {found}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.name)
def test_a_translated_message_keeps_its_fields(path):
    if not path.exists():
        pytest.skip(f"{path.parent.name} has no translations")
    for english, chinese in json.loads(path.read_text(encoding="utf-8")).items():
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f is not None}
        translated = {f for _, f, _, _ in string.Formatter().parse(chinese) if f is not None}
        assert fields == translated, f"{english!r}: {fields} != {translated}"
        assert re.search(r"[\u4e00-\u9fff]", chinese) or english == chinese, english


def test_the_language_is_chosen_per_block_and_english_by_default():
    assert language.current() == "en"
    with language.using("zh"):
        assert language.say("learning rate") == "学习率"
        assert language.say("ran all {epochs} epochs", epochs=3) == "跑完了全部 3 轮"
        assert language.say("a sentence nobody translated") == "a sentence nobody translated"
    assert language.current() == "en" and language.say("learning rate") == "learning rate"
    with pytest.raises(ValueError, match="language must be one of"):
        language.use("fr")
