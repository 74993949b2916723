"""Every command that ``exercises/README.md`` tells its reader to type, run verbatim.

The commands are the document's fenced ``bash`` blocks (``tools/doc_commands.py``). They run
in order, in one shell, on a scratch copy of the repository's ``exercises/`` and ``tools/``,
from the state the document describes: the course's environment activated (this test's), and
the learners' notebooks in ``~/Downloads`` as the collect step says. The ``environment`` block
(creating that environment) is checked, not run again; the ``server`` block (``jupyter lab``)
is started, asked for its status and stopped.

The sandbox of step 1 needs root (``useradd``, ``setpriv``): without it the test is skipped.
Where this environment's Python lives in a folder other users cannot enter (a pyenv under
``/root``), the commands run in a private mount namespace that shows that Python — and only
it — to the sandbox user; nothing else changes.
"""

import csv
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tools import doc_commands

from .test_workflow import answered, nbgrader_meta, read

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "exercises" / "README.md"
KERNEL = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "nnlib-sandbox"
PEEK = '''import getpass, os
print("kernel user:", getpass.getuser())
for path in {paths!r}:
    try:
        open(path, "rb").read(1)
        print("READ", path)
    except OSError as err:
        print("denied", path, type(err).__name__)
'''


def test_the_readme_lists_the_workflow_as_numbered_steps_of_commands():
    blocks = doc_commands.of_file(README)
    kinds = [b.kind for b in blocks]
    assert kinds.count("environment") == 1 and kinds.count("server") == 1
    everything = "\n".join(c for b in blocks for c in b.commands)
    order = ["cd exercises", "useradd", "sandbox_kernel.py install", "generate_assignment",
             "zip_collect", "preflight.py 03_loss", "nbgrader autograde 03_loss", "export",
             "generate_feedback"]
    positions = [everything.index(word) for word in order]
    assert positions == sorted(positions), "the steps run in the documented order"
    text = README.read_text(encoding="utf-8")
    for step in range(8):
        assert f"**{step}. " in text


def test_doc_commands_reads_fenced_bash_blocks_only():
    markdown = ("Intro\n\n    indented text\n\n```bash\ncd x  \n# a comment\n\nmake \\\n  all\n"
                "```\n\n```python\nprint(1)\n```\n\n````bash server\njupyter lab\n````\n")
    found = doc_commands.blocks(markdown)
    assert [(b.kind, b.commands) for b in found] == [("", ("cd x", "make    all")),
                                                     ("server", ("jupyter lab",))]
    assert found[0].line == 5


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _student_notebooks(home, course_paths):
    """~/Downloads as the collect step describes it: alice's notebook in a folder of her own,
    bob's and carol's named by the learning platform. bob deleted the answer cell of mse
    together with its test cell (nbgrader alone stops on that); carol's added cell tries to
    read the gradebook and the solutions."""
    downloads = home / "Downloads"
    (downloads / "alice").mkdir(parents=True)
    nbformat.write(answered("03_loss"), downloads / "alice" / "03_loss.ipynb")
    bob = answered("03_loss")
    bob.cells = [c for c in bob.cells if nbgrader_meta(c).get("grade_id") not in
                 ("mse", "test_mse")]
    nbformat.write(bob, downloads / "bob_03_loss.ipynb")
    carol = read(ROOT / "exercises" / "release" / "03_loss" / "03_loss.ipynb")
    carol.cells.append(nbformat.v4.new_code_cell(PEEK.format(paths=course_paths)))
    nbformat.write(carol, downloads / "carol_03_loss.ipynb")


def _wrapped(script):
    """``bash script`` (a file), in a mount namespace that lets the sandbox user run this
    Python when it lives under a folder closed to others (e.g. /root/.pyenv)."""
    python = Path(os.path.realpath(sys.executable))
    closed = next((p for p in python.parents if p != Path("/")
                   and not os.stat(p).st_mode & 0o001), None)
    if closed is None:
        return ["bash", str(script)]
    inside = next(p for p in python.parents if p.parent == closed)
    view = Path(os.environ.get("TMPDIR", "/tmp")) / f"rootview-{os.getpid()}"
    (view / inside.name).mkdir(parents=True, exist_ok=True)
    os.chmod(view, 0o711)
    mounts = (f"mount --bind {inside} {view / inside.name} && "
              f"mount --rbind {view} {closed} && ")
    return ["unshare", "--mount", "--propagation", "private", "bash", "-c",
            mounts + "exec bash " + shlex.quote(str(script))]


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv") or
                    not shutil.which("useradd") or not shutil.which("unshare"),
                    reason="the sandbox of exercises/README.md step 1 is set up as root")
