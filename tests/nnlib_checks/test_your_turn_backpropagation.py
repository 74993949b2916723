"""Notebook 04's your-turn tasks (``nnlib_checks.your_turn.backpropagation``): each task's answer
passes, every catalogued mistake gets its own message, every tempting wrong value is explained,
an untouched task waits, a wrong prediction explains — and the notebook's own cells wait untouched
and pass once filled in from their worked answers; the facts behind the tasks come from nnlib.

The judging helpers are notebook 02's (``test_your_turn_forward_propagation``); ``filled_in``
here also keeps a cell's setup lines (the data a task works on). ``YourTurnTasks`` serves
notebook 05's tests as well.
"""

import re

import numpy as np

from nnlib import Dense, Network, datasets
from nnlib_checks.your_turn import WAITING
from nnlib_checks.your_turn import backpropagation as module
from nnlib_viz import backprop

from .test_checks import submit
from .test_your_turn_forward_propagation import (
    check_kinds,
    check_mistake,
    mistakes_of,
    run_cell,
    your_turn_cells,
)


def filled_in(source, worked):
    """The your-turn cell with its ``...`` filled in from the worked answer, as a learner would:
    the worked answer's code replaces the line of the blank (and the stub's whole function, when
    the blank is inside one), its `name = value` or its letter replaces the ``...``; the cell's
    setup lines and its check stay."""
    lines = source.splitlines()
    k = next(i for i, line in enumerate(lines) if re.search(r"(=|return) \.\.\.", line))
    code = re.search(r"```python\n(.*?)```", worked, re.S)
    letter = re.search(r"</summary>\s*\(([a-z])\)\.", worked)
    var = lines[k].split("=")[0].strip()
    if code:
        answer = code[1].rstrip("\n").splitlines()
    elif letter:
        answer = [f'{var} = "{letter[1]}"']
    else:
        answer = [f"{var} = " + re.search(rf"`{var} = ([^`]+)`", worked)[1]]
    start = k
    if lines[k].startswith(" "):  # the blank is inside the stub: the answer is the function
        start = max(i for i in range(k) if lines[i].startswith("def "))
    return "\n".join(lines[:start] + answer + lines[k + 1:])


def check_cell(notebook, name, capsys):
    """The cell waits untouched, and is done once filled in from its worked answer."""
    source, worked = your_turn_cells(notebook)[name]
    assert run_cell(source, notebook, capsys) == f"⏳ {name}: {WAITING}\n"
    assert run_cell(filled_in(source, worked), notebook, capsys).startswith(f"✓ {name}: right.")


class YourTurnTasks:
    """What every notebook's tasks must do; a test file subclasses it as ``Test…`` with its
    NOTEBOOK and task MODULE. A failure names the task (and the mistake) it failed on."""

    NOTEBOOK, MODULE = None, None

    def test_right_wrong_and_untouched_answers_are_judged(self):
        check_kinds(self.MODULE)

    def test_each_catalogued_mistake_is_named(self):
        for name, mistake in mistakes_of(self.MODULE):
            try:
                check_mistake(self.MODULE.TASKS[name], mistake)
            except AssertionError as err:
                raise AssertionError(f"{name}, {mistake.name}: {err}") from err

    def test_each_cell_waits_then_passes_with_its_worked_answer(self, capsys):
        assert sorted(your_turn_cells(self.NOTEBOOK)) == sorted(self.MODULE.TASKS)
        for name in self.MODULE.TASKS:
            try:
                check_cell(self.NOTEBOOK, name, capsys)
            except AssertionError as err:
                raise AssertionError(f"{name}: {err}") from err


# -- notebook 04 -----------------------------------------------------------------------------------
class TestNotebook04(YourTurnTasks):
    NOTEBOOK, MODULE = "04_backpropagation", module


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
