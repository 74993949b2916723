"""A Jupyter kernel for autograding that runs the learners' code as an unprivileged user.

    python tools/sandbox_kernel.py install --user nbgrader-kernel   # once, as the instructor

installs the kernel spec ``nnlib-sandbox`` into this Python environment. ``nbgrader autograde``
uses it when ``c.Execute.kernel_name = "nnlib-sandbox"`` (``exercises/nbgrader_config.py``).
When nbgrader starts it, the kernel

* drops to the Unix user given at install time (``setpriv`` when the grader runs as root,
  ``sudo -n -u <user>`` otherwise — the instructor then needs a sudoers rule, see
  ``exercises/README.md``), with no supplementary groups and no way to regain privileges;
* starts in a new, empty folder of its own (mode 700, under the system's temporary folder),
  which is also its HOME: it never runs in the instructor's course directory;
* receives nbgrader's connection details (ports and key) through a pipe, never by reading the
  instructor's files.

So the learner's code cannot read or change what the user cannot: keep the course directory
(the gradebook, source/, submitted/, autograded/) closed to other users, ``chmod 700``. What
the kernel still can do is what any local user can: read world-readable files (the course's
public repository, NumPy), use the network, and spend CPU and memory for up to the per-cell
time limit. Docker or a JupyterHub pod is the stronger isolation where one is available.
"""

import argparse
import json
import os
import pwd
import shutil
import sys
import tempfile
import time
from pathlib import Path

NAME = "nnlib-sandbox"
SCRIPT = Path(__file__).resolve()


def kernel_dir(prefix, name=NAME):
    return Path(prefix) / "share" / "jupyter" / "kernels" / name


def install(user, prefix=sys.prefix, name=NAME):
    """Write the kernel spec; return its folder."""
    pwd.getpwnam(user)  # KeyError, before anything is written, when the user does not exist
    folder = kernel_dir(prefix, name)
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, str(SCRIPT), "run", "--user", user, "-f", "{connection_file}"],
        "display_name": f"Python 3 (grading sandbox, user {user})",
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return folder


def drop_to(user):
    """The command prefix that runs a program as ``user``."""
    entry = pwd.getpwnam(user)
    if os.geteuid() == 0:
        return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}",
                "--clear-groups", "--no-new-privs", "--"]
    return ["sudo", "-n", "-u", user, "--"]


def run(user, connection_file):
    """Started by nbgrader (as the instructor): hand the connection over a pipe and become the
    kernel, as ``user``. The process id stays the same, so nbgrader's interrupts and its
    shutdown reach the kernel itself."""
    connection = Path(connection_file).read_text(encoding="utf-8")
    read, write = os.pipe()
    os.write(write, connection.encode())  # a few hundred bytes: well under a pipe's buffer
    os.close(write)
    os.dup2(read, 0)
    os.close(read)
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    argv = drop_to(user) + [sys.executable, str(SCRIPT), "inner"]
    os.execvpe(argv[0], argv, keep)


def inner():
    """Running as the sandbox user: a private folder, the connection file in it, the kernel."""
    os.umask(0o077)
    base = Path(tempfile.gettempdir())
    for old in base.glob("nnlib-kernel-*"):  # this user's leftovers of earlier gradings
        try:
            if old.owner() == pwd.getpwuid(os.getuid()).pw_name and \
                    time.time() - old.stat().st_mtime > 24 * 3600:
                shutil.rmtree(old, ignore_errors=True)
        except (OSError, KeyError):
            pass
    home = Path(tempfile.mkdtemp(prefix="nnlib-kernel-"))
    connection = home / "kernel.json"
    connection.write_text(sys.stdin.read(), encoding="utf-8")
    sys.stdin.close()
    os.close(0)
    os.open(os.devnull, os.O_RDONLY)
    os.chdir(home)
    env = dict(os.environ, HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
               MPLCONFIGDIR=str(home / ".matplotlib"), JUPYTER_RUNTIME_DIR=str(home))
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection)]
    os.execve(sys.executable, argv, env)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("install", help="install the kernel spec into this environment")
    p.add_argument("--user", required=True, help="the unprivileged user the kernel runs as")
    p.add_argument("--prefix", default=sys.prefix)
    p.add_argument("--name", default=NAME)
    p = sub.add_parser("run", help="(started by Jupyter) start the kernel as --user")
    p.add_argument("--user", required=True)
    p.add_argument("-f", dest="connection_file", required=True)
    sub.add_parser("inner", help="(internal) the kernel's side, as the sandbox user")
    args = parser.parse_args(argv)
    if args.command == "install":
        print(f"installed kernel {args.name!r} (runs as {args.user}) in "
              f"{install(args.user, args.prefix, args.name)}")
    elif args.command == "run":
        run(args.user, args.connection_file)
    else:
        inner()
    return 0


if __name__ == "__main__":
    sys.exit(main())
