"""Interactive explorers for the notebooks (ipywidgets + matplotlib), one module per notebook.

Every explorer is an ``Explorer``: controls above a picture that ``draw(fig, **values)`` renders
whenever a control changes. The picture is a PNG in an ``ipywidgets.Image``, so:
  * a callback is testable without a browser — set ``control.value``, then look at ``png``;
  * the displayed output also carries that PNG, so where widgets cannot run (GitHub, a static
    HTML export) the reader still sees the explorer's default state.
"""

from ._base import Explorer

__all__ = ["Explorer"]
