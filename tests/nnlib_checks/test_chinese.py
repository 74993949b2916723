"""The checks speak Chinese when the notebook does (``nnlib.language``, ``nnlib_checks/zh.json``).

Under ``language.using("zh")`` every catalogued mistake is named by its Chinese message (the
translated template, filled in), the engine's own sentences — a shape error, a wrong value, an
answer not written yet, an answer that calls nnlib — come out in Chinese, and the your-turn
tasks wait, judge and count in Chinese. Every translation keeps its template's fields and is
Chinese; no English template a learner can be shown is left without one (``chinese_support``
walks them) and none is left over; the language is read when a message is made, and English
is what it was (the other tests of this folder pin it).
"""

import inspect
import json
import re
import string

import pytest

import nnlib
from nnlib import language
from nnlib_checks import backpropagation, blocks, forward_propagation, loss
from nnlib_checks.engine import NOT_IMPLEMENTED, Feedback, library_uses
from nnlib_checks.your_turn import WAITING, Prediction, Tasks

from .chinese_support import ROOT, checks, chinese, english_words, said, templates
from .your_turn_support import (
    MODULES,
    as_submission,
    filled_in,
    printed,
    run_cell,
    submit,
    your_turn_cells,
)

ZH = json.loads((ROOT / "nnlib_checks" / "zh.json").read_text(encoding="utf-8"))
BLOCKS = {name: getattr(blocks, name)  # exercise 06's ready-made building blocks
          for name in ("init_params", "forward", "cross_entropy", "backward", "sgd_update")}
MISTAKES = [pytest.param(check, mistake, id=f"{where}-{mistake.name}")
            for where, check in checks() for mistake in check.mistakes]


def zh(template, **fields):
    """The Chinese of ``template``, from zh.json itself, filled in."""
    assert template in ZH, f"no translation of {template!r}"
    return ZH[template].format(**fields) if fields else ZH[template]


def feedback_zh(check, fn):
    with language.using("zh"), pytest.raises(Feedback) as info:
        check(fn)
    return info.value


# -- the catalogue -----------------------------------------------------------------------------
@pytest.mark.parametrize(("check", "mistake"), MISTAKES)
def test_every_catalogued_mistake_gets_its_chinese_message(check, mistake):
    """The same mistake is found, and named by the zh template filled in for one of the
    check's cases."""
    with language.using("zh"):
        name, message = check.find_problem(submit(inspect.getsource(mistake.variant),
                                                  **BLOCKS))
    assert name == mistake.name, message
    said = [zh(mistake.message).format(**case.info) for case in check.cases(False)]
    assert any(text in message for text in said), message


# -- the engine's own sentences ----------------------------------------------------------------
def test_a_shape_error_is_explained_in_chinese():
    broken = submit("def mse(Yhat, Y):\n"
                    "    diff = Yhat - Y.T\n"
                    "    return np.sum(diff ** 2) / (2 * len(Y))")
    text = feedback_zh(loss.mse, broken).text
    numpy = "operands could not be broadcast together with shapes (6,2) (2,6)"
    shapes = ", ".join([zh("{name} is {shape}", name="Yhat", shape="(6, 2)"),
                        zh("{name} is {shape}", name="Y.T", shape="(2, 6)")])
    kind = zh("do not broadcast together: an element-wise operation (+, −, *, /) needs equal "
              "shapes, or 1 where they differ")
    label = zh("Ŷ and Y of shape {shape}", shape=(6, 2))
    assert text == zh("shape error in {where} on {label}: {shapes}, and these {kind} (NumPy: "
                      "{numpy}).", where="`diff = Yhat - Y.T`", label=label, shapes=shapes,
                      kind=kind, numpy=numpy) \
        + zh(" {hint}", hint=zh(loss.mse.hint)) + zh(" See notebook {notebook}.",
                                                    notebook="03_loss")
    assert "形状错误" in text and "提示：" in text and text.endswith("参见笔记本 03_loss。")


