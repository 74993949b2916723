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

from .engine import Case, Check, Mistake, call

NOTEBOOK = "01_initialization"


def _reference(sizes, seed=0, method="he"):
    layers = [Dense(n_in, n_out, init=method) for n_in, n_out in zip(sizes, sizes[1:])]
    net = Network(layers, loss="mse", seed=seed)
    return [(layer.W, layer.b) for layer in net.layers]


def _describe(path):
    if not path:
        return "params"
    if len(path) == 1:
        return f"params[{path[0]}] (W[{path[0] + 1}], b[{path[0] + 1}])"
    return f"{'Wb'[path[1]] if path[1] < 2 else '?'}[{path[0] + 1}]"


# -- the mistakes, as a learner would write them ----------------------------------------------
def zero_init(sizes, seed=0, method="he"):
    return [(np.zeros((n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes, sizes[1:])]


def unscaled(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes, sizes[1:])]


def variance_as_std(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        var = 2 / n_in if method == "he" else 2 / (n_in + n_out)
        params.append((rng.standard_normal((n_out, n_in)) * var, np.zeros(n_out)))
    return params


def fan_out(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_out), np.zeros(n_out))
            for n_in, n_out in zip(sizes, sizes[1:])]


def xavier_for_he(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((n_out, n_in)) * np.sqrt(2 / (n_in + n_out)), np.zeros(n_out))
            for n_in, n_out in zip(sizes, sizes[1:])]


def he_for_xavier(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_in), np.zeros(n_out))
            for n_in, n_out in zip(sizes, sizes[1:])]


