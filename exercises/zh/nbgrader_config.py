"""nbgrader configuration for the Chinese exercises (run nbgrader commands from this folder).

The same course as ``../nbgrader_config.py`` in Chinese — same assignments, grade_ids and points,
and the same settings, kept equal by ``tests/exercises/test_zh_course.py`` — as a course of its
own: course_id ``nnlib-gradient-descent-zh`` and its own gradebook, ``gradebook.db`` here. The
steps are those of ``../README.md`` (For instructors), run in this folder; its tools are one level
further up (``python ../../tools/preflight.py 03_loss``). ``source/`` is generated from the
English source and ``translations/`` by ``python tools/build_zh.py``, which also writes
``release/``: edit the translations, not the notebooks.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 — provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "nnlib-gradient-descent-zh"

# The gradebook next to this file (nbgrader's default place), waiting up to 60 s for a lock so
# that several `nbgrader autograde` runs can share it (one assignment per core).
gradebook = Path(__file__).resolve().parent / "gradebook.db"
c.CourseDirectory.db_url = f"sqlite:///{gradebook}?timeout=60"

# Every cell of a submission gets at most 30 s when autograding: an endless loop is interrupted,
# its cell scores 0, and the rest of the notebook is still graded. (The capstone's test cells
# train the learner's network, one of them twice: each training should stay under about 10 s.)
c.Execute.timeout = 30
c.ExecutePreprocessor.timeout = 30

# A submission that deleted a locked test cell gets the original cell back, so it is graded by
# the original tests (edited test cells are always replaced by the originals).
c.OverwriteCells.add_missing_cells = True

# Autograding runs the learners' code in the kernel "nnlib-sandbox" (../README.md, step 1): as
# the unprivileged user nbgrader-kernel, in an empty folder of its own, so that it can neither
# read nor change this folder — the gradebook, source/, the other submissions. Setting
# NNLIB_GRADING_KERNEL=python3 grades in your own kernel instead: only for notebooks you trust.
c.Execute.kernel_name = os.environ.get("NNLIB_GRADING_KERNEL", "nnlib-sandbox")

# `nbgrader zip_collect <assignment>` picks up downloaded/<assignment>/archive/<student>_<anything>
# (notebooks, or zip files of them), e.g. alice_03_loss.ipynb → submitted/alice/03_loss/.
c.FileNameCollectorPlugin.named_regexp = r".*[/\\](?P<student_id>[^/\\_]+)_(?P<file_id>[^/\\]+)$"
