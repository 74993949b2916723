"""Build offline HTML handouts of every course notebook into handouts/ (or a folder you name).

    python tools/build_handouts.py [OUTPUT_DIR]

Each notebook becomes OUTPUT_DIR/NN_topic.html with its stored outputs. MathJax is copied from
the `jupyter-server-mathjax` Python package into OUTPUT_DIR/mathjax/, so the pages render their
equations with no network at all. An interactive explorer appears as the picture of its default
state that its output carries (a static page has no kernel, and the notebooks store no widget
state, so nbconvert falls back to that picture). Open the files directly or serve the folder.
"""

import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]


def build(out_dir):
    import jupyter_server_mathjax

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    mathjax = out_dir / "mathjax"
    if not mathjax.exists():
        shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", mathjax)
    exporter = HTMLExporter(template_file=str(Path(__file__).with_name("handout.html.j2")),
                            mathjax_url="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe")
    pages = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        page = out_dir / f"{path.stem}.html"
        page.write_text(html, encoding="utf-8")
        pages.append(page)
        print(page)
    return pages


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "handouts")
