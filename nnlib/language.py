"""The language of the words the course's code shows: English unless a notebook chooses another.

    from nnlib import language
    language.use("zh")                      # once, at the top of a notebook: it speaks Chinese
    with language.using("zh"): ...          # a block only (tests): the setting is restored after
    language.say("ran all {epochs} epochs", epochs=20)   # in the current language, filled in

The choice lives in a context variable, not a global: it holds for the notebook that made it, and
``using`` leaves nothing behind. Each package registers its own translations — a JSON file
{English template: translation} beside its code, e.g. ``nnlib/zh.json`` — on top of the course's
glossary of terms (``glossary.json``, one rendering per term), and a template without a
translation is said in English. Math, code and symbols are never translated.
"""

import contextlib
import contextvars
import json
from pathlib import Path

LANGUAGES = {"en": "English", "zh": "中文"}
_current = contextvars.ContextVar("nnlib_language", default="en")
_catalogues = {language: {} for language in LANGUAGES}  # {language: {English: translation}}


def _checked(language):
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(map(repr, LANGUAGES))}; "
                         f"got {language!r}")
    return language


def use(language):
    """Say everything from here on in ``language`` ("en" or "zh")."""
    _current.set(_checked(language))


@contextlib.contextmanager
def using(language):
    """``language`` inside the ``with`` block only."""
    token = _current.set(_checked(language))
    try:
        yield
    finally:
        _current.reset(token)


def current():
    return _current.get()


def register(path):
    """Add the translations of a JSON file {English: translation}, named ``<language>.json``."""
    language = _checked(Path(path).stem)
    _catalogues[language].update(json.loads(Path(path).read_text(encoding="utf-8")))


def say(template, **fields):
    """``template`` in the current language, with ``fields`` filled in (str.format)."""
    text = _catalogues[current()].get(template, template)
    return text.format(**fields) if fields else text


def _glossary():
    """The course's terms, one rendering each (``glossary.json``): a lone term is said so."""
    terms = json.loads(Path(__file__).with_name("glossary.json").read_text(encoding="utf-8"))
    _catalogues["zh"].update({term["en"]: term["zh"] for term in terms["terms"]})


_glossary()
register(Path(__file__).with_name("zh.json"))
