"""Iteration (outline 1.6): repeat forward → loss → backward → update until a stopping condition."""

import warnings

import numpy as np

from . import _checks
from .optim import SGD


class DivergenceWarning(UserWarning):
    """Training stopped because the loss blew up: non-finite, or ten times worse than both its
    first epoch and a guess that ignores the input."""


class History:
    """What ``fit`` saw, one entry per epoch.

    ``loss``/``accuracy``: mean over the epoch's batches, each measured just before its update.
    ``val_loss``/``val_accuracy``: on the validation set after the epoch (empty without one).
    ``stop_reason``: "max_epochs", "loss_threshold", "early_stopping" or "diverged";
    ``best_epoch`` (1-based) is the epoch whose weights early stopping restored.
    """

    def __init__(self):
        self.loss, self.val_loss, self.accuracy, self.val_accuracy = [], [], [], []
        self.stop_reason, self.best_epoch, self.message = None, None, ""

    @property
    def epochs(self):
        return len(self.loss)

    def __repr__(self):
        last = f", loss {self.loss[-1]:.4g}" if self.loss else ""
        val = f", val_loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        return f"History({self.epochs} epochs, stop_reason={self.stop_reason!r}{last}{val})"


def fit(net, X, Y, optimizer=None, epochs=100, batch_size=None, validation=None,
        loss_threshold=None, patience=None, seed=0, shuffle=True, progress=True, callback=None):
    """Train ``net`` on X (n, d), Y (labels (n,) or (n, k)); return a ``History``.

    Each epoch visits every sample once in batches of ``batch_size`` (None: all n at once — the
    outline's full-batch gradient descent; 1: one sample at a time), reshuffled with ``seed``
    unless ``shuffle=False``. Each batch: Ŷ = forward(X_b), L = loss(Ŷ, Y_b), backward, update.
    Stops after ``epochs``, when the epoch's loss < ``loss_threshold``, or when the validation
    loss has not improved for ``patience`` epochs (then the best weights are restored). A
    non-finite or exploding loss stops training, restores the last good weights and warns.
    ``callback(history)``, if given, runs after every epoch (live plots).
    """
    X = _checks.inputs(X, net.layers[0], net.dtype)
    Y = net._targets(Y, len(X))
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise ValueError(f"validation must be a pair (X_val, Y_val); got "
                             f"{type(validation).__name__}")
        Xv = _checks.inputs(validation[0], net.layers[0], net.dtype, name="X_val")
        Yv = _checks.targets(validation[1], len(Xv), net.layers[-1].n_out, net.loss_fn,
                             net.dtype, name="Y_val")
    optimizer = SGD() if optimizer is None else optimizer
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a step(net) method; got {optimizer!r}")
    epochs = _checks.positive_int(epochs, "epochs")
    n = len(X)
    batch = n if batch_size is None else min(_checks.positive_int(batch_size, "batch_size"), n)
    if loss_threshold is not None:
        loss_threshold = _checks.positive_float(loss_threshold, "loss_threshold")
    if patience is not None:
        patience = _checks.positive_int(patience, "patience")
        if validation is None:
            raise ValueError("patience (early stopping) needs validation=(X_val, Y_val)")

    history, rng, loss_fn = History(), np.random.default_rng(seed), net.loss_fn
    chance = _chance_loss(loss_fn.name, Y)
    T = _labels(Y) if loss_fn.classification else None  # true classes, for the accuracy
    Tv = _labels(Yv) if loss_fn.classification and validation is not None else None
    good = _copy(net)  # the last weights whose loss was measured and found finite
    best_loss, wait = np.inf, 0
    epoch_iter = range(1, epochs + 1)
    if progress:
        from tqdm.auto import tqdm  # imported here: the core needs NumPy only

        epoch_iter = tqdm(epoch_iter, desc="training", unit="epoch")
    with np.errstate(all="ignore"):  # overflow is detected from the loss, not from warnings
        for epoch in epoch_iter:
            start = _copy(net)  # the epoch's first batch measures the loss of these weights
            order = rng.permutation(n) if shuffle and batch < n else None
            Xe, Ye = (X, Y) if order is None else (X[order], Y[order])
            Te = T if order is None or T is None else T[order]
            total, correct = 0.0, 0
            for i in range(0, n, batch):
                Xb, Yb = Xe[i:i + batch], Ye[i:i + batch]
                Yhat = net._forward(Xb)
                total += loss_fn.value(Yhat, Yb) * len(Xb)
                if Te is not None:
                    correct += _n_correct(Yhat, Te[i:i + batch])
                net._backward(Yb)
                optimizer.step(net)
            loss = total / n
            first = history.loss[0] if history.loss else loss
            # A clipped cross-entropy never becomes inf, so "diverged" also means: ten times
            # worse than both the first epoch and a guess that ignores the input.
            if (not np.isfinite(loss) or loss > 10 * max(first, chance)
                    or not all(np.isfinite(layer.W).all() for layer in net.layers)):
                _restore(net, good)
                lr = getattr(optimizer, "lr", None)
                hint = f"try a smaller learning rate, e.g. lr={lr / 10:g}" if lr else \
                    "try a smaller learning rate"
                history.stop_reason = "diverged"
                history.message = (
                    f"training diverged in epoch {epoch}: the loss became {loss:.4g}"
                    + (f" with learning rate {lr:g}" if lr else "") + f"; {hint}. The weights "
                    f"were restored to the last ones with a finite loss "
                    f"(start of epoch {max(epoch - 1, 1)})."
                )
                warnings.warn(history.message, DivergenceWarning, stacklevel=2)
                break
            history.loss.append(loss)
            if loss_fn.classification:
                history.accuracy.append(correct / n)
            good = start
            if validation is not None:
                Yv_hat = net._forward(Xv)
                history.val_loss.append(loss_fn.value(Yv_hat, Yv))
                history.val_accuracy.append(_n_correct(Yv_hat, Tv) / len(Xv)
                                            if Tv is not None else None)
                if history.val_loss[-1] < best_loss:
                    best_loss, wait, history.best_epoch = history.val_loss[-1], 0, epoch
                    best = _copy(net)
                else:
                    wait += 1
            if progress:
                shown = {"loss": f"{loss:.4f}"}
                if history.val_loss:
                    shown["val_loss"] = f"{history.val_loss[-1]:.4f}"
                epoch_iter.set_postfix(shown, refresh=False)
            if callback is not None:
                callback(history)
            if patience is not None and wait >= patience:
                _restore(net, best)
                history.stop_reason = "early_stopping"
                history.message = (f"validation loss did not improve for {patience} epochs; "
                                   f"restored the weights of epoch {history.best_epoch}")
                break
            if loss_threshold is not None and loss < loss_threshold:
                history.stop_reason = "loss_threshold"
                history.message = f"loss {loss:.4g} fell below {loss_threshold:g}"
                break
        else:
            history.stop_reason = "max_epochs"
            history.message = f"ran all {epochs} epochs"
    if progress:
        epoch_iter.close()
    return history


def _chance_loss(name, Y):
    """The loss of a guess that ignores the input: uniform over classes, or the mean of Y."""
    k = Y.shape[1]
    if name == "cross_entropy":
        return float(np.log(k))
    if name == "binary_cross_entropy":
        return float(k * np.log(2))
    return float(Y.var(axis=0).sum() / 2)


def _labels(Y):
    """The class of each row of Y (n, k): its argmax, or y ≥ 0.5 for a single sigmoid unit."""
    return Y[:, 0] >= 0.5 if Y.shape[1] == 1 else Y.argmax(axis=1)


def _n_correct(Yhat, labels):
    return int(np.count_nonzero(_labels(Yhat) == labels))


def _copy(net):
    return [(layer.W.copy(), layer.b.copy()) for layer in net.layers]


def _restore(net, params):
    for layer, (W, b) in zip(net.layers, params):
        layer.W[...], layer.b[...] = W, b
