"""Figures and the stopping explorer of notebook 06 (nnlib_viz/iteration.py), no browser."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import SGD, fit
from nnlib_viz import Explorer, iteration

EPOCHS = 320  # long enough to pass the validation minimum (epoch 239) and a patience after it


@pytest.fixture(scope="module")
def problem():
    return iteration.overfit_problem()


@pytest.fixture(scope="module")
def recorded():
    return iteration.overfit_run(epochs=EPOCHS)[1]


def fit_with(problem, epochs, loss_threshold=None, patience=None):
    X_train, y_train, X_val, y_val, make_net = problem
    net = make_net()
    history = fit(net, X_train, y_train, SGD(0.1), epochs=epochs, validation=(X_val, y_val),
                  loss_threshold=loss_threshold, patience=patience, progress=False)
    return net, history


@pytest.mark.parametrize("factory", iteration.EXPLORERS)
def test_every_explorer_builds_with_a_picture(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer) and explorer.png.startswith(b"\x89PNG")
    assert explorer.state["stop_reason"] in ("max_epochs", "loss_threshold", "early_stopping")


def test_the_overfit_problem_is_a_too_big_network_on_few_points(problem):
    X_train, y_train, X_val, y_val, make_net = problem
    assert X_train.shape == (30, 2) and X_val.shape == (30, 2)
    assert set(y_train) == set(y_val) == {0, 1}
    net = make_net()
    sizes = [2, 32, 32, 2]
    assert net.sizes == sizes
    n_params = sum(n * (m + 1) for m, n in zip(sizes, sizes[1:]))  # Σ n_l (n_{l−1} + 1)
    assert sum(p.size for _, p, _ in net.parameters()) == n_params == 1218
    assert n_params > 10 * len(X_train)


def test_the_recorded_run_overfits(recorded):
    best = int(np.argmin(recorded.val_loss))
    assert 50 < best < EPOCHS - 50  # a minimum in the middle, not at either end
    assert recorded.val_loss[-1] > recorded.val_loss[best]
    assert recorded.loss[-1] < recorded.loss[best]
    assert all(np.diff(recorded.loss) < 0)  # full batch, small α: training loss always falls


@pytest.mark.parametrize(("epochs", "loss_threshold", "patience"), [
    (EPOCHS, None, 50), (EPOCHS, 0.3, None), (100, None, None), (EPOCHS, 0.3, 100),
    (EPOCHS, None, 20), (EPOCHS, 0.45, 20), (200, None, 30), (1, None, 1),
])
def test_where_it_stops_agrees_with_fit(problem, recorded, epochs, loss_threshold, patience):
    replay = iteration.where_it_stops(recorded, epochs, loss_threshold, patience)
    net, history = fit_with(problem, epochs, loss_threshold, patience)
    assert replay == {"epochs": history.epochs, "stop_reason": history.stop_reason,
                      "best_epoch": history.best_epoch}


def test_each_stop_reason_is_reachable_and_means_what_it_says(recorded):
    capped = iteration.where_it_stops(recorded, 100)
    assert capped == {"epochs": 100, "stop_reason": "max_epochs",
                      "best_epoch": int(np.argmin(recorded.val_loss[:100])) + 1}
    low = iteration.where_it_stops(recorded, EPOCHS, loss_threshold=0.3)
    assert low["stop_reason"] == "loss_threshold"
    E = low["epochs"]
    assert recorded.loss[E - 1] < 0.3 <= min(recorded.loss[:E - 1])
    early = iteration.where_it_stops(recorded, EPOCHS, patience=50)
    best = int(np.argmin(recorded.val_loss)) + 1
    assert early == {"epochs": best + 50, "stop_reason": "early_stopping", "best_epoch": best}


def test_where_it_stops_cannot_replay_epochs_it_has_not_seen(recorded):
    with pytest.raises(ValueError, match="recorded run"):
        iteration.where_it_stops(recorded, EPOCHS + 1)


def test_early_stopping_restores_the_weights_with_the_lowest_validation_loss(problem):
    net, history = fit_with(problem, EPOCHS, patience=50)
    X_val, y_val = problem[2], problem[3]
    assert history.stop_reason == "early_stopping"
    assert net.loss(net.forward(X_val), y_val) == pytest.approx(min(history.val_loss),
                                                                rel=1e-12)


def test_the_stopping_explorer_redraws_and_computes_each_setting(recorded):
    explorer = iteration.stopping_explorer(recorded)
    controls = explorer.controls
    assert explorer.state == iteration.where_it_stops(recorded, controls["epochs"].value,
                                                      patience=controls["patience"].value)
    assert explorer.state["stop_reason"] == "early_stopping"  # the default shows patience
    settings = [("patience", 0, "max_epochs"), ("loss_threshold", 0.3, "loss_threshold"),
                ("loss_threshold", 0.0, "max_epochs"), ("patience", 20, "early_stopping"),
                ("epochs", 100, "max_epochs")]
    for name, value, reason in settings:
        before = explorer.png
        controls[name].value = value
        assert explorer.png != before
        expected = iteration.where_it_stops(
            recorded, controls["epochs"].value, controls["loss_threshold"].value or None,
            controls["patience"].value or None)
        assert explorer.state == expected and expected["stop_reason"] == reason
    ax = explorer.fig.axes[0]
    assert f"stops after epoch {explorer.state['epochs']}" in ax.get_title()


def stopping_lines(ax):
    """The lines of the stopping figure by role: the bright training and validation curves, the
    faded rest of the run, the vertical lines (x, linestyle), the horizontal ones (y) and the
    marker of the weights kept."""
    lines = ax.get_lines()
    vertical = [(line.get_xdata()[0], line.get_linestyle()) for line in lines
                if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]]
    horizontal = [line.get_ydata()[0] for line in lines
                  if len(line.get_ydata()) == 2 and line.get_ydata()[0] == line.get_ydata()[1]
                  and list(line.get_xdata()) == [0, 1]]
    faded = [line for line in lines if line.get_alpha() is not None and line.get_alpha() < 1]
    (kept,) = [line for line in lines if line.get_marker() == "o"]
    labels = {line.get_label(): line for line in lines}
    return (labels["training loss"], labels["validation loss"], faded, sorted(vertical),
            horizontal, kept)


def test_the_stopping_explorer_draws_the_run_that_fit_would_make(problem, recorded):
    """Each control moves the figure to what nnlib.fit itself does with those settings: the
    curves end at the epoch fit stops at, and the marker sits on the validation loss of the
    weights fit ends with (the best epoch's, restored, when it stops early)."""
    explorer = iteration.stopping_explorer(recorded)
    controls = explorer.controls
    X_val, y_val = problem[2], problem[3]
    settings = [(None, None), ("patience", 0), ("loss_threshold", 0.3), ("patience", 20),
                ("loss_threshold", 0.0), ("epochs", 100), ("patience", 30), ("epochs", 200)]
    for name, value in settings:
        if name is not None:
            controls[name].value = value
        epochs = controls["epochs"].value
        threshold, patience = controls["loss_threshold"].value, controls["patience"].value
        net, history = fit_with(problem, epochs, threshold or None, patience or None)
        E = history.epochs
        train, val, faded, vertical, horizontal, kept = stopping_lines(explorer.fig.axes[0])
        np.testing.assert_array_equal(train.get_xdata(), np.arange(1, E + 1))
        np.testing.assert_allclose(train.get_ydata(), history.loss, rtol=1e-12)
        np.testing.assert_allclose(val.get_ydata(), history.val_loss, rtol=1e-12)
        for line in faded:  # the rest of the recorded run, from the stop on
            np.testing.assert_array_equal(line.get_xdata(), np.arange(E, EPOCHS + 1))
        np.testing.assert_allclose([line.get_ydata() for line in faded],
                                   [recorded.loss[E - 1:], recorded.val_loss[E - 1:]])
        assert vertical == sorted([(epochs, ":"), (E, "-")])  # the cap, and where it stopped
        assert horizontal == ([threshold] if threshold else [])
        weights_kept = history.best_epoch if history.stop_reason == "early_stopping" else E
        assert kept.get_label() == f"weights kept: epoch {weights_kept}"
        assert kept.get_xdata()[0] == weights_kept
        assert kept.get_ydata()[0] == pytest.approx(net.loss(net.forward(X_val), y_val),
                                                    rel=1e-12)
        assert explorer.fig.axes[0].get_title() == (f"stops after epoch {E}: stop_reason = "
                                                    f"{history.stop_reason!r}")


def test_the_stopping_figure_marks_the_kept_weights(recorded):
    fig = plt.figure()
    stop = iteration.draw_stopping(fig, recorded, EPOCHS, patience=50)
    marker = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"][0]
    x, y = marker.get_data()
    assert x[0] == stop["best_epoch"] and y[0] == recorded.val_loss[stop["best_epoch"] - 1]
    plt.close(fig)


def test_batch_noise_draws_one_panel_per_run_against_epochs():
    rng = np.random.default_rng(0)
    runs = {"full": (rng.random(4), 1), "mini": (rng.random(40), 10), "one": (rng.random(400), 100)}
    fig = iteration.batch_noise(runs)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    for ax, (losses, steps) in zip(fig.axes, runs.values()):
        x, y = ax.get_lines()[0].get_data()
        np.testing.assert_array_equal(y, losses)
        assert x[-1] == pytest.approx(4)  # every run covers the same 4 epochs
        assert f"{steps} update" in ax.get_title()
    plt.close(fig)


def test_overfitting_is_a_figure_with_both_curves(problem):
    X_train, y_train, X_val, y_val, make_net = problem
    net = make_net()
    history = fit(net, X_train, y_train, SGD(0.1), epochs=30, validation=(X_val, y_val),
                  progress=False)
    fig = iteration.overfitting(net, history, X_train, y_train, X_val, y_val)
    assert isinstance(fig, Figure)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert "training loss" in labels and "validation loss" in labels
    plt.close(fig)
