"""nnlib_viz — the course's presentation layer: figures and interactive explorers.

It draws what nnlib computes and never the other way round: nnlib imports nothing from here.

    plots            figures shared by the notebooks (the learning loop, datasets, decision
                     regions, loss curves)
    explorer         ``Explorer``: controls above a picture that ``draw(fig, **values)`` renders
                     whenever a control changes
    start, initialization, forward, loss, backprop, update, iteration, playground, digits
                     one module per notebook, with its figures and its explorers (``EXPLORERS``)

An explorer's picture is a PNG in an ``ipywidgets.Image``, so a callback is testable without a
browser (set ``control.value``, then look at ``png``), and the displayed output also carries
that PNG: where widgets cannot run (GitHub, a static HTML export) the reader still sees the
explorer's default state.
"""

from .explorer import Explorer

__all__ = ["Explorer"]
