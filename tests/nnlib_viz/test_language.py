"""The presentation layer speaks the notebook's language (``nnlib.language``).

* every explorer builds and redraws in Chinese — figure texts, control labels, buttons, tooltips
  and option labels are the catalogue's translations, and no prose is left in English — without
  a missing glyph, also when a control is moved outside the ``using("zh")`` block (another
  context: a widget callback);
* every figure function says its words in the current language;
* the shipped font has every Chinese character the catalogues and the learning loop need (a new
  translation fails here until ``tools/build_font.py`` is run again), and matplotlib finds it
  without any system font;
* every entry of ``nnlib_viz/zh.json`` keeps its template's fields, belongs to a template of the
  package, and changes no term of the glossary or of another package.
English output is what the other tests of this folder check, unchanged.
"""

import ast
import contextlib
import contextvars
import io
import json
import logging
import re
import string
import sys
import warnings
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager, rcParams
from matplotlib.text import Text

import nnlib
from nnlib import SGD, Dense, History, Network, datasets, fit, language
from nnlib_viz import (
    backprop,
    digits,
    forward,
    initialization,
    iteration,
    loss,
    playground,
    plots,
    source,
    start,
    update,
)
from tools.build_zh import load_translation, pairs

ROOT = Path(plots.__file__).resolve().parents[1]
CATALOGUE = json.loads((ROOT / "nnlib_viz" / "zh.json").read_text(encoding="utf-8"))
NNLIB = json.loads((ROOT / "nnlib" / "zh.json").read_text(encoding="utf-8"))
GLOSSARY = {term["en"]: term["zh"] for term in json.loads(
    (ROOT / "nnlib" / "glossary.json").read_text(encoding="utf-8"))["terms"]}
TRANSLATIONS = set(CATALOGUE.values()) | set(GLOSSARY.values())
MODULES = (start, initialization, forward, loss, backprop, update, iteration, playground, digits)
EXPLORERS = [factory for module in MODULES for factory in module.EXPLORERS]
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# What a Chinese figure keeps in English: code (activations, init schemes, optimizers, stop
# reasons, arguments), notation, numbers and units.
CODE = {"relu", "tanh", "sigmoid", "softmax", "identity", "linear", "init", "normal", "xavier",
        "he", "std", "lr", "stop_reason", "early_stopping", "max_epochs", "loss_threshold",
        "SGD", "Momentum", "Adam", "logits", "Hz", "sin", "dW", "db", "nan", "inf"}


def english(text):
    """The words of ``text`` a Chinese reader should not find in English (math left aside)."""
    prose = re.sub(r"\$[^$]*\$", "", text)
    return [word for word in re.findall(r"[A-Za-z_]+", prose) if word not in CODE
            and any(len(part) > 1 for part in word.split("_"))]  # n_l is notation


def figure_texts(fig):
    """Every visible text of ``fig`` (titles, labels, ticks, legends, annotations, tables) and
    the label of every line and collection (what a legend would show)."""
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return texts + [artist.get_label() for ax in fig.axes for artist in [*ax.lines,
                                                                          *ax.collections]
                    if not artist.get_label().startswith("_")]


def option_labels(widget):
    """What a learner reads of each option of a selection widget: the label of a (label,
    value) pair, or the value itself."""
    options = getattr(widget, "options", None) or ()
    return [str(option[0] if isinstance(option, tuple) else option) for option in options]


