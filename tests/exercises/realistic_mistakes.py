"""A fixed set of realistic one-line mistakes in the graded exercises, and how they are graded.

Each mistake is an edit of the answer written in the *source* notebook (the instructor's
solution, which is written independently of the catalogue's learner-style solutions in
``nnlib_checks``): the kind of slip a learner makes in one line — an index, an axis, a
transpose, a sign, a constant, an off-by-one, an argument in the wrong place. A few need two
lines (moving a line counts as one mistake).

``grade(mistake)`` runs the notebook as nbgrader's autograder would — the setup and answer
cells in order, then the locked test cells of the edited part with their hidden tests — in this
process, and reports whether the submission loses points and which message the learner gets
for the first failing cell: a *named* mistake (the check's ``Feedback`` carries a mistake name)
or a *generic* message (anything else: a generic ``Feedback``, a plain ``assert``, a
traceback).

    python bench/bench_mistakes.py          # the counts, and every generic message

The set is data that the tests keep: ``tests/exercises/test_realistic_mistakes.py`` requires
that every mistake loses points and that at least 9 in 10 are named.
"""

import contextlib
import io
import itertools
import json
import linecache
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "exercises" / "source"
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
           "### END HIDDEN TESTS")


@dataclass(frozen=True)
class Slip:
    """One realistic mistake: in ``assignment``, the answer cell ``cell`` with ``edits``
    [(old, new), ...] applied (each ``old`` occurs exactly once in the cell)."""

    assignment: str
    cell: str
    what: str
    edits: tuple

    @property
    def id(self):
        return f"{self.assignment[:2]}-{self.cell}-{self.what}"


def _slips(assignment, cell, *entries):
    out = []
    for entry in entries:
        what, *edits = entry
        if len(edits) == 2 and isinstance(edits[0], str):
            edits = [tuple(edits)]
        out.append(Slip(assignment, cell, what, tuple(tuple(e) for e in edits)))
    return out


I, F, L, B, U, T, C = ("01_initialization", "02_forward_propagation", "03_loss",
                       "04_backpropagation", "05_parameter_update", "06_iteration",
                       "07_capstone")

