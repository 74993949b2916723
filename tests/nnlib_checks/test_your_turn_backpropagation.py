"""Notebook 04's your-turn tasks (``nnlib_checks.your_turn.backpropagation``): the references
are nnlib's backward pass, nnlib's own tanh′ is allowed, and the facts behind the predictions —
the naive softmax δ and the vanishing gradients — are what nnlib measures. The tests every task
module gets are in ``test_your_turn``.
"""

import numpy as np

from nnlib import Dense, Network, datasets
from nnlib_checks.your_turn import backpropagation as module
from nnlib_viz import backprop

from .your_turn_support import submit


def test_a_hidden_delta_that_uses_nnlib_s_own_derivative_is_accepted():
    answer = submit("from nnlib import activations\n\n"
                    "def hidden_delta(delta_next, W_next, Z):\n"
                    "    return (delta_next @ W_next) * activations.tanh_prime(Z)\n")
    assert module.TASKS["hidden_delta"].judge(answer) == ("done", "right.")


def test_the_references_are_nnlib_s_backward_pass():
    X, y = datasets.moons(8, noise=0.2, seed=0)
    net = Network([Dense(2, 5, "tanh"), Dense(5, 4, "tanh"), Dense(4, 2, "softmax")], seed=0)
    net.forward(X)
    net.backward(y)
    lay1, lay2, lay3 = net.layers
    np.testing.assert_allclose(module.hidden_delta.reference(lay3.delta, lay3.W, lay2.Z),
                               lay2.delta)
    np.testing.assert_allclose(module.layer_dW.reference(lay2.delta, lay1.A), lay2.dW)
    np.testing.assert_allclose(module.TASKS["delta_L"].expected, module.YHAT_TINY - module.Y_TINY)


def test_the_naive_softmax_delta_loses_exactly_the_wrong_classes():
    Yhat, Y = module.YHAT_TINY, module.Y_TINY
    naive = (-Y / Yhat) * Yhat * (1 - Yhat)
    assert np.all(naive[Y == 0] == 0)
    np.testing.assert_allclose(naive[Y == 1], (Yhat - Y)[Y == 1])
    assert module.TASKS["naive_softmax_prediction"].answer == "b"


def test_the_vanishing_prediction_s_numbers_are_what_nnlib_measures():
    norms = backprop.layer_gradient_norms(10, "sigmoid")
    assert 1e-7 < norms[0] / norms[-1] < 1e-5  # (c): about a million times smaller
    why = module.TASKS["vanishing_prediction"].why
    assert f"{0.25 ** 9:.0e}" == "4e-06" and "0.25⁹ ≈ 4·10⁻⁶" in why
    for norm in (norms[0], norms[-1]):
        mantissa, exponent = f"{norm:.1e}".split("e")
        assert f"{mantissa}·10{str(int(exponent)).translate(SUPERSCRIPTS)}" in why


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
