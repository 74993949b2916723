#!/usr/bin/env bash
# Serve this course and its graded exercises on The Littlest JupyterHub (TLJH), one server.
#
# Run it once, after TLJH itself is installed, as a hub admin (from a terminal in JupyterLab or
# over ssh) — not as root: every privileged command below asks for sudo itself, exactly as you
# would type it by hand. It is safe to run again, e.g. after `git pull` in the course folder.
#
#   sudo git clone https://github.com/nnlib-course/nnlib-course /srv/course   # or your fork
#   bash /srv/course/deploy/tljh/install.sh
#
# Change COURSE_DIR if you cloned elsewhere. The exchange folder and the course id are written in
# deploy/tljh/nbgrader_config.py: change them there, not here.
set -euo pipefail

COURSE_DIR=${COURSE_DIR:-/srv/course}           # the clone of this repository
USER_ENV=${USER_ENV:-/opt/tljh/user}            # TLJH's environment shared by every user
EXCHANGE=/srv/nbgrader/exchange                  # = c.Exchange.root in nbgrader_config.py

cd "$COURSE_DIR"
test -f requirements-instructor.txt || { echo "no course clone in $COURSE_DIR" >&2; exit 1; }

# 0. The course needs Python 3.10 or newer in the user environment.
"$USER_ENV/bin/python3" -c 'import sys; assert sys.version_info >= (3, 10), sys.version' \
    || { echo "TLJH's user environment has Python < 3.10: upgrade TLJH first" >&2; exit 1; }

# 1. Everyone lands in JupyterLab (the notebooks' explorers, slides and nbgrader's
#    Assignment List are JupyterLab extensions).
sudo tljh-config set user_environment.default_app jupyterlab

# 2. The course's Python packages into the user environment, for every user: the learner stack
#    of requirements.txt (JupyterLab, ipywidgets, jupyterlab-rise, nnlib from this clone as an
#    editable install) plus nbgrader. `-e .` points at $COURSE_DIR, so keep that folder
#    readable by all (a root clone with the usual umask is) and `git pull` there to update.
sudo -E "$USER_ENV/bin/pip" install -r requirements-instructor.txt

# 3. nbgrader's exchange: one folder every user can write to, sticky like /tmp so nobody can
#    delete what others put there. nbgrader creates <course_id>/inbound, outbound and feedback
#    inside it with the right permissions on the first `nbgrader release_assignment`.
sudo mkdir -p "$EXCHANGE"
sudo chmod 755 "$(dirname "$EXCHANGE")"
sudo chmod 1777 "$EXCHANGE"

# 4. nbgrader settings for every user: the course id, the exchange, the autograding limits.
sudo install -D -m 644 deploy/tljh/nbgrader_config.py /etc/jupyter/nbgrader_config.py

# 5. Students need only the Assignment List (fetch, submit, fetch feedback) and Validate. Turn
#    the instructor-only parts of nbgrader off for everyone; the instructor grades with the
#    nbgrader command line (exercises/README.md), and nbgrader's formgrader panel shows blank on
#    JupyterHub >= 4.1 anyway (see nbgrader's "Using nbgrader with JupyterHub").
INSTRUCTOR_ONLY="@jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment @jupyter/nbgrader:course-list"
# shellcheck disable=SC2086  # the list is meant to split into words
sudo "$USER_ENV/bin/jupyter" labextension disable --level=sys_prefix $INSTRUCTOR_ONLY
# shellcheck disable=SC2086
sudo "$USER_ENV/bin/jupyter" labextension lock --level=sys_prefix $INSTRUCTOR_ONLY
sudo "$USER_ENV/bin/jupyter" server extension disable --sys-prefix nbgrader.server_extensions.formgrader
sudo "$USER_ENV/bin/jupyter" server extension disable --sys-prefix nbgrader.server_extensions.course_list

# 6. The course notebooks in the home folder of every user created from now on (TLJH copies
#    /etc/skel into each new home). Users who already exist: send them an nbgitpuller link
#    instead (deploy/README.md). The exercises are not copied: students fetch them through
#    nbgrader, and exercises/source holds the solutions.
sudo mkdir -p /etc/skel/notebooks
sudo cp -r notebooks/. /etc/skel/notebooks/
sudo chmod -R go-rwx exercises/source      # solutions and hidden tests: not one click away

# 6b. Autograding runs the learners' code: run it as the system user nbgrader-kernel, which has
#     no login and no rights of its own (exercises/README.md, step 1). The kernel spec
#     nnlib-sandbox (tools/sandbox_kernel.py) drops to that user through sudo; hub admins
#     (group jupyterhub-admins) may do so without a password.
id -u nbgrader-kernel >/dev/null 2>&1 || sudo useradd --system --user-group --no-create-home \
    --shell /usr/sbin/nologin nbgrader-kernel
sudo "$USER_ENV/bin/python" tools/sandbox_kernel.py install --user nbgrader-kernel \
    --prefix "$USER_ENV"
echo "%jupyterhub-admins ALL=(nbgrader-kernel) NOPASSWD: $USER_ENV/bin/python" \
    "$COURSE_DIR/tools/sandbox_kernel.py inner" | sudo tee /etc/sudoers.d/nbgrader-kernel >/dev/null
sudo chmod 440 /etc/sudoers.d/nbgrader-kernel

# 7. Optional, per user server: limits that fit this course (a kernel with NumPy, matplotlib and
#    scikit-learn needs about 300 MB; the capstone trains in seconds) and shutting down idle
#    servers after an hour. Uncomment to apply.
# sudo tljh-config set limits.memory 1G
# sudo tljh-config set limits.cpu 1
# sudo tljh-config set services.cull.timeout 3600

# 8. Apply the configuration.
sudo tljh-config reload

cat <<EOF

Done. Next steps (deploy/README.md has them in full):
  - users restart their servers (File > Hub Control Panel) to get JupyterLab;
  - the instructor makes a course directory from the exercises, in their own home:
        sudo cp -r $COURSE_DIR/exercises ~/course && sudo chown -R "\$USER" ~/course
        chmod 700 ~/course && cd ~/course && nbgrader generate_assignment "*" --force
        nbgrader release_assignment 01_initialization
EOF
