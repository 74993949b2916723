"""The mistake catalogue of ``nnlib_checks``: every catalogued mistake gets its own message,
correct answers pass, shape errors come before value errors, and answers that call nnlib (or
change their inputs, or raise) are told so.

A "submission" here is built the way a notebook builds it: the source of a function is executed
in a fresh namespace holding NumPy (and, for exercise 06, the ready-made building blocks), so
the checks see exactly what they would see in a learner's kernel.
"""

import importlib
import inspect
import itertools
import json
import linecache
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import nnlib
import nnlib.activations
import nnlib.losses
import nnlib_checks as feedback
from nnlib_checks import (
    backpropagation,
    blocks,
    capstone,
    forward_propagation,
    initialization,
    iteration,
    loss,
)
from nnlib_checks.engine import Feedback, library_uses
from nnlib_checks.mistakes import read_catalogue

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "exercises" / "source"
_CELLS = itertools.count()
BLOCKS = {name: getattr(blocks, name)
          for name in ("init_params", "forward", "cross_entropy", "backward", "sgd_update")}


def submit(source, name=None, **namespace):
    """The function defined by ``source``, executed as a notebook cell would be: in a fresh
    namespace, with its source registered in linecache as IPython registers a cell's."""
    source = textwrap.dedent(source)
    filename = f"<cell-{next(_CELLS)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    ns = {"np": np, **BLOCKS, **namespace}
    exec(compile(source, filename, "exec"), ns)
    if name is None:
        name = re.search(r"^def (\w+)", source, re.M).group(1)
    return ns[name]


def as_submission(function):
    """A catalogued variant, re-executed from its source outside nnlib."""
    return submit(inspect.getsource(function))


def feedback_for(check, fn, strict=False):
    with pytest.raises(Feedback) as info:
        check(fn, strict=strict)
    return info.value


CATALOGUE = [(assignment, name, mistake)
             for assignment, checks in feedback.catalogue().items()
             for name, mistakes in checks.items() for mistake in mistakes]


def _check(assignment, name):
    return feedback.ASSIGNMENTS[assignment].CHECKS[name]


def _fixed_text(message):
    """The part of a message before its first {field}, which every report of it contains."""
    return message.split("{")[0].replace("{{", "{").replace("}}", "}")


# -- the catalogue -----------------------------------------------------------------------------
@pytest.mark.parametrize("strict", [False, True], ids=["visible", "hidden"])
@pytest.mark.parametrize(("assignment", "name", "mistake"), CATALOGUE,
                         ids=[f"{a[:2]}-{n}-{m.name}" for a, n, m in CATALOGUE])
def test_every_catalogued_mistake_gets_its_message(assignment, name, mistake, strict):
    err = feedback_for(_check(assignment, name), as_submission(mistake.variant), strict)
    assert err.mistake == mistake.name, str(err)
    assert _fixed_text(mistake.message)[:60] in str(err)
    assert str(err).startswith(f"✗ {_check(assignment, name).name}: ")


def test_every_exercise_has_at_least_three_catalogued_mistakes():
    for assignment, checks in feedback.catalogue().items():
        names = [m.name for mistakes in checks.values() for m in mistakes]
        assert len(names) >= 3, assignment
        for check_name, mistakes in checks.items():
            assert len({m.name for m in mistakes}) == len(mistakes), check_name


def variant(check, mistake):
    """The catalogued variant of ``check`` that makes the mistake named ``mistake``."""
    return next(m.variant for m in check.mistakes if m.name == mistake)