def widget_words(widget):
    """{"label": [...], "option": [...]} — descriptions, tooltips and placeholders, and the
    option labels of ``widget`` and of every widget inside it."""
    found = {"label": [], "option": []}
    for name in ("description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and value:
            found["label"].append(value)
    found["option"] += option_labels(widget)
    for child in getattr(widget, "children", ()):
        for kind, words in widget_words(child).items():
            found[kind] += words
    return found


@contextlib.contextmanager
def every_glyph_drawn(caplog):
    """Fails on any warning (matplotlib's "Glyph … missing from font(s)" is one) and on any
    warning matplotlib logs (mathtext's "does not have a glyph", findfont's "Failed to find
    font weight bold": a notebook would show them)."""
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")
        yield
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []


def draw(fig):
    fig.canvas.draw()  # the texts are laid out, and their glyphs looked up, when drawn
    return fig


def assert_chinese(fig, widget=None):
    """The figure (and the widget's labels) speak Chinese: nothing left in English."""
    texts = figure_texts(fig)
    assert any(CJK.search(text) for text in texts), texts
    leftover = {text: english(text) for text in texts if english(text)}
    assert leftover == {}, f"English left in a Chinese figure: {leftover}"
    if widget is not None:
        found = widget_words(widget)
        untranslated = [label for label in found["label"]
                        if english(label) and label not in TRANSLATIONS]
        assert untranslated == [], f"labels not from the catalogue: {untranslated}"
        assert [label for label in found["option"] if english(label)] == []


def assert_english(fig, widget=None):
    texts = figure_texts(fig) + (widget_words(widget)["label"] if widget is not None else [])
    assert [text for text in texts if CJK.search(text)] == []


def move(control):
    """Set ``control`` to another valid value (its callbacks run as a learner's would)."""
    if isinstance(control, widgets.Text):
        control.value = "3, 3"
    elif hasattr(control, "index"):  # dropdowns, toggle buttons, selection sliders
        control.index = (control.index + 1) % len(control.options)
    elif isinstance(control, widgets.FloatLogSlider):
        control.value = control.base ** (control.max if control.value < 1 else control.min)
    else:
        control.value = control.max if control.value != control.max else control.min


# -- explorers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("factory", EXPLORERS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_explorer_builds_and_redraws_in_chinese(factory, caplog):
    with every_glyph_drawn(caplog):
        with language.using("zh"):
            explorer = factory()
        assert explorer.language == "zh" and language.current() == "en"
        assert_chinese(explorer.fig, explorer)
        for control in explorer.controls.values():  # moved outside the block: still Chinese
            redraws = len(explorer.redraw_ms)
            move(control)
            assert len(explorer.redraw_ms) > redraws
            assert_chinese(explorer.fig, explorer)
        if hasattr(explorer, "step"):
            explorer.step()
            assert_chinese(explorer.fig, explorer)


@pytest.mark.parametrize("factory", EXPLORERS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_explorer_stays_english_by_default(factory):
    explorer = factory()
    with language.using("zh"):  # a redraw inside a Chinese block keeps the explorer's English
        move(next(iter(explorer.controls.values())))
    assert explorer.language == "en"
    assert_english(explorer.fig, explorer)


def test_a_callback_in_another_context_draws_in_the_explorers_language():
    with language.using("zh"):
        explorer = start.sine_explorer()
        expected = language.say("sin(2π · {frequency:g} · t): {periods:g} periods in "
                                "{duration:g} s", frequency=3, periods=6, duration=2)
    # a widget callback runs in whatever context the kernel gives it: here a fresh one
    contextvars.Context().run(setattr, explorer.controls["frequency"], "value", 3.0)
    assert explorer.fig.axes[0].get_title() == expected == "sin(2π · 3 · t)：2 秒内 6 个周期"
    assert explorer.fig.axes[0].get_xlabel() == CATALOGUE["time t (s)"]
    assert explorer.controls["frequency"].description == CATALOGUE["frequency (Hz)"]


def test_the_architecture_explorer_explains_a_mistake_in_chinese():
    with language.using("zh"):
        explorer = initialization.architecture_explorer()
    explorer.controls["hidden"].value = "4, many"
    (message,) = explorer.fig.texts
    assert message.get_text() == CATALOGUE["hidden sizes must be whole numbers separated by "
                                           "commas; got {text!r}"].format(text="4, many")
    assert explorer.state["error"] == message.get_text()


def test_the_playground_speaks_chinese_in_its_messages_buttons_and_code(caplog):
    with language.using("zh"):
        pg = playground.Playground(n=120)
    assert (pg.step_button.description, pg.reset_button.tooltip) == \
        (CATALOGUE["step"], CATALOGUE["the same initial weights again"])
    pg.code_button.value = True  # toggled outside the block
    assert pg.code_button.description == CATALOGUE["hide code"]
    pg.controls["hidden"].value = "8,x"
    assert pg.message == CATALOGUE["hidden layers: write widths separated by commas, like 8,8; "
                                   "got {text!r}"].format(text="8,x")
    pg.controls["hidden"].value = "8,8"
    pg.step()
    pg.step()
    code = pg.code()
    assert code.startswith("# " + CATALOGUE["The playground's run as nnlib code: the same "
                                            "weights, the same loss curves."])
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # the Chinese comments and sentence leave the code as it was
    assert printed.getvalue() == (f"第 {len(pg.loss)} 轮：训练损失 {pg.loss[-1]:.3f}，"
                                  f"测试损失 {pg.val_loss[-1]:.3f}\n")
    pg.net.layers[0].W[0, 0] = np.nan  # as after an overflow: fit's own message, in Chinese
    with every_glyph_drawn(caplog):
        pg.step()
    assert CJK.search(pg.message) and english(pg.message) == [] and not pg.play.playing
    assert pg.message in figure_texts(pg.fig)
    pg.controls["lr"].value = 0.1  # a diagnosis in any language is cleared by a new α
    assert pg.message == ""


def test_the_playground_diagnoses_a_rising_loss_in_chinese():
    with language.using("zh"):
        pg = playground.Playground(n=120, lr=10)
    for _ in range(3):
        pg.train(pg.tick_epochs())
    assert pg.message.endswith("试试 α = 1。") and not pg.play.playing
    pg.controls["lr"].value = 0.1
    assert pg.message == ""


# -- figures called directly -------------------------------------------------------------------
def _history(stop_reason="max_epochs"):
    history = History()
    history.loss, history.val_loss = [1.0, 0.6, 0.4, 0.3], [1.1, 0.7, 0.8, 0.9]
    history.stop_reason, history.best_epoch = stop_reason, 2
    return history


def _net():
    return Network([Dense(2, 4, "tanh"), Dense(4, 2, "softmax")], seed=0)


def _overfitting():
    X_train, y_train, X_val, y_val, make_net = iteration.overfit_problem()
    net = make_net()
    history = fit(net, X_train, y_train, SGD(0.1), epochs=30, validation=(X_val, y_val),
                  progress=False)
    return iteration.overfitting(net, history, X_train, y_train, X_val, y_val)


def _digit_set():
    rng = np.random.default_rng(0)
    y = np.array([0, 1, 2, 3])
    Yhat = np.full((4, 10), 0.02)
    Yhat[np.arange(4), [0, 7, 2, 9]] = 0.82
    return rng.random((4, 64)), y, Yhat


X2, Y2 = datasets.moons(40, seed=0)
FIGURES = {
    "plots.dataset": lambda: plots.dataset(X2, Y2),
    "plots.loss_curves": lambda: plots.loss_curves(_history("early_stopping")),
    "initialization.parameter_table": lambda: initialization.parameter_table([4, 12, 3]),
    "initialization.symmetry": lambda: initialization.symmetry({"he": _net()}, X2, Y2, 20),
    "initialization.std_per_layer": lambda: initialization.std_per_layer(
        {"he": ("relu", "he", 0.01)}),
    "initialization.activation_histograms": lambda: initialization.activation_histograms(
        "tanh", "xavier"),
    "forward.neuron": lambda: forward.neuron([1.0, -2.0], [0.5, 0.3], 0.1),
    "forward.shape_table": lambda: forward.shape_table(20, [3, 5, 2]),
    "forward.activation_figure": lambda: forward.activation_figure(),
    "forward.untrained_regions": lambda: forward.untrained_regions([_net()], X2, Y2, 20),
    "loss.loss_figure": lambda: loss.loss_figure(),
    "loss.saturation_figure": lambda: loss.saturation_figure(),
    "loss.training_comparison": lambda: loss.training_comparison(  # the notebook's labels
        {"en": {"MSE": [0.5, 0.7], "MSE, saturated start": [0.5, 0.5]},
         "zh": {"均方误差": [0.5, 0.7], "均方误差（饱和）": [0.5, 0.5]}}[language.current()]),
    "backprop.computation_graph": lambda: backprop.computation_graph(
        dict(w=1, x=1, b=0, y=1, u=1, z=1, a=0.7, L=0.05),
        dict(w=-0.1, x=-0.1, b=-0.1, u=-0.1, z=-0.1, a=-0.3, L=1)),
    "backprop.network_diagram": lambda: backprop.network_diagram([2, 3, 2], highlight=1),
    "backprop.gradient_error_heatmaps": lambda: backprop.gradient_error_heatmaps(
        nnlib.gradient_check(*backprop.small_problem())),
    "backprop.gradient_norm_bars": lambda: backprop.gradient_norm_bars([1.0, 0.1]),
    "update.gradient_step": lambda: update.gradient_step((-2.0, 1.0), 0.2),
    "update.loss_curves_by": lambda: update.loss_curves_by({"SGD": _history("diverged")}),
    "iteration.batch_noise": lambda: iteration.batch_noise({"B = 1": (np.ones(8), 4)}),
    "iteration.overfitting": _overfitting,
    "digits.samples": lambda: digits.samples(*_digit_set()[:2]),
    "digits.shifted_copies": lambda: digits.shifted_copies(_digit_set()[0][0], label=3,
                                                           shifts=((1, 1), (0, -2))),
    "digits.mistakes": lambda: digits.mistakes(*_digit_set()),
    "digits.no_mistakes": lambda: digits.mistakes(_digit_set()[0][:1], np.array([0]),
                                                  _digit_set()[2][:1]),
    "digits.first_layer_weights": lambda: digits.first_layer_weights(_digit_set()[0], n=4),
    "digits.confusion_matrix": lambda: digits.confusion_matrix(np.array([[3, 1], [0, 4]])),
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_speaks_the_current_language(name, caplog):
    with every_glyph_drawn(caplog):
        with language.using("zh"):
            assert_chinese(draw(FIGURES[name]()))
        english_fig = draw(FIGURES[name]())
    assert_english(english_fig)


def test_a_chinese_label_picks_the_same_colour_and_dashes_as_its_english():
    styles = {}
    for lang, labels in (("en", ["MSE", "MSE, saturated start", "cross-entropy"]),
                         ("zh", ["均方误差", "均方误差（饱和）", "交叉熵"])):
        with language.using(lang):
            ax = loss.training_comparison({label: [0.5, 0.6] for label in labels}).axes[0]
        styles[lang] = [(line.get_color(), line.get_linestyle()) for line in ax.get_lines()]
    assert styles["zh"] == styles["en"]
    (mse, solid), (also_mse, dashed), (ce, _) = styles["en"]
    assert mse == also_mse != ce and (solid, dashed) == ("-", "--")


def test_the_learning_loop_always_draws_both_terms_with_the_shipped_font(caplog):
    for lang in ("en", "zh"):
        with every_glyph_drawn(caplog), language.using(lang):
            fig = draw(plots.learning_loop("forward"))
        labels = [t.get_text() for t in fig.axes[0].texts]
        assert labels[:5] == [plots.LOOP_LABELS[step] for step in plots.LOOP[:5]]
        bold = [t.get_text() for t in fig.axes[0].texts if t.get_fontweight() == "bold"]
        assert bold == ["2 Forward\n前向传播"]
        assert labels[5] == {"en": "6 Iterate 迭代 — repeat 2–5 until a stopping condition",
                             "zh": "6 Iterate 迭代 — 重复 2–5，直到满足停止条件"}[lang]


def test_printed_reports_speak_the_current_language():
    fake = (("no-such-package-xyz", (1, 0)), ("numpy", (99, 0)))
    with language.using("zh"):
        report = start.environment_report(fake).splitlines()
        header = source.show_source(nnlib.Dense.forward).header
    assert report[0].endswith(CATALOGUE["ok"])  # this Python is new enough
    assert report[1].endswith(CATALOGUE["MISSING: run  pip install -r requirements.txt"])
    assert report[2].endswith(CATALOGUE["TOO OLD: need >= {version}"].format(version="99.0"))
    assert report[3] == CATALOGUE["kernel's Python: {path}"].format(path=sys.executable)
    assert re.fullmatch(r"Dense\.forward — nnlib/layers\.py，第 \d+–\d+ 行", header)


# -- the font ----------------------------------------------------------------------------------
def chinese_of_the_course():
    """Every translation of the catalogues and the glossary, the learning loop's labels, and
    the translated strings of the notebooks' code cells (a figure may show them)."""
    strings = [chinese for _, translation, _ in pairs(["notebooks"])
               for entry in load_translation(translation)["cells"].values()
               for chinese in entry.get("strings", {}).values()]
    return "".join([*CATALOGUE.values(), *NNLIB.values(), *GLOSSARY.values(),
                    *plots.LOOP_LABELS.values(), *strings])


def test_the_shipped_font_has_every_chinese_character_of_the_course():
    shipped = TTFont(plots.FONT).getBestCmap()
    default = TTFont(font_manager.findfont("DejaVu Sans")).getBestCmap()
    text = chinese_of_the_course()
    missing = sorted({c for c in CJK.findall(text) if ord(c) not in shipped})
    assert missing == [], f"run tools/build_font.py: the font lacks {''.join(missing)}"
    nowhere = sorted({c for c in text if ord(c) not in shipped and ord(c) not in default
                      and not c.isspace()})
    assert nowhere == [], f"no font draws {nowhere}"


def test_the_font_is_small_licensed_and_found_without_a_system_font():
    assert plots.FONT.stat().st_size < 200_000  # a subset, not the 8 MB original
    licence = (plots.FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence
    assert font_manager.FontProperties(fname=plots.FONT).get_name() == plots.CJK_FAMILY
    assert rcParams["font.family"][-1] == plots.CJK_FAMILY  # the fallback of the default
    found = font_manager.findfont(font_manager.FontProperties(family=plots.CJK_FAMILY),
                                  fallback_to_default=False)
    assert Path(found) == plots.FONT
    plots.use_course_font()  # a second call adds nothing
    assert rcParams["font.family"].count(plots.CJK_FAMILY) == 1
    faces = [f.weight for f in font_manager.fontManager.ttflist if f.fname == str(plots.FONT)]
    assert sorted(faces) == [400, 700]  # its one face serves for bold too


def test_bold_text_finds_a_face_in_every_family_without_a_warning(caplog):
    bold = font_manager.FontProperties(family=plots.CJK_FAMILY, weight="bold")
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        # (a directory of its own: matplotlib caches look-ups, and this one must run now)
        found = font_manager.findfont(bold, directory=plots.FONT.parent,
                                      fallback_to_default=False)
    assert Path(found) == plots.FONT and caplog.records == []


# -- the catalogue -----------------------------------------------------------------------------
def fields(template):
    return sorted((name, spec, conversion or "") for _, name, spec, conversion
                  in string.Formatter().parse(template) if name is not None)


@pytest.mark.parametrize("template", CATALOGUE)
def test_a_translation_keeps_its_templates_fields(template):
    assert fields(CATALOGUE[template]) == fields(template)
    assert CJK.search(CATALOGUE[template])


def test_every_translation_belongs_to_a_template_of_the_package_and_changes_no_term():
    literals = set(datasets.TEACHING_SETS)  # the playground's dropdown labels
    for path in (ROOT / "nnlib_viz").glob("*.py"):
        literals |= {node.value for node in ast.walk(ast.parse(path.read_text("utf-8")))
                     if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert sorted(set(CATALOGUE) - literals) == []  # none left behind by a changed template
    # One catalogue for the whole course: no entry may change a term or another package's words
    assert sorted(set(CATALOGUE) & (set(GLOSSARY) | set(NNLIB))) == []
    checks = ROOT / "nnlib_checks" / "zh.json"
    others = json.loads(checks.read_text(encoding="utf-8")) if checks.exists() else {}
    assert {k: (v, others[k]) for k, v in CATALOGUE.items() if others.get(k, v) != v} == {}
