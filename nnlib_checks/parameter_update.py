"""Checks for exercise 05 — the parameter update (outline 1.5).

    from nnlib_checks import parameter_update as check
    check.sgd_update(sgd_update)            # θ ← θ − α ∂L/∂θ
    check.momentum_update(momentum_update)  # v ← βv + ∂L/∂θ, θ ← θ − αv
    check.adam_update(adam_update)          # Adam, with bias correction

``params`` and ``grads`` are lists [(W1, b1), ...] and [(dW1, db1), ...]. The functions return
new lists and leave their inputs as they are.
"""

import numpy as np

from nnlib import SGD, Adam, Dense, Momentum, Network
from nnlib.language import say

from .engine import Case, Check
from .mistakes import Solution, variants_by_name

NOTEBOOK = "05_parameter_update"
_T_FIRST = ("count the step first, t ← t + 1, then correct with 1 − β₁ᵗ and 1 − β₂ᵗ: the first "
            "step has t = 1 (with t = 0 the correction divides by zero).")


def _net(params, grads):
    """A network for nnlib's optimizers, holding copies of W, b and the gradients dW, db."""
    net = Network([Dense(W.shape[1], W.shape[0], "identity") for W, _ in params], loss="mse")
    for layer, (W, b), (dW, db) in zip(net.layers, params, grads):
        layer.W, layer.b, layer.dW, layer.db = W.copy(), b.copy(), dW, db
    return net


def _random_params(rng, sizes, scale=1.0):
    return [(rng.normal(scale=scale, size=(n_out, n_in)), rng.normal(scale=scale, size=n_out))
            for n_in, n_out in zip(sizes, sizes[1:])]


def _param_name(path):
    """params[l][i] → W[l+1] or b[l+1]."""
    if len(path) == 1:
        return f"params[{path[0]}]"
    return f"{'Wb'[path[1]]}[{path[0] + 1}]"


def _describe_params(path):
    return "params" if not path else _param_name(path)


def _describe_pair(second):
    def describe(path):
        if not path:
            return say("the result")
        if path[0] == 0:
            return "params" if len(path) == 1 else _param_name(path[1:])
        return second + "".join(f"[{k!r}]" if isinstance(k, str) else f"[{k}]"
                                for k in path[1:])
    return describe


# -- sgd_update --------------------------------------------------------------------------------
def _sgd_reference(params, grads, lr):
    net = _net(params, grads)
    SGD(lr).step(net)
    return [(layer.W, layer.b) for layer in net.layers]


