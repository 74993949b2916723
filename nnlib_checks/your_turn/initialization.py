"""Your-turn tasks of notebook 01 — initialization (outline 1.1)."""

import numpy as np

from nnlib import Dense

from ..engine import Case, Check
from ..mistakes import Solution
from . import read_tasks


class _Ones:
    """A stand-in generator that draws only 1s: then W = std · 1 shows the std nnlib uses."""

    def standard_normal(self, shape):
        return np.ones(shape)


def _he_reference(n_in):
    layer = Dense(n_in, 1, "relu", init="he")
    layer.initialize(_Ones())
    return float(layer.W[0, 0])


def he_std_solution(n_in):
    return np.sqrt(2 / n_in)


HE = Solution(he_std_solution, "he_std")
HE_MISTAKES = HE.catalogue("""
variance
    that is the variance, 2/n_in; the weights are drawn as std · N(0, 1), so take its square root.
    - np.sqrt(2 / n_in)
    + 2 / n_in

one_over_n
    √(1/n_in) keeps the variance of a linear or tanh layer; ReLU zeroes half of its inputs, so
    He doubles it: √(2/n_in).
    - 2 / n_in
    + 1 / n_in

sqrt_of_n_only
    the spread must shrink as n_in grows (more inputs add up to a larger z): √(2/n_in), not
    √(2 n_in).
    - 2 / n_in
    + 2 * n_in

two_over_sqrt
    the 2 goes under the square root: Var(w) = 2/n_in, so std = √(2/n_in), not 2/√n_in.
    - np.sqrt(2 / n_in)
    + 2 / np.sqrt(n_in)
""")


def _he_cases(strict):
    return [Case((n,), f"n_in = {n}") for n in (2, 64, 784)]


he_std = Check(
    name="he_std", reference=_he_reference, cases=_he_cases, mistakes=HE_MISTAKES,
    solution=he_std_solution, args=("n_in",), result="the std",
    hint="He keeps Var(z) = n_in · Var(w) · E[a²] at its input's size for ReLU: Var(w) = 2/n_in.",
)

TASKS = read_tasks("""
w2_shape (value)
    title: the shape of W[2] for sizes [2, 4, 3, 2]
    expected: (3, 4)
    hint: W[l] has one row per unit of layer l and one column per input from layer l − 1.
    wrong (4, 3): that is the transpose: rows are units, so W[2] is (n_2, n_1).
    wrong (4, 2): that is W[1]'s shape; W[2] maps layer 1's 4 outputs to layer 2's 3 units.
    wrong (3, 2): W[2] reads layer 1 (4 units), not the input (2 features).

zero_init_prediction (prediction)
    title: what 300 steps do to a network started from zeros
    choice a: its 8 hidden units end up all different, as with He
    choice b: its 8 hidden units end up identical to each other
    choice c: training fails with an error
    answer: b
    why: Every hidden unit starts with the same weights, so it computes the same output and
        gets the same gradient; the same update keeps them equal at every step.
    wrong a: Gradient descent never breaks a tie: equal units get equal updates.
    wrong c: Nothing crashes: the arithmetic is fine, it just learns one unit 8 times.

he_std (function)
    title: the std of He initialization
    check: he_std

depth_prediction (prediction)
    title: the std of A[10] with std-0.01 weights
    choice a: about the same as A[1]'s
    choice b: smaller by a factor of about a million or more
    choice c: larger than A[1]'s
    answer: b
    why: Each ReLU layer multiplies the std by about 0.06 here (n_in · Var(w) is far below 2),
        and ten layers compound it: 0.06¹⁰ ≈ 10⁻¹².
""", values={"he_std": he_std})