@pytest.mark.parametrize(("check", "mistake", "pattern"), [
    (backpropagation.dense_backward, "dW_no_1_over_m",
     r"dW is m = 8 times too large: did you forget the 1/m\?"),
    (backpropagation.dense_backward, "dW_transposed",
     r"dW has shape \(4, 3\), expected \(3, 4\): check the transpose"),
    (backpropagation.activation_backward, "sigma_prime_of_A", r"σ′ was applied to A instead of Z"),
    (backpropagation.backward, "sigma_prime_of_A", r"σ′ was applied to A instead of Z"),
    (forward_propagation.softmax, "overflow",
     r"softmax overflows for large logits: subtract the row max"),
    (loss.cross_entropy, "mean_over_classes", r"cross-entropy must also sum over classes"),
    (initialization.init_params, "zero_init",
     r"all weights equal: zero initialization cannot break symmetry"),
    (backpropagation.backward, "cache_in_place", r"the cache was modified in place"),
], ids=["forgot-1/m", "transpose", "sigma-of-A", "sigma-of-A-backward", "softmax-overflow",
        "sum-over-classes", "zero-init", "cache-in-place"])
def test_the_issues_examples_are_named_as_written(check, mistake, pattern):
    assert re.search(pattern, str(feedback_for(check, as_submission(variant(check, mistake)))))


# -- the catalogue is edits of one solution per check ------------------------------------------
CHECKS = [check for module in feedback.ASSIGNMENTS.values() for check in module.CHECKS.values()]


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_every_checks_solution_passes_it(check, capsys):
    """The learner-style solution the variants are edits of gives nnlib's numbers."""
    solution = as_submission(check.solution)
    check(solution)
    check(solution, strict=True)
    assert capsys.readouterr().out.count("✓") == 2


def test_a_variant_is_its_solution_with_the_edits():
    source = inspect.getsource(variant(backpropagation.dense_backward, "dA_prev_W_transposed"))
    assert source == inspect.getsource(backpropagation.dense_backward_solution).replace(
        "def dense_backward_solution(", "def dense_dA_prev_W_transposed(").replace(
        "dA_prev = delta @ W\n", "dA_prev = delta @ W.T\n")
    # the lines after the first of a several-line edit take the indentation of its place
    assert "    if activation == \"relu\":\n        Z[Z > 0] = 1\n        Z[Z <= 0] = 0\n" \
        "        return dA * Z\n" in inspect.getsource(variant(backpropagation.activation_backward,
                                                             "Z_in_place"))


def test_variants_are_found_by_name_on_their_module():
    assert loss.mse_no_half is variant(loss.mse, "no_half")
    assert backpropagation.backward_no_sigma_prime is variant(backpropagation.backward,
                                                              "no_sigma_prime")
    with pytest.raises(AttributeError, match="no catalogued variant named 'mse_nothing'"):
        loss.mse_nothing  # noqa: B018


CATALOGUE_MODULE = '''
import numpy as np
from nnlib_checks.mistakes import Solution


def mse_solution(Yhat, Y):
    return np.sum((Yhat - Y) ** 2) / (2 * len(Y))


MSE = Solution(mse_solution, "mse")
MISTAKES = MSE.catalogue("""
no_half
    did you forget the 1/2?
    - {old}
    + len(Y)
""")
'''


@pytest.mark.parametrize(("old", "times"), [("(2 * len(Y))", 1), ("(2 * m)", 0), ("Yhat", 2)],
                         ids=["applies", "not-found", "ambiguous"])