SLIPS = [
    # -- 01 initialization ---------------------------------------------------------------------
    *_slips(I, "init_params",
            ("he-fan-out", "np.sqrt(2 / n_in) if", "np.sqrt(2 / n_out) if"),
            ("he-variance-not-std", "np.sqrt(2 / n_in) if", "2 / n_in if"),
            ("xavier-no-sqrt", "np.sqrt(2 / (n_in + n_out))", "2 / (n_in + n_out)"),
            ("xavier-as-lecun", "np.sqrt(2 / (n_in + n_out))", "np.sqrt(1 / n_in)"),
            ("W-transposed", "(n_out, n_in)", "(n_in, n_out)"),
            ("b-column", "np.zeros(n_out)", "np.zeros((n_out, 1))"),
            ("b-per-input", "np.zeros(n_out)", "np.zeros(n_in)"),
            ("b-small-constant", "np.zeros(n_out)", "np.full(n_out, 0.01)"),
            ("rng-per-layer", "rng.standard_normal",
             "np.random.default_rng(seed).standard_normal"),
            ("global-random", "rng.standard_normal((n_out, n_in))", "np.random.randn(n_out, n_in)"),
            ("uniform", "rng.standard_normal((n_out, n_in))", "rng.random((n_out, n_in))"),
            ("unseeded", "default_rng(seed)", "default_rng()"),
            ("method-typo", 'method == "he"', 'method == "He"')),
    *_slips(I, "count_parameters",
            ("weights-only", "n_out * n_in + n_out", "n_out * n_in"),
            ("bias-per-input", "+ n_out for", "+ n_in for"),
            ("one-bias-per-layer", "n_out * n_in + n_out", "n_out * n_in + 1"),
            ("skips-last-layer", "zip(sizes[:-1], sizes[1:])", "zip(sizes[:-2], sizes[1:-1])")),
    *_slips(I, "units_are_symmetric",
            ("columns", "W == W[0]", "W == W[:, 0]"),
            ("all-entries", "W == W[0]", "W == W[0, 0]"),
            ("only-zero", "np.all(W == W[0])", "np.all(W == 0)"),
            ("any", "np.all(", "np.any("),
            ("first-two-rows", "np.all(W == W[0])", "np.all(W[0] == W[1])")),
    # -- 02 forward propagation ----------------------------------------------------------------
    *_slips(F, "softmax",
            ("sum-axis0", "E.sum(axis=1, keepdims=True)", "E.sum(axis=0, keepdims=True)"),
            ("max-axis0", "Z.max(axis=1, keepdims=True)", "Z.max(axis=0, keepdims=True)"),
            ("sum-no-keepdims", "E.sum(axis=1, keepdims=True)", "E.sum(axis=1)"),
            ("sum-all", "E.sum(axis=1, keepdims=True)", "E.sum()"),
            ("no-max", "np.exp(Z - Z.max(axis=1, keepdims=True))", "np.exp(Z)"),
            ("max-no-keepdims", "Z.max(axis=1, keepdims=True)", "Z.max(axis=1)"),
            ("global-max", "Z.max(axis=1, keepdims=True)", "np.max(Z)"),
            ("adds-max", "Z - Z.max(", "Z + Z.max("),
            ("subtracts-min", "Z.max(axis=1, keepdims=True)", "Z.min(axis=1, keepdims=True)")),
    *_slips(F, "dense_forward",
            ("no-transpose", "A_prev @ W.T + b", "A_prev @ W + b"),
            ("column-form", "A_prev @ W.T + b", "W @ A_prev.T + b"),
            ("relu-np-max", "np.maximum(Z, 0)", "np.max(Z, 0)"),
            ("bias-subtracted", "A_prev @ W.T + b", "A_prev @ W.T - b"),
            ("bias-column", "A_prev @ W.T + b", "A_prev @ W.T + b.reshape(-1, 1)"),
            ("sigmoid-negative-branch", "np.where(Z >= 0, 1, E) / (1 + E)", "1 / (1 + E)"),
            ("sigmoid-exp-sign", "E = np.exp(-np.abs(Z))", "E = np.exp(np.abs(Z))"),
            ("swapped-outputs", "return A, Z", "return Z, A"),
            ("identity-as-relu", "        A = Z", "        A = np.maximum(Z, 0)")),
    *_slips(F, "forward",
            ("softmax-never", "if l < len(params):", "if l <= len(params):"),
            ("enumerate-from-0", "enumerate(params, start=1)", "enumerate(params)"),
            ("cache-output", "caches.append((A, Z))", "caches.append((A_next, Z))"),
            ("cache-A-as-Z", "caches.append((A, Z))", "caches.append((A, A_next))"),
            ("X-every-layer", "dense_forward(A, W, b, activation)",
             "dense_forward(X, W, b, activation)"),
            ("softmax-of-input", "A_next = softmax(Z)", "A_next = softmax(A)"),
            ("sigma-then-softmax", "A_next = softmax(Z)",
             "A_next = softmax(dense_forward(A, W, b, activation)[0])"),
            ("returns-logits", "return A, caches", "return Z, caches")),
    # -- 03 loss -------------------------------------------------------------------------------
    *_slips(L, "mse",
            ("precedence", "(2 * m)", "2 * m"),
            ("mean-over-entries", "(2 * m)", "(2 * Y.size)"),
            ("m-from-columns", "m = len(Y)", "m = Y.shape[1]"),
            ("np-mean", "np.sum((Yhat - Y) ** 2) / (2 * m)", "np.mean((Yhat - Y) ** 2)"),
            ("times-2-not-squared", "** 2", "* 2"),
            ("no-half", "(2 * m)", "m")),
    *_slips(L, "cross_entropy",
            ("no-minus", "-np.sum", "np.sum"),
            ("no-clip", "np.log(np.clip(Yhat, 1e-12, 1.0))", "np.log(Yhat)"),
            ("m-is-size", "m = len(Y)", "m = Y.size"),
            ("no-mean", ") / m)", "))"),
            ("log2", "np.log(", "np.log2("),
            ("matrix-product", "Y * np.log(np.clip(Yhat, 1e-12, 1.0))",
             "Y @ np.log(np.clip(Yhat, 1e-12, 1.0)).T"),
            ("clip-at-0", "np.clip(Yhat, 1e-12, 1.0)", "np.clip(Yhat, 0, 1)"),
            ("mean-over-classes", "-np.sum(Y * np.log(np.clip(Yhat, 1e-12, 1.0))) / m",
             "-np.mean(np.sum(Y * np.log(np.clip(Yhat, 1e-12, 1.0)), axis=0))")),
    *_slips(L, "cross_entropy_from_logits",
            ("max-not-added-back", "Z - M - np.log(", "Z - np.log("),
            ("max-outside-only", "np.exp(Z - M)", "np.exp(Z)"),
            ("global-max", "M = Z.max(axis=1, keepdims=True)", "M = Z.max()"),
            ("max-no-keepdims", "M = Z.max(axis=1, keepdims=True)", "M = Z.max(axis=1)"),
            ("sum-no-keepdims", "np.sum(np.exp(Z - M), axis=1, keepdims=True)",
             "np.sum(np.exp(Z - M), axis=1)"),
            ("sum-axis0", "np.sum(np.exp(Z - M), axis=1, keepdims=True)",
             "np.sum(np.exp(Z - M), axis=0, keepdims=True)"),
            ("no-mean", "-np.sum(Y * log_Yhat) / len(Y)", "-np.sum(Y * log_Yhat)"),
            ("log-sum-swapped", "np.log(np.sum(np.exp(Z - M), axis=1, keepdims=True))",
             "np.sum(np.log(np.exp(Z - M)), axis=1, keepdims=True)"),
            ("no-minus", "float(-np.sum", "float(np.sum")),
    # -- 04 backpropagation --------------------------------------------------------------------
    *_slips(B, "output_delta",
            ("sign", "Yhat - Y", "Y - Yhat"),
            ("with-1-over-m", "Yhat - Y", "(Yhat - Y) / len(Y)"),
            ("times-softmax-prime", "Yhat - Y", "Yhat * (1 - Yhat) * (Yhat - Y)"),
            ("mean-over-samples", "Yhat - Y", "(Yhat - Y).mean(axis=0)")),
    *_slips(B, "activation_backward",
            ("relu-kink", "dA * (Z > 0)", "dA * (Z >= 0)"),
            ("sigmoid-prime-of-Z", "return dA * S * (1 - S)", "return dA * Z * (1 - Z)"),
            ("tanh-prime-of-Z", "(1 - np.tanh(Z) ** 2)", "(1 - Z ** 2)"),
            ("tanh-precedence", "(1 - np.tanh(Z) ** 2)", "(1 - np.tanh(Z)) ** 2"),
            ("relu-no-dA", "return dA * (Z > 0)", "return Z > 0"),
            ("sigmoid-no-dA", "return dA * S * (1 - S)", "return S * (1 - S)"),
            ("relu-of-dA", "dA * (Z > 0)", "np.maximum(dA, 0)"),
            ("sigmoid-prime-sign", "dA * S * (1 - S)", "dA * S * (S - 1)")),
    *_slips(B, "dense_backward",
            ("dW-transposed", "dW = delta.T @ A_prev / m", "dW = A_prev.T @ delta / m"),
            ("db-axis1", "delta.sum(axis=0) / m", "delta.sum(axis=1) / m"),
            ("dA-W-transposed", "dA_prev = delta @ W", "dA_prev = delta @ W.T"),
            ("dA-column-form", "dA_prev = delta @ W", "dA_prev = W.T @ delta"),
            ("m-from-columns", "m = len(delta)", "m = delta.shape[1]"),
            ("dW-no-1-over-m", "dW = delta.T @ A_prev / m", "dW = delta.T @ A_prev"),
            ("db-sum-all", "db = delta.sum(axis=0) / m", "db = delta.sum() / m"),
            ("dA-with-1-over-m", "dA_prev = delta @ W", "dA_prev = delta @ W / m"),
            ("db-mean-and-1-over-m", "db = delta.sum(axis=0) / m", "db = delta.mean(axis=0) / m"),
            ("dW-elementwise", "dW = delta.T @ A_prev / m", "dW = delta.T * A_prev / m")),
    *_slips(B, "backward",
            ("sigma-prime-wrong-layer", "caches[l - 1][1]", "caches[l][1]"),
            ("no-l1-guard", "if l > 0:", "if l >= 0:"),
            ("skips-first-layer", "range(len(params) - 1, -1, -1)",
             "range(len(params) - 1, 0, -1)"),
            ("grads-reversed", "grads.insert(0, (dW, db))", "grads.append((dW, db))"),
            ("sigma-prime-of-A", "caches[l - 1][1]", "caches[l][0]"),
            ("sigma-prime-of-A-prev", "caches[l - 1][1]", "caches[l - 1][0]"),
            ("delta-args-swapped", "output_delta(Yhat, Y)", "output_delta(Y, Yhat)"),
            ("b-for-W", "params[l][0])", "params[l][1])"),
            ("Z-as-A-prev", "A_prev, _ = caches[l]", "_, A_prev = caches[l]"),
            ("activation-ignored", "caches[l - 1][1], activation)", 'caches[l - 1][1], "relu")'),
            ("delta-not-dA", "activation_backward(dA_prev,", "activation_backward(delta,"),
            ("W-of-layer-below", "params[l][0])", "params[l - 1][0])")),
    # -- 05 parameter update -------------------------------------------------------------------
    *_slips(U, "sgd_update",
            ("b-with-dW", "b - lr * db", "b - lr * dW"),
            ("W-uphill", "W - lr * dW", "W + lr * dW"),
            ("b-not-updated", "b - lr * db", "b"),
            ("no-lr", "(W - lr * dW, b - lr * db)", "(W - dW, b - db)")),
    *_slips(U, "momentum_update",
            ("ema-form", "beta * vW + dW, beta * vb + db",
             "beta * vW + (1 - beta) * dW, beta * vb + (1 - beta) * db"),
            ("b-without-momentum", "b - lr * vb", "b - lr * db"),
            ("vb-with-dW", "beta * vb + db", "beta * vb + dW"),
            ("stores-gradient", "new_velocity.append((vW, vb))", "new_velocity.append((dW, db))"),
            ("steps-with-gradient", "(W - lr * vW, b - lr * vb)", "(W - lr * dW, b - lr * db)"),
            ("beta-on-both", "beta * vW + dW, beta * vb + db",
             "beta * (vW + dW), beta * (vb + db)")),
    *_slips(U, "adam_update",
            ("no-bias-correction-W", "W = W - lr * (mW / c1) / (np.sqrt(vW / c2) + eps)",
             "W = W - lr * mW / (np.sqrt(vW) + eps)"),
            ("corrected-m-stored", "new_m.append((mW, mb))", "new_m.append((mW / c1, mb / c1))"),
            ("t-not-incremented", 't = state["t"] + 1', 't = state["t"]'),
            ("times-not-power", "c1, c2 = 1 - beta1**t, 1 - beta2**t",
             "c1, c2 = 1 - beta1 * t, 1 - beta2 * t"),
            ("vW-not-squared", "(1 - beta2) * dW**2", "(1 - beta2) * dW"),
            ("eps-inside-sqrt", "(np.sqrt(vW / c2) + eps)", "np.sqrt(vW / c2 + eps)"),
            ("t-not-saved", '{"t": t,', '{"t": state["t"],'),
            ("m-without-1-minus-beta", "beta1 * mW + (1 - beta1) * dW", "beta1 * mW + dW"),
            ("c2-with-beta1", "c1, c2 = 1 - beta1**t, 1 - beta2**t",
             "c1, c2 = 1 - beta1**t, 1 - beta1**t")),
    # -- 06 iteration --------------------------------------------------------------------------
    *_slips(T, "iterate_minibatches",
            ("slice-end", "order[start:start + batch_size]", "order[start:batch_size]"),
            ("drop-last", "range(0, len(X), batch_size)",
             "range(0, len(X) - batch_size, batch_size)"),
            ("batch-index-as-start", "range(0, len(X), batch_size)",
             "range(len(X) // batch_size + 1)"),
            ("Y-unshuffled", "(X[idx], Y[idx])", "(X[idx], Y[start:start + batch_size])"),
            ("global-random", "rng.permutation(len(X))", "np.random.permutation(len(X))"),
            ("permutes-columns", "rng.permutation(len(X))", "rng.permutation(X.shape[1])"),
            ("with-replacement", "rng.permutation(len(X))", "rng.choice(len(X), len(X))"),
            ("empty-last-batch", "range(0, len(X), batch_size)",
             "range(0, len(X) + 1, batch_size)")),
    *_slips(T, "should_stop",
            ("ties-improve", "loss < best", "loss <= best"),
            ("one-late", "wait >= patience", "wait > patience"),
            ("wait-not-reset", "best, wait = loss, 0", "best = loss"),
            ("best-starts-at-0", "best, wait = np.inf, 0", "best, wait = 0, 0"),
            ("argmin-off-by-one", "return wait >= patience",
             "return len(val_losses) - np.argmin(val_losses) >= patience")),
    *_slips(T, "train",
            ("last-batch-weighted-as-full", "cross_entropy(Yhat, Yb) * len(Xb)",
             "cross_entropy(Yhat, Yb) * batch_size"),
            ("full-data-loss-after-epoch", "history.append(total / len(X))",
             "history.append(cross_entropy(forward(X, params)[0], Y))"),
            ("update-not-kept", "params = sgd_update(params, grads, lr)",
             "sgd_update(params, grads, lr)"),
            ("rng-per-epoch", "iterate_minibatches(X, Y, batch_size, rng)",
             "iterate_minibatches(X, Y, batch_size, np.random.default_rng(seed))"),
            ("tol-wrong-direction", "history[-1] < tol", "history[-1] > tol"),
            ("total-across-epochs", ("        total = 0.0\n", ""),
             ("    history = []\n", "    history = []\n    total = 0.0\n")),
            ("seed-ignored", "init_params(sizes, seed)", "init_params(sizes, 0)"),
            ("loss-after-update",
             ("            total += cross_entropy(Yhat, Yb) * len(Xb)\n", ""),
             ("            params = sgd_update(params, grads, lr)\n",
              "            params = sgd_update(params, grads, lr)\n"
              "            total += cross_entropy(forward(Xb, params)[0], Yb) * len(Xb)\n")),
            ("divides-by-batch-size", "total / len(X)", "total / batch_size"),
            ("full-Y-in-loss", "cross_entropy(Yhat, Yb)", "cross_entropy(Yhat, Y)"),
            ("one-epoch-short", "range(epochs)", "range(epochs - 1)"),
            ("full-X-forward", "forward(Xb, params)", "forward(X, params)")),
    # -- 07 capstone ---------------------------------------------------------------------------
    *_slips(C, "building_blocks",
            ("softmax-sum-axis0", "E.sum(axis=1, keepdims=True)", "E.sum(axis=0, keepdims=True)"),
            ("dW-no-1-over-m", "delta.T @ A_prev / m", "delta.T @ A_prev"),
            ("sigma-prime-wrong-layer", "caches[l - 1][1]", "caches[l][1]"),
            ("he-as-lecun", "np.sqrt(2 / n_in) if", "np.sqrt(1 / n_in) if"),
            ("b-uphill", "b - lr * db", "b + lr * db")),
    *_slips(C, "predict",
            ("argmax-axis0", "Yhat.argmax(axis=1)", "Yhat.argmax(axis=0)"),
            ("max-not-argmax", "Yhat.argmax(axis=1)", "Yhat.max(axis=1)"),
            ("returns-probabilities", "return Yhat.argmax(axis=1)", "return Yhat"),
            ("flat-argmax", "Yhat.argmax(axis=1)", "np.argmax(Yhat)"),
            ("arguments-swapped", "forward(X, params)", "forward(params, X)")),
    *_slips(C, "train_classifier",
            ("no-one-hot", "Y = np.eye(10)[y]", "Y = y"),
            ("lr-too-large", "lr=0.05", "lr=50.0"),
            ("seed-ignored-in-init", "init_params([X.shape[1], 64, 10], seed)",
             "init_params([X.shape[1], 64, 10], 0)"),
            ("unseeded-shuffle", "rng = np.random.default_rng(seed)",
             "rng = np.random.default_rng()"),
            ("too-few-epochs", "range(100)", "range(2)"),
            ("full-X-forward", "forward(X[idx], params)", "forward(X, params)")),
]

