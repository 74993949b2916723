"""Re-execute the course notebooks top to bottom on a fresh kernel and save them with outputs.

    python tools/execute_notebooks.py                 # every notebooks/*.ipynb
    python tools/execute_notebooks.py notebooks/03_loss.ipynb

This is the one command that regenerates all stored outputs; nbval then checks them in CI.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# The course's matrices are small: one BLAS thread is as fast, and on a busy 2-core machine a
# thread pool waiting for cores makes a 0.02 ms product take 20 ms. The kernels inherit this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def execute(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()  # also stores the kernel's language_info, as JupyterLab does on opening
    seconds = time.perf_counter() - start
    store_as_jupyterlab_does(nb)
    nbformat.write(nb, path)
    return seconds


def store_as_jupyterlab_does(nb):
    """Give the notebook the kernelspec that JupyterLab writes when it opens it, so that merely
    opening a notebook never marks it modified (and never rewrites the file on save)."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    nb.metadata["kernelspec"] = {"display_name": spec.display_name, "language": spec.language,
                                 "name": "python3"}


def main(args):
    paths = [Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{path.relative_to(ROOT)}: {seconds:.1f} s")
    print(f"total: {total:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