def test_an_edit_that_does_not_apply_fails_at_import(tmp_path, monkeypatch, old, times):
    """A catalogue whose solution changed under it cannot silently lose a mistake."""
    (tmp_path / "a_catalogue.py").write_text(CATALOGUE_MODULE.format(old=old), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("a_catalogue", None)
    if times == 1:
        module = importlib.import_module("a_catalogue")
        assert module.MISTAKES[0].variant(np.ones((2, 1)), np.zeros((2, 1))) == 1.0
        return
    with pytest.raises(ValueError, match=rf"mistake 'no_half' of mse_solution: the edit "
                                         rf".* does not apply: .* occurs {times} times"):
        importlib.import_module("a_catalogue")


@pytest.mark.parametrize(("text", "problem"), [
    ("no_half\n    did you forget the 1/2?\n", "needs a message and at least one edit"),
    ("no_half\n    - (2 * len(Y))\n    + len(Y)\n", "needs a message and at least one edit"),
    ("no_half\n    did you forget\n    + len(Y)\n", "needs the \"-\" lines it replaces"),
    ("no_half\n    did you\n    - (2 * len(Y))\n    forget the 1/2?\n",
     "the message comes before the edits"),
    ("no_half (inplace)\n    did you?\n    - (2 * len(Y))\n", "expected `name`"),
    ("no_half\n  did you?\n    - (2 * len(Y))\n", "a line indented by 4"),
], ids=["no-edit", "no-message", "plus-first", "message-after-edit", "inplace-without-arg",
        "indent"])
def test_a_catalogue_that_cannot_be_read_fails_loudly(text, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        read_catalogue(text)


def test_a_catalogue_reads_as_name_message_and_edits():
    text = """
    Z_in_place (inplace: Z)
        Z was modified
        in place.
        - return dA * (Z > 0)
        + Z[Z > 0] = 1
        + return dA * Z
        - if x:
        -     y

    sign (probe)
        uphill.
        - Yhat - Y
        + Y - Yhat
    """
    assert read_catalogue(text) == [
        ("Z_in_place", "Z was modified in place.", "inplace", "Z",
         [("return dA * (Z > 0)", "Z[Z > 0] = 1\nreturn dA * Z"), ("if x:\n    y", "")]),
        ("sign", "uphill.", "probe", None, [("Yhat - Y", "Y - Yhat")])]


# -- correct answers pass ----------------------------------------------------------------------
def _solutions(assignment):
    """Namespace after running a source notebook's setup and solution cells (no test cells)."""
    nb = json.loads((SOURCE / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    ns = {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "code" and (meta.get("solution") or
                                             meta.get("locked") and not meta.get("grade")):
            exec("".join(cell["source"]), ns)
    return ns


CHECKED = {  # check → the function it is given, from the source notebook
    "init_xavier": "init_params",
}


@pytest.mark.parametrize("assignment", [a for a in feedback.ASSIGNMENTS if a != "07_capstone"])
def test_the_solutions_pass_every_check(assignment, capsys):
    ns = _solutions(assignment)
    for name, check in feedback.ASSIGNMENTS[assignment].CHECKS.items():
        fn = ns[CHECKED.get(name, name)]
        check(fn)
        check(fn, strict=True)
    out = capsys.readouterr().out
    assert out.count("✓") == 2 * len(feedback.ASSIGNMENTS[assignment].CHECKS)


def test_the_capstone_solution_passes(capsys):
    ns = _solutions("07_capstone")
    capstone.components(ns["init_params"], ns["forward"], ns["backward"], ns["sgd_update"],
                        strict=True)
    capstone.predict(ns["predict"], strict=True)
    params = capstone.train_classifier(ns["train_classifier"], ns["predict"])
    assert len(params) >= 2
    capstone.held_out_accuracy(ns["train_classifier"], ns["predict"])
    assert "✓ held-out accuracy" in capsys.readouterr().out


def test_other_valid_answers_are_accepted():
    """Weights drawn in another order, another shuffling scheme, another loop: still right."""
    init = submit("""
        def init_params(sizes, seed=0, method="he"):
            rng = np.random.default_rng(seed + 100)
            out = []
            for n_in, n_out in zip(sizes[:-1], sizes[1:]):
                s = np.sqrt(2 / n_in) if method == "he" else np.sqrt(2 / (n_in + n_out))
                out.append((rng.normal(0.0, s, size=(n_in, n_out)).T, np.zeros(n_out)))
            return out
    """)
    initialization.init_params(init, strict=True)
    initialization.init_xavier(init, strict=True)
    # the loop over the learner's own (valid, differently shuffled) batches, the epoch's loss
    # written as a weighted average
    train = submit("""
        def iterate_minibatches(X, Y, batch_size, rng):
            order = rng.choice(len(X), size=len(X), replace=False)
            return [(X[order[i:i + batch_size]], Y[order[i:i + batch_size]])
                    for i in range(0, len(X), batch_size)]


        def train(X, Y, sizes, lr, epochs, batch_size, seed=0, tol=None):
            params, rng, history = init_params(sizes, seed), np.random.default_rng(seed), []
            for epoch in range(epochs):
                losses, sizes_seen = [], []
                for Xb, Yb in iterate_minibatches(X, Y, batch_size, rng):
                    Yhat, caches = forward(Xb, params)
                    losses.append(cross_entropy(Yhat, Yb))
                    sizes_seen.append(len(Xb))
                    params = sgd_update(params, backward(Yhat, Yb, params, caches), lr)
                history.append(float(np.average(losses, weights=sizes_seen)))
                if tol is not None and history[-1] < tol:
                    break
            return params, history
    """, "train")
    iteration.iterate_minibatches(train.__globals__["iterate_minibatches"], strict=True)
    iteration.train(train, strict=True)


def test_train_must_keep_the_stated_seeds_and_the_size_weighted_history():
    """What the instructions of exercise 06 state is enforced: init_params(sizes, seed), one
    generator from the seed, and the epoch's loss as the size-weighted mean of the batch
    losses measured before each update."""
    other_seeds = submit("""
        def train(X, Y, sizes, lr, epochs, batch_size, seed=0, tol=None):
            params, rng, history = init_params(sizes, seed + 1), np.random.default_rng(7), []
            for epoch in range(epochs):
                total = 0.0
                for i in range(0, len(X), batch_size):
                    idx = rng.permutation(len(X))[i:i + batch_size]
                    Yhat, caches = forward(X[idx], params)
                    total += cross_entropy(Yhat, Y[idx]) * len(idx)
                    params = sgd_update(params, backward(Yhat, Y[idx], params, caches), lr)
                history.append(total / len(X))
            return params, history
    """)
    feedback_for(iteration.train, other_seeds)
    mean_of_batches = submit("""
        def train(X, Y, sizes, lr, epochs, batch_size, seed=0, tol=None):
            params, rng, history = init_params(sizes, seed), np.random.default_rng(seed), []
            for epoch in range(epochs):
                losses, order = [], rng.permutation(len(X))
                for i in range(0, len(X), batch_size):
                    idx = order[i:i + batch_size]
                    Yhat, caches = forward(X[idx], params)
                    losses.append(cross_entropy(Yhat, Y[idx]))
                    params = sgd_update(params, backward(Yhat, Y[idx], params, caches), lr)
                history.append(float(np.mean(losses)))
                if tol is not None and history[-1] < tol:
                    break
            return params, history
    """)
    err = feedback_for(iteration.train, mean_of_batches)
    assert "weight each batch's loss by its size" in str(err)


# -- the order of the checks -------------------------------------------------------------------
def test_shape_errors_are_reported_before_value_errors():
    both = submit("""
        def dense_backward(delta, A_prev, W):
            m = len(delta)
            return A_prev.T @ delta / m, delta.sum(axis=0), delta @ W   # dW transposed, db no 1/m
    """)
    err = feedback_for(backpropagation.dense_backward, both)
    assert err.mistake == "dW_transposed" and "has shape (4, 3), expected (3, 4)" in str(err)
    # a value error on the first input and a shape error on a later one: the shape comes first
    later = submit("""
        def dense_forward(A_prev, W, b, activation):
            Z = A_prev @ W.T + b
            if activation == "tanh":
                return np.tanh(Z)[:, :1], Z
            return Z * 2, Z
    """)
    err = feedback_for(forward_propagation.dense_forward, later)
    assert "A has shape (8, 1), expected (8, 3)" in str(err)


def test_errors_in_the_answer_are_reported_with_its_line():
    broken = submit("""
        def mse(Yhat, Y):
            diff = Yhat - Y.T
            return np.sum(diff ** 2) / (2 * len(Y))
    """)
    err = feedback_for(loss.mse, broken)
    # the line, the arrays it works with and their shapes, NumPy's words and the formula
    assert "shape error in `diff = Yhat - Y.T`" in str(err)
    assert "Yhat is (6, 2), Y.T is (2, 6)" in str(err) and "do not broadcast" in str(err)
    assert "could not be broadcast together with shapes (6,2) (2,6)" in str(err)
    assert "L = 1/(2m)" in str(err)
    matmul = submit("""
        def dense_backward(delta, A_prev, W):
            m = len(delta)
            return delta.T @ W / m, delta.sum(axis=0) / m, delta @ W
    """)
    err = feedback_for(backpropagation.dense_backward, matmul)
    assert err.mistake is None, "no catalogued mistake multiplies δᵀ by W"
    assert "shape error in `return delta.T @ W / m, " in str(err)
    assert "delta.T is (3, 8), W is (3, 4)" in str(err)
    assert "do not line up for the matrix product" in str(err)
    assert "The result must be dW (3, 4), db (3,) and dA_prev (8, 4)." in str(err)
    # a product that fails with the same NumPy message as a catalogued one, but is another
    # product, is not given that one's name
    no_transpose = submit("""
        def dense_backward(delta, A_prev, W):
            m = len(delta)
            return delta @ A_prev / m, delta.sum(axis=0) / m, delta @ W
    """)
    assert feedback_for(backpropagation.dense_backward, no_transpose).mistake == \
        "dW_no_transpose"


def test_an_unknown_wrong_answer_gets_a_generic_message_with_numbers():
    off = submit("""
        def output_delta(Yhat, Y):
            D = Yhat - Y
            D[0, 0] += 0.5
            return D
    """)
    err = feedback_for(backpropagation.output_delta, off)
    assert err.mistake is None
    assert re.search(r"δ\[L\] differs from the expected values on .*at index \(0, 0\)", str(err))
    scaled = submit("def mse(Yhat, Y):\n    return 7 * np.sum((Yhat - Y) ** 2) / (2 * len(Y))")
    assert "is 7 times the expected value" in str(feedback_for(loss.mse, scaled))


def test_changing_an_input_in_place_is_flagged_even_when_not_catalogued():
    sneaky = submit("""
        def softmax(Z):
            Z -= Z.max(axis=1, keepdims=True)
            E = np.exp(Z)
            return E / E.sum(axis=1, keepdims=True)
    """)
    err = feedback_for(forward_propagation.softmax, sneaky)
    assert "changed its input Z in place" in str(err)


def test_a_missing_return_or_a_generator_is_named():
    no_return = submit("def output_delta(Yhat, Y):\n    delta = Yhat - Y")
    assert "did you forget to return the result?" in str(
        feedback_for(backpropagation.output_delta, no_return))
    lazy = submit("""
        def iterate_minibatches(X, Y, batch_size, rng):
            order = rng.permutation(len(X))
            for i in range(0, len(X), batch_size):
                yield X[order[i:i + batch_size]], Y[order[i:i + batch_size]]
    """)
    assert "return a list" in str(feedback_for(iteration.iterate_minibatches, lazy))


def test_an_untouched_stub_is_told_to_start():
    stub = submit("def mse(Yhat, Y):\n    # YOUR CODE HERE\n    raise NotImplementedError()")
    err = feedback_for(loss.mse, stub)
    assert err.mistake == "not_implemented" and "not implemented yet" in str(err)


# -- calling nnlib is flagged ------------------------------------------------------------------
@pytest.mark.parametrize("source", [
    "def softmax(Z):\n    return nnlib.activations.softmax(Z)",
    "def softmax(Z):\n    from nnlib.activations import softmax as s\n    return s(Z)",
    "def softmax(Z):\n    return sm(Z)",
    "def softmax(Z):\n    return helper(Z)\n\ndef helper(Z):\n    return sm(Z)",
], ids=["module", "import-inside", "alias", "through-a-helper"])
def test_an_answer_that_calls_nnlib_is_flagged(source):
    fn = submit(source, "softmax", nnlib=nnlib, sm=nnlib.activations.softmax)
    err = feedback_for(forward_propagation.softmax, fn)
    assert err.mistake == "calls_library"
    assert "uses nnlib" in str(err) and "write it yourself with NumPy" in str(err)


def test_library_use_is_found_through_objects_and_allowed_where_meant():
    net = nnlib.Network([nnlib.Dense(2, 3, "softmax")])
    fn = submit("def forward(X, params):\n    return net.forward(X), []", net=net)
    assert library_uses(fn) == ["net from nnlib.network"]
    # exercise 06 may use its ready-made blocks, and nothing else from nnlib
    assert library_uses(submit("def f(p, g):\n    return sgd_update(p, g, 0.1)"),
                        allow=("nnlib_checks.blocks",)) == []
    fit = submit("def train(X, Y):\n    return nnlib.fit(None, X, Y)", nnlib=nnlib)
    err = feedback_for(iteration.train, fit)
    assert err.mistake == "calls_library"


def test_the_capstone_must_train_from_its_own_functions_and_data():
    def predict(params, X):
        return np.zeros(len(X), dtype=int)

    uses_fit = submit("def train_classifier(X, y, seed=0):\n    return nnlib.fit(X, y)",
                      nnlib=nnlib)
    with pytest.raises(Feedback, match="build it from your own functions") as info:
        capstone.train_classifier(uses_fit, predict)
    assert info.value.mistake == "calls_library"
    peeks = submit("def train_classifier(X, y, seed=0):\n    X, y = datasets.digits()\n"
                   "    return []", datasets=nnlib.datasets)
    with pytest.raises(Feedback, match="learn from the X and y it is given") as info:
        capstone.held_out_accuracy(peeks, predict)
    lazy = submit("def train_classifier(X, y, seed=0):\n    return None")
    with pytest.raises(Feedback, match=r"validation accuracy \d+\.\d%, below the 95%"):
        capstone.train_classifier(lazy, predict)


def test_components_reports_the_first_wrong_one():
    ns = _solutions("07_capstone")
    wrong = as_submission(backpropagation.backward_no_sigma_prime)
    with pytest.raises(Feedback, match=r"✗ backward: for a hidden layer"):
        capstone.components(ns["init_params"], ns["forward"], wrong, ns["sgd_update"])


# -- references and presentation ---------------------------------------------------------------
def test_thelogits_reference_agrees_with_nnlib_on_moderate_logits():
    rng = np.random.default_rng(0)
    Z, Y = rng.normal(size=(9, 4)), np.eye(4)[rng.integers(0, 4, 9)]
    expected = nnlib.losses.cross_entropy(nnlib.activations.softmax(Z), Y)
    assert np.isclose(loss.logits_reference(Z, Y), expected, rtol=1e-12)


def test_feedback_renders_as_one_line_in_a_notebook():
    err = feedback_for(loss.mse, as_submission(loss.mse_no_half))
    lines = err._render_traceback_()
    assert len(lines) == 1 and "✗ mse: this course's MSE is 1/(2m)" in lines[0]


def test_the_package_needs_no_plotting_or_widgets():
    code = ("import sys, nnlib_checks\n"
            "bad = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# -- named without a catalogue entry ----------------------------------------------------------
def test_a_mistake_in_one_part_is_named_by_the_variant_that_makes_it_everywhere():
    """Adam's bias correction left out for W only: the catalogued variant leaves it out for W
    and b; the answer agrees with it where it is wrong and with nnlib where it is right."""
    w_only = submit("""
        def adam_update(params, grads, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            t = state["t"] + 1
            out, ms, vs = [], [], []
            for (W, b), (dW, db), (mW, mb), (vW, vb) in zip(params, grads, state["m"],
                                                             state["v"]):
                mW, mb = beta1 * mW + (1 - beta1) * dW, beta1 * mb + (1 - beta1) * db
                vW, vb = beta2 * vW + (1 - beta2) * dW**2, beta2 * vb + (1 - beta2) * db**2
                W = W - lr * mW / (np.sqrt(vW) + eps)
                b = b - lr * (mb / (1 - beta1**t)) / (np.sqrt(vb / (1 - beta2**t)) + eps)
                out.append((W, b))
                ms.append((mW, mb))
                vs.append((vW, vb))
            return out, {"t": t, "m": ms, "v": vs}
    """)
    from nnlib_checks import parameter_update
    err = feedback_for(parameter_update.adam_update, w_only)
    assert err.mistake == "no_bias_correction" and "bias correction" in str(err)


@pytest.mark.parametrize(("source", "mistake", "text"), [
    ("def mse(Yhat, Y):\n    return -np.sum((Yhat - Y) ** 2) / (2 * len(Y))", "sign",
     "the loss has the wrong sign"),
    ("def mse(Yhat, Y):\n    return np.sum((Yhat - Y) ** 2) / 2", "no_1_over_m",
     "did you forget the 1/m?"),
    ("def mse(Yhat, Y):\n    return np.sum((Yhat - Y) ** 2) / (2 * len(Y) ** 2)",
     "twice_1_over_m", "is m = 6 times too small"),
], ids=["sign", "no-1/m", "1/m-twice"])
def test_a_result_off_by_a_known_factor_is_named(source, mistake, text):
    # the check of mse without its catalogue: the factor alone names the mistake
    check = loss.mse
    bare = type(check)(**{**{f: getattr(check, f) for f in check.__dataclass_fields__},
                          "mistakes": ()})
    err = feedback_for(bare, submit(source))
    assert err.mistake == mistake and text in str(err), str(err)


def test_a_dimension_used_for_m_is_named():
    wrong_m = submit("""
        def dense_backward(delta, A_prev, W):
            m = A_prev.shape[1]
            return delta.T @ A_prev / m, delta.sum(axis=0) / m, delta @ W
    """)
    err = feedback_for(backpropagation.dense_backward, wrong_m)
    assert err.mistake == "wrong_m"
    assert "did you divide by 4 (A_prev.shape[1]) instead of m = 8" in str(err)


def test_an_extra_axis_and_a_reduction_over_everything_are_named():
    keepdims = submit("def output_delta(Yhat, Y):\n    return (Yhat - Y)[:, :, None]")
    assert feedback_for(backpropagation.output_delta, keepdims).mistake == "extra_axis"
    column = submit("""
        def predict(params, X):
            A = X
            for l, (W, b) in enumerate(params, start=1):
                A = A @ W.T + b
                A = np.maximum(A, 0) if l < len(params) else A
            return A.argmax(axis=1, keepdims=True)
    """)
    err = feedback_for(capstone.predict, column)
    assert err.mistake == "extra_axis" and "drop keepdims=True" in str(err)
    total = submit("def mse(Yhat, Y):\n    return np.sum((Yhat - Y) ** 2, axis=1) / 2")
    assert "should be a single number" in str(feedback_for(loss.mse, total))


def test_a_helper_that_fails_its_own_check_is_named_first():
    """backward that calls the learner's own, wrong dense_backward: one sentence names the
    helper to fix first."""
    ns = _solutions("04_backpropagation")
    wrong = submit("""
        def dense_backward(delta, A_prev, W):
            m = len(delta)
            return delta.T @ A_prev, delta.sum(axis=0) / m, delta @ W


        def backward(Yhat, Y, params, caches, activation="relu"):
            grads, delta = [], output_delta(Yhat, Y)
            for l in range(len(params) - 1, -1, -1):
                dW, db, dA_prev = dense_backward(delta, caches[l][0], params[l][0])
                grads.insert(0, (dW, db))
                if l > 0:
                    delta = activation_backward(dA_prev, caches[l - 1][1], activation)
            return grads
    """, "backward", output_delta=ns["output_delta"],
        activation_backward=ns["activation_backward"])
    err = feedback_for(backpropagation.backward, wrong)
    assert err.mistake == "prerequisite"
    assert str(err).startswith("✗ backward: backward calls your dense_backward, which does not "
                               "pass its own check yet: fix dense_backward first (✗ "
                               "dense_backward: dW is m = 8 times too large")
    # a helper still unwritten is named too
    stub = submit("""
        def output_delta(Yhat, Y):
            raise NotImplementedError()


        def backward(Yhat, Y, params, caches, activation="relu"):
            return output_delta(Yhat, Y)
    """, "backward")
    err = feedback_for(backpropagation.backward, stub)
    assert err.mistake == "not_implemented"
    assert "backward calls output_delta, which still raises NotImplementedError" in str(err)


def test_the_capstone_names_its_training_mistakes_and_keeps_one_bar():
    ns = _solutions("07_capstone")
    # the validation test and the grader's held-out test use the same bar
    assert capstone.VALIDATION_ACCURACY == capstone.HELD_OUT_ACCURACY
    source = inspect.getsource(capstone.train_classifier)
    assert "threshold=ACCURACY" in source
    labels = submit("""
        def train_classifier(X, y, seed=0):
            params = init_params([64, 16, 10], seed)
            Yhat, caches = forward(X[:32], params)
            return sgd_update(params, backward(Yhat, y[:32], params, caches), 0.1)
    """, **{k: ns[k] for k in ("init_params", "forward", "backward", "sgd_update")})
    with pytest.raises(Feedback, match=r"one-hot targets Y \(m, 10\): Y = np.eye\(10\)\[y\]") \
            as info:
        capstone.train_classifier(labels, ns["predict"])
    assert info.value.mistake == "labels_not_one_hot"
    # before the validation test passes, the held-out test says so in one sentence
    with pytest.raises(Feedback, match="the validation test above must pass first") as info:
        capstone.before_held_out(labels, ns["predict"])
    assert info.value.mistake == "prerequisite"


def test_the_capstone_needs_everything_random_from_the_seed(capsys):
    ns = _solutions("07_capstone")
    blocks_ = {k: ns[k] for k in ("init_params", "forward", "backward", "sgd_update")}
    body = """
        def train_classifier(X, y, seed=0):
            Y = np.eye(10)[y]
            params = init_params([X.shape[1], 32, 10], {init_seed})
            rng = np.random.default_rng({shuffle_seed})
            for _ in range(30):
                order = rng.permutation(len(X))
                for start in range(0, len(X), 32):
                    idx = order[start:start + 32]
                    Yhat, caches = forward(X[idx], params)
                    params = sgd_update(params, backward(Yhat, Y[idx], params, caches), 0.1)
            return params
    """
    unseeded = submit(body.format(init_seed="seed", shuffle_seed=""), **blocks_)
    capstone.train_classifier(unseeded, ns["predict"])
    with pytest.raises(Feedback, match="two trainings with seed=0 gave different weights") \
            as info:
        capstone.train_classifier(unseeded, ns["predict"], strict=True)
    assert info.value.mistake == "unseeded"
    fixed_init = submit(body.format(init_seed="0", shuffle_seed="seed"), **blocks_)
    capstone.train_classifier(fixed_init, ns["predict"])
    capstone.train_classifier(fixed_init, ns["predict"], strict=True)
    capstone.before_held_out(fixed_init, ns["predict"])
    with pytest.raises(Feedback, match=r"same initial weights for seed=0 and seed=1") as info:
        capstone.held_out_accuracy(fixed_init, ns["predict"])
    assert info.value.mistake == "seed_ignored"
    assert "✓ train_classifier passed the validation test" in capsys.readouterr().out
