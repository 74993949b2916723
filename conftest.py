"""Applies to every test, the notebooks' nbval runs included."""

import os

# The course's matrices are small: one BLAS thread is as fast, and on a busy 2-core machine a
# thread pool waiting for cores makes a 0.02 ms product take 20 ms. nbval's kernels inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
