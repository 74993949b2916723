"""Put (or refresh) the Colab setup cell at the top of every course notebook.

    python tools/colab_cell.py

The cell installs the course's library from its repository when the notebook runs on Google
Colab, and does nothing anywhere else. The repository comes from pyproject.toml
([project.urls] Repository), the one place it is written. Re-execute the notebooks afterwards.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
MARK = "# Colab setup"


def repository():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^Repository\s*=\s*"([^"]+)"', text, re.M).group(1)


def cell_source(repo=None):
    repo = repo or repository()
    return (f"{MARK}: on Google Colab, install the course's library first; elsewhere this does "
            f"nothing.\n"
            "import sys\n\n"
            'if "google.colab" in sys.modules:\n'
            f'    %pip install --quiet "nnlib @ git+{repo}"\n')


def add_to(path):
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(cell_source())
    cell.metadata["slideshow"] = {"slide_type": "skip"}
    if nb.cells and nb.cells[0].cell_type == "code" and nb.cells[0].source.startswith(MARK):
        cell.id = nb.cells[0].id
        nb.cells[0] = cell
    else:
        nb.cells.insert(0, cell)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for path in [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb")):
        add_to(path)
        print(path)