def test_a_wrong_value_is_explained_in_chinese():
    check = backpropagation.output_delta
    off = submit("def output_delta(Yhat, Y):\n    D = Yhat - Y\n    D[0, 0] += 0.5\n    return D")
    case = check.cases(False)[0]
    expected = check.reference(*case.args)[0, 0]
    text = feedback_zh(check, off).text
    assert text == zh("{what} differs from the expected values on {label}: at index {index} "
                      "yours is {yours}, expected {expected}.", what="δ[L]",
                      label=zh("Ŷ ({m}, {k}) with one-hot Y", m=5, k=3), index="(0, 0)",
                      yours=f"{expected + 0.5:.6g}", expected=f"{expected:.6g}") \
        + zh(" {hint}", hint=zh(check.hint)) + zh(" See notebook {notebook}.",
                                                  notebook="04_backpropagation")
    scaled = submit("def mse(Yhat, Y):\n    return 7 * np.sum((Yhat - Y) ** 2) / (2 * len(Y))")
    assert feedback_zh(loss.mse, scaled).text.startswith(zh(
        "{what} is {ratio} times the expected value on {label}.", what=zh("the loss"),
        ratio="7", label=zh("Ŷ and Y of shape {shape}", shape=(6, 2))))


def test_an_answer_not_written_yet_is_told_so_in_chinese():
    stub = submit("def mse(Yhat, Y):\n    # YOUR CODE HERE\n    raise NotImplementedError()")
    err = feedback_zh(loss.mse, stub)
    assert err.mistake == "not_implemented"
    assert str(err) == f"✗ mse: {zh(NOT_IMPLEMENTED)}" and chinese(str(err))


def test_an_answer_that_calls_nnlib_is_told_so_in_chinese():
    fn = submit("def softmax(Z):\n    return sm(Z)", sm=nnlib.activations.softmax)
    err = feedback_zh(forward_propagation.softmax, fn)
    assert err.mistake == "calls_library"
    assert err.text == zh("your answer uses {libraries} ({uses}). The exercise is to write it "
                          "yourself with NumPy: {libraries} is what your answer is checked "
                          "against, not part of it.", libraries="nnlib",
                          uses=", ".join(library_uses(fn)))


def test_a_passing_answer_is_told_so_in_chinese(capsys):
    with language.using("zh"):
        forward_propagation.softmax(as_submission(forward_propagation.softmax_solution))
    assert capsys.readouterr().out == zh("✓ {name} passes all checks", name="softmax") + "\n"


def test_the_language_is_read_when_the_message_is_made():
    """One check, one answer: English, then Chinese in a zh block, then English again."""
    answer = as_submission(backpropagation.dense_dW_no_1_over_m)
    check = backpropagation.dense_backward
    english = check.find_problem(answer)
    with language.using("zh"):
        chinese_ = check.find_problem(answer)
    assert check.find_problem(answer) == english == ("dW_no_1_over_m", "dW is m = 8 times too "
                                                     "large: did you forget the 1/m?")
    assert chinese_ == ("dW_no_1_over_m", zh("dW is m = {m} times too large: did you forget the "
                                             "1/m?", m=8))


# -- the your-turn tasks -----------------------------------------------------------------------
@pytest.mark.parametrize("notebook", sorted(MODULES))
def test_an_untouched_task_waits_and_the_progress_is_counted_in_chinese(notebook):
    tasks, cells = Tasks(notebook), your_turn_cells(notebook)
    with language.using("zh"):
        for name, (source, _) in cells.items():
            assert run_cell(source, tasks) == f"⏳ {name}: {zh(WAITING)}\n"
        first = next(iter(cells))
        run_cell(filled_in(*cells[first]), tasks)
        progress = printed(tasks.progress)
    titles = ", ".join(f"{name} ({zh(tasks.tasks[name].title)})" for name in list(cells)[1:])
    assert progress == zh("Your turn: {done} of {total} tasks of this notebook done.", done=1,
                          total=len(cells)) + zh(" Still open: {tasks}.", tasks=titles) + "\n"
    task = tasks.tasks[first]
    right = zh("right. {why}", why=zh(task.why)) if isinstance(task, Prediction) else zh("right.")
    assert tasks.state[first] == "done" and right.startswith("对了")


def test_a_prediction_and_a_value_are_judged_in_chinese():
    tasks = Tasks("01_initialization")
    prediction, shape = tasks.tasks["zero_init_prediction"], tasks.tasks["w2_shape"]
    with language.using("zh"):
        assert prediction.judge("a") == ("wrong", zh(
            "not quite: the answer is ({answer}). {extra} {why} Now run the next cell and see it "
            "happen.", answer="b", extra=zh(prediction.wrong["a"]), why=zh(prediction.why)))
        assert shape.judge((4, 3)) == ("wrong", zh(shape.wrong[0][1]))
        assert shape.judge(12345.0) == ("wrong", zh(shape.hint))
        assert shape.judge("(3, 4)") == ("wrong", zh(
            "give a number or a tuple of numbers, not the text {text}.", text="'(3, 4)'"))


