"""The student versions of the exercises, opened in JupyterLab and run as a learner first would:
before any answer is written, the self-checks report "not implemented yet" as feedback, not as a
traceback, and nothing else goes wrong — in English and, in the Chinese course, in Chinese. And
a learner's mistake gets its named message, in the learner's language."""

import json
import re
from pathlib import Path

import pytest

from nnlib import language
from nnlib_checks.engine import NOT_IMPLEMENTED

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
RELEASES = sorted((ROOT / "exercises" / "release").glob("*/*.ipynb")) + \
    sorted((ROOT / "exercises" / "zh" / "release").glob("*/*.ipynb"))
HAN = re.compile(r"[\u4e00-\u9fff]")

SETTLED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
    const busy = [...panel.node.querySelectorAll('.jp-InputPrompt')]
        .some(p => p.textContent.includes('*'));
    return panel.sessionContext.session.kernel.status === 'idle' && !busy
        && panel.content.widgets.some(c => c.model.type === 'code'
                                           && c.model.executionCount !== null);
}"""


def language_of(path):
    return "zh" if "zh" in path.relative_to(ROOT).parts else "en"


@pytest.mark.parametrize("path", RELEASES,
                         ids=[f"{language_of(p)}-{p.stem}" for p in RELEASES])
def test_untouched_release_reports_feedback_not_tracebacks(page, run_all_from_menu, path):
    run_all_from_menu(f"lab/tree/{path.relative_to(ROOT).as_posix()}?reset")
    page.wait_for_function(SETTLED, timeout=120_000, polling=500)
    page.wait_for_timeout(500)
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    texts = [errors.nth(i).inner_text() for i in range(errors.count())]
    lang = language_of(path)
    page.screenshot(path=SCREENSHOTS / f"exercise-{lang}-{path.stem}.png")
    assert texts, f"{path.name}: an unanswered exercise must fail its first self-check"
    with language.using(lang):
        waiting = language.say(NOT_IMPLEMENTED)
    first = texts[0]
    assert first.startswith("Feedback") and waiting in first, first
    assert "Traceback" not in "\n".join(texts), "a raw traceback reached the learner"
    assert page.locator(".jp-OutputArea-output").get_by_text("Error displaying widget").count() == 0


SET_ANSWER = """([grade_id, source]) => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets
        .find(c => (c.model.getMetadata('nbgrader') || {}).grade_id === grade_id);
    cell.model.sharedModel.setSource(source);
}"""
FORGOT_1_OVER_M = ("def dense_backward(delta, A_prev, W):\n"
                   "    return delta.T @ A_prev, delta.sum(axis=0) / len(delta), delta @ W\n")


def solutions_before(release, grade_id):
    """The instructor's answers, from the source version, to the tasks before `grade_id`."""
    source = ROOT / release.relative_to(ROOT).as_posix().replace("/release/", "/source/")
    answers = []
    for cell in json.loads(Path(source).read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == grade_id:
            return answers
        if meta.get("solution"):
            lines = "".join(cell["source"]).splitlines(keepends=True)
            answers.append((meta["grade_id"],
                            "".join(x for x in lines if "### BEGIN SOLUTION" not in x
                                    and "### END SOLUTION" not in x)))
    raise AssertionError(f"{grade_id} not in {source}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_mistake_is_named_in_the_learner_s_language(page, run_all_from_menu, lang):
    """A learner answers the first tasks right, then forgets the 1/m in dW: the check under the
    answer names that mistake (Run All stops at the first failing check, so the tasks before it
    are answered with the instructor's solutions)."""
    course = "exercises/zh/release" if lang == "zh" else "exercises/release"
    path = ROOT / course / "04_backpropagation" / "04_backpropagation.ipynb"
    run_all_from_menu(f"lab/tree/{path.relative_to(ROOT).as_posix()}?reset")
    page.wait_for_function(SETTLED, timeout=120_000, polling=500)
    for grade_id, solution in solutions_before(path, "dense_backward"):
        page.evaluate(SET_ANSWER, [grade_id, solution])
    page.evaluate(SET_ANSWER, ["dense_backward", FORGOT_1_OVER_M])
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_timeout(1000)
    page.wait_for_function(SETTLED, timeout=120_000, polling=500)
    message = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]',
                           has_text="dense_backward").first
    message.scroll_into_view_if_needed()
    text = message.inner_text()
    page.screenshot(path=SCREENSHOTS / f"feedback-{lang}-dense_backward.png")
    assert "m = 8" in text and "1/m" in text, text
    if lang == "zh":
        assert HAN.search(text) and "did you forget" not in text, text
    else:
        assert "did you forget the 1/m" in text, text
