"""Notebook 00 (start here): the environment check, and a tiny explorer that proves interactive
widgets work.

If the slider of ``sine_explorer()`` moves the curve, every explorer of the course will work in
this environment; if the notebook shows "Error displaying widget" instead, 00 explains the fix.
"""

import platform
import re
import sys
from importlib.metadata import PackageNotFoundError, version

import ipywidgets as widgets
import numpy as np

from nnlib.language import say

from .explorer import Explorer

WIDE = {"description_width": "initial"}  # show each control's whole label

DURATION = 2.0  # seconds of signal shown
# What the course needs (requirements.txt), as (distribution name, lowest major.minor).
REQUIREMENTS = (("numpy", (1, 26)), ("matplotlib", (3, 8)), ("ipywidgets", (8, 1)),
                ("scikit-learn", (1, 4)), ("nnlib", (0, 1)))
PYTHON = (3, 10)


def verdict(installed, minimum):
    """"ok" if the version string ``installed`` is at least ``minimum`` (major, minor)."""
    have = tuple(int(part) for part in re.findall(r"\d+", installed)[:2])
    if have >= minimum:
        return say("ok")
    return say("TOO OLD: need >= {version}", version=".".join(map(str, minimum)))


def check_environment(requirements=REQUIREMENTS):
    """[(name, installed version or None, verdict)] for Python and each required package,
    read from the installed distributions' metadata (nothing is imported)."""
    rows = [("python", platform.python_version(), verdict(platform.python_version(), PYTHON))]
    for package, minimum in requirements:
        try:
            installed = version(package)
        except PackageNotFoundError:
            rows.append((package, None, say("MISSING: run  pip install -r requirements.txt")))
            continue
        rows.append((package, installed, verdict(installed, minimum)))
    return rows


def environment_report(requirements=REQUIREMENTS):
    """``check_environment`` as printable lines, then the Python running this kernel."""
    lines = [f"{name:13} {installed or '-':10} {verdict}"
             for name, installed, verdict in check_environment(requirements)]
    return "\n".join(lines + [say("kernel's Python: {path}", path=sys.executable)])


def sine(frequency, n=400):
    """t (n,) over [0, DURATION] s and sin(2π f t) (n,) for ``frequency`` f in Hz."""
    t = np.linspace(0.0, DURATION, n)
    return t, np.sin(2 * np.pi * frequency * t)


def draw_sine(fig, frequency=1.0):
    """Draw sin(2π f t) on ``fig``; the title counts the periods, f · DURATION."""
    ax = fig.add_subplot()
    t, s = sine(frequency)
    ax.plot(t, s, color="#1f77b4", linewidth=2)
    ax.axhline(0, color="#999", linewidth=0.8)
    ax.set_xlim(0, DURATION)
    ax.set_ylim(-1.2, 1.2)
    ax.set_xlabel(say("time t (s)"))
    ax.set_title(say("sin(2π · {frequency:g} · t): {periods:g} periods in {duration:g} s",
                     frequency=frequency, periods=frequency * DURATION, duration=DURATION))
    fig.tight_layout()
    return fig


def sine_explorer(frequency=1.0):
    """A frequency slider (Hz) above a sine wave: the environment check of notebook 00."""
    slider = widgets.FloatSlider(value=frequency, min=0.5, max=5.0, step=0.5,
                                 description=say("frequency (Hz)"), style=WIDE)
    return Explorer(draw_sine, {"frequency": slider}, figsize=(5, 2.4))


EXPLORERS = (sine_explorer,)
