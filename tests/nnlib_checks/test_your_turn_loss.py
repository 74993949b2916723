"""Notebook 03's your-turn tasks (``nnlib_checks.your_turn.loss``): the values are nnlib's
losses, cross-entropy with a clip is right and nnlib's is not the answer, and a loss worked out
by hand may be rounded. The tests every task module gets are in ``test_your_turn``.
"""

import numpy as np

import nnlib
from nnlib_checks.your_turn import loss

from .your_turn_support import submit


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
