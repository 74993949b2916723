"""Every command the documents tell a reader to type, run verbatim.

A command is a line of a fenced ``bash`` block (``tools/doc_commands.py``): ```` ```bash ````
blocks run in order in one shell, ```` ```bash environment ```` blocks set up the environment
the others run in, ```` ```bash server ```` blocks start a program that keeps running. They run
on a scratch copy of the repository, from the state the document describes — the course's
environment set up and activated (this test's own, which the Quick start made). The Quick start
itself is run verbatim too: its first command in a scratch copy, fresh virtualenv and all, until
JupyterLab answers; its second is what CI runs (``.ci/run``). ``exercises/README.md`` has a test
of its own (``tests/exercises/test_instructor_commands.py``).
"""

import json
import os
import re
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from pathlib import Path

import pytest

from tools import doc_commands
from tools.quickstart import quickstart_commands

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / name for name in ("README.md", "README.zh-CN.md", "docs/instructor.md",
                                 "docs/instructor.zh-CN.md", "docs/authoring.md",
                                 "bench/README.md")]
READMES = DOCS[:2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_copy(target):
    """The repository as a clone has it: tracked files and new, not ignored ones."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def activated(extra=None):
    """The environment of a reader whose course virtualenv is active (this test's)."""
    return dict(os.environ, VIRTUAL_ENV=sys.prefix, BROWSER="true",
                PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                **(extra or {}))


def server_config(folder):
    """A Jupyter configuration that fixes the port and needs no token, so a test can ask the
    server whether it is up (and lets it run as root on CI machines)."""
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "jupyter_server_config.json").write_text(json.dumps({
        "ServerApp": {"port": port, "open_browser": False, "allow_root": True,
                      "token": "", "password": ""}, "IdentityProvider": {"token": ""}}))
    return port, {"JUPYTER_CONFIG_DIR": str(folder)}


def serve(command, cwd, env, port, path):
    """Run ``command`` until the server on ``port`` answers and serves ``path``, then stop."""
    proc = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(900):  # a fresh install first: up to 15 minutes
            if proc.poll() is not None:
                pytest.fail(f"{command!r} exited:\n{proc.stdout.read()[-3000:]}")
            try:
                url = f"http://127.0.0.1:{port}/api/contents/{path}?content=0"
                with urllib.request.urlopen(url, timeout=5) as r:
                    return json.load(r)
            except OSError:
                time.sleep(1)
        pytest.fail(f"{command!r}: no server after 15 minutes")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(60)


def requirements(path):
    """Distribution names a requirements file asks for (following -r, skipping -e and paths)."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            names += requirements(path.parent / line[3:].strip())
        elif line and not line.startswith(("-", ".", "/")):
            names.append(re.split(r"[<>=!~\[ ;]", line)[0])
    return names


# -- the Quick start ---------------------------------------------------------------------------
def test_ci_runs_the_readme_s_test_command_and_both_readmes_agree():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "tools/quickstart.py test" in ci and 'bash -c "$test_command"' in ci
    english = quickstart_commands(READMES[0].read_text(encoding="utf-8"))
    chinese = quickstart_commands(READMES[1].read_text(encoding="utf-8"))
    assert chinese["test"] == english["test"]
    assert chinese["course"] == english["course"].replace("notebooks/00_start_here",
                                                          "notebooks/zh/00_start_here")


@pytest.mark.slow
def test_the_quick_start_sets_up_and_opens_the_course(tmp_path):
    """The first Quick start command, verbatim, in a fresh copy: a new virtualenv, the learner
    requirements, and JupyterLab serving the first notebook — in English, then in Chinese."""
    repo = scratch_copy(tmp_path / "repo")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    for readme, notebook in zip(READMES, ("notebooks/00_start_here.ipynb",
                                          "notebooks/zh/00_start_here.ipynb")):
        command = quickstart_commands(readme.read_text(encoding="utf-8"))["course"]
        port, config = server_config(tmp_path / f"config-{readme.stem}")
        model = serve(command, repo, dict(env, BROWSER="true", **config), port, notebook)
        assert model["type"] == "notebook"
    assert (repo / ".venv" / "bin" / "python").exists(), "the command made its virtualenv"
    # what it installed into share/jupyter: live widgets on slides, the course's settings
    share = repo / ".venv" / "share" / "jupyter"
    assert (share / "labextensions" / "nnlib-rise-widgets" / "package.json").is_file()
    assert (share / "lab" / "settings" / "overrides.json").is_file()
    changed = [p for p in ("notebooks/00_start_here.ipynb", "notebooks/zh/00_start_here.ipynb")
               if (repo / p).read_bytes() != (ROOT / p).read_bytes()]
    assert changed == [], "opening the course changed a notebook"


# -- every other command -----------------------------------------------------------------------
def command_blocks(doc):
    """The document's blocks, without the Quick start's (run above and by CI)."""
    text = doc.read_text(encoding="utf-8")
    quick = set(quickstart_commands(text).values()) if doc in READMES else set()
    return [b for b in doc_commands.blocks(text) if not quick & set(b.commands)]


@pytest.mark.slow
@pytest.mark.parametrize("doc", [d for d in DOCS if d.exists()],
                         ids=lambda d: d.relative_to(ROOT).as_posix())
def test_every_command_of_the_document_runs_verbatim(doc, tmp_path):
    blocks = command_blocks(doc)
    if not blocks:
        pytest.skip("no command to type")
    repo = scratch_copy(tmp_path / "repo")
    env = activated()
    script = []
    for block in blocks:
        if block.kind == "environment":  # this test's environment must be what it installs
            for command in block.commands:
                for path in re.findall(r"-r (\S+)", command):
                    for name in requirements(ROOT / path):
                        metadata.version(name)  # raises when it is not installed
        elif block.kind == "server":
            for command in block.commands:
                port, config = server_config(tmp_path / f"config-{block.line}")
                assert serve(command, repo, activated(config), port, "")["type"] == "directory"
        else:
            script.append(block.text)
    if script:
        done = subprocess.run(["bash", "-c", "set -euo pipefail\n" + "\n".join(script)],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=3600)
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


# -- what the documents quote -------------------------------------------------------------------
def _normal(text):
    return re.sub(r"\s+", " ", text).strip()


def check_messages():
    """Every sentence the checks can say, "…" where a value goes: the catalogue's messages and
    the string literals (f-strings with their fields as "…") of nnlib_checks."""
    import ast

    import nnlib_checks

    said = [m.message for a in nnlib_checks.catalogue().values() for ms in a.values()
            for m in ms]
    for path in (ROOT / "nnlib_checks").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                said.append(node.value)
            elif isinstance(node, ast.JoinedStr):
                said.append("".join(v.value if isinstance(v, ast.Constant) else "…"
                                    for v in node.values))
    return [_normal(_as_said(s)) for s in said]


def _as_said(template):
    """A format template as a reader sees it: its literal text, "…" for each field."""
    try:
        return "".join(text + ("…" if field is not None else "")
                       for text, field, _, _ in string.Formatter().parse(template))
    except ValueError:  # not a template: the text as it is
        return template


QUOTE = re.compile(r"\*(\w+)\*\s*(?:\(|—)\s*\"([^\"]+)\"")


def test_feedback_quoted_in_the_instructor_guide_is_what_the_checks_say():
    """*mistake_name* — "its message" in docs/instructor.md: each quote ("…" for the elided
    parts) is a sentence the checks actually produce."""
    messages = "\n".join(check_messages())
    wrong = []
    for match in QUOTE.finditer((ROOT / "docs" / "instructor.md").read_text(encoding="utf-8")):
        name, quote = match.groups()
        pattern = r"[^\n]*".join(re.escape(part.strip()) for part in _normal(quote).split("…"))
        if not re.search(pattern, messages):
            wrong.append((name, _normal(quote)[:80]))
    assert wrong == []
