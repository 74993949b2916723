"""Build the Chinese edition (中文版) from the English source and its translation files.

    python tools/build_zh.py                      # notebooks/zh/*.ipynb, executed; exercises/zh
    python tools/build_zh.py --only exercises     # exercises/zh/source/, then its release/
    python tools/build_zh.py --todo               # what is missing or stale, cell by cell
    python tools/build_zh.py --no-execute         # write the notebooks without running them
    python tools/build_zh.py notebooks/03_loss.ipynb   # one notebook's Chinese edition

The English notebooks and exercises are the source. Beside the Chinese edition lie the
translation files — ``notebooks/zh/translations/NN_topic.md`` and
``exercises/zh/translations/<assignment>.md`` — which map every cell, by its stable cell id,
to its Chinese text, together with a hash of the English text it was translated from. They are
Markdown, so they read (and review) as the Chinese text itself; each entry starts with a comment:

    <!-- cell b59787dc · from 3f1c2a9d0e11 -->
    # 初始化 · Initialization
    …
    <!-- cell af7732ca · from 9a0e33b1c4d2 · strings -->
    counted by hand: => 手工计数：

A markdown cell gets its text; a code cell is shared, and only the strings a learner reads
(printed sentences, labels) are replaced — ``English => 中文``, one per line, each of which
must occur in the English code (an entry with no lines translates nothing, on purpose).
``--stub NOTEBOOK`` appends an entry for every cell not yet in its translation file, with the
right hash and the English text under a TODO line, for a translator to replace. When the
English text of a cell changes, its hash no longer matches and the translation is *stale*: the
build stops and names the cell (so does ``tests/notebooks/test_translations.py``). Text that code
produces (figures, widgets, feedback) is translated by ``nnlib.language``, chosen once per
notebook by a cell the build puts after the setup cell.

The Chinese exercises are an nbgrader course of their own, ``exercises/zh/`` (its own
``nbgrader_config.py`` and gradebook): the build writes ``exercises/zh/source/<assignment>/`` —
the same cells, grade_ids and points as the English source, with one more read-only cell that
chooses Chinese for the checks' feedback — and then runs ``nbgrader generate_assignment`` there,
which writes the learners' ``exercises/zh/release/`` (committed, like the English one).
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE_CELL = ('from nnlib import language\n\n'
                 'language.use("zh")  # 本笔记本中由代码显示的文字（图、控件、提示与反馈）都用中文')
ZH_COURSE = ROOT / "exercises" / "zh"  # the Chinese exercises: an nbgrader course of their own
EXERCISE_LANGUAGE_ID = "zh_language"  # the grade_id of the language cell in its notebooks
ASSIGNMENTS = ["01_initialization", "02_forward_propagation", "03_loss", "04_backpropagation",
               "05_parameter_update", "06_iteration", "07_capstone"]


class TranslationError(ValueError):
    """A translation that is missing, stale or does not apply, naming the notebook and cell."""


def english_hash(source):
    """What a translation records of the English text it was made from."""
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:12]


# -- where things live -------------------------------------------------------------------------
def pairs(kinds=None):
    """(English notebook, translation file, Chinese notebook) for the whole course, or for
    ``kinds`` ("notebooks", "exercises") only."""
    for english in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if kinds and "notebooks" not in kinds:
            break
        zh = ROOT / "notebooks" / "zh"
        yield english, zh / "translations" / f"{english.stem}.md", zh / english.name
    for name in ASSIGNMENTS if not kinds or "exercises" in kinds else ():
        english = ROOT / "exercises" / "source" / name / f"{name}.ipynb"
        zh = ROOT / "exercises" / "zh"
        yield english, zh / "translations" / f"{name}.md", zh / "source" / name / english.name


HEADER = re.compile(r"^<!-- cell (\S+) · from (\S+)( · strings)? -->$", re.M)
TODO = "TODO"


def parse(text):
    """{"cells": {id: {"from": hash, "text": ...} or {"from": hash, "strings": {...}}}}."""
    cells, marks = {}, list(HEADER.finditer(text))
    for mark, after in zip(marks, marks[1:] + [None]):
        body = text[mark.end():after.start() if after else len(text)].strip("\n")
        if mark[3]:
            strings = {}
            for line in body.splitlines():
                if line.strip():
                    english, _, chinese = line.partition(" => ")
                    strings[english] = chinese
            cells[mark[1]] = {"from": mark[2], "strings": strings}
        else:
            cells[mark[1]] = {"from": mark[2], "text": body}
    return {"cells": cells}


def load_translation(path):
    return parse(path.read_text(encoding="utf-8")) if path.exists() else {"cells": {}}


def stub(english_path):
    """Append an entry for every cell the translation file of ``english_path`` lacks."""
    _, translation_file, _ = next(p for p in pairs() if p[0] == Path(english_path).resolve())
    translation = load_translation(translation_file)
    nb, entries = nbformat.read(english_path, as_version=4), []
    for cell in nb.cells:
        if cell.id in translation["cells"]:
            continue
        head = f"<!-- cell {cell.id} · from {english_hash(cell.source)}"
        if cell.cell_type == "markdown":
            entries.append(f"{head} -->\n{TODO}\n{cell.source}\n")
        else:
            said = [s for s in re.findall(r'"([^"\n]*[A-Za-z] [^"\n]*)"', cell.source)]
            entries.append(f"{head} · strings -->\n"
                           + "".join(f"{s} => {TODO}\n" for s in dict.fromkeys(said)))
    translation_file.parent.mkdir(parents=True, exist_ok=True)
    old = translation_file.read_text(encoding="utf-8") if translation_file.exists() else ""
    translation_file.write_text(old + ("\n" if old else "") + "\n".join(entries),
                                encoding="utf-8")
    print(f"{translation_file.relative_to(ROOT)}: {len(entries)} entries to translate")


# -- checking ----------------------------------------------------------------------------------
def problems(english_nb, translation):
    """[(cell id, what is wrong, the English text's start)] — empty when all is translated."""
    found = []
    for cell in english_nb.cells:
        entry = translation["cells"].get(cell.id)
        start = " ".join(cell.source.split())[:70]
        if entry is None:
            found.append((cell.id, "missing", start))
        elif entry.get("from") != english_hash(cell.source):
            found.append((cell.id, "stale (the English changed after it was translated)",
                          start))
        elif cell.cell_type == "markdown" and (not entry.get("text")
                                               or entry["text"].startswith(TODO)):
            found.append((cell.id, "not translated yet", start))
        else:
            for english, chinese in entry.get("strings", {}).items():
                if english not in cell.source:
                    found.append((cell.id, f"string {english!r} is not in the code", start))
                elif not chinese or chinese == TODO:
                    found.append((cell.id, f"string {english!r} not translated yet", start))
    known = {cell.id for cell in english_nb.cells}
    found += [(cell_id, "left over (no such cell in the English notebook)", "")
              for cell_id in translation["cells"] if cell_id not in known]
    return found


# -- building ----------------------------------------------------------------------------------
def relink(text, kind):
    """Links from the Chinese edition to the Chinese exercises and README."""
    up = "../../" if kind == "notebook" else "../../../../"
    if kind == "exercise":  # an exercise's background notebook: the Chinese one, a level deeper
        text = text.replace("](../../../notebooks/", "](../../../../notebooks/zh/")
    text = text.replace("](../exercises/release/", f"]({up}exercises/zh/release/")
    text = text.replace("](../../notebooks/", "](../../../notebooks/zh/")
    return re.sub(r"\]\((\.\./)+README\.md\)", f"]({up}README.zh-CN.md)", text)


CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"  # Han characters and full-width punctuation
BLOCK_START = re.compile(r"^\s*([#>|*+-]\s|\d+[.)]\s|\$\$|```|<|!\[)")  # a line that starts a block
ENDS_BLOCK = re.compile(r"^\s*(#|\||\$\$|```)")  # a line after which nothing continues


def typeset(text):
    """Chinese as a browser should show it. A translator wraps long lines like the English, but
    a line break between two Chinese characters renders as a stray space: such soft breaks are
    joined (never after a heading, a table row or a fence, nor before a list item or a block).
    And **粗体：**后文 does not render as bold in Markdown (punctuation before the closing
    marks, a character after them): the punctuation moves out, **粗体**：后文."""
    lines, out, fenced = text.split("\n"), [], False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        joinable = (out and not fenced and line.strip() and out[-1]
                    and not BLOCK_START.match(line) and not ENDS_BLOCK.match(out[-1])
                    and re.search(f"[{CJK}]$", out[-1]) and re.match(f"\\s*[{CJK}]", line))
        if joinable:
            out[-1] += line.lstrip()
        else:
            out.append(line)
    text = "\n".join(out)
    return re.sub(rf"\*\*([^*\n]+?)([：。，、；！？])\*\*(?=[{CJK}])", r"**\1**\2", text)


def translate(english_nb, translation, kind):
    """The Chinese notebook: markdown cells replaced, code cells' strings replaced, outputs
    cleared, and a cell choosing the language after the setup cell."""
    wrong = problems(english_nb, translation)
    if wrong:
        raise TranslationError("; ".join(f"cell {i}: {what} ({start!r})" for i, what, start
                                         in wrong[:5]) + (f" … and {len(wrong) - 5} more"
                                                          if len(wrong) > 5 else ""))
    nb = nbformat.reads(nbformat.writes(english_nb), as_version=4)  # a copy
    for cell in nb.cells:
        entry = translation["cells"][cell.id]
        if cell.cell_type == "markdown":
            cell.source = typeset(relink(entry["text"], kind))
        else:
            for english in sorted(entry.get("strings", {}), key=len, reverse=True):
                cell.source = cell.source.replace(english, entry["strings"][english])
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    at = first_code + 1 if "Colab" in nb.cells[first_code].source else first_code
    language = nbformat.v4.new_code_cell(LANGUAGE_CELL, id="zh-language")
    language.metadata = {"slideshow": {"slide_type": "skip"}}
    if kind == "exercise":
        language.metadata["deletable"] = False
        language.metadata["editable"] = False
        # an nbgrader read-only cell: autograding puts back its original if a learner edits it,
        # and the pre-flight puts it back if deleted, so the feedback stays Chinese
        language.metadata["nbgrader"] = {"grade": False, "grade_id": EXERCISE_LANGUAGE_ID,
                                         "locked": True, "schema_version": 3,
                                         "solution": False, "task": False}
    nb.cells.insert(at, language)
    nb.metadata["language"] = "zh"
    return nb


def build(execute=True, kinds=None, only=()):
    built = []
    for english, translation_file, target in pairs(kinds):
        if only and english not in only:
            continue
        nb = translate(nbformat.read(english, as_version=4), load_translation(translation_file),
                       "notebook" if target.parent.name == "zh" else "exercise")
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        built.append(target)
        print(target.relative_to(ROOT))
    notebooks = [p for p in built if p.parent == ROOT / "notebooks" / "zh"]
    if execute and notebooks:  # (with none, execute_notebooks.py would run every English one)
        subprocess.run([sys.executable, str(ROOT / "tools" / "execute_notebooks.py"),
                        *map(str, notebooks)], check=True)
    exercises = [p.parent.name for p in built if ZH_COURSE in p.parents]
    if exercises:
        release_exercises(exercises)
    return built


# -- the Chinese exercises' release ------------------------------------------------------------
def release_exercises(names):
    """``nbgrader generate_assignment`` in exercises/zh for the assignments ``names``: writes
    exercises/zh/release/ and enters the assignments, cells and points into its gradebook."""
    try:
        import nbgrader  # noqa: F401 — only to say what is missing
    except ImportError:
        sys.exit("building exercises/zh/release needs nbgrader: "
                 "pip install -r requirements-instructor.txt")
    # nbgrader runs alembic from PATH when it creates the gradebook: this environment's scripts
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name in ["*"] if set(names) == set(ASSIGNMENTS) else names:
        done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", name,
                               "--force", "--create"], cwd=ZH_COURSE, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"nbgrader generate_assignment {name} failed in exercises/zh:\n"
                     f"{(done.stdout + done.stderr)[-3000:]}")
    for name in names:
        print((ZH_COURSE / "release" / name / f"{name}.ipynb").relative_to(ROOT))


def todo():
    total = 0
    for english, translation_file, _ in pairs():
        wrong = problems(nbformat.read(english, as_version=4), load_translation(translation_file))
        for cell_id, what, start in wrong:
            print(f"{english.relative_to(ROOT)} cell {cell_id}: {what}: {start}")
        total += len(wrong)
    print(f"{total} cell(s) to translate")
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--todo", action="store_true", help="list what is missing or stale")
    parser.add_argument("--no-execute", action="store_true", help="do not run the notebooks")
    parser.add_argument("--stub", metavar="NOTEBOOK", help="add TODO entries for its cells")
    parser.add_argument("--only", choices=["notebooks", "exercises"], help="build just these")
    parser.add_argument("english", nargs="*", help="build these English notebooks' only")
    args = parser.parse_args()
    if args.stub:
        stub(args.stub)
    elif args.todo:
        sys.exit(1 if todo() else 0)
    else:
        build(execute=not args.no_execute, kinds=[args.only] if args.only else None,
              only=[Path(p).resolve() for p in args.english])
