"""Notebook 01's your-turn tasks (``nnlib_checks.your_turn.initialization``): the facts behind
them, measured with nnlib on the notebook's settings — the shape of W[2] and of the tempting
wrong shapes, the std nnlib's He initialization draws with, what 300 steps do to networks
started from zeros, and how fast the signal of std-0.01 ReLU layers dies. The tests every task
module gets are in ``test_your_turn``.
"""

import numpy as np
import pytest

from nnlib import SGD, Dense, Network, datasets, fit
from nnlib_checks.your_turn import initialization as module

from .your_turn_support import submit


def test_w2_s_shape_and_the_tempting_ones_are_the_shapes_nnlib_builds():
    net = Network([Dense(2, 4, "relu"), Dense(4, 3, "relu"), Dense(3, 2, "softmax")], seed=0)
    W1, W2 = net.layers[0].W, net.layers[1].W
    task = module.TASKS["w2_shape"]
    assert tuple(task.expected) == W2.shape == (3, 4)
    # its transpose, W[1]'s shape, and W[2]'s rows against the input's 2 features
    assert [value for value, _ in task.wrong] == [W2.T.shape, W1.shape, (len(W2), W1.shape[1])]


@pytest.mark.parametrize("n_in", [2, 64, 784])
def test_the_he_reference_is_the_std_nnlib_draws_with(n_in):
    std = module.he_std.reference(n_in)
    assert std == pytest.approx(np.sqrt(2 / n_in), rel=1e-12)
    assert module.he_std_solution(n_in) == pytest.approx(std, rel=1e-12)
    n_out = -(-40_000 // n_in)  # enough draws to measure the std within 1 %
    layer = Dense(n_in, n_out, "relu")  # He: nnlib's default after relu
    layer.initialize(np.random.default_rng(0))
    np.testing.assert_array_equal(
        layer.W, std * np.random.default_rng(0).standard_normal((n_out, n_in)))
    assert layer.W.std() == pytest.approx(std, rel=0.02)


def test_he_std_in_any_form_is_right_and_nnlib_s_layer_is_not_the_answer():
    task = module.TASKS["he_std"]
    for source in ("def he_std(n_in):\n    return (2 / n_in) ** 0.5",
                   "import math\n\ndef he_std(n_in):\n    return math.sqrt(2 / n_in)"):
        assert task.judge(submit(source)) == ("done", "right.")
    library = submit("def he_std(n_in):\n"
                     "    layer = Dense(n_in, 1000)\n"
                     "    layer.initialize(np.random.default_rng(0))\n"
                     "    return layer.W.std()", Dense=Dense)
    verdict, message = task.judge(library)
    assert verdict == "wrong" and "uses nnlib" in message


def moons_two_to_one():
    """The notebook's data: all of class 0 of 300 moons, every second point of class 1."""
    X, y = datasets.moons(n=300, noise=0.15, seed=0)
    keep = (y == 0) | (np.arange(len(y)) % 2 == 0)
    return X[keep], y[keep]


def test_a_network_started_from_zeros_keeps_identical_hidden_units():
    X, y = moons_two_to_one()
    W1, distinct = {}, {}
    for activation, init in [("sigmoid", "zeros"), ("relu", "zeros"), ("relu", "he")]:
        net = Network([Dense(2, 8, activation, init=init), Dense(8, 2, "softmax", init=init)],
                      seed=0)
        fit(net, X, y, SGD(lr=1.0), epochs=300, progress=False)  # (c): nothing crashes
        layer = net.layers[0]
        W1[activation, init] = layer.W
        distinct[activation, init] = len(np.unique(layer.W.round(9), axis=0))
        if init == "zeros":  # (b): the 8 units stay one unit, weights and bias
            np.testing.assert_allclose(layer.W, np.broadcast_to(layer.W[0], layer.W.shape),
                                       rtol=1e-9)
            np.testing.assert_allclose(layer.b, layer.b[0], rtol=1e-9)
    assert np.abs(W1["sigmoid", "zeros"]).max() > 0.5  # moved, in lockstep
    assert np.all(W1["relu", "zeros"] == 0)  # relu′(0) = 0: never moved at all
    assert distinct == {("sigmoid", "zeros"): 1, ("relu", "zeros"): 1, ("relu", "he"): 8}  # (a)
    assert module.TASKS["zero_init_prediction"].answer == "b"


def test_ten_std_0_01_relu_layers_shrink_the_signal_as_the_prediction_says():
    X = np.random.default_rng(1).standard_normal((64, 64))
    ratios = {}
    for init in ("normal", "he"):
        deep = Network([Dense(64, 64, "relu", init=init, scale=0.01) for _ in range(10)],
                       loss="mse", seed=0)
        deep.forward(X)
        stds = [layer.A.std() for layer in deep.layers]
        ratios[init] = stds[-1] / stds[0]
    assert ratios["normal"] < 1e-6  # (b): a million times smaller or more
    assert 0.5 < ratios["he"] < 2  # (a) is what He's std gives, not 0.01's
    # per ReLU layer the std is multiplied by √(n_in Var(w) / 2): n_in Var(w) = 0.0064 ≪ 2
    factor = np.sqrt(64 * 0.01 ** 2 / 2)
    assert ratios["normal"] ** (1 / 9) == pytest.approx(factor, rel=0.1)
    why = module.TASKS["depth_prediction"].why
    assert f"{factor:.2f}" == "0.06" and "by about 0.06" in why
    assert round(np.log10(0.06 ** 10)) == -12 and "0.06¹⁰ ≈ 10⁻¹²" in why
    assert module.TASKS["depth_prediction"].answer == "b"
