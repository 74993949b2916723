"""nnlib_checks — the course's grading layer: feedback that names the mistake, behind the graded
exercises in ``exercises/``.

Each exercise notebook imports the module of its step and calls one check per function:

    from nnlib_checks import backpropagation as check
    check.dense_backward(dense_backward)
    ✗ dense_backward: dW is m = 8 times too large: did you forget the 1/m?

A check runs the answer on several inputs and compares it with nnlib's own result. When they
differ it looks the answer up in a catalogue of known mistakes and reports the one it matches,
in the course's notation; shape errors are reported before value errors. ``check.f(fn,
strict=True)`` (the hidden tests) tries more shapes, seeds and edge cases.

Each check has one solution written as a learner would write it (``<module>.<name>_solution``),
and its catalogue is data: for every mistake a name, a message and a textual edit of that
solution (see ``mistakes.read_catalogue``), compiled at import into the buggy variant the learner's
outcome is compared with — and reachable by name, e.g. ``loss.mse_no_half``.

    module               exercise                  checks
    initialization       01_initialization         init_params, init_xavier, count_parameters,
                                                   units_are_symmetric
    forward_propagation  02_forward_propagation    softmax, dense_forward, forward
    loss                 03_loss                   mse, cross_entropy, cross_entropy_from_logits
    backpropagation      04_backpropagation        output_delta, activation_backward,
                                                   dense_backward, backward
    parameter_update     05_parameter_update       sgd_update, momentum_update, adam_update
    iteration            06_iteration              iterate_minibatches, should_stop, train
    capstone             07_capstone               components, predict, train_classifier,
                                                   before_held_out, held_out_accuracy
    blocks               ready-made NumPy building blocks for exercise 06

Everything a learner reads from the checks — the engine's sentences, the catalogue's messages,
the hints and the your-turn tasks — is said through ``nnlib.language``: English by default, in
Chinese in a notebook that ran ``language.use("zh")`` (the translations, {English template:
中文}, are ``zh.json`` beside this file, registered when the package is imported).

This package needs NumPy and nnlib only (never matplotlib, ipywidgets or nbgrader), and nnlib
imports nothing from it.
"""

from pathlib import Path

from nnlib import language

from . import (
    backpropagation,
    capstone,
    forward_propagation,
    initialization,
    iteration,
    loss,
    parameter_update,
)
from .engine import Case, Check, Feedback, Mistake

language.register(Path(__file__).with_name("zh.json"))

ASSIGNMENTS = {
    "01_initialization": initialization,
    "02_forward_propagation": forward_propagation,
    "03_loss": loss,
    "04_backpropagation": backpropagation,
    "05_parameter_update": parameter_update,
    "06_iteration": iteration,
    "07_capstone": capstone,
}


def catalogue():
    """{assignment: {check name: (Mistake, ...)}} — every catalogued mistake."""
    return {assignment: {name: check.mistakes for name, check in module.CHECKS.items()}
            for assignment, module in ASSIGNMENTS.items()}


__all__ = ["ASSIGNMENTS", "Case", "Check", "Feedback", "Mistake", "catalogue"]
