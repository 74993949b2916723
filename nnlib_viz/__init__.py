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

Every word a figure or a widget shows goes through ``nnlib.language`` (``say``): importing this
package registers its Chinese (``zh.json``, {English template: 中文}) and the CJK font that draws
it (``fonts/``, see ``plots.use_course_font``). A notebook chooses its language once; an explorer
keeps the language it was built in.
"""

from pathlib import Path

from nnlib import language

from . import plots
from .explorer import Explorer

language.register(Path(__file__).with_name("zh.json"))
plots.use_course_font()

__all__ = ["Explorer"]
