"""Your-turn tasks of notebook 06 — iteration (outline 1.6): epochs and updates, the epoch's
loss, the noise of small batches, early stopping and capacity.

An epoch passes once over the n training samples in batches of B (the last one shorter); each
batch makes one update, so an epoch makes ⌈n/B⌉ updates. ``fit`` records one loss per epoch:
the mean over the epoch's samples, each batch's mean loss weighted by its size.
"""

import numpy as np

from nnlib import datasets

from ..engine import Case, Check
from ..mistakes import Solution
from . import read_tasks

N, B, E = 150, 32, 20  # the notebook's training set, batch size and epochs


def updates(n, batch_size, epochs):
    """The updates of ``epochs`` epochs: the batches nnlib's ``minibatches`` cuts n samples
    into, once per epoch."""
    X = np.zeros((n, 1))
    return epochs * sum(1 for _ in datasets.minibatches(X, X, batch_size, shuffle=False))


# -- epoch_loss: the epoch's mean loss from its batches' mean losses ---------------------------
def _epoch_loss_reference(batch_losses, batch_sizes):
    """fit's epoch loss, Σ_b L_b · B_b / n (its loop adds loss × len(batch), then divides by
    n); the tests check it against fit's own history."""
    return float(np.average(batch_losses, weights=batch_sizes))


def epoch_loss_solution(batch_losses, batch_sizes):
    return np.sum(batch_losses * batch_sizes) / np.sum(batch_sizes)


EPOCH_LOSS = Solution(epoch_loss_solution, "epoch_loss")
EPOCH_LOSS_MISTAKES = EPOCH_LOSS.catalogue("""
plain_mean
    that is the plain mean of the batch losses, in which the last, short batch of {last} counts as
    much as a full one. Each batch loss is already a mean over its own samples: weight it by the
    batch's size, then divide by n = {n}.
    - np.sum(batch_losses * batch_sizes) / np.sum(batch_sizes)
    + np.mean(batch_losses)

per_batch
    divide by n = {n}, the number of samples (the sum of batch_sizes), not by the number of
    batches.
    - / np.sum(batch_sizes)
    + / len(batch_sizes)

no_mean
    that is the loss summed over all n = {n} samples; the epoch's loss is their mean: divide by n.
    - np.sum(batch_losses * batch_sizes) / np.sum(batch_sizes)
    + np.sum(batch_losses * batch_sizes)

sum_of_means
    adding up the batch means gives a number that grows with the number of batches; weight each
    mean by its batch's size and divide by n = {n}.
    - np.sum(batch_losses * batch_sizes) / np.sum(batch_sizes)
    + np.sum(batch_losses)

full_batches
    n is not (number of batches) × B: the last batch holds only {last} samples. Divide by the
    sum of batch_sizes, n = {n}.
    - / np.sum(batch_sizes)
    + / (len(batch_sizes) * batch_sizes[0])

last_batch
    that is the loss of the last batch only; the epoch's loss averages all n = {n} samples of
    the epoch.
    - np.sum(batch_losses * batch_sizes) / np.sum(batch_sizes)
    + batch_losses[-1]
""")


def _epoch_loss_cases(strict):
    sets = [([0.9, 0.7, 0.6, 0.5, 0.4], [32, 32, 32, 32, 22]), ([1.2, 0.3], [5, 1]),
            ([0.8, 0.2, 0.5], [16, 16, 4]), ([0.45], [40])]
    cases = []
    for losses, sizes in sets:
        label = f"batch_losses = {losses}, batch_sizes = {sizes}"
        cases.append(Case((np.array(losses), np.array(sizes)), label,
                          info={"n": sum(sizes), "last": sizes[-1]}))
    return cases


