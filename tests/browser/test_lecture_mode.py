"""Lecture mode and handouts, checked in the browser with the network cut off."""

import functools
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
SLIDESHOW = "02_forward_propagation"
LOCAL = {"127.0.0.1", "localhost", "[::1]", ""}
MATH_TYPESET = """() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0
                     && document.querySelectorAll('.MathJax, .MathJax_CHTML').length > 0"""


def offline(page):
    """Abort every request that would leave this machine; return the list of those attempts."""
    outside = []

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:", "file:")) or host in LOCAL:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return outside


def stored_pictures(stem):
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return sum("image/png" in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell["outputs"])


def title_of(stem):
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    title = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    return "".join(title["source"]).splitlines()[0].lstrip("# ").strip()


def test_rise_slideshow_renders_offline(page, jupyter_server):
    server = jupyter_server
    offline(page)
    page.goto(f"{server['base']}/rise/notebooks/{SLIDESHOW}.ipynb?token={server['token']}")
    page.wait_for_selector(".reveal .slides section", timeout=60_000)
    first = page.locator(".reveal .slides section.present").first
    assert title_of(SLIDESHOW) in first.inner_text()
    assert page.locator(".reveal .slides > section").count() >= 3, "the notebook has few slides"
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    # Walk forward until a slide shows typeset math (MathJax 3 in JupyterLab: mjx-container).
    for _ in range(15):
        if page.locator(".reveal section.present mjx-container").count():
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
    assert page.locator(".reveal section.present mjx-container").count(), "no equation rendered"
    page.screenshot(path=SCREENSHOTS / f"rise-{SLIDESHOW}.png")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    from tools.build_handouts import build

    out = tmp_path_factory.mktemp("handouts")
    pages = build(out)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    httpd.shutdown()


def test_handouts_render_offline(page, handouts):
    base, pages = handouts
    notebooks = (ROOT / "notebooks").glob("*.ipynb")
    assert sorted(p.stem for p in pages) == sorted(p.stem for p in notebooks)
    outside, failed = offline(page), []
    page.on("requestfailed", lambda r: failed.append(r.url))
    for handout in pages:
        page.goto(f"{base}/{handout.name}")
        page.wait_for_load_state("networkidle")
        assert title_of(handout.stem) in page.locator("h1").first.inner_text()
        page.wait_for_function(MATH_TYPESET, timeout=30_000)
        pictures = stored_pictures(handout.stem)  # figures and explorers' default states
        assert page.locator("img").count() >= pictures, f"{handout.name}: missing figures"
        assert page.get_by_text("Math Processing Error").count() == 0, handout.name
    page.screenshot(path=SCREENSHOTS / f"handout-{pages[-1].stem}.png")
    assert outside == [], f"handouts asked outside hosts: {outside}"
    # MathJax probes for optional TeX fonts before settling on the STIX ones it has; a missing
    # probe is harmless. Anything else that failed is a broken handout.
    broken = [url for url in failed if not url.endswith(".otf") and url != "about:blank"]
    assert broken == [], f"failed requests: {broken}"