# Written after the catalogue had grown to name the set above, and measured once, as it stood:
# how well the catalogue names mistakes it was not grown for.
FRESH = [
    *_slips(I, "init_params",
            ("xavier-product", "np.sqrt(2 / (n_in + n_out))", "np.sqrt(2 / (n_in * n_out))"),
            ("he-sqrt-misplaced", "np.sqrt(2 / n_in) if", "np.sqrt(2) / n_in if")),
    *_slips(I, "count_parameters",
            ("counts-input-units", "return sum(", "return sizes[0] + sum(")),
    *_slips(I, "units_are_symmetric",
            ("compares-columns", "W == W[0]", "W.T == W.T[0]")),
    *_slips(F, "softmax",
            ("divides-by-max", "E / E.sum(axis=1, keepdims=True)",
             "E / E.max(axis=1, keepdims=True)")),
    *_slips(F, "dense_forward",
            ("relu-without-bias", "np.maximum(Z, 0)", "np.maximum(A_prev @ W.T, 0)")),
    *_slips(F, "forward",
            ("hidden-identity", "A_next, Z = dense_forward(A, W, b, activation)",
             'A_next, Z = dense_forward(A, W, b, "identity")'),
            ("cache-after-step", ("        caches.append((A, Z))\n", ""),
             ("        A = A_next\n", "        A = A_next\n        caches.append((A, Z))\n"))),
    *_slips(L, "mse",
            ("sum-then-square", "np.sum((Yhat - Y) ** 2)", "np.sum(Yhat - Y) ** 2")),
    *_slips(L, "cross_entropy",
            ("log1p", "np.log(", "np.log1p(")),
    *_slips(L, "cross_entropy_from_logits",
            ("forgot-exp", "np.sum(np.exp(Z - M), axis=1, keepdims=True)",
             "np.sum(Z - M, axis=1, keepdims=True)")),
    *_slips(B, "activation_backward",
            ("relu-returns-dA", "return dA * (Z > 0)", "return dA"),
            ("tanh-no-dA", "return dA * (1 - np.tanh(Z) ** 2)", "return 1 - np.tanh(Z) ** 2")),
    *_slips(B, "dense_backward",
            ("m-from-A-prev-columns", "m = len(delta)", "m = A_prev.shape[1]"),
            ("dW-with-W", "dW = delta.T @ A_prev / m", "dW = delta.T @ W / m")),
    *_slips(B, "backward",
            ("delta-from-Z", "output_delta(Yhat, Y)", "output_delta(caches[-1][1], Y)"),
            ("grads-dW-only", "grads.insert(0, (dW, db))", "grads.insert(0, dW)")),
    *_slips(U, "sgd_update",
            ("gradients-swapped", "(W - lr * dW, b - lr * db)", "(W - lr * db, b - lr * dW)")),
    *_slips(U, "momentum_update",
            ("velocity-minus", "beta * vW + dW, beta * vb + db", "beta * vW - dW, beta * vb - db")),
    *_slips(U, "adam_update",
            ("W-no-lr", "W = W - lr * (mW / c1)", "W = W - (mW / c1)"),
            ("m-and-v-swapped", "(mW / c1) / (np.sqrt(vW / c2) + eps)",
             "(vW / c2) / (np.sqrt(mW / c1) + eps)")),
    *_slips(T, "iterate_minibatches",
            ("X-unshuffled", "(X[idx], Y[idx])", "(X[start:start + batch_size], Y[idx])"),
            ("permutation-one-short", "rng.permutation(len(X))", "rng.permutation(len(X) - 1)")),
    *_slips(T, "should_stop",
            ("patience-minus-one", "wait >= patience", "wait >= patience - 1")),
    *_slips(T, "train",
            ("tol-checked-first", ("        history.append(total / len(X))\n", ""),
             ("            break\n",
              "            break\n        history.append(total / len(X))\n")),
            ("history-per-batch-index", "history.append(total / len(X))",
             "history.append(total / len(Xb))")),
    *_slips(C, "predict",
            ("keepdims", "Yhat.argmax(axis=1)", "Yhat.argmax(axis=1, keepdims=True)")),
    *_slips(C, "train_classifier",
            ("lr-tiny", "lr=0.05", "lr=0.0005")),
]


