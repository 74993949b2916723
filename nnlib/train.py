"""Iteration (outline 1.6): repeat forward → loss → backward → update until a stopping condition."""

import warnings

import numpy as np

from . import validate
from .datasets import minibatches
from .language import say
from .optim import SGD


class DivergenceWarning(UserWarning):
    """Training stopped because the loss blew up: non-finite, or ten times worse than both its
    first epoch and a guess that ignores the input."""


class History:
    """What ``fit`` saw, one entry per epoch.

    ``loss``/``accuracy``: mean over the epoch's samples, each batch measured just before its
    update. ``val_loss``/``val_accuracy``: on the validation set after the epoch (empty without
    one). ``stop_reason``: "max_epochs", "loss_threshold", "early_stopping" or "diverged";
    ``best_epoch`` (1-based) is the epoch whose weights early stopping restored.
    """

    def __init__(self):
        self.loss, self.val_loss, self.accuracy, self.val_accuracy = [], [], [], []
        self.stop_reason, self.best_epoch, self.message = None, None, ""

    @property
    def epochs(self):
        return len(self.loss)

    def stop(self, reason, message):
        self.stop_reason, self.message = reason, message

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
    Stops after ``epochs`` (the iteration cap; an epoch makes ⌈n / batch_size⌉ updates), when
    the epoch's loss < ``loss_threshold``, or when the validation loss has not improved for
    ``patience`` epochs (then the best weights are restored). A non-finite or exploding loss
    stops training, restores the last good weights and warns (see ``Divergence``).
    ``callback(history)``, if given, runs after every epoch (live plots).
    """
    X = net.inputs(X)
    Y = net.targets(Y, len(X))
    val = _validation_data(net, validation)
    optimizer, batch, threshold, early = _settings(net, optimizer, epochs, batch_size, len(X),
                                                   loss_threshold, patience, val)
    rng, history, loss_fn = np.random.default_rng(seed), History(), net.loss_fn
    divergence = Divergence(net, optimizer, loss_fn.chance(Y))
    reshuffle, bar = shuffle and batch < len(X), Progress(epochs, progress)
    with np.errstate(all="ignore"):  # overflow shows in the loss; Divergence reports it
        for epoch in bar:
            divergence.remember()  # the weights this epoch starts from
            total, correct = 0.0, 0
            for Xb, Yb in minibatches(X, Y, batch, reshuffle, rng):  # 1.6 shuffle, batch
                Yhat = net.forward(Xb, check=False)                # 1.2 forward
                total += loss_fn.value(Yhat, Yb) * len(Xb)         # 1.3 loss (× B: a sum)
                correct += _n_correct(loss_fn, Yhat, Yb)
                net.backward(Yb, check=False)                      # 1.4 backward
                optimizer.step(net)                                # 1.5 update
            loss = total / len(X)
            if divergence.happened(epoch, loss, history):
                break
            _record(history, net, loss, correct / len(X), val)     # record the epoch
            bar.show(history)
            if callback is not None:
                callback(history)
            if early.stops(epoch, history) or threshold.stops(loss, history):
                break
        else:
            history.stop("max_epochs", say("ran all {epochs} epochs", epochs=epochs))
    bar.close()
    return history


def _n_correct(loss_fn, Yhat, Y):
    """How many rows of the batch the network classifies right (0 for regression)."""
    if not loss_fn.classification:
        return 0
    return int(np.count_nonzero(loss_fn.classes(Yhat) == loss_fn.classes(Y)))


def _record(history, net, loss, accuracy, val):
    """Append the epoch's training loss and accuracy, and the validation loss and accuracy."""
    history.loss.append(loss)
    if net.loss_fn.classification:
        history.accuracy.append(accuracy)
    if val is not None:
        Xv, Yv = val
        Yv_hat = net.forward(Xv, check=False)
        history.val_loss.append(net.loss_fn.value(Yv_hat, Yv))
        history.val_accuracy.append(_n_correct(net.loss_fn, Yv_hat, Yv) / len(Xv)
                                    if net.loss_fn.classification else None)


def _validation_data(net, validation):
    """(X_val, Y_val), checked once, or None."""
    if validation is None:
        return None
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        validate.fail("validation", "a pair (X_val, Y_val)", type(validation).__name__)
    Xv = net.inputs(validation[0], name="X_val")
    return Xv, net.targets(validation[1], len(Xv), name="Y_val")


