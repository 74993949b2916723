"""Running a cell twice changes nothing: each notebook cell, executed a second time right after
its first run, prints the same text. (A cell that trained further, or drew from an unseeded
generator, on a second run would fail this.)"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def text_of(cell):
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_cell_gives_the_same_output_when_run_twice(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                            allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    changed = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            first = text_of(cell)
            client.execute_cell(cell, index)
            if text_of(cell) != first:
                changed.append(f"cell {index}: {cell.source[:70]!r}")
    assert not changed, "cells whose output changes when run twice:\n" + "\n".join(changed)
