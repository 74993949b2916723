"""Checks for exercise 01 — initialization (outline 1.1).

    from nnlib_checks import initialization as check
    check.init_params(init_params)        # He initialization, seeds
    check.init_xavier(init_params)        # method="xavier"
    check.count_parameters(count_parameters)
    check.units_are_symmetric(units_are_symmetric)

``init_params(sizes, seed=0, method="he")`` returns ``[(W1, b1), ..., (WL, bL)]`` with
W[l] (n_l, n_{l−1}) drawn from N(0, s²) — s = √(2/n_{l−1}) for He, √(2/(n_{l−1} + n_l)) for
Xavier — and b[l] = 0 of shape (n_l,). Weights drawn as ``rng.standard_normal((n_l, n_{l−1}))``
from one ``rng = np.random.default_rng(seed)``, layer by layer, match nnlib exactly; any other
way of drawing them is accepted too when the result has the right shapes, spread and seeding.
"""

import numpy as np

from nnlib import Dense, Network
from nnlib.language import say

from .engine import Case, Check, by_depth, call, see_notebook
from .mistakes import Solution, named, variants_by_name

NOTEBOOK = "01_initialization"


def _reference(sizes, seed=0, method="he"):
    layers = [Dense(n_in, n_out, init=method) for n_in, n_out in zip(sizes, sizes[1:])]
    net = Network(layers, loss="mse", seed=seed)
    return [(layer.W, layer.b) for layer in net.layers]


_describe = by_depth("params", lambda l: f"params[{l}] (W[{l + 1}], b[{l + 1}])",
                     lambda l, i: f"{'Wb'[i] if i < 2 else '?'}[{l + 1}]")