def _settings(net, optimizer, epochs, batch_size, n, loss_threshold, patience, val):
    """Check ``fit``'s settings once; return the optimizer, the batch size and the two stopping
    rules."""
    optimizer = SGD() if optimizer is None else optimizer
    if not callable(getattr(optimizer, "step", None)):
        validate.fail("optimizer", "an object with a step(net) method", repr(optimizer),
                     TypeError)
    validate.positive_int(epochs, "epochs")
    batch = n if batch_size is None else min(validate.positive_int(batch_size, "batch_size"), n)
    if loss_threshold is not None:
        loss_threshold = validate.positive_float(loss_threshold, "loss_threshold")
    if patience is not None:
        patience = validate.positive_int(patience, "patience")
        if val is None:
            raise ValueError("patience (early stopping) needs validation=(X_val, Y_val)")
    return optimizer, batch, LossThreshold(loss_threshold), EarlyStopping(net, patience)


class LossThreshold:
    """Stopping condition 2: the epoch's training loss fell below ``threshold`` (None: off)."""

    def __init__(self, threshold):
        self.threshold = threshold

    def stops(self, loss, history):
        if self.threshold is None or not loss < self.threshold:
            return False
        history.stop("loss_threshold", say("loss {loss:.4g} fell below {threshold:g}", loss=loss,
                                           threshold=self.threshold))
        return True


class EarlyStopping:
    """Stopping condition 3: the validation loss has not reached a new, strictly lower best for
    ``patience`` epochs (None: off). Then the weights of the best epoch are put back."""

    def __init__(self, net, patience):
        self.net, self.patience = net, patience
        self.best_loss, self.wait, self.best = np.inf, 0, None

    def stops(self, epoch, history):
        if not history.val_loss:
            return False
        if history.val_loss[-1] < self.best_loss:
            self.best_loss, self.wait, history.best_epoch = history.val_loss[-1], 0, epoch
            self.best = self.net.copy_parameters()
            return False
        self.wait += 1
        if self.patience is None or self.wait < self.patience:
            return False
        self.net.set_parameters(self.best)
        history.stop("early_stopping", say(
            "validation loss did not improve for {patience} epochs; restored the weights of "
            "epoch {best}", patience=self.patience, best=history.best_epoch))
        return True


DIVERGED_WITH_LR = (
    "training diverged in epoch {epoch}: the loss became {loss:.4g} with learning rate {lr:g}; "
    "try a smaller learning rate, e.g. lr={smaller:g}. The weights were restored to the last "
    "ones with a finite loss (start of epoch {start}).")
DIVERGED = (
    "training diverged in epoch {epoch}: the loss became {loss:.4g}; try a smaller learning "
    "rate. The weights were restored to the last ones with a finite loss (start of epoch "
    "{start}).")


class Divergence:
    """Training diverged: the epoch's loss is not finite, or ten times worse than both the first
    epoch's and the input-blind ``chance`` loss (a clipped cross-entropy never reaches inf), or
    the weights overflowed. Then the weights of the last epoch that began with a finite loss are
    put back and a ``DivergenceWarning`` suggests a smaller learning rate."""

    def __init__(self, net, optimizer, chance):
        self.net, self.optimizer, self.chance = net, optimizer, chance
        self.good = self.start = net.copy_parameters()

    def remember(self):
        """Called at the start of every epoch: its first batch measures these weights' loss."""
        self.start = self.net.copy_parameters() if self.start is None else self.start

    def happened(self, epoch, loss, history):
        first = history.loss[0] if history.loss else loss
        weights_ok = all(np.isfinite(theta).all() for _, theta, _ in self.net.parameters())
        if np.isfinite(loss) and loss <= 10 * max(first, self.chance) and weights_ok:
            self.good, self.start = self.start, None  # this epoch's start had a finite loss
            return False
        self.net.set_parameters(self.good)
        lr = getattr(self.optimizer, "lr", None)
        history.stop("diverged", say(
            DIVERGED_WITH_LR if lr else DIVERGED, epoch=epoch, loss=loss, lr=lr,
            smaller=(lr or 0) / 10, start=max(epoch - 1, 1)))
        warnings.warn(history.message, DivergenceWarning, stacklevel=3)
        return True


class Progress:
    """The epochs, with a tqdm progress bar showing the latest losses when ``show`` is True."""

    def __init__(self, epochs, show):
        self.epochs, self.bar = range(1, epochs + 1), None
        if show:
            from tqdm.auto import tqdm  # imported here: the core needs NumPy only

            self.bar = tqdm(self.epochs, desc=say("training"), unit=say("epoch"))

    def __iter__(self):
        return iter(self.bar if self.bar is not None else self.epochs)

    def show(self, history):
        if self.bar is not None:
            shown = {"loss": f"{history.loss[-1]:.4f}"}
            if history.val_loss:
                shown["val_loss"] = f"{history.val_loss[-1]:.4f}"
            self.bar.set_postfix(shown, refresh=False)

    def close(self):
        if self.bar is not None:
            self.bar.close()