# -- building and grading a submission ---------------------------------------------------------
def _cells(assignment):
    path = SOURCE / assignment / f"{assignment}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _meta(cell):
    return cell["metadata"].get("nbgrader", {})


def _strip(source):
    return "\n".join(line for line in source.splitlines() if line.strip() not in MARKERS[:2])


def apply(source, edits, where="the cell"):
    """``source`` with every (old, new) edit applied; each ``old`` must occur exactly once."""
    for old, new in edits:
        if source.count(old) != 1:
            raise ValueError(f"{old!r} occurs {source.count(old)} times in {where}, not once")
        source = source.replace(old, new)
    return source


def answers(slip):
    """{answer cell id: source} of the source notebook's answers (markers removed), with the
    slip's edits applied to its cell."""
    out = {}
    for cell in _cells(slip.assignment):
        if _meta(cell).get("solution"):
            grade_id = _meta(cell)["grade_id"]
            source = _strip("".join(cell["source"]))
            if grade_id == slip.cell:
                source = apply(source, slip.edits, f"{slip.assignment}/{slip.cell}")
            out[grade_id] = source
    if slip.cell not in out:
        raise ValueError(f"{slip.assignment} has no answer cell {slip.cell!r}")
    return out


def tested_by(assignment, cell):
    """The grade ids of the test cells between answer cell ``cell`` and the next answer."""
    ids, inside = [], False
    for c in _cells(assignment):
        meta = _meta(c)
        if meta.get("solution"):
            inside = meta["grade_id"] == cell
        elif inside and meta.get("grade"):
            ids.append(meta["grade_id"])
    return ids