def transposed(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        params.append((rng.standard_normal((n_in, n_out)) * std, np.zeros(n_out)))
    return params


def bias_column(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        params.append((rng.standard_normal((n_out, n_in)) * std, np.zeros((n_out, 1))))
    return params


def random_bias(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        W = rng.standard_normal((n_out, n_in)) * std
        params.append((W, rng.standard_normal(n_out) * std))
    return params


def one_per_size(sizes, seed=0, method="he"):
    rng = np.random.default_rng(seed)
    params, n_in = [], sizes[0]
    for n_out in sizes:
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        params.append((rng.standard_normal((n_out, n_in)) * std, np.zeros(n_out)))
        n_in = n_out
    return params


def reseeded_each_layer(sizes, seed=0, method="he"):
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        rng = np.random.default_rng(seed)
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        params.append((rng.standard_normal((n_out, n_in)) * std, np.zeros(n_out)))
    return params


def global_random_state(sizes, seed=0, method="he"):
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        params.append((np.random.standard_normal((n_out, n_in)) * std, np.zeros(n_out)))
    return params


def seed_ignored(sizes, seed=0, method="he"):
    rng = np.random.default_rng(0)
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        std = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
        params.append((rng.standard_normal((n_out, n_in)) * std, np.zeros(n_out)))
    return params


_SYMMETRY = ("all weights equal: zero initialization cannot break symmetry — every hidden unit "
             "would compute the same output and receive the same update, so they stay "
             "identical forever. Draw W[l] at random.")
_UNSCALED = ("the weights have std 1: scale each W[l] by √(2/n_{{l−1}}) for He or "
             "√(2/(n_{{l−1}} + n_l)) for Xavier, or the activations grow layer by layer.")
_NO_SQRT = ("each W[l] is scaled by the variance (2/n_{{l−1}} for He) instead of the standard "
            "deviation (√(2/n_{{l−1}})): did you forget the square root?")
_FAN_OUT = ("W[l] is scaled with its own width n_l: He uses the number of inputs, "
            "√(2/n_{{l−1}}) (the fan-in).")
_TRANSPOSED = ("W[l] is (n_l, n_{{l−1}}) = (n_out, n_in), one row per unit of layer l, so that "
               "Z = A_prev Wᵀ + b.")
_BIAS_COLUMN = ("b[l] is a flat vector of shape (n_l,), added to every row of Z; a column "
                "(n_l, 1) would not broadcast over the samples.")
_RANDOM_BIAS = ("b[l] starts at 0: the random W already breaks the symmetry, and a random "
                "bias only adds noise.")
_ONE_PER_SIZE = ("sizes = [n_0, n_1, ..., n_L] describes L = len(sizes) − 1 layers: the input "
                 "layer n_0 has no weights, so there is one (W, b) per pair of neighbouring "
                 "sizes.")
_RESEEDED = ("every layer restarts the generator from the seed, so layers of the same shape get "
             "identical weights: create rng = np.random.default_rng(seed) once, before the loop.")
_GLOBAL = ("the same seed gave different weights: draw them from "
           "rng = np.random.default_rng(seed), not from np.random's global state.")
_SEED_IGNORED = ("different seeds gave the same weights: pass the seed to "
                 "np.random.default_rng(seed).")

_COMMON = (
    Mistake("zero_init", _SYMMETRY, zero_init),
    Mistake("unscaled", _UNSCALED, unscaled),
    Mistake("variance_as_std", _NO_SQRT, variance_as_std),
    Mistake("transposed", _TRANSPOSED, transposed),
    Mistake("bias_column", _BIAS_COLUMN, bias_column),
    Mistake("random_bias", _RANDOM_BIAS, random_bias),
    Mistake("one_per_size", _ONE_PER_SIZE, one_per_size),
    Mistake("reseeded_each_layer", _RESEEDED, reseeded_each_layer),
    Mistake("global_random_state", _GLOBAL, global_random_state, kind="probe"),
    Mistake("seed_ignored", _SEED_IGNORED, seed_ignored, kind="probe"),
)
HE_MISTAKES = _COMMON + (Mistake("fan_out", _FAN_OUT, fan_out), Mistake(
    "xavier_for_he", "that is Xavier's scale √(2/(n_{{l−1}} + n_l)); for ReLU layers "
    "method=\"he\" uses √(2/n_{{l−1}}).", xavier_for_he),)
XAVIER_MISTAKES = _COMMON + (Mistake(
    "he_for_xavier", "method=\"xavier\" scales by √(2/(n_{{l−1}} + n_l)), using both widths; "
    "√(2/n_{{l−1}}) is He's.", he_for_xavier),)


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


def _accept(method):
    """Weights drawn differently from nnlib are fine if their statistics are right."""
    def accept(yours, expected, case):
        sizes = case.args[0]
        for l, ((W, b), n_in, n_out) in enumerate(zip(yours, sizes, sizes[1:]), start=1):
            W, b = np.asarray(W, float), np.asarray(b, float)
            if W.size > 1 and np.all(W == W.flat[0]):
                return "zero_init", _SYMMETRY
            if np.any(b != 0):
                return "random_bias", _RANDOM_BIAS
            want = _layer_std(n_in, n_out, method)
            if W.size >= 1000:  # enough entries to measure the spread
                std, mean = W.std(), W.mean()
                if abs(std / want - 1) > 0.15 or abs(mean) > 0.2 * want:
                    return None, (f"W[{l}] has mean {mean:.3g} and std {std:.3g}; expected "
                                  f"mean 0 and std {want:.3g} = "
                                  + ("√(2/n_{l−1})" if method == "he" else
                                     "√(2/(n_{l−1} + n_l))") + f" for n_{{l−1}} = {n_in}. "
                                  f"See notebook {NOTEBOOK}.")
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
                return "global_random_state", _GLOBAL
            if all(np.array_equal(x[0], y[0]) for x, y in zip(a.value, b.value)):
                return "seed_ignored", _SEED_IGNORED
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
    notebook=NOTEBOOK, args=("sizes", "seed"), describe=_describe,
    accept=_accept("he"), probes=(_seed_probe("he"), _stats_probe("he")),
    hint="W[l] ~ N(0, 2/n_{l−1}) (He), b[l] = 0.",
)
init_xavier = Check(
    name="init_params(method=\"xavier\")", reference=_reference, cases=_cases("xavier"),
    mistakes=XAVIER_MISTAKES, notebook=NOTEBOOK, args=("sizes", "seed"), describe=_describe,
    accept=_accept("xavier"), probes=(_seed_probe("xavier"), _stats_probe("xavier")),
    hint="W[l] ~ N(0, 2/(n_{l−1} + n_l)) (Xavier), b[l] = 0.",
)


# -- count_parameters --------------------------------------------------------------------------
def _count_reference(sizes):
    layers = [Dense(n_in, n_out) for n_in, n_out in zip(sizes, sizes[1:])]
    return int(sum(p.size for _, p, _ in Network(layers, loss="mse").parameters()))


def weights_only(sizes):
    return sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:]))


