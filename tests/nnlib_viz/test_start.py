"""The environment-check explorer of notebook 00 (nnlib_viz/start.py), without a browser."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib_viz import Explorer, start


@pytest.mark.parametrize("factory", start.EXPLORERS)
def test_every_explorer_builds_with_a_picture(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer) and explorer.png.startswith(b"\x89PNG")


@pytest.mark.parametrize("frequency", [0.5, 2.0, 3.5])
def test_the_slider_redraws_the_sine_of_that_frequency(frequency):
    explorer = start.sine_explorer()
    before = explorer.png
    explorer.controls["frequency"].value = frequency
    assert explorer.png != before
    ax = explorer.fig.axes[0]
    t, s = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(s, np.sin(2 * np.pi * frequency * t), atol=1e-12)
    # f periods per second over DURATION seconds: the sine changes sign 2 f DURATION times
    crossings = np.count_nonzero(np.diff(np.sign(s[1:-1])))
    assert crossings == round(2 * frequency * start.DURATION) - 1
    assert f"{frequency * start.DURATION:g} periods" in ax.get_title()
    assert f"sin(2π · {frequency:g} · t)" in ax.get_title()
    assert (t[0], t[-1]) == (0.0, start.DURATION)  # the whole window, whatever the frequency


def test_draw_sine_is_a_figure():
    import matplotlib.pyplot as plt

    fig = start.draw_sine(plt.figure(), 2.0)
    assert isinstance(fig, Figure)
    wave, zero = fig.axes[0].get_lines()
    t, s = wave.get_data()
    assert (t[0], t[-1]) == (0.0, start.DURATION)
    np.testing.assert_allclose(s, np.sin(4 * np.pi * t), atol=1e-12)  # f = 2 Hz
    np.testing.assert_array_equal(zero.get_ydata(), [0, 0])
    assert "4 periods in 2 s" in fig.axes[0].get_title()


def test_environment_check_reports_versions_missing_and_old_packages():
    from importlib.metadata import version

    rows = {name: (installed, verdict) for name, installed, verdict in start.check_environment()}
    assert set(rows) == {"python", "numpy", "matplotlib", "ipywidgets", "scikit-learn", "nnlib"}
    assert rows["numpy"] == (np.__version__, "ok")
    assert rows["ipywidgets"][0] == version("ipywidgets")
    fake = (("no-such-package-xyz", (1, 0)), ("numpy", (99, 0)))
    report = start.environment_report(fake)
    assert "no-such-package-xyz" in report and "MISSING" in report
    assert "TOO OLD: need >= 99.0" in report


@pytest.mark.parametrize("installed, minimum, ok", [
    ("8.1.9", (8, 1), True), ("8.0.6", (8, 1), False), ("10.0", (8, 1), True),
    ("2.0.0rc1", (1, 26), True), ("1.9", (1, 26), False),
])
def test_version_comparison_is_numeric(installed, minimum, ok):
    assert (start.verdict(installed, minimum) == "ok") is ok