# -- the solution, and its mistakes ------------------------------------------------------------
def init_params_solution(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        params.append((rng.standard_normal((n_out, n_in)) * std, np.zeros(n_out)))
    return params


INIT = Solution(init_params_solution, "init")
_COMMON = INIT.catalogue("""
zero_init
    all weights equal: zero initialization cannot break symmetry — every hidden unit would
    compute the same output and receive the same update, so they stay identical forever. Draw
    W[l] at random.
    - rng.standard_normal((n_out, n_in)) * std
    + np.zeros((n_out, n_in))

unscaled
    the weights have std 1: scale each W[l] by √(2/n_{{l−1}}) for He or √(2/(n_{{l−1}} + n_l))
    for Xavier, or the activations grow layer by layer.
    - rng.standard_normal((n_out, n_in)) * std
    + rng.standard_normal((n_out, n_in))

variance_as_std
    each W[l] is scaled by the variance (2/n_{{l−1}} for He) instead of the standard deviation
    (√(2/n_{{l−1}})): did you forget the square root?
    - np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
    + 2 / n_in if method == "he" else 2 / (n_in + n_out)

transposed
    W[l] is (n_l, n_{{l−1}}) = (n_out, n_in), one row per unit of layer l, so that
    Z = A_prev Wᵀ + b.
    - (n_out, n_in)
    + (n_in, n_out)

bias_column
    b[l] is a flat vector of shape (n_l,), added to every row of Z; a column (n_l, 1) would not
    broadcast over the samples.
    - np.zeros(n_out)
    + np.zeros((n_out, 1))

random_bias
    b[l] starts at 0: the random W already breaks the symmetry, and a random bias only adds
    noise.
    - np.zeros(n_out)
    + rng.standard_normal(n_out) * std

one_per_size
    sizes = [n_0, n_1, ..., n_L] describes L = len(sizes) − 1 layers: the input layer n_0 has no
    weights, so there is one (W, b) per pair of neighbouring sizes.
    - zip(sizes[:-1], sizes[1:])
    + zip([sizes[0]] + list(sizes), sizes)

reseeded_each_layer
    every layer restarts the generator from the seed, so layers of the same shape get identical
    weights: create rng = np.random.default_rng(seed) once, before the loop.
    - rng.standard_normal
    + np.random.default_rng(seed).standard_normal

global_random_state (probe)
    the same seed gave different weights: draw them from rng = np.random.default_rng(seed), not
    from np.random's global state.
    - rng.standard_normal
    + np.random.standard_normal

seed_ignored (probe)
    different seeds gave the same weights: pass the seed to np.random.default_rng(seed).
    - default_rng(seed)
    + default_rng(0)

lecun
    √(1/n_{{l−1}}) is LeCun's scale: He uses √(2/n_{{l−1}}) and Xavier √(2/(n_{{l−1}} + n_l)).
    - np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
    + np.sqrt(1 / n_in)

bias_per_input
    b[l] has one entry per unit of layer l, shape (n_l,) = (n_out,), not one per input.
    - np.zeros(n_out)
    + np.zeros(n_in)

uniform
    rng.random draws uniformly from [0, 1), so every weight is positive: draw from the normal
    distribution N(0, s²), rng.standard_normal((n_l, n_{{l−1}})) * s.
    - rng.standard_normal((n_out, n_in))
    + rng.random((n_out, n_in))
""")
HE_MISTAKES = _COMMON + INIT.catalogue("""
fan_out
    W[l] is scaled with its own width n_l: He uses the number of inputs, √(2/n_{{l−1}}) (the
    fan-in).
    - np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
    + np.sqrt(2 / n_out)

xavier_for_he
    that is Xavier's scale √(2/(n_{{l−1}} + n_l)); for ReLU layers method="he" uses
    √(2/n_{{l−1}}).
    - np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
    + np.sqrt(2 / (n_in + n_out))
""")
XAVIER_MISTAKES = _COMMON + INIT.catalogue("""
he_for_xavier
    method="xavier" scales by √(2/(n_{{l−1}} + n_l)), using both widths; √(2/n_{{l−1}}) is He's.
    - np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
    + np.sqrt(2 / n_in)
""")


# -- cases and probes --------------------------------------------------------------------------
def _cases(method):
    def cases(strict):
        sets = [([3, 4, 2], 0), ([64, 32, 32, 10], 1)]
        if strict:
            sets += [([5, 1], 7), ([2, 16, 16, 16, 3], 3), ([784, 128, 10], 11)]
        return [Case((sizes, seed), f"sizes = {sizes}, seed = {seed}", kwargs={"method": method})
                for sizes, seed in sets]
    return cases


def _layer_std(n_in, n_out, method):
    return np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))


_SPREAD = {
    "he": "W[{l}] has mean {mean:.3g} and std {std:.3g}; expected mean 0 and std {want:.3g} = "
          "√(2/n_{{l−1}}) for n_{{l−1}} = {n_in}.",
    "xavier": "W[{l}] has mean {mean:.3g} and std {std:.3g}; expected mean 0 and std "
              "{want:.3g} = √(2/(n_{{l−1}} + n_l)) for n_{{l−1}} = {n_in}.",
}


def _accept(method):
    """Weights drawn differently from nnlib are fine if their statistics are right."""
    def accept(yours, expected, case):
        sizes = case.args[0]
        for l, ((W, b), n_in, n_out) in enumerate(zip(yours, sizes, sizes[1:]), start=1):
            W, b = np.asarray(W, float), np.asarray(b, float)
            if W.size > 1 and np.all(W == W.flat[0]):
                return named(_COMMON, "zero_init")
            if W.size >= 16 and np.all(W >= 0):  # by chance for N(0, s²): 2⁻¹⁶ at most
                return named(_COMMON, "uniform")
            if np.any(b != 0):
                return named(_COMMON, "random_bias")
            want = _layer_std(n_in, n_out, method)
            if W.size >= 1000:  # enough entries to measure the spread
                std, mean = W.std(), W.mean()
                tol = 0.05 if W.size >= 50_000 else 0.15  # the std's error is about 1/√(2N)
                if abs(std / want - 1) > tol or abs(mean) > 0.2 * want:
                    return "spread", say(_SPREAD[method], l=l, mean=mean, std=std, want=want,
                                         n_in=n_in) + see_notebook(NOTEBOOK)
        return None
    return accept