def input_bias(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:])) + sizes[0]


def square_weights(sizes):
    return sum(n * n + n for n in sizes[1:])


def bias_per_input(sizes):
    return sum(n_in * n_out + n_in for n_in, n_out in zip(sizes, sizes[1:]))


COUNT_MISTAKES = (
    Mistake("weights_only", "you counted only the weights: each layer also has n_l biases, "
            "one per unit (b[l] has shape (n_l,)).", weights_only),
    Mistake("input_bias", "the input layer has no parameters: count W[l] and b[l] for "
            "l = 1..L only.", input_bias),
    Mistake("square_weights", "W[l] has n_l × n_{{l−1}} entries (units × inputs), not n_l².",
            square_weights),
    Mistake("bias_per_input", "b[l] has one entry per unit of layer l (n_l of them), not one "
            "per input.", bias_per_input),
)


def _count_cases(strict):
    sets = [[3, 4, 2], [64, 32, 10]] + ([[5, 1], [784, 128, 64, 10], [2, 3]] if strict else [])
    return [Case((s,), f"sizes = {s}") for s in sets]


count_parameters = Check(
    name="count_parameters", reference=_count_reference, cases=_count_cases,
    mistakes=COUNT_MISTAKES, notebook=NOTEBOOK, args=("sizes",),
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


def symmetric_all_entries(W):
    return bool(np.all(W == W.flat[0]))


def symmetric_only_zero(W):
    return bool(np.all(W == 0))


def symmetric_columns(W):
    return bool(np.all(W == W[:, :1]))


SYMMETRY_MISTAKES = (
    Mistake("all_entries", "symmetry means equal rows — units with the same incoming weights — "
            "even when the entries within a row differ.", symmetric_all_entries),
    Mistake("only_zero", "any constant rows are symmetric, not only zeros: with W = 0.5 "
            "everywhere the units still compute the same thing.", symmetric_only_zero),
    Mistake("columns", "a unit is a row of W[l] (its weights from every input), not a column: "
            "compare the rows.", symmetric_columns),
)


def _symmetry_cases(strict):
    rng = np.random.default_rng(1)
    row = rng.normal(size=4)
    sets = [(np.zeros((3, 4)), "W = 0 (3, 4)"),
            (np.tile(row, (3, 1)), "W (3, 4) with three equal rows that differ within"),
            (np.full((2, 3), 0.5), "W = 0.5 everywhere (2, 3)"),
            (rng.normal(size=(3, 4)), "a random W (3, 4)"),
            (np.tile(rng.normal(size=(3, 1)), (1, 4)), "W (3, 4) with equal columns")]
    if strict:
        sets += [(np.zeros((1, 5)), "one unit (1, 5)"),
                 (np.vstack([row, row, row + 1e-3]), "rows that differ by 1e-3")]
    return [Case((W,), label) for W, label in sets]


units_are_symmetric = Check(
    name="units_are_symmetric", reference=_symmetric_reference, cases=_symmetry_cases,
    mistakes=SYMMETRY_MISTAKES, notebook=NOTEBOOK, args=("W",), result="the answer",
    hint="The units of a layer are the rows of W[l]: are all rows equal?",
)

CHECKS = {"init_params": init_params, "init_xavier": init_xavier,
          "count_parameters": count_parameters, "units_are_symmetric": units_are_symmetric}