_counter = itertools.count()


def _run(source, namespace):
    filename = f"<realistic-mistake-cell-{next(_counter)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)


@dataclass
class Graded:
    slip: Slip
    lost: bool
    named: bool
    cell: str | None
    message: str

    @property
    def kind(self):
        return "passes" if not self.lost else "named" if self.named else "generic"


def grade(slip):
    """Run the submission with ``slip`` as the autograder runs it, in this process: setup and
    answer cells in order, then the test cells of the edited part (hidden tests included)."""
    from nnlib_checks.engine import Feedback

    targets = tested_by(slip.assignment, slip.cell)
    code = answers(slip)
    namespace = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), \
            warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for cell in _cells(slip.assignment):
            meta = _meta(cell)
            if cell["cell_type"] != "code":
                continue
            grade_id = meta.get("grade_id")
            if meta.get("solution"):
                source = code[grade_id]
            elif meta.get("locked") and not meta.get("grade") or grade_id in targets:
                source = "".join(cell["source"])
            else:
                continue
            try:
                _run(source, namespace)
            except Exception as err:  # noqa: BLE001 — any failure of a cell is a lost point
                if not meta.get("grade"):
                    return Graded(slip, True, False, grade_id,
                                  f"the answer cell raised {type(err).__name__}: {err}")
                named = isinstance(err, Feedback) and err.mistake is not None
                return Graded(slip, True, named, grade_id,
                              str(err) if isinstance(err, Feedback) else
                              f"{type(err).__name__}: {err}")
    return Graded(slip, False, False, None, "")


def summary(results):
    """{"mistakes", "lose points", "named", "generic", "pass"} counts."""
    return {"mistakes": len(results),
            "lose points": sum(r.lost for r in results),
            "named": sum(r.kind == "named" for r in results),
            "generic": sum(r.kind == "generic" for r in results),
            "pass": sum(r.kind == "passes" for r in results)}