def _big_case(method, seed=5):
    return Case(([400, 300, 200], seed), "sizes = [400, 300, 200]", kwargs={"method": method})


def _seed_probe(method):
    def probe(fn, strict):
        seeds = [(3, 4)] + ([(10, 11), (0, 1)] if strict else [])
        for s1, s2 in seeds:
            a, again, b = (call(fn, Case(([20, 30, 10], s), "", kwargs={"method": method}))
                           for s in (s1, s1, s2))
            if a.error or again.error or b.error:
                return None
            same_twice = all(np.array_equal(x[0], y[0]) for x, y in zip(a.value, again.value))
            if not same_twice:
                return named(_COMMON, "global_random_state")
            if all(np.array_equal(x[0], y[0]) for x, y in zip(a.value, b.value)):
                return named(_COMMON, "seed_ignored")
        return None
    return probe


def _stats_probe(method):
    """On a big network, the spread of every W[l] must be right (some small cases cannot tell)."""
    def probe(fn, strict):
        case = _big_case(method)
        got = call(fn, case)
        if got.error:
            return None
        return _accept(method)(got.value, None, case)
    return probe


init_params = Check(
    name="init_params", reference=_reference, cases=_cases("he"), mistakes=HE_MISTAKES,
    solution=init_params_solution, notebook=NOTEBOOK, args=("sizes", "seed"), describe=_describe,
    accept=_accept("he"), probes=(_seed_probe("he"), _stats_probe("he")),
    hint="W[l] ~ N(0, 2/n_{l−1}) (He), b[l] = 0.",
)
init_xavier = Check(
    name="init_params(method=\"xavier\")", reference=_reference, cases=_cases("xavier"),
    mistakes=XAVIER_MISTAKES, solution=init_params_solution, notebook=NOTEBOOK,
    args=("sizes", "seed"), describe=_describe,
    accept=_accept("xavier"), probes=(_seed_probe("xavier"), _stats_probe("xavier")),
    hint="W[l] ~ N(0, 2/(n_{l−1} + n_l)) (Xavier), b[l] = 0.",
)


# -- count_parameters --------------------------------------------------------------------------
def _count_reference(sizes):
    layers = [Dense(n_in, n_out) for n_in, n_out in zip(sizes, sizes[1:])]
    return int(sum(p.size for _, p, _ in Network(layers, loss="mse").parameters()))


def count_parameters_solution(sizes):
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


COUNT = Solution(count_parameters_solution, "count")
COUNT_MISTAKES = COUNT.catalogue("""
weights_only
    you counted only the weights: each layer also has n_l biases, one per unit (b[l] has shape
    (n_l,)).
    - n_out * n_in + n_out
    + n_out * n_in

input_bias
    the input layer has no parameters: count W[l] and b[l] for l = 1..L only.
    - sizes[1:]))
    + sizes[1:])) + sizes[0]

square_weights
    W[l] has n_l × n_{{l−1}} entries (units × inputs), not n_l².
    - n_out * n_in
    + n_out * n_out

bias_per_input
    b[l] has one entry per unit of layer l (n_l of them), not one per input.
    - n_out * n_in + n_out
    + n_out * n_in + n_in

one_bias_per_layer
    b[l] has one bias per unit of layer l, n_l of them, not one per layer.
    - n_out * n_in + n_out
    + n_out * n_in + 1

skips_last_layer
    the last layer is missing: zip(sizes[:-1], sizes[1:]) pairs n_{{l−1}} with n_l for every
    layer l = 1..L.
    - zip(sizes[:-1], sizes[1:])
    + zip(sizes[:-2], sizes[1:-1])
""")


