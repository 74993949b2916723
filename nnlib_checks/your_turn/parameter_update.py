"""Your-turn tasks of notebook 05 — the parameter update (outline 1.5).

The references are nnlib's own optimizers; the mistakes and their messages are the ones the
exercise's catalogue names (``nnlib_checks.parameter_update``), so a slip gets the same sentence
here as in exercise 05.
"""

import numpy as np

from nnlib import SGD, Momentum
from nnlib.language import say

from .. import parameter_update as exercise
from ..engine import Case, Check
from ..mistakes import Solution
from . import read_tasks

SGD_SAID = {m.name: m.message for m in exercise.SGD_MISTAKES}
MOMENTUM_SAID = {m.name: m.message for m in exercise.MOMENTUM_MISTAKES}


class Point:
    """One parameter θ with its gradient, dressed as a network: nnlib's optimizers only ask
    ``parameters()`` for (name, θ, ∂L/∂θ) triples. θ is a copy, moved in place by ``step``."""

    def __init__(self, theta, grad):
        self.theta, self.grad = np.array(theta, dtype=float), np.asarray(grad, dtype=float)

    def parameters(self):
        return [("θ", self.theta, self.grad)]


# -- sgd_step: one step on the bowl L = ½(w1² + 4 w2²), the numbers of the notebook's cell -------
BOWL = np.array([1.0, 4.0])  # the curvatures λ: ∇L(θ) = λ ⊙ θ
THETA, LR = np.array([-2.2, 1.2]), 0.2
GRAD, STEP = BOWL * THETA, -LR * BOWL * THETA  # ∇L(θ) and the step −α ∇L(θ)


def _sgd_step():
    """θ after nnlib's SGD makes one step from THETA."""
    point = Point(THETA, GRAD)
    SGD(LR).step(point)
    return point.theta


# -- momentum_step: v ← β v + g, θ ← θ − α v ------------------------------------------------------
def _momentum_reference(theta, v, grad, lr, beta):
    point, optimizer = Point(theta, grad), Momentum(lr, beta)
    optimizer.v["θ"] = v
    optimizer.step(point)
    return point.theta, optimizer.v["θ"]


def momentum_step_solution(theta, v, grad, lr, beta):
    v = beta * v + grad
    return theta - lr * v, v


MOMENTUM = Solution(momentum_step_solution, "momentum")
MOMENTUM_MISTAKES = MOMENTUM.catalogue("""
ema_form
    $ema_form
    - v = beta * v + grad
    + v = beta * v + (1 - beta) * grad

old_velocity
    $old_velocity
    - v = beta * v + grad
    - return theta - lr * v, v
    + return theta - lr * v, beta * v + grad

beta_on_gradient
    $beta_on_gradient
    - v = beta * v + grad
    + v = v + beta * grad

lr_in_velocity
    $lr_in_velocity
    - v = beta * v + grad
    + v = beta * v + lr * grad
    - theta - lr * v
    + theta - v

ascent
    $ascent
    - theta - lr * v
    + theta + lr * v

velocity_in_place (inplace: v)
    $velocity_in_place
    - v = beta * v + grad
    + v *= beta
    + v += grad
""", **MOMENTUM_SAID)


def _momentum_cases(strict):
    rng = np.random.default_rng(50)
    cases = []
    for shape, lr, beta, earlier in [((2,), 0.02, 0.8, True), ((3, 4), 0.1, 0.9, True),
                                     ((5,), 0.5, 0.5, False)]:
        v = rng.normal(size=shape) if earlier else np.zeros(shape)
        what = say("v from earlier steps") if earlier else say("v = 0 (the first step)")
        cases.append(Case((rng.normal(size=shape), v, rng.normal(size=shape), lr, beta),
                          say("θ of shape {shape}, lr = {lr}, beta = {beta}, {v}", shape=shape,
                              lr=lr, beta=beta, v=what)))
    return cases


