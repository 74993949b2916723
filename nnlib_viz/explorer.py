import base64
import functools
import io
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt

from nnlib import language


def speaks_its_language(method):
    """Decorate a method of an explorer: it runs in the explorer's ``language``, whatever the
    language of the context that calls it (a widget callback, another notebook's cell)."""

    @functools.wraps(method)
    def speaking(self, *args, **kwargs):
        with language.using(self.language):
            return method(self, *args, **kwargs)

    return speaking


class Explorer(widgets.VBox):
    """``controls`` ({name: widget}) above a figure redrawn by ``draw(fig, **values)``.

    ``redraw_ms`` keeps the time of every redraw (the speed benchmark reads it); ``png`` holds
    the current picture as PNG bytes.

    An explorer speaks the language of the notebook that built it (``language``, read from
    ``nnlib.language.current()`` when it is built) for good: ``redraw`` runs in that language
    (``speaks_its_language``), so a control moved later — a widget callback, which may run in
    another context — draws in it too. Its controls are labelled when they are made, in the
    same language.
    """

    def __init__(self, draw, controls, figsize=(6, 3.5), dpi=80, layout="vertical"):
        self.language = language.current()
        self.draw, self.controls, self.dpi = draw, dict(controls), dpi
        self.fig = plt.figure(figsize=figsize)
        plt.close(self.fig)  # owned by the widget, never shown by pyplot on its own
        # Shown at its natural size: stretched to the page width it would blur.
        self.image = widgets.Image(format="png", layout={"width": f"{int(figsize[0] * dpi)}px"})
        self.redraw_ms = []
        box = widgets.HBox if layout == "horizontal" else widgets.VBox
        panel = box(list(self.controls.values()))
        super().__init__([panel, self.image])
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        self.redraw()

    @property
    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    @speaks_its_language
    def redraw(self, change=None):
        start = time.perf_counter()
        self.fig.clear()
        self.draw(self.fig, **self.values)
        self.publish(start)

    def publish(self, start):
        """Render the figure into ``png`` and the image; record the redraw time since ``start``.

        Subclasses that move their artists' data in place (faster than ``draw`` from scratch)
        call this after updating them.
        """
        buffer = io.BytesIO()
        # Fast zlib: each frame is shown once, so encoding time matters more than bytes.
        self.fig.savefig(buffer, format="png", dpi=self.dpi, pil_kwargs={"compress_level": 1})
        self.image.value = self.png = buffer.getvalue()
        self.redraw_ms.append(1000 * (time.perf_counter() - start))

    def _repr_mimebundle_(self, **kwargs):
        # Widget view for live frontends; the PNG is what static renderers (GitHub) show instead.
        bundle = super()._repr_mimebundle_(**kwargs)
        # The default text embeds the PNG bytes; a stable summary keeps nbval comparisons exact.
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        bundle["text/plain"] = f"Explorer({', '.join(self.controls)})"
        return bundle
