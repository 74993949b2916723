"""Notebook 02's your-turn tasks (``nnlib_checks.your_turn.forward_propagation``): the answers
are what nnlib computes on the notebook's numbers, and dense_relu may use nnlib's relu but not
its layer. The tests every task module gets are in ``test_your_turn``.
"""

import numpy as np

import nnlib
from nnlib_checks.your_turn import forward_propagation as fp

from .your_turn_support import submit


def test_the_answers_are_what_nnlib_computes_on_the_notebook_s_numbers():
    layer = nnlib.Dense(3, 1, "identity")
    layer.W[...], layer.b[...] = [0.4, 0.3, -0.6], 0.1
    assert np.isclose(fp.TASKS["neuron_z"].expected, 0.3)
    assert np.isclose(layer.forward(np.array([[2.0, -1.0, 0.5]]))[0, 0], 0.3)
    assert tuple(fp.TASKS["z_shape"].expected) == (5, 4)


def test_dense_relu_may_use_nnlib_s_relu_but_not_its_layer():
    task = fp.TASKS["dense_relu"]
    relu = submit("def dense_relu(A_prev, W, b):\n    return relu(A_prev @ W.T + b)",
                  relu=nnlib.activations.relu)
    assert task.judge(relu) == ("done", "right.")
    layer = submit("def dense_relu(A_prev, W, b):\n"
                   "    layer = Dense(W.shape[1], W.shape[0])\n"
                   "    layer.W, layer.b = W, b\n"
                   "    return layer.forward(A_prev)", Dense=nnlib.Dense)
    verdict, message = task.judge(layer)
    assert verdict == "wrong" and "uses nnlib" in message
