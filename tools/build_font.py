"""Build nnlib_viz's CJK font: Noto Sans SC cut down to the characters the course draws.

    pip download pylopdf-fonts-zh-cn --no-deps -d /tmp/font
    unzip -o -q /tmp/font/pylopdf_fonts_zh_cn-*.whl -d /tmp/font
    python tools/build_font.py /tmp/font/pylopdf_fonts_zh_cn/NotoSansSC-Regular.otf

writes ``nnlib_viz/fonts/NotoSansSC-nnlib-subset.otf``. Run it again after adding Chinese to a
catalogue (``tests/nnlib_viz/test_language.py`` fails until you do): a figure draws only the
characters the subset has. The source is Noto Sans SC Regular (SIL Open Font License 1.1, its
text in ``nnlib_viz/fonts/OFL.txt``; © 2014-2021 Adobe, Reserved Font Name "Source"), as the
PyPI package pylopdf-fonts-zh-cn ships it.

The subset keeps every CJK character (ideographs, CJK punctuation, full-width forms) of
``nnlib_viz/zh.json``, ``nnlib/zh.json``, the glossary (``nnlib/glossary.json``), the
learning-loop figure (``nnlib_viz/plots.py``) and the translated strings of the notebooks' code
cells (``notebooks/zh/translations/*.md``: titles and labels a notebook passes to a figure),
plus the common Chinese punctuation; everything else comes from matplotlib's DejaVu Sans, which
it follows in ``font.family``. Hinting and the
vertical-writing tables are dropped (matplotlib uses neither), the copyright and licence names
are kept, and the family is renamed "Noto Sans SC nnlib" (a modified version, and so that a
full Noto Sans SC installed on a machine is never mistaken for it, or it for that).
"""

import argparse
import json
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: tools.build_zh lies beside it
from tools.build_zh import load_translation, pairs  # noqa: E402

TARGET = ROOT / "nnlib_viz" / "fonts" / "NotoSansSC-nnlib-subset.otf"
FAMILY = "Noto Sans SC nnlib"
SOURCES = [ROOT / "nnlib_viz" / "zh.json", ROOT / "nnlib" / "zh.json",
           ROOT / "nnlib" / "glossary.json", ROOT / "nnlib_viz" / "plots.py"]
# CJK symbols and punctuation, CJK ideographs (extension A, unified, compatibility), full-width
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
PUNCTUATION = "，。、；：？！（）《》〈〉【】「」『』〔〕［］｛｝～＂＇％＋－＝／＜＞…—“”‘’·　"


def notebook_strings():
    """The Chinese of every translated string of the notebooks' code cells."""
    return [chinese for _, translation, _ in pairs(["notebooks"])
            for entry in load_translation(translation)["cells"].values()
            for chinese in entry.get("strings", {}).values()]


def course_text():
    """The text of every source: the Chinese of the JSON files, the whole of plots.py, the
    notebooks' translated strings."""
    texts = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        texts.append(json.dumps(json.loads(text), ensure_ascii=False)
                     if path.suffix == ".json" else text)
    return "\n".join(texts + notebook_strings())


def course_characters():
    """Every CJK character of the sources, and the common punctuation: a sorted string."""
    return "".join(sorted(set(CJK.findall(course_text())) | set(PUNCTUATION)))


def _rename(font):
    """Name the subset ``FAMILY`` wherever the family is named, keeping every other record."""
    postscript = FAMILY.replace(" ", "") + "-Regular"
    names = {1: FAMILY, 3: f"{postscript};subset for nnlib", 4: f"{FAMILY} Regular",
             6: postscript, 16: FAMILY, 17: "Regular"}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    font["CFF "].cff.fontNames = [postscript]


def build(source, target=TARGET):
    """Write the subset of ``source`` to ``target``; return (characters, glyphs, bytes)."""
    characters = course_characters()
    options = subset.Options()
    options.name_IDs = ["*"]  # the copyright (0) and licence (13, 14) names stay
    options.hinting = False
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "DSIG"]
    font = TTFont(source, recalcTimestamp=False)  # the same input, the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    missing = [c for c in characters if ord(c) not in font.getBestCmap()]
    if missing:
        raise SystemExit(f"{source} has no glyph for {''.join(missing)!r}")
    _rename(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return len(characters), len(font.getGlyphOrder()), target.stat().st_size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSansSC-Regular.otf")
    parser.add_argument("--target", type=Path, default=TARGET)
    args = parser.parse_args()
    count, glyphs, size = build(args.source, args.target)
    print(f"{args.target.relative_to(ROOT) if args.target.is_relative_to(ROOT) else args.target}:"
          f" {count} characters, {glyphs} glyphs, {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
