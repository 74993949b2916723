"""Realistic one-line mistakes, handed in as the autograder runs them (see
``realistic_mistakes``): every one loses points, and at least 9 in 10 get a message that names
the mistake. ``python bench/bench_mistakes.py`` prints the counts and every generic message."""

import functools

import pytest

from nnlib_checks.engine import Feedback

from . import realistic_mistakes as realistic

ANSWER_CELLS = sorted({(s.assignment, s.cell) for s in realistic.SLIPS + realistic.FRESH})


@functools.cache
def graded(slip):
    return realistic.grade(slip)


@pytest.mark.parametrize(("assignment", "cell"), ANSWER_CELLS,
                         ids=[f"{a[:2]}-{c}" for a, c in ANSWER_CELLS])
def test_the_answers_without_a_mistake_pass_every_test_cell(assignment, cell):
    """The harness itself: the source notebook's own answer, unedited, loses nothing."""
    result = realistic.grade(realistic.Slip(assignment, cell, "none", ()))
    assert not result.lost, result.message
    assert realistic.tested_by(assignment, cell), "every answer has a test cell"


@pytest.mark.parametrize("slip", realistic.SLIPS + realistic.FRESH,
                         ids=[s.id for s in realistic.SLIPS + realistic.FRESH])
def test_every_realistic_mistake_loses_points(slip):
    result = graded(slip)
    assert result.lost, f"{slip.id} passes every test cell of {slip.cell}"


def test_at_least_nine_in_ten_realistic_mistakes_are_named():
    results = [graded(s) for s in realistic.SLIPS]
    counts = realistic.summary(results)
    generic = [f"{r.slip.id}: {r.message}" for r in results if r.kind == "generic"]
    assert counts["named"] >= 0.9 * counts["mistakes"], "\n".join(generic)


def test_a_named_mistake_is_a_feedback_with_a_catalogue_name():
    """What "named" means in the counts: the first failing test cell raised the check's
    Feedback carrying a mistake name — here the issue's own example, dW without the 1/m."""
    slip = next(s for s in realistic.SLIPS if s.id == "04-dense_backward-dW-no-1-over-m")
    result = graded(slip)
    assert result.kind == "named" and result.cell == "test_dense_backward"
    assert result.message.startswith("✗ dense_backward: dW is m = 8 times too large")
    with pytest.raises(ValueError, match="occurs 0 times"):
        realistic.answers(realistic.Slip(slip.assignment, slip.cell, "x", (("nowhere", ""),)))
    assert issubclass(Feedback, AssertionError)
