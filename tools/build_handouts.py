"""Build offline HTML handouts of every course notebook: one set for learners, one for instructors.

    python tools/build_handouts.py [OUTPUT_DIR]

OUTPUT_DIR (default: handouts/) gets NN_topic.html for every notebook — the learners' handout,
without the speaker notes — and OUTPUT_DIR/instructor/NN_topic.html with the speaker notes kept
and unfolded. Each page shows the stored outputs. MathJax is copied from the
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
AUDIENCES = {"learner": ".", "instructor": "instructor"}  # audience -> folder under OUTPUT_DIR


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
    """Write both sets of handouts into ``out_dir``; return {audience: [page paths]}."""
    import jupyter_server_mathjax

    out_dir = Path(out_dir)
    pages = {}
    for audience, folder in AUDIENCES.items():
        target = out_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        mathjax = target / "mathjax"
        if not mathjax.exists():
            shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", mathjax)
        exporter = HTMLExporter(
            template_file=str(Path(__file__).with_name("handout.html.j2")),
            mathjax_url="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe")
        pages[audience] = []
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            nb = for_audience(nbformat.read(path, as_version=4), audience)
            html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
            page = target / f"{path.stem}.html"
            page.write_text(html, encoding="utf-8")
            pages[audience].append(page)
            print(page)
    return pages


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "handouts")