def test_every_command_of_the_readme_runs_verbatim(tmp_path):
    blocks = doc_commands.of_file(README)
    repo, home = tmp_path / "repo", tmp_path / "home"
    shutil.copytree(ROOT / "exercises", repo / "exercises", ignore=shutil.ignore_patterns(
        "gradebook.db*", "submitted", "autograded", "feedback", "downloaded", "preflight",
        "*.csv", ".ipynb_checkpoints", "__pycache__"))
    shutil.copytree(ROOT / "tools", repo / "tools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements-instructor.txt", repo)
    course = repo / "exercises"
    # as in a clone where everyone may read the course's code (e.g. /srv/course): the sandbox
    # user runs tools/sandbox_kernel.py from it; step 1 then closes exercises/ itself
    for folder in [*reversed(tmp_path.parents), tmp_path, repo, repo / "tools"]:
        if str(folder).startswith(os.path.realpath(os.environ.get("TMPDIR", "/tmp"))) or \
                folder in (tmp_path, repo, repo / "tools"):
            os.chmod(folder, os.stat(folder).st_mode | 0o005)
    _student_notebooks(home, [str(course / "gradebook.db"),
                              str(course / "source" / "03_loss" / "03_loss.ipynb")])
    env = dict(os.environ, HOME=str(home),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("NNLIB_GRADING_KERNEL", None)

    # 0. the environment: this test's, which has what the block installs
    (setup,) = [b for b in blocks if b.kind == "environment"]
    assert "requirements-instructor.txt" in setup.text
    for requirement in (ROOT / "requirements-instructor.txt").read_text().split():
        if requirement.startswith("nbgrader"):
            subprocess.run([sys.executable, "-c", "import nbgrader"], check=True)

    # the learner's command: JupyterLab on an exercise, from the repository's root
    (server,) = [b for b in blocks if b.kind == "server"]
    config = tmp_path / "jupyter-config"
    config.mkdir()
    port = _free_port()
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {
        "port": port, "open_browser": False, "allow_root": True,
        "token": "", "password": ""}, "IdentityProvider": {"token": ""}}))
    lab = subprocess.Popen(["bash", "-c", "\n".join(server.commands)], cwd=ROOT,
                           env=dict(env, JUPYTER_CONFIG_DIR=str(config)),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status") as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not answer within 60 s")
        # it serves the notebook it was given (the server's root is the notebook's folder)
        url = f"http://127.0.0.1:{port}/api/contents/01_initialization.ipynb?content=0"
        with urllib.request.urlopen(url) as r:
            assert json.load(r)["type"] == "notebook"
    finally:
        lab.terminate()
        lab.wait(30)

    # every other command, verbatim and in order, in one shell
    script = tmp_path / "readme.sh"
    script.write_text("set -euo pipefail\n" + "\n".join(b.text for b in blocks if not b.kind)
                      + "\n")
    kernel_before = KERNEL.exists() and (KERNEL / "kernel.json").read_text()
    try:
        done = subprocess.run(_wrapped(script), cwd=repo, env=env, capture_output=True,
                              text=True, timeout=1500)
    finally:  # the kernel spec points into the scratch copy: put the environment back
        if kernel_before:
            (KERNEL / "kernel.json").write_text(kernel_before)
        else:
            shutil.rmtree(KERNEL, ignore_errors=True)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]

    assert (os.stat(course).st_mode & 0o077) == 0, "chmod 700 closed the course directory"
    with open(course / "grades.csv", newline="") as f:
        grades = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    assert float(grades["alice", "03_loss"]["score"]) == 5
    assert float(grades["bob", "03_loss"]["score"]) == 4, "mse deleted: its 1 point lost"
    assert float(grades["carol", "03_loss"]["score"]) == 0
    assert (course / "loss.csv").is_file()
    assert (course / "feedback" / "alice" / "03_loss" / "03_loss.html").is_file()
    repairs = (course / "preflight" / "03_loss.csv").read_text()
    assert "bob,answer cell mse: deleted" in repairs
    carol = read(course / "autograded" / "carol" / "03_loss" / "03_loss.ipynb")
    out = "".join(o.get("text", "") for c in carol.cells if c.cell_type == "code"
                  for o in c.outputs)
    assert "kernel user: nbgrader-kernel" in out
    assert "READ" not in out and out.count("denied") == 2
    assert "No assignment with ID" not in done.stdout + done.stderr
    assert "Attribute 'checksum'" not in done.stdout + done.stderr, \
        "untouched test cells raise no checksum warning after the pre-flight"
