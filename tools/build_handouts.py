"""Build offline HTML handouts of every course notebook, in English and in Chinese: one set for
learners, one for instructors.

    python tools/build_handouts.py [OUTPUT_DIR]

OUTPUT_DIR (default: handouts/) gets NN_topic.html for every notebook — the learners' handout,
without the speaker notes — and OUTPUT_DIR/instructor/NN_topic.html with the speaker notes kept
and unfolded; OUTPUT_DIR/zh/ and OUTPUT_DIR/zh/instructor/ hold the same for the Chinese
edition (notebooks/zh/). Each page shows the stored outputs. MathJax is copied from the
`jupyter-server-mathjax` package (installed with the course) into OUTPUT_DIR/mathjax/, so the
pages render their equations with no network at all. An interactive explorer appears as the
picture of its default state that its output carries (a static page has no kernel, and the
notebooks store no widget state, so nbconvert falls back to that picture). Open the files
directly or serve the folder.
"""

import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NOTES = '<details class="speaker-notes">'
AUDIENCES = {"learner": ".", "instructor": "instructor"}  # audience -> folder of its pages
LANGUAGES = {"en": (ROOT / "notebooks", "."), "zh": (ROOT / "notebooks" / "zh", "zh")}


def for_audience(nb, audience):
    """The notebook as ``audience`` reads it: learners without the speaker-notes cells,
    instructors with them unfolded."""
    cells = []
    for cell in nb.cells:
        if cell.metadata.get("slideshow", {}).get("slide_type") == "notes":
            if audience == "learner":
                continue
            cell = nbformat.from_dict(dict(cell))
            cell.source = cell.source.replace(NOTES, NOTES[:-1] + " open>", 1)
        cells.append(cell)
    nb = nbformat.from_dict(dict(nb))
    nb.cells = cells
    return nb


def build(out_dir):
    """Write every set of handouts into ``out_dir``; return {(language, audience): [pages]}."""
    import jupyter_server_mathjax

    out_dir, pages = Path(out_dir), {}
    for language, (notebooks, language_folder) in LANGUAGES.items():
        for audience, folder in AUDIENCES.items():
            target = out_dir / language_folder / folder
            target.mkdir(parents=True, exist_ok=True)
            mathjax = target / "mathjax"
            if not mathjax.exists():
                shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", mathjax)
            exporter = HTMLExporter(
                template_file=str(Path(__file__).with_name("handout.html.j2")),
                mathjax_url="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe")
            pages[language, audience] = []
            for path in sorted(notebooks.glob("*.ipynb")):
                nb = for_audience(nbformat.read(path, as_version=4), audience)
                html, _ = exporter.from_notebook_node(
                    nb, resources={"metadata": {"name": path.stem}})
                page = target / f"{path.stem}.html"
                page.write_text(html, encoding="utf-8")
                pages[language, audience].append(page)
                print(page)
    return pages


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "handouts")
