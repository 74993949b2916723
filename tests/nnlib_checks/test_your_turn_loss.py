"""The your-turn tasks of notebook 03 (``nnlib_checks.your_turn.loss``): the solution passes,
every catalogued mistake gets its own message, an untouched answer waits, a wrong value or
prediction is explained — and the notebook's own cells wait untouched and pass once filled in
from their worked answers. The helpers are notebook 02's (``test_your_turn_forward_propagation``).
"""

import numpy as np
import pytest

import nnlib
from nnlib_checks.your_turn import loss

from .test_checks import submit
from .test_your_turn_forward_propagation import check_cell, check_kinds, check_mistake, mistakes_of

NOTEBOOK = "03_loss"
MISTAKES = mistakes_of(loss)


@pytest.mark.parametrize("name", sorted(loss.TASKS))
def test_each_cell_of_the_notebook_waits_then_passes_with_its_worked_answer(name, capsys):
    check_cell(NOTEBOOK, name, capsys)


@pytest.mark.parametrize(("name", "mistake"), MISTAKES, ids=[m.name for _, m in MISTAKES])
def test_each_catalogued_mistake_is_named(name, mistake):
    check_mistake(loss.TASKS[name], mistake)


def test_right_wrong_and_untouched_answers_are_judged():
    check_kinds(loss)


def test_the_values_are_nnlib_s_losses():
    assert np.isclose(loss.TASKS["uniform_guess"].expected, np.log(3))
    assert np.isclose(loss.TASKS["ce_one_percent"].expected, np.log(100))
    Yhat = nnlib.activations.softmax(np.random.default_rng(0).normal(size=(4, 3)))
    labels = np.array([0, 2, 1, 1])
    net = nnlib.Network([nnlib.Dense(2, 3, "softmax")])
    assert np.isclose(loss.cross_entropy.reference(Yhat, np.eye(3)[labels]),
                      net.loss(Yhat, labels))


def test_cross_entropy_from_nnlib_or_with_a_clip_is_judged_fairly():
    task = loss.TASKS["cross_entropy"]
    clipped = submit("def cross_entropy(Yhat, Y):\n"
                     "    return -np.sum(Y * np.log(np.clip(Yhat, 1e-12, 1))) / len(Y)")
    assert task.judge(clipped) == ("done", "right.")
    library = submit("def cross_entropy(Yhat, Y):\n    return losses.cross_entropy(Yhat, Y)",
                     losses=nnlib.losses)
    verdict, message = task.judge(library)
    assert verdict == "wrong" and "uses nnlib" in message


def test_the_loss_of_a_guess_by_hand_accepts_a_rounded_number():
    assert loss.TASKS["uniform_guess"].judge(1.1)[0] == "done"
    assert loss.TASKS["ce_one_percent"].judge(4.6)[0] == "done"
    assert loss.TASKS["ce_one_percent"].judge(0.49)[0] == "wrong"