momentum_step = Check(
    name="momentum_step", reference=_momentum_reference, cases=_momentum_cases,
    mistakes=MOMENTUM_MISTAKES, solution=momentum_step_solution,
    args=("theta", "v", "grad", "lr", "beta"), outputs=("the new θ", "the new v"),
    hint="first v ← β v + g, then θ ← θ − α v; return both.",
)

TASKS = read_tasks("""
sgd_step (value)
    title: θ after one gradient-descent step on the bowl
    expected: sgd_step
    hint: ∇L(θ) = (w1, 4 w2) = (−2.2, 4.8); the new θ is θ − α ∇L(θ) with α = 0.2.
    wrong ascent: $ascent
    wrong no_lr: $no_lr
    wrong divides_by_lr: $divides_by_lr
    wrong flat_gradient: ∇L = (w1, 4 w2): the 4 of the steep direction is missing — ∂/∂w2 of
        ½ · 4 w2² is 4 w2.
    wrong doubled_gradient: the ½ cancels the 2 of the square's derivative: ∇L = (w1, 4 w2),
        not (2 w1, 8 w2).
    wrong step: that is the step −α ∇L(θ) = $step; the new θ is the old one plus it.

divergence_edge (value)
    title: the learning rate above which gradient descent diverges on the bowl
    expected: edge
    hint: each step multiplies w2 by 1 − 4α; w2 grows once |1 − 4α| > 1.
    wrong one_over_steep: at α = 1/4 the factor 1 − 4α reaches 0; beyond it w2 flips sign every
        step but still shrinks while |1 − 4α| < 1: oscillating, not divergent.
    wrong one_over_flat: α = 1 is where the flat direction's factor 1 − α reaches 0; the steep
        direction, λ = 4, sets the limit.
    wrong two_over_flat: 2/λ is the edge for the flat direction, λ = 1; the steep one, λ = 4,
        gets there first.

lr_prediction (prediction)
    title: what α = 1.0 does to the network that α = 0.5 fits well
    choice a: it reaches α = 0.5's loss in about half as many epochs
    choice b: its loss stays above α = 0.5's, and fit stops it as diverged later on
    choice c: it blows up within the first 5 epochs
    answer: b
    why: Its first step already overshoots (the loss rises in epoch 2); it recovers, but stays
        above α = 0.5's loss at every epoch, and once the fit has sharpened, the surface is too
        steep for a step of 1.0: the loss runs away after epoch 50 and fit stops the run in
        epoch 57.
    wrong a: Twice the step is twice the speed only while the step is small for the surface's
        curvature; here 1.0 is past that edge.
    wrong c: It jumps in epoch 2, but recovers: the trouble comes later.

momentum_step (function)
    title: one momentum step
    check: momentum_step

adam_prediction (prediction)
    title: what a steeper valley does to Adam's path
    choice a: it diverges, as SGD's does
    choice b: it zig-zags harder across the valley
    choice c: it stays the same
    answer: c
    why: Adam divides each coordinate's gradient by its own running size, √v̂: making w2's
        gradients 8 times larger makes √v̂ 8 times larger too, and the step is unchanged.
    wrong a: SGD's step grows with the gradient; Adam's step is about α whatever the gradient's
        size.
""", values={"sgd_step": _sgd_step(), "ascent": THETA + LR * GRAD, "no_lr": THETA - GRAD,
             "divides_by_lr": THETA - GRAD / LR, "flat_gradient": THETA - LR * THETA,
             "doubled_gradient": THETA - 2 * LR * GRAD, "step": STEP,
             "edge": 2 / BOWL.max(), "one_over_steep": 1 / BOWL.max(),
             "one_over_flat": 1 / BOWL.min(), "two_over_flat": 2 / BOWL.min(),
             "momentum_step": momentum_step},
    said={**SGD_SAID, "step": f"({STEP[0]:.2f}, {STEP[1]:.2f})".replace("-", "−")})
