"""The student versions of the exercises, opened in JupyterLab and run as a learner first would:
before any answer is written, the self-checks report "not implemented yet" as feedback, not as a
traceback, and nothing else goes wrong."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
RELEASES = sorted((ROOT / "exercises" / "release").glob("*/*.ipynb"))

SETTLED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
    const busy = [...panel.node.querySelectorAll('.jp-InputPrompt')]
        .some(p => p.textContent.includes('*'));
    return panel.sessionContext.session.kernel.status === 'idle' && !busy
        && panel.content.widgets.some(c => c.model.type === 'code'
                                           && c.model.executionCount !== null);
}"""


@pytest.mark.parametrize("path", RELEASES, ids=[p.stem for p in RELEASES])
def test_untouched_release_reports_feedback_not_tracebacks(page, run_all_from_menu, path):
    run_all_from_menu(f"lab/tree/{path.relative_to(ROOT).as_posix()}?reset")
    page.wait_for_function(SETTLED, timeout=120_000, polling=500)
    page.wait_for_timeout(500)
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    texts = [errors.nth(i).inner_text() for i in range(errors.count())]
    page.screenshot(path=SCREENSHOTS / f"exercise-{path.stem}.png")
    assert texts, f"{path.name}: an unanswered exercise must fail its first self-check"
    first = texts[0]
    assert first.startswith("Feedback") and "not implemented yet" in first, first
    assert "Traceback" not in "\n".join(texts), "a raw traceback reached the learner"
    assert page.locator(".jp-OutputArea-output").get_by_text("Error displaying widget").count() == 0