epoch_loss = Check(
    name="epoch_loss", reference=_epoch_loss_reference, cases=_epoch_loss_cases,
    mistakes=EPOCH_LOSS_MISTAKES, solution=epoch_loss_solution,
    args=("batch_losses", "batch_sizes"), result="the epoch's loss",
    hint="L_epoch = Σ_b L_b · B_b / n: each batch's mean loss times its size gives its summed "
         "loss; add them up and divide by n, the number of samples.",
)

TASKS = read_tasks("""
updates (value)
    title: the updates of 20 epochs on 150 samples in batches of 32
    expected: updates
    hint: Each epoch cuts the n samples into batches of B, the last one shorter, and makes one
        update per batch; the loop runs E epochs.
    wrong floor: that leaves out the last, short batch: 150 = 4 · 32 + 22, and those 22 samples
        make a fifth update. An epoch makes ⌈n/B⌉ = 5 updates.
    wrong ratio: E·n/B = 93.75 lets batches run across the end of an epoch. Each epoch starts
        over and ends with its own short batch of 22, a whole update: E·⌈n/B⌉.
    wrong ceil_ratio: rounding E·n/B up once lets batches run across the end of an epoch; each
        epoch ends with its own short batch of 22, a whole update: E·⌈n/B⌉.
    wrong one_epoch: that is one epoch's updates, ⌈150/32⌉ = 5; the loop runs 20 epochs.
    wrong epochs: that is the number of epochs. An epoch is one update only with full-batch
        descent; here each epoch makes ⌈150/32⌉ = 5.
    wrong samples: that is how many samples the loop visits, 20 · 150; one update uses a whole
        batch of them.

epoch_loss (function)
    title: the epoch's loss from its batches
    check: epoch_loss

batch_noise_prediction (prediction)
    title: full batch, B = 16 and B = 1 after 8 epochs
    choice a: full batch ends lowest: every step follows the exact gradient
    choice b: single-sample ends lower than full batch, though its curve is by far the noisiest
    choice c: all three end about the same: each has seen every sample 8 times
    answer: b
    why: In 8 epochs full batch makes 8 updates, B = 16 makes 80 and B = 1 makes 1 200. Each
        single-sample step is rough, so its curve jumps, but many rough steps go further than
        a few exact ones.
    wrong a: An exact step is still just one step per epoch.
    wrong c: Seeing a sample is not the same as learning from it: what counts is how many
        updates the samples are turned into.

early_stopping_prediction (prediction)
    title: the weights early stopping returns
    choice a: those of epoch 289, the last epoch it trained
    choice b: those of epoch 239, the epoch with the lowest validation loss
    choice c: those of epoch 600, as in the run without patience
    answer: b
    why: fit saves the weights whenever the validation loss reaches a new low. After 50 epochs
        without one (239 + 50 = 289) it stops and puts the saved weights back, so the network
        it returns has the validation loss min(history.val_loss).
    wrong a: The last 50 epochs fitted noise and made the validation loss worse: fit throws
        them away.
    wrong c: Whichever stopping condition holds first ends training, and 50 epochs without a
        new best come long before epoch 600.

capacity_prediction (prediction)
    title: one hidden layer of 2 units on the spirals
    choice a: it fits the spirals too, only more slowly than 8,8
    choice b: its training loss stays near that of guessing (0.69)
    choice c: it fits them better than 8,8: fewer weights are easier to train
    answer: b
    why: Each tanh unit adds one soft straight edge to the boundary; two of them can make a
        band, not two interleaved spirals. The 8,8 network fits its training points, the
        2-unit one cannot, however long it trains: that is capacity, not patience.
    wrong a: More epochs cannot draw a boundary the architecture cannot express.
    wrong c: Fewer weights are cheaper, not better: with 2 units the boundary is nearly
        straight.
""", values={"updates": updates(N, B, E), "floor": E * (N // B), "ratio": E * N / B,
             "ceil_ratio": np.ceil(E * N / B), "one_epoch": updates(N, B, 1), "epochs": E,
             "samples": E * N, "epoch_loss": epoch_loss})
