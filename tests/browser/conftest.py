"""Real-browser tests: JupyterLab (and Notebook 7) on loopback, driven in headless Chromium.

They need Debian's Chromium at /usr/bin/chromium (or $CHROMIUM) and the `playwright` Python
package; without them they skip and say how to enable them. No browser is ever downloaded.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic", "--disable-dev-shm-usage"]
HOW_TO_ENABLE = ("browser tests need Chromium and Playwright for Python: "
                 "`sudo apt-get install chromium` (Debian/Ubuntu) and `pip install playwright` "
                 "(never `playwright install`); set $CHROMIUM if the binary lives elsewhere")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: {HOW_TO_ENABLE}")
    sync_api = pytest.importorskip("playwright.sync_api", reason=HOW_TO_ENABLE)
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    """A Jupyter server (JupyterLab and Notebook 7 front ends) serving a copy of the course.

    A copy, so that nothing a browser does (autosave, checkpoints) can touch the working tree.
    """
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("jupyter-home")
    served = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "exercises/release", "exercises/zh/release"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, served / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # Render every cell in the DOM (no windowing), so the page shows all outputs to check.
    settings = home / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    docs = home / "lab-settings" / "@jupyterlab" / "docmanager-extension"
    docs.mkdir(parents=True)
    (docs / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
           "--LabApp.expose_app_in_browser=True",
           "--JupyterNotebookApp.expose_app_in_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=served)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail(f"Jupyter server did not start:\n{(home / 'server.log').read_text()}")
            time.sleep(0.5)
    yield {"base": base, "token": token, "log": home / "server.log", "root": served}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def page(browser):
    (ROOT / "tests" / "screenshots").mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    return !!(session && session.kernel && session.kernel.status === 'idle');
}"""


@pytest.fixture
def run_all_from_menu(page, jupyter_server):
    """Open ``url`` (a path on the server, e.g. "lab/tree/notebooks/x.ipynb?reset"), wait for an
    idle kernel, then choose Run → Run All Cells from the menu bar, as a person would."""

    def run(url):
        separator = "&" if "?" in url else "?"
        page.goto(f"{jupyter_server['base']}/{url}{separator}token={jupyter_server['token']}")
        page.wait_for_selector(".jp-Notebook")
        page.wait_for_function(KERNEL_IDLE, timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()

    yield run
    shut_down_kernels(jupyter_server)


def shut_down_kernels(server):
    """End every session the test started: dozens of idle kernels would slow the later tests."""
    def call(method, path):
        request = urllib.request.Request(f"{server['base']}{path}?token={server['token']}",
                                         method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    for session in json.loads(call("GET", "/api/sessions")):
        call("DELETE", f"/api/sessions/{session['id']}")