def sgd_update_solution(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


SGD_UPDATE = Solution(sgd_update_solution, "sgd")
SGD_MISTAKES = SGD_UPDATE.catalogue("""
ascent
    you moved uphill: the update is θ ← θ − α ∂L/∂θ, with a minus sign.
    - (W - lr * dW, b - lr * db)
    + (W + lr * dW, b + lr * db)

no_lr
    the step is α ∂L/∂θ: you left out the learning rate.
    - (W - lr * dW, b - lr * db)
    + (W - dW, b - db)

bias_not_updated
    b[l] was not updated: b[l] ← b[l] − α db[l] as well.
    - (W - lr * dW, b - lr * db)
    + (W - lr * dW, b)

divides_by_lr
    the step is α ∂L/∂θ: multiply by the learning rate, don't divide by it.
    - (W - lr * dW, b - lr * db)
    + (W - dW / lr, b - db / lr)

b_with_dW
    b[l] steps along its own gradient: b[l] ← b[l] − α db[l], not dW[l].
    - b - lr * db
    + b - lr * dW

in_place (inplace: params)
    params were modified in place: return new arrays (W − lr·dW, …) and leave the inputs as they
    are — otherwise a copy you kept, say of the best weights so far, silently changes with them.
    - return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    + for (W, b), (dW, db) in zip(params, grads):
    +     W -= lr * dW
    +     b -= lr * db
    + return params
""")


def _sgd_cases(strict):
    rng = np.random.default_rng(12)
    sets = [([3, 4, 2], 0.1), ([2, 5, 5, 3], 0.5)] + ([([6, 1], 0.01), ([4, 4], 2.0)]
                                                      if strict else [])
    return [Case((_random_params(rng, s), _random_params(rng, s), lr),
                 f"sizes = {s}, lr = {lr}") for s, lr in sets]


sgd_update = Check(
    name="sgd_update", reference=_sgd_reference, cases=_sgd_cases, mistakes=SGD_MISTAKES,
    solution=sgd_update_solution, notebook=NOTEBOOK, args=("params", "grads", "lr"),
    describe=_describe_params,
    hint="W[l] ← W[l] − α dW[l], b[l] ← b[l] − α db[l].",
)


# -- momentum_update ---------------------------------------------------------------------------
def _momentum_reference(params, grads, velocity, lr, beta):
    net = _net(params, grads)
    opt = Momentum(lr, beta)
    for l, (vW, vb) in enumerate(velocity, start=1):
        opt.v[f"W[{l}]"], opt.v[f"b[{l}]"] = vW, vb
    opt.step(net)
    return ([(layer.W, layer.b) for layer in net.layers],
            [(opt.v[f"W[{l}]"], opt.v[f"b[{l}]"]) for l in range(1, len(net.layers) + 1)])


def momentum_update_solution(params, grads, velocity, lr, beta):
    new_params, new_velocity = [], []
    for (W, b), (dW, db), (vW, vb) in zip(params, grads, velocity):
        vW, vb = beta * vW + dW, beta * vb + db
        new_params.append((W - lr * vW, b - lr * vb))
        new_velocity.append((vW, vb))
    return new_params, new_velocity


MOMENTUM = Solution(momentum_update_solution, "momentum")
MOMENTUM_MISTAKES = MOMENTUM.catalogue("""
ema_form
    v ← βv + (1 − β)∂L/∂θ is the exponential-average form; this course, like nnlib.Momentum,
    uses v ← βv + ∂L/∂θ, then θ ← θ − αv.
    - vW, vb = beta * vW + dW, beta * vb + db
    + vW, vb = beta * vW + (1 - beta) * dW, beta * vb + (1 - beta) * db

old_velocity
    step with the new velocity: first v ← βv + ∂L/∂θ, then θ ← θ − αv.
    - vW, vb = beta * vW + dW, beta * vb + db
    - new_params.append((W - lr * vW, b - lr * vb))
    + new_params.append((W - lr * vW, b - lr * vb))
    + vW, vb = beta * vW + dW, beta * vb + db

beta_on_gradient
    β multiplies the old velocity, not the gradient: v ← βv + ∂L/∂θ.
    - vW, vb = beta * vW + dW, beta * vb + db
    + vW, vb = vW + beta * dW, vb + beta * db

lr_in_velocity
    keep α out of the velocity: v ← βv + ∂L/∂θ, then θ ← θ − αv (as nnlib.Momentum does).
    - vW, vb = beta * vW + dW, beta * vb + db
    + vW, vb = beta * vW + lr * dW, beta * vb + lr * db
    - (W - lr * vW, b - lr * vb)
    + (W - vW, b - vb)

ascent
    you moved uphill: θ ← θ − αv, with a minus sign.
    - (W - lr * vW, b - lr * vb)
    + (W + lr * vW, b + lr * vb)

steps_with_gradient
    step along the velocity, θ ← θ − αv, for W and b alike — not along the gradient, or
    momentum does nothing.
    - (W - lr * vW, b - lr * vb)
    + (W - lr * dW, b - lr * db)

vb_with_dW
    v_b accumulates b's own gradient: v_b ← βv_b + db, not dW.
    - beta * vb + db
    + beta * vb + dW

stores_gradient
    return the new velocity v = βv + ∂L/∂θ, not the gradient: the next step needs the running
    sum.
    - new_velocity.append((vW, vb))
    + new_velocity.append((dW, db))

beta_on_both
    β multiplies the old velocity only: v ← βv + ∂L/∂θ, not β(v + ∂L/∂θ).
    - beta * vW + dW, beta * vb + db
    + beta * (vW + dW), beta * (vb + db)

velocity_in_place (inplace: velocity)
    velocity was modified in place: return new arrays for v and leave the inputs as they are.
    - vW, vb = beta * vW + dW, beta * vb + db
    + vW *= beta
    + vW += dW
    + vb *= beta
    + vb += db
""")


def _momentum_cases(strict):
    rng = np.random.default_rng(13)
    sets = [([3, 4, 2], 0.1, 0.9, 1.0), ([2, 5, 3], 0.05, 0.5, 1.0)]
    if strict:
        sets += [([4, 4], 0.1, 0.9, 0.0), ([5, 2, 2, 2], 0.3, 0.99, 1.0)]
    cases = []
    for sizes, lr, beta, v_scale in sets:
        params, grads = _random_params(rng, sizes), _random_params(rng, sizes)
        velocity = _random_params(rng, sizes, scale=v_scale) if v_scale else \
            [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
        what = say("velocity 0") if not v_scale else say("a velocity from earlier steps")
        cases.append(Case((params, grads, velocity, lr, beta),
                          f"sizes = {sizes}, lr = {lr}, beta = {beta}, {what}"))
    return cases


momentum_update = Check(
    name="momentum_update", reference=_momentum_reference, cases=_momentum_cases,
    mistakes=MOMENTUM_MISTAKES, solution=momentum_update_solution, notebook=NOTEBOOK,
    args=("params", "grads", "velocity", "lr", "beta"), describe=_describe_pair("velocity"),
    outputs=("params", "velocity"), hint="v ← βv + ∂L/∂θ, then θ ← θ − αv.",
)


# -- adam_update -------------------------------------------------------------------------------
def _adam_reference(params, grads, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    net = _net(params, grads)
    opt = Adam(lr, beta1, beta2, eps)
    opt.t = state["t"]
    for l, (mW, mb), (vW, vb) in zip(range(1, len(net.layers) + 1), state["m"], state["v"]):
        opt.m[f"W[{l}]"], opt.m[f"b[{l}]"] = mW, mb
        opt.v[f"W[{l}]"], opt.v[f"b[{l}]"] = vW, vb
    opt.step(net)
    layers = range(1, len(net.layers) + 1)
    new_state = {
        "t": opt.t,
        "m": [(opt.m[f"W[{l}]"], opt.m[f"b[{l}]"]) for l in layers],
        "v": [(opt.v[f"W[{l}]"], opt.v[f"b[{l}]"]) for l in layers],
    }
    return [(layer.W, layer.b) for layer in net.layers], new_state


def adam_update_solution(params, grads, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    c1, c2 = 1 - beta1**t, 1 - beta2**t
    new_params, new_m, new_v = [], [], []
    for (W, b), (dW, db), (mW, mb), (vW, vb) in zip(params, grads, state["m"], state["v"]):
        mW, mb = beta1 * mW + (1 - beta1) * dW, beta1 * mb + (1 - beta1) * db
        vW, vb = beta2 * vW + (1 - beta2) * dW**2, beta2 * vb + (1 - beta2) * db**2
        W = W - lr * (mW / c1) / (np.sqrt(vW / c2) + eps)
        b = b - lr * (mb / c1) / (np.sqrt(vb / c2) + eps)
        new_params.append((W, b))
        new_m.append((mW, mb))
        new_v.append((vW, vb))
    return new_params, {"t": t, "m": new_m, "v": new_v}


ADAM = Solution(adam_update_solution, "adam")
ADAM_MISTAKES = ADAM.catalogue("""
no_bias_correction
    m̂ and v̂ need the bias correction: divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ — both start at 0,
    so without it the first steps are far off.
    - c1, c2 = 1 - beta1**t, 1 - beta2**t
    + c1, c2 = 1, 1

t_not_incremented_first
    $T_FIRST
    - t = state["t"] + 1
    + t = state["t"]
    - {"t": t,
    + {"t": t + 1,

eps_inside_sqrt
    ε goes outside the square root: θ ← θ − α m̂ / (√v̂ + ε).
    - np.sqrt(vW / c2) + eps
    + np.sqrt(vW / c2 + eps)
    - np.sqrt(vb / c2) + eps
    + np.sqrt(vb / c2 + eps)

v_not_squared
    v averages the squared gradient: v ← β₂v + (1 − β₂) g².
    - dW**2
    + dW
    - db**2
    + db

no_sqrt
    divide by the square root of v̂: θ ← θ − α m̂ / (√v̂ + ε).
    - np.sqrt(vW / c2)
    + vW / c2
    - np.sqrt(vb / c2)
    + vb / c2

t_not_counted
    $T_FIRST
    - t = state["t"] + 1
    + t = state["t"]

corrected_moments_stored
    store m and v themselves in the state: the bias-corrected m̂ = m/(1 − β₁ᵗ) and v̂ are for
    this step only — stored, they are corrected again at the next step.
    - new_m.append((mW, mb))
    + new_m.append((mW / c1, mb / c1))
    - new_v.append((vW, vb))
    + new_v.append((vW / c2, vb / c2))

times_not_power
    the bias correction is 1 − β₁ᵗ, a power (beta1 ** t), not 1 − β₁·t.
    - c1, c2 = 1 - beta1**t, 1 - beta2**t
    + c1, c2 = 1 - beta1 * t, 1 - beta2 * t

t_not_saved
    the new state carries the new step count t: the next step's bias correction depends on it.
    - {"t": t,
    + {"t": state["t"],

m_without_1_minus_beta
    m is an exponential average: m ← β₁m + (1 − β₁)g, the gradient weighted by (1 − β₁).
    - beta1 * mW + (1 - beta1) * dW, beta1 * mb + (1 - beta1) * db
    + beta1 * mW + dW, beta1 * mb + db

c2_with_beta1
    v̂ is corrected with β₂: v̂ = v/(1 − β₂ᵗ), m̂ = m/(1 − β₁ᵗ).
    - c1, c2 = 1 - beta1**t, 1 - beta2**t
    + c1, c2 = 1 - beta1**t, 1 - beta1**t

state_in_place (inplace: state)
    state was modified in place: return a new dict with the new t, m and v, and leave the one
    you were given as it is.
    - t = state["t"] + 1
    + state["t"] += 1
    + t = state["t"]
    - return new_params, {"t": t, "m": new_m, "v": new_v}
    + state["m"], state["v"] = new_m, new_v
    + return new_params, state
""", T_FIRST=_T_FIRST)


def _adam_cases(strict):
    rng = np.random.default_rng(14)
    sets = [([3, 4, 2], 0, dict(lr=0.01)), ([2, 5, 3], 3, dict(lr=0.05, eps=0.1)),
            ([3, 3], 7, dict(lr=0.001, beta1=0.8, beta2=0.99))]
    if strict:
        sets += [([4, 1], 0, dict(lr=0.1, eps=1e-3)), ([5, 2, 2, 2], 20, dict(lr=0.01))]
    cases = []
    for sizes, t, kwargs in sets:
        params, grads = _random_params(rng, sizes), _random_params(rng, sizes)
        if t == 0:
            m = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
            v = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
        else:
            m = _random_params(rng, sizes, scale=0.1)
            v = [(np.abs(W), np.abs(b)) for W, b in _random_params(rng, sizes, scale=0.1)]
        state = {"t": t, "m": m, "v": v}
        what = ", ".join(f"{k} = {v}" for k, v in kwargs.items())
        cases.append(Case((params, grads, state), f"sizes = {sizes}, t = {t}, {what}",
                          kwargs=kwargs))
    return cases


adam_update = Check(
    name="adam_update", reference=_adam_reference, cases=_adam_cases, mistakes=ADAM_MISTAKES,
    solution=adam_update_solution, notebook=NOTEBOOK, args=("params", "grads", "state"),
    describe=_describe_pair("state"),
    outputs=("params", "state"),
    hint="t ← t + 1; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; "
         "θ ← θ − α m̂ / (√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).",
)

CHECKS = {"sgd_update": sgd_update, "momentum_update": momentum_update,
          "adam_update": adam_update}
__getattr__ = variants_by_name(CHECKS)