def _count_cases(strict):
    sets = [[3, 4, 2], [64, 32, 10]] + ([[5, 1], [784, 128, 64, 10], [2, 3]] if strict else [])
    return [Case((s,), f"sizes = {s}") for s in sets]


count_parameters = Check(
    name="count_parameters", reference=_count_reference, cases=_count_cases,
    mistakes=COUNT_MISTAKES, solution=count_parameters_solution, notebook=NOTEBOOK,
    args=("sizes",),
    result="the count", hint="Each layer l has n_l·n_{l−1} weights and n_l biases.",
)


# -- units_are_symmetric -----------------------------------------------------------------------
def _symmetric_reference(W):
    """Units are interchangeable when their incoming weights — the rows of W — are equal: for
    every input they then compute the same Z and get the same gradient."""
    layer = Dense(W.shape[1], W.shape[0], "identity")
    layer.W, layer.b = W, np.zeros(W.shape[0])
    Z = layer.forward(np.eye(W.shape[1]))  # column j of Z is unit j's response to each input
    return bool(np.all(Z == Z[:, :1]))


def units_are_symmetric_solution(W):
    return bool(np.all(W == W[0]))


SYMMETRIC = Solution(units_are_symmetric_solution, "symmetric")
SYMMETRY_MISTAKES = SYMMETRIC.catalogue("""
all_entries
    symmetry means equal rows — units with the same incoming weights — even when the entries
    within a row differ.
    - W[0]
    + W.flat[0]

only_zero
    any constant rows are symmetric, not only zeros: with W = 0.5 everywhere the units still
    compute the same thing.
    - W[0]
    + 0

columns
    a unit is a row of W[l] (its weights from every input), not a column: compare the rows.
    - W[0]
    + W[:, :1]

column_0
    W[:, 0] is column 0, shape (n_l,), and W == W[:, 0] lines it up with the entries of every
    row, not with the rows: a unit is a row, so compare every row with W[0].
    - W[0]
    + W[:, 0]

any
    np.any is True as soon as one entry matches: every row must equal the first in every entry,
    np.all(W == W[0]).
    - np.all(
    + np.any(

first_two_rows
    every row must equal the first, not only rows 0 and 1 — and a layer may have a single unit:
    compare W with W[0].
    - np.all(W == W[0])
    + np.all(W[0] == W[1])
""")


def _symmetry_cases(strict):
    rng = np.random.default_rng(1)
    row = rng.normal(size=4)
    sets = [(np.zeros((3, 4)), "W = 0 (3, 4)"),
            (np.tile(row, (3, 1)), say("W (3, 4) with three equal rows that differ within")),
            (np.full((2, 3), 0.5), say("W = 0.5 everywhere (2, 3)")),
            (rng.normal(size=(3, 4)), say("a random W (3, 4)")),
            (np.tile(rng.normal(size=(3, 1)), (1, 4)), say("W (3, 4) with equal columns")),
            (np.vstack([row, row, row + 1]),
             say("W (3, 4) whose rows 0 and 1 are equal, row 2 not"))]
    if strict:
        sets += [(np.zeros((1, 5)), say("one unit (1, 5)")),
                 (np.vstack([row, row, row + 1e-3]), say("rows that differ by 1e-3"))]
    return [Case((W,), label) for W, label in sets]


units_are_symmetric = Check(
    name="units_are_symmetric", reference=_symmetric_reference, cases=_symmetry_cases,
    mistakes=SYMMETRY_MISTAKES, solution=units_are_symmetric_solution, notebook=NOTEBOOK,
    args=("W",), result="the answer",
    hint="The units of a layer are the rows of W[l]: are all rows equal?",
)

CHECKS = {"init_params": init_params, "init_xavier": init_xavier,
          "count_parameters": count_parameters, "units_are_symmetric": units_are_symmetric}
__getattr__ = variants_by_name(CHECKS)
