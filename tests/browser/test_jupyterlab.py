"""Every course notebook opened in JupyterLab and in Jupyter Notebook 7, run from the menu, and
looked at: no error, no stderr, every widget rendered, a slider that redraws its figure, and no
speaker note visible to a learner."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + \
    sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

ALL_EXECUTED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.content || !panel.sessionContext.session) return false;
    const kernel = panel.sessionContext.session.kernel;
    const cells = panel.content.widgets.filter(c => c.model.type === 'code'
                                                    && c.model.sharedModel.getSource().trim());
    return kernel.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""


def stored_widget_count(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(WIDGET_VIEW in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code"
               for out in cell.get("outputs", []))


def assert_clean(page, name):
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, f"{name}: error or stderr output:\n{errors.first.inner_text()}"
    # Only in outputs: 00_start_here's troubleshooting prose quotes the message on purpose.
    failed = page.locator(".jp-OutputArea-output").get_by_text("Error displaying widget")
    assert failed.count() == 0, f"{name}: a widget failed"


def notes_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["metadata"].get("slideshow", {}).get("slide_type")
            == "notes"]


# checkVisibility, not layout boxes: Chromium lays out a closed <details>' content and hides it
# with content-visibility, so the hidden paragraphs still have client rects.
FOLDED = """el => !el.open && el.querySelector('summary').checkVisibility()
                  && [...el.children].filter(c => c.tagName !== 'SUMMARY')
                                     .every(c => !c.checkVisibility())"""


def assert_notes_folded(page, path):
    """Each speaker note shows one "For instructors" line and none of its text."""
    header = re.compile("For instructors|教师备注")  # the English and the Chinese edition's
    notes = page.locator("details", has=page.locator("summary", has_text=header))
    assert notes.count() == len(notes_cells(path)), f"{path.stem}: notes rendered"
    for i in range(notes.count()):
        assert notes.nth(i).evaluate(FOLDED), f"{path.stem}: speaker note {i} is visible"


def move_first_slider(page, name):
    """Drag the first slider's handle and wait for the picture of its explorer to change."""
    handle = page.locator(".widget-slider .noUi-handle").first
    explorer = handle.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][last()]")
    image = explorer.locator(".widget-image").first
    before = image.get_attribute("src")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y, steps=5)
    page.mouse.up()
    page.wait_for_function("([el, src]) => el.getAttribute('src') !== src",
                           arg=[image.element_handle(), before], timeout=20_000)
    return explorer


FRONT_ENDS = {"lab": "lab/tree/{}?reset", "notebook7": "notebooks/{}"}


def name_of(path):
    return path.relative_to(ROOT / "notebooks").with_suffix("").as_posix().replace("/", "-")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[name_of(p) for p in NOTEBOOKS])
def test_notebook_runs_cleanly(page, run_all_from_menu, path, front_end):
    run_all_from_menu(FRONT_ENDS[front_end].format(path.relative_to(ROOT).as_posix()))
    page.wait_for_function(ALL_EXECUTED, timeout=120_000, polling=500)
    assert_clean(page, path.stem)
    expected = stored_widget_count(path)
    rendered = page.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-widgets"))
    assert rendered.count() >= expected, f"{rendered.count()} of {expected} widgets rendered"
    if expected:
        explorer = move_first_slider(page, path.stem)
        explorer.screenshot(path=SCREENSHOTS / f"{front_end}-{name_of(path)}-widget.png")
        if "zh" in path.parts:  # the Chinese edition's widgets speak Chinese
            labels = page.locator(".widget-label, .widget-button, .widget-toggle-button")
            assert any(re.search(r"[\u4e00-\u9fff]", labels.nth(i).inner_text())
                       for i in range(labels.count())), "no Chinese widget label"
    page.screenshot(path=SCREENSHOTS / f"{front_end}-{name_of(path)}.png")
    assert_clean(page, path.stem)
    assert_notes_folded(page, path)


RELEASES = sorted((ROOT / "exercises" / "release").glob("*/*.ipynb")) + \
    sorted((ROOT / "exercises" / "zh" / "release").glob("*/*.ipynb"))
DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
SAVE = "() => window.jupyterapp.commands.execute('docmanager:save')"


@pytest.mark.parametrize("path", NOTEBOOKS + RELEASES,
                         ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS + RELEASES])
def test_opening_a_notebook_changes_nothing(page, jupyter_server, path):
    """A learner who opens a notebook (and even saves it) leaves the file as it was, so pulling
    an update never conflicts: the files are stored as JupyterLab writes them."""
    relative = path.relative_to(ROOT).as_posix()
    page.goto(f"{jupyter_server['base']}/lab/tree/{relative}?reset&token={jupyter_server['token']}")
    page.wait_for_selector(".jp-Notebook")
    from tests.browser.conftest import KERNEL_IDLE

    page.wait_for_function(KERNEL_IDLE, timeout=60_000)
    page.wait_for_timeout(1000)  # kernel info arrives after idle: let it update the metadata
    assert page.evaluate(DIRTY) is False, f"{relative}: opening marked the notebook modified"
    page.evaluate(SAVE)
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    saved = (jupyter_server["root"] / relative).read_bytes()
    assert saved == path.read_bytes(), f"{relative}: JupyterLab rewrote it on save"
