"""nbgrader settings for every user of a JupyterHub that serves this course.

Install as /etc/jupyter/nbgrader_config.py (deploy/tljh/install.sh does it). nbgrader reads this
file for everyone — students and instructor — and then, for whoever runs it from a course
directory, that directory's own nbgrader_config.py (a copy of exercises/nbgrader_config.py),
whose values win where both set the same option.

What the admin may change: COURSE_ID (then change it in the instructor's copy of
exercises/nbgrader_config.py too: the two must be equal, or students see no assignments) and
EXCHANGE (then create that folder with mode 1777 instead of the default one).
"""

c = get_config()  # noqa: F821 — provided by nbgrader when it loads this file

# Must equal c.CourseDirectory.course_id in exercises/nbgrader_config.py.
COURSE_ID = "nnlib-gradient-descent"
# Created by install.sh: owned by root, mode 1777 (like /tmp).
EXCHANGE = "/srv/nbgrader/exchange"

# The course every student's Assignment List and `nbgrader fetch_assignment` / `submit` refer to.
c.CourseDirectory.course_id = COURSE_ID

# nbgrader's built-in exchange: a folder all users can write to. `nbgrader release_assignment`
# copies the student versions to EXCHANGE/COURSE_ID/outbound, students fetch from there and
# submit to EXCHANGE/COURSE_ID/inbound (write-only for them), and `nbgrader collect` copies the
# submissions into the instructor's submitted/<student>/<assignment>/.
c.Exchange.root = EXCHANGE

# Autograding, as in exercises/nbgrader_config.py: every cell of a submission gets at most 30 s
# (an endless loop is interrupted, its cell scores 0, the rest of the notebook is still graded),
# and a deleted locked test cell is put back before grading.
c.Execute.timeout = 30
c.ExecutePreprocessor.timeout = 30
c.OverwriteCells.add_missing_cells = True

# Optional: a log file helps when something goes wrong on a hub (nbgrader's advice). The file
# must be writable by every user who runs nbgrader, e.g. created with mode 666.
# c.NbGrader.logfile = "/var/log/nbgrader.log"
