"""Lecture mode and handouts, checked in the browser with the network cut off: the RISE
slideshow renders, an explorer on a slide is live (dragging its slider redraws its figure), the
speaker notes stay in the presenter's view, and the handouts open offline."""

import functools
import http.server
import json
import re
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


def load(stem, language="en"):
    folder = ROOT / "notebooks" / ("zh" if language == "zh" else "")
    return json.loads((folder / f"{stem}.ipynb").read_text(encoding="utf-8"))


def stored_pictures(stem, language="en"):
    nb = load(stem, language)
    return sum("image/png" in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell["outputs"])


def title_of(stem, language="en"):
    nb = load(stem, language)
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
    # The presenter's view (S) shows the speaker notes of the current slide; the slides don't.
    # It shows them from the first slide change after it has connected (it first loads the deck
    # for its preview of the current slide), so step through the slides as a presenter does.
    with page.context.expect_page(timeout=20_000) as popup:
        page.keyboard.press("s")
    presenter = popup.value
    shown = "() => document.body.innerText.includes('For instructors')"
    for _ in range(60):
        page.keyboard.press("Space")
        page.wait_for_timeout(1000)
        if presenter.evaluate(shown):
            break
    assert presenter.evaluate(shown), ("no notes in the presenter's view, which shows:\n"
                                       + presenter.locator("body").inner_text())
    notes_here = page.locator(".reveal section.present:not(:has(section)) aside.notes")
    assert notes_here.count(), "the presenter's notes belong to the slide on screen"
    assert "For instructors" not in page.locator(".reveal .slides").inner_text()
    presenter.close()


LIVE = ("02_forward_propagation", "fw.activation_explorer()")  # a notebook, an explorer cell
SHOWN = "el => { const f = el.closest('.fragment'); return !f || f.classList.contains('visible'); }"


def test_an_explorer_is_live_on_a_slide(page, run_all_from_menu, jupyter_server):
    """As an instructor does it: run the notebook in JupyterLab, open it as slides, run the
    explorer's cell on its slide, drag the slider — and the figure on the slide follows."""
    stem, code = LIVE
    run_all_from_menu(f"lab/tree/notebooks/{stem}.ipynb?reset")
    page.wait_for_selector(".widget-slider", timeout=120_000)
    slides = page.context.new_page()
    slides.goto(f"{jupyter_server['base']}/rise/notebooks/{stem}.ipynb"
                f"?token={jupyter_server['token']}")
    slides.wait_for_selector(".reveal .slides section", timeout=60_000)
    # The slide on screen (not the stack of sub-slides around it), and the cell once any
    # fragment holding it has been revealed.
    on_slide = slides.locator(".reveal .slides section.present:not(.stack)")
    cell = on_slide.locator(".jp-CodeCell", has_text=code)
    for _ in range(150):
        if cell.count() and cell.first.evaluate(SHOWN):
            break
        slides.keyboard.press("Space")
        slides.wait_for_timeout(150)
    slides.wait_for_timeout(1000)  # let the slide transition finish
    cell.first.locator(".jp-InputArea-editor").click()
    slides.keyboard.press("Control+Enter")  # run the cell and stay on this slide
    handle = on_slide.locator(".widget-slider .noUi-handle").first
    handle.wait_for(timeout=60_000)
    image = on_slide.locator(".jupyter-widgets img").last
    before = image.get_attribute("src")
    slides.screenshot(path=SCREENSHOTS / "rise-live-explorer-before-drag.png")
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    slides.mouse.move(x, y)
    slides.mouse.down()
    slides.mouse.move(x + 40, y, steps=8)
    slides.mouse.up()
    slides.wait_for_function("([el, src]) => el.getAttribute('src') !== src",
                             arg=[image.element_handle(), before], timeout=20_000)
    slides.wait_for_timeout(1500)  # the last redraw of the drag, for the screenshot
    slides.screenshot(path=SCREENSHOTS / "rise-live-explorer-after-drag.png")
    assert on_slide.get_by_text("Error displaying widget").count() == 0
    # The speaker notes travel with the slides (reveal.js keeps them for the presenter's view,
    # the S key) but are never shown on a slide.
    notes = slides.locator(".reveal aside.notes")
    assert notes.count() > 0, "the slides carry the speaker notes"
    assert all(not notes.nth(i).is_visible() for i in range(notes.count()))
    visible = slides.locator(".reveal .slides").inner_text()
    assert not re.search(r"For instructors", visible)


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


@pytest.mark.parametrize("language", ["en", "zh"])
def test_handouts_render_offline(page, handouts, language):
    base, pages = handouts
    folder = ROOT / "notebooks" / ("zh" if language == "zh" else "")
    notebooks = sorted(p.stem for p in folder.glob("*.ipynb"))
    outside, failed = offline(page), []
    page.on("requestfailed", lambda r: failed.append(r.url))
    prefix = "zh/" if language == "zh" else ""
    for audience, sub in (("learner", ""), ("instructor", "instructor/")):
        assert sorted(p.stem for p in pages[language, audience]) == notebooks
        for handout in pages[language, audience]:
            page.goto(f"{base}/{prefix}{sub}{handout.name}")
            page.wait_for_load_state("networkidle")
            assert title_of(handout.stem, language) in page.locator("h1").first.inner_text()
            page.wait_for_function(MATH_TYPESET, timeout=30_000)
            pictures = stored_pictures(handout.stem, language)  # figures, explorers' defaults
            assert page.locator("img").count() >= pictures, f"{handout.name}: missing figures"
            assert page.get_by_text("Math Processing Error").count() == 0, handout.name
            notes = page.locator("details.speaker-notes")
            if audience == "learner":  # the learners' handout leaves the notes out
                assert notes.count() == 0
            else:  # the instructors' keeps them, unfolded
                assert notes.count() == notes_in(handout.stem, language) > 0
                assert all(notes.nth(i).evaluate("el => el.open") for i in range(notes.count()))
        page.screenshot(path=SCREENSHOTS / f"handout-{language}-{audience}.png")
    assert outside == [], f"handouts asked outside hosts: {outside}"
    # MathJax probes for optional TeX fonts before settling on the STIX ones it has; a missing
    # probe is harmless. Anything else that failed is a broken handout.
    broken = [url for url in failed if not url.endswith(".otf") and url != "about:blank"]
    assert broken == [], f"failed requests: {broken}"


def notes_in(stem, language="en"):
    nb = load(stem, language)
    return sum(c["metadata"].get("slideshow", {}).get("slide_type") == "notes"
               for c in nb["cells"])