# -- the translations themselves ---------------------------------------------------------------
def fields(template):
    """The {fields} of a template, with their conversion and format."""
    return sorted((name, conversion or "", spec or "")
                  for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None)


@pytest.mark.parametrize("template", list(ZH))
def test_every_translation_keeps_its_fields_and_is_chinese(template):
    assert fields(ZH[template]) == fields(template)
    assert ZH[template].count("{{") == template.count("{{")
    assert chinese(ZH[template]), ZH[template]


def test_no_template_a_learner_can_see_is_left_without_a_translation():
    """Walks the catalogue, the hints and names of the checks, the your-turn tasks and every
    sentence the code says: a template with English prose in it, or a sentence, needs one."""
    found = templates()
    missing = [f"{where}: {text!r}" for text, where in found.items()
               if (english_words(text) or text.rstrip().endswith(".")) and text not in ZH]
    assert missing == [], "no Chinese for:\n" + "\n".join(missing)
    assert said()[1] == [], "say() of something the walk cannot read"
    left_over = [text for text in ZH if text not in found]
    assert left_over == [], "translations nothing says any more"


def test_the_walk_finds_what_it_must():
    """The walk sees the engine's sentences, a label, a name given to by_depth, a catalogued
    message, a hint and a task's text — and tells prose from notation."""
    found = templates()
    for text in ("{head}: {mistake} (Seen on {label}.)", "Z of shape {shape}",
                 "the list of batches", loss.mse.hint, WAITING,
                 "the shape of W[2] for sizes [2, 4, 3, 2]",
                 backpropagation.dense_backward.mistakes[0].message):
        assert text in found, text
    assert english_words("dW has shape {got}: check the transpose, np.maximum(Z, 0)") == \
        ["has", "shape", "check", "the", "transpose"]
    assert english_words("W = 0 (3, 4)") == english_words("δ[L] = Ŷ − Y, axis=1") == []


def test_no_translation_changes_a_word_the_rest_of_the_course_says():
    """nnlib's catalogue and the glossary hold the course's terms; nnlib_checks adds to them and
    never says one of their templates otherwise."""
    theirs = json.loads((ROOT / "nnlib" / "zh.json").read_text(encoding="utf-8"))
    glossary = json.loads((ROOT / "nnlib" / "glossary.json").read_text(encoding="utf-8"))
    theirs.update({term["en"]: term["zh"] for term in glossary["terms"]})
    assert [t for t in ZH if t in theirs and ZH[t] != theirs[t]] == []
    renderings = [(term["en"], other) for term in glossary["terms"] for other in term["not"]
                  if any(other in text for text in ZH.values())]
    assert renderings == []


# -- what is said in Chinese leaves no English behind ------------------------------------------
def paths(value, path=()):
    """Every path into a result: its parts, their parts, ..."""
    yield path
    if isinstance(value, (list, tuple)):
        for i, part in enumerate(value):
            yield from paths(part, path + (i,))
    elif isinstance(value, dict):
        for key in sorted(value):
            yield from paths(value[key], path + (key,))


@pytest.mark.parametrize("check", [pytest.param(c, id=w) for w, c in checks()])
def test_a_check_s_inputs_and_results_are_named_in_chinese(check):
    """The labels of every case (hidden ones too) and the names of every part of the result:
    no English prose left untranslated."""
    with language.using("zh"):
        cases = check.cases(False) + check.cases(True)
        names = [check.what(p) for p in paths(check.reference(*cases[0].args,
                                                              **cases[0].kwargs))]
    code = set(check.args) | set(check.outputs or ())  # names of arguments are said as is
    for text in [case.label for case in cases] + [n for n in names if n not in code]:
        assert chinese(text) or not english_words(text), text


def test_english_is_what_it_was():
    """The English of a message is its template: nothing in zh.json reaches an English
    notebook."""
    assert language.current() == "en"
    for template in list(ZH)[:50]:
        assert language.say(template) == template
    check = backpropagation.dense_backward
    name, message = check.find_problem(as_submission(backpropagation.dense_dW_transposed))
    assert name == "dW_transposed"
    assert re.fullmatch(r"dW has shape \(4, 3\), expected \(3, 4\): check the transpose — dW = "
                        r"1/m δᵀ A_prev has the shape of W, \(n_out, n_in\)\. \(Seen on a batch "
                        r"of m = 8: δ \(8, 3\), A_prev \(8, 4\), W \(3, 4\)\.\)", message)
    assert not chinese(message)
