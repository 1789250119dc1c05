"""Diagnosis by relation to the reference (relations.py, variants.py), the sentences that replace
a traceback (tracebacks.py), what the guard says about an exception, a params dict and NaN
(kata.py), and a known mistake named only when it agrees with the learner beyond one input
(mistakes._agrees_beyond).

Each learner-style module below makes one mistake that no catalogued mistake reproduces, so the
message must come from the relation finders; each test says which words the learner reads.
"""

import json
import re

import numpy as np
import pytest

from specs.harness import (
    Kata,
    expect_close,
    expect_shape,
    fail,
    mistakes,
    records,
    relations,
    tracebacks,
    variants,
)
from specs.harness import kata as kata_module
from specs.harness.impl import ENV_VAR, reference_module
from specs.harness_tests.test_known_mistakes import T13, T14, T15, T16, _learner_file, _message, _use

T12 = "topic12_im2col_vectorization"
RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def fresh_budgets(monkeypatch):
    """Every test gets the full time budget of re-runs (the session's share is spent by others)."""
    monkeypatch.setattr(relations, "_spent", [0.0])
    monkeypatch.setattr(mistakes, "_spent", [0.0])


def _learner(monkeypatch, tmp_path, topic, name, body):
    """A learner module of `topic` that star-imports the reference and overrides `body`'s functions."""
    module = {"topic11_conv2d_sliding_window": "conv2d", T12: "im2col", T13: "pooling", T14: "residual",
              T15: "modern_conv", T16: "norms"}[topic]
    source = (f"import numpy as np\n"
              f"from solutions.{topic} import {module} as ref\n"
              f"from solutions.{topic}.{module} import *\n"
              f"MODULE = {module!r}\n" + body)
    _use(monkeypatch, _learner_file(tmp_path, topic, name, source))
    return Kata(topic, module)


def _reference(topic, module, name, *args, **kwargs):
    return getattr(reference_module(topic, module), name)(*args, **kwargs)


def _one_paragraph(text: str) -> str:
    """The message with its wrapped lines joined, to look for a sentence across line breaks."""
    return " ".join(line.strip() for line in text.splitlines())


# ---- argument substitution -------------------------------------------------------------------

def test_a_conv_reading_the_stride_pair_as_w_h_is_told_which_argument(monkeypatch, tmp_path):
    conv = _learner(monkeypatch, tmp_path, T15, "rel_stride_read_as_w_h", (
        "def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):\n"
        "    sh, sw = ref.pair(stride)\n"
        "    return ref.conv2d_forward(x, w, b, (sw, sh), padding, dilation, groups)\n"))
    x, w, b = RNG.standard_normal((1, 2, 6, 6)), RNG.standard_normal((3, 2, 3, 3)), RNG.standard_normal(3)
    out, _ = conv.forward("conv2d_forward", x, w, b, stride=(2, 3))
    expected, _ = _reference(T15, "modern_conv", "conv2d_forward", x, w, b, stride=(2, 3))
    text = _one_paragraph(_message(expect_close, out, expected, "out"))
    assert "Your out is exactly what a correct conv2d_forward gives with stride=(3, 2) instead of " \
           "stride=(2, 3): the stride pair is read as (w, h): its first value is the height" in text
    assert "Known mistake" not in text and "Every element" not in text  # no guess competes
    assert mistakes.VERDICTS[records.current_spec()] == "named"


def test_a_pooling_whose_stride_pair_is_swapped_is_told_by_its_shape(monkeypatch, tmp_path):
    pool = _learner(monkeypatch, tmp_path, T13, "rel_pool_stride_swapped", (
        "def maxpool2d_forward(x, kernel_size, stride=None, padding=0):\n"
        "    sh, sw = ref.pair(stride)\n"
        "    return ref.maxpool2d_forward(x, kernel_size, (sw, sh), padding)\n"))
    out, _ = pool.forward("maxpool2d_forward", RNG.standard_normal((1, 1, 6, 8)), (2, 3), stride=(1, 2))
    text = _one_paragraph(_message(expect_shape, out, (1, 1, 5, 3), "out"))
    assert text.startswith("out has shape (1, 1, 3, 6), expected (1, 1, 5, 3).")
    assert "Your out has the shape that a correct maxpool2d_forward gives with stride=(2, 1) " \
           "instead of stride=(1, 2): the stride pair is read as (w, h)" in text
    # a fixture's shape (no `why`): the brief's formula with this call's numbers
    assert "With these arguments the output size is Hout = 5, Wout = 3 ((H + 2*ph - KH) // sh + 1 = " \
           "(6 + 2*0 - 2) // 1 + 1, and likewise for W)." in text


def test_a_backward_that_ignores_the_padding_is_told_its_default_applies(monkeypatch, tmp_path):
    pool = _learner(monkeypatch, tmp_path, T13, "rel_avg_backward_unpadded", (
        "def avgpool2d_backward(dout, cache):\n"
        "    x_shape, dtype, kernel, stride, padding = cache\n"
        "    return ref.avgpool2d_backward(dout, (x_shape, dtype, kernel, stride, (0, 0)))\n"))
    x = RNG.standard_normal((1, 1, 5, 5))  # kernel 2, stride 3: the same 2x2 out with padding 0 or 1
    out, cache = pool.forward("avgpool2d_forward", x, 2, stride=3, padding=1)
    dout = RNG.standard_normal(out.shape)
    (dx,) = pool.backward("avgpool2d_backward", dout, cache, grads=("dx",))
    _, ref_cache = _reference(T13, "pooling", "avgpool2d_forward", x, 2, stride=3, padding=1)
    expected = _reference(T13, "pooling", "avgpool2d_backward", dout, ref_cache)
    text = _one_paragraph(_message(expect_close, dx, expected, "dx"))
    assert "Your dx is exactly what a correct avgpool2d_forward + avgpool2d_backward gives with " \
           "padding=0 instead of padding=1: `padding` is not applied in the backward: your result " \
           "is what its default, 0, gives. Use the argument as the forward did." in text


def test_a_default_of_the_learners_own_is_asked_about(monkeypatch, tmp_path):
    """The spec left `train` to the default; the learner's default is False."""
    residual = _learner(monkeypatch, tmp_path, T14, "rel_bn_default_eval", (
        "def batchnorm2d_forward(x, gamma, beta, state, train=False, momentum=0.1, eps=1e-5):\n"
        "    return ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 4, 4)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    state = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    out, _ = residual.forward("batchnorm2d_forward", x, gamma, beta, state)
    expected, _ = _reference(T14, "residual", "batchnorm2d_forward", x, gamma, beta,
                             {"running_mean": np.zeros(3), "running_var": np.ones(3)})
    text = _one_paragraph(_message(expect_close, out, expected, "out"))
    assert "gives with train=False. The spec did not pass train, so your default applies, and the " \
           "brief's default is True: is yours True? If it is: the `train=True` branch does what " \
           "`train=False` should" in text


def test_gamma_and_beta_used_in_each_others_place(monkeypatch, tmp_path):
    norms = _learner(monkeypatch, tmp_path, T16, "rel_affine_exchanged", (
        "def layernorm2d_forward(x, gamma, beta, eps=1e-5):\n"
        "    return ref.layernorm2d_forward(x, beta, gamma, eps)\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 2, 2)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    out, _ = norms.forward("layernorm2d_forward", x, gamma, beta)
    expected, _ = _reference(T16, "norms", "layernorm2d_forward", x, gamma, beta)
    text = _one_paragraph(_message(expect_close, out, expected, "out"))
    assert "gives with `gamma` and `beta` exchanged: `gamma` and `beta` are used in each other's " \
           "place." in text


# ---- output relations ------------------------------------------------------------------------

def test_a_norm_backward_returning_dbeta_for_dgamma_is_told_the_order(monkeypatch, tmp_path):
    norms = _learner(monkeypatch, tmp_path, T16, "rel_grads_reordered", (
        "def layernorm2d_backward(dout, cache):\n"
        "    dx, dgamma, dbeta = ref.layernorm2d_backward(dout, cache)\n"
        "    return dx, dbeta, dgamma\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 2, 2)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    out, cache = norms.forward("layernorm2d_forward", x, gamma, beta)
    dout = RNG.standard_normal(out.shape)
    _, dgamma, _ = norms.backward("layernorm2d_backward", dout, cache, grads=("dx", "dgamma", "dbeta"))
    expected = _reference(T16, "norms", "layernorm2d_backward", dout,
                          _reference(T16, "norms", "layernorm2d_forward", x, gamma, beta)[1])[1]
    text = _one_paragraph(_message(expect_close, dgamma, expected, "dgamma"))
    assert "Your dgamma is exactly the expected dbeta: two outputs are exchanged (returned in the " \
           "wrong order, or computed into each other's variable). The contract's order is " \
           "(dx, dgamma, dbeta)." in text


def test_gamma_left_out_of_the_forward_is_named(monkeypatch, tmp_path):
    norms = _learner(monkeypatch, tmp_path, T16, "rel_gamma_left_out", (
        "def instancenorm_forward(x, gamma, beta, eps=1e-5):\n"
        "    return ref.instancenorm_forward(x, np.ones_like(gamma), beta, eps)\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 2, 2)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    out, _ = norms.forward("instancenorm_forward", x, gamma, beta)
    expected, _ = _reference(T16, "norms", "instancenorm_forward", x, gamma, beta)
    text = _one_paragraph(_message(expect_close, out, expected, "out"))
    assert "`gamma` is never multiplied in (your result is what gamma = 1 gives)" in text


def test_dgamma_times_gamma_is_a_factor_applied_twice(monkeypatch, tmp_path):
    norms = _learner(monkeypatch, tmp_path, T16, "rel_dgamma_times_gamma", (
        "def groupnorm_backward(dout, cache):\n"
        "    dx, dgamma, dbeta = ref.groupnorm_backward(dout, cache)\n"
        "    return dx, dgamma * cache[2], dbeta\n"))
    x, gamma, beta = RNG.standard_normal((2, 4, 2, 2)), RNG.uniform(1, 2, 4), RNG.standard_normal(4)
    out, cache = norms.forward("groupnorm_forward", x, gamma, beta, 2)
    dout = RNG.standard_normal(out.shape)
    _, dgamma, _ = norms.backward("groupnorm_backward", dout, cache, grads=("dx", "dgamma", "dbeta"))
    text = _one_paragraph(_message(expect_close, dgamma, dgamma / gamma, "dgamma"))
    assert "Your result is the expected one with `gamma` applied twice (the expected value times " \
           "gamma along axis 0): multiply by gamma exactly once where the brief's formula has it." in text


def test_missing_factor_left_out_and_square_root():
    gamma = np.array([2.0, 4.0, 9.0])
    x = RNG.standard_normal((1, 3, 2, 2))
    record = records.CallRecord(T16, "norms", "instancenorm_forward", (x, gamma, np.zeros(3)), {},
                                (x, gamma, np.zeros(3)), {}, is_forward=True)
    expected = RNG.standard_normal((1, 3, 2, 2)) + 3
    per_channel = gamma.reshape(1, 3, 1, 1)
    assert "`gamma` left out (the expected value divided by gamma along axis 1)" in \
        relations.missing_factor(record, expected / per_channel, expected, 1e-7)
    assert "`gamma` used as its square root" in \
        relations.missing_factor(record, expected / np.sqrt(per_channel), expected, 1e-7)
    assert relations.missing_factor(record, expected + 1, expected, 1e-7) is None
    assert relations.missing_factor(record, expected[0], expected, 1e-7) is None  # another shape
    unbound = records.CallRecord(T16, "norms", "instancenorm_forward", (), {"nonsense": 1}, (), {})
    assert relations.missing_factor(unbound, expected, expected, 1e-7) is None


def test_which_outputs_are_right_and_what_was_ruled_out(monkeypatch, tmp_path):
    residual = _learner(monkeypatch, tmp_path, T14, "rel_running_var_scaled", (
        "def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):\n"
        "    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)\n"
        "    state['running_var'] = state['running_var'] * 1.5\n"
        "    return out, cache\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 4, 4)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    state = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    residual.forward("batchnorm2d_forward", x, gamma, beta, state)
    expected = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    _reference(T14, "residual", "batchnorm2d_forward", x, gamma, beta, expected)
    text = _one_paragraph(_message(expect_close, state["running_var"], expected["running_var"],
                                   "running_var"))
    assert "Of what batchnorm2d_forward gives back, out, state['running_mean'] are right and only " \
           "state['running_var'] is wrong: the computation they share is right; look at what only " \
           "state['running_var'] uses." in text
    assert "Re-running the reference on these inputs rules out another output of the call in " \
           "this one's place, and any one of these misreadings applied throughout the call: gamma " \
           "(ones, zeros); beta (ones, zeros); train (flipped); momentum (complement, zero); gamma " \
           "and beta (exchanged). A setting may still be misread in one place only" in text
    assert "Known mistake" not in text
    monkeypatch.setattr(relations, "_spent", [relations.BUDGET + 1])  # no re-runs left: nothing claimed
    assert relations.ruled_out_text(records.recent()[0]) == ""


# ---- shapes ----------------------------------------------------------------------------------

def test_a_backward_cropping_with_p_minus_p_at_padding_zero(monkeypatch, tmp_path):
    pool = _learner(monkeypatch, tmp_path, T13, "rel_crop_p_minus_p", (
        "def avgpool2d_backward(dout, cache):\n"
        "    ph, pw = cache[-1]\n"
        "    dx = ref.avgpool2d_backward(dout, cache)\n"
        "    dxpad = np.pad(dx, ((0, 0), (0, 0), (ph, ph), (pw, pw)))\n"
        "    return dxpad[:, :, ph:-ph, pw:-pw]\n"))
    x = RNG.standard_normal((1, 1, 4, 4))
    out, cache = pool.forward("avgpool2d_forward", x, 2)
    (dx,) = pool.backward("avgpool2d_backward", np.ones_like(out), cache, grads=("dx",))
    text = _one_paragraph(_message(expect_shape, dx, x.shape, "dx"))
    assert "A gradient must have its input's shape (1, 1, 4, 4); yours has 0 along axis 2, 3. A " \
           "slice like [p:-p] is empty when p is 0 (-0 is 0): cut the padding off with [p:p + H] " \
           "instead." in text
    assert "With these arguments" not in text  # a backward's shape is not the size formula's


def test_col2im_cropped_short_by_the_padding(monkeypatch, tmp_path):
    im2col = _learner(monkeypatch, tmp_path, T12, "rel_col2im_short", (
        "def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):\n"
        "    n, c, h, w = x_shape\n"
        "    ph, pw = ref.pair(padding)\n"
        "    full = ref.col2im(cols, (n, c, h + 2 * ph, w + 2 * pw), kernel_size, stride, 0, dilation)\n"
        "    return full[:, :, ph:h, pw:w]\n"))
    cols = _reference(T12, "im2col", "im2col", RNG.standard_normal((1, 2, 5, 5)), 3, 1, 1)
    got = im2col.call("col2im", cols, (1, 2, 5, 5), 3, 1, 1)
    text = _one_paragraph(_message(expect_shape, got, (1, 2, 5, 5), "col2im"))
    assert "col2im's result must have its input's shape (1, 2, 5, 5); yours is short by exactly the " \
           "padding: the crop starts at p but ends at H (or W), not at p + H." in text


def test_a_conv_output_one_row_short_misses_the_plus_one(monkeypatch, tmp_path):
    conv = _learner(monkeypatch, tmp_path, T15, "rel_hout_without_plus_one", (
        "def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):\n"
        "    out, cache = ref.conv2d_forward(x, w, b, stride, padding, dilation, groups)\n"
        "    return out[:, :, :-1].copy(), cache\n"))
    x, w, b = RNG.standard_normal((1, 2, 6, 7)), RNG.standard_normal((3, 2, 3, 3)), np.zeros(3)
    out, _ = conv.forward("conv2d_forward", x, w, b)
    text = _one_paragraph(_message(expect_shape, out, (1, 3, 4, 5), "out"))
    assert "Only Hout is wrong (3 for 4; Wout is right): that is the size the formula gives when " \
           "the + 1 is missing (here (6 + 2*0 - 1*(3-1) - 1) // 1 + 1 = 4)." in text
    assert "With these arguments the output size is Hout = 4, Wout = 5" in text


# ---- a spec that fails in its own words ------------------------------------------------------

def test_conv2d_cost_with_the_kernel_pair_swapped_names_kernel_size(monkeypatch, tmp_path):
    modern = _learner(monkeypatch, tmp_path, T15, "rel_cost_kernel_swapped", (
        "def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1,\n"
        "                groups=1, bias=True):\n"
        "    kh, kw = ref.pair(kernel_size)\n"
        "    return ref.conv2d_cost(c_in, c_out, (kw, kh), input_hw, stride, padding, dilation,\n"
        "                           groups, bias)\n"))
    got = modern.call("conv2d_cost", 2, 4, (3, 5), (9, 12), stride=(1, 2), padding=(1, 0))
    assert got == {"params": 124, "macs": 4200}
    text = _message(fail, f"conv2d_cost(...)['macs'] is {got['macs']}, expected 4320.\n  Count ...")
    lines = text.splitlines()
    assert lines[0] == "conv2d_cost(...)['macs'] is 4200, expected 4320."
    assert lines[-1] == "  Count ..."
    assert "Your macs is exactly what a correct conv2d_cost gives with kernel_size=(5, 3) instead " \
           "of kernel_size=(3, 5): the kernel size pair is read as (w, h)" in _one_paragraph(text)
    assert mistakes.VERDICTS[records.current_spec()] == "named"


def test_a_right_recent_call_is_not_explained(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "solutions")
    Kata(T15, "modern_conv").call("conv2d_cost", 2, 4, (3, 5), (9, 12))
    assert relations.explain_recent_call() == []
    assert _message(fail, "something else.") == "something else."


# ---- a known mistake must agree beyond the spec's input --------------------------------------

def test_a_mistake_that_agrees_only_on_the_specs_input_is_not_named(monkeypatch, tmp_path):
    """stride_ignored steps by the kernel on both axes; this learner does so on the rows only.
    With stride (1, 2) and a 2x2 kernel both give stride (2, 2); on the transposed call
    (stride (2, 1)) the learner is right and the catalogued mistake is not."""
    pool = _learner(monkeypatch, tmp_path, T13, "rel_row_stride_is_the_kernel", (
        "def maxpool2d_forward(x, kernel_size, stride=None, padding=0):\n"
        "    (kh, _), (_, sw) = ref.pair(kernel_size), ref.pair(stride)\n"
        "    return ref.maxpool2d_forward(x, kernel_size, (kh, sw), padding)\n"))
    x = RNG.standard_normal((1, 1, 6, 6))
    out, _ = pool.forward("maxpool2d_forward", x, 2, stride=(1, 2))
    located = records.locate(out)
    stride_ignored = next(m for m in mistakes.catalogue(T13, "pooling") if m.name == "stride_ignored")
    assert not mistakes._agrees_beyond(stride_ignored, located[0])
    text = _one_paragraph(_message(expect_shape, out, (1, 1, 5, 3), "out"))
    assert "Known mistake" not in text
    # The learner steps rows by the kernel: "the stride's width value for both" fits this call's
    # shape by chance (kernel 2 = sw 2) but not the transposed call's, so it is not claimed either.
    assert "gives with stride=(2, 2)" not in text and "Only Hout is wrong (3 for 5" in text
    monkeypatch.setattr(mistakes, "_agrees_beyond", lambda mistake, record: True)
    assert "Known mistake (stride_ignored)" in _message(expect_shape, out, (1, 1, 5, 3), "out")


def test_agreeing_beyond_is_assumed_when_it_cannot_be_checked(monkeypatch, tmp_path):
    _use(monkeypatch, tmp_path / T13 / "absent.py")  # the learner's module cannot be imported
    stride_ignored = next(m for m in mistakes.catalogue(T13, "pooling") if m.name == "stride_ignored")
    x = np.zeros((1, 1, 4, 4))
    record = records.CallRecord(T13, "pooling", "maxpool2d_forward", (x, 2), {"stride": 1}, (x, 2),
                                {"stride": 1}, is_forward=True)
    assert mistakes._agrees_beyond(stride_ignored, record)
    monkeypatch.setenv(ENV_VAR, "solutions")
    monkeypatch.setattr(mistakes, "_spent", [mistakes.BUDGET + 1])  # no time left to re-run
    assert mistakes._agrees_beyond(stride_ignored, record)


# ---- a spec stopped by an exception in its own code (tracebacks.py) --------------------------

SHORT_POOL = (
    "def maxpool2d_forward(x, kernel_size, stride=None, padding=0):\n"
    "    out, cache = ref.maxpool2d_forward(x, kernel_size, stride, padding)\n"
    "    return out[:, :, :-1].copy(), cache\n")


def _spec_stops(monkeypatch, tmp_path, name):
    """A spec that reshapes what the learner's maxpool returned, and stops there."""
    pool = _learner(monkeypatch, tmp_path, T13, name, SHORT_POOL)
    out, _ = pool.forward("maxpool2d_forward", RNG.standard_normal((1, 1, 6, 6)), 2)
    with pytest.raises(ValueError) as stopped:
        out.reshape(1, 1, 3, 3)
    return stopped


def test_the_spec_that_stops_names_its_line_and_compares_the_last_call(monkeypatch, tmp_path):
    text = tracebacks.explain(_spec_stops(monkeypatch, tmp_path, "rel_pool_short_explained"))
    first, *rest = text.splitlines()
    assert first.startswith("The spec could not go on: ValueError: cannot reshape array of size 6 "
                            "into shape (1,1,3,3) (in the spec, specs/harness_tests/test_relations.py:")
    assert first.endswith(": out.reshape(1, 1, 3, 3))")
    said = _one_paragraph("\n".join(rest))
    assert "Your last call was maxpool2d_forward, which returned out: a float64 array of shape " \
           "(1, 1, 2, 3)." in said
    assert "For the same inputs the reference differs: out has shape (1, 1, 2, 3), expected " \
           "(1, 1, 3, 3). The spec fails on that; fix it first." in said
    assert "Only Hout is wrong (2 for 3; Wout is right): that is the size the formula gives when " \
           "the + 1 is missing" in said


def test_the_hook_replaces_a_learner_specs_traceback_only(monkeypatch, tmp_path):
    stopped = _spec_stops(monkeypatch, tmp_path, "rel_pool_short_hooked")

    class Report:
        when, failed, longrepr = "call", True, "the traceback"

    def hooked(path, excinfo=stopped, report=None):
        report = report or Report()
        item = type("Item", (), {"path": tracebacks.REPO_ROOT / path})()
        call = type("Call", (), {"excinfo": excinfo})()
        wrapper = tracebacks.pytest_runtest_makereport(item, call)
        next(wrapper)
        with pytest.raises(StopIteration):
            wrapper.send(type("Outcome", (), {"get_result": staticmethod(lambda: report)})())
        return report.longrepr

    learner_spec = f"specs/{T13}/test_pooling.py"
    assert hooked(learner_spec).startswith("The spec could not go on: ValueError")
    assert hooked("specs/harness_tests/test_relations.py") == "the traceback"
    assert hooked(learner_spec, excinfo=None) == "the traceback"
    setup = type("Report", (), {"when": "setup", "failed": True, "longrepr": "the traceback"})()
    assert hooked(learner_spec, report=setup) == "the traceback"
    with pytest.raises(pytest.fail.Exception) as failed:
        pytest.fail("a harness message")
    assert hooked(learner_spec, excinfo=failed) == "the traceback"
    monkeypatch.setattr(tracebacks, "explain", lambda excinfo: 1 / 0)
    assert hooked(learner_spec) == "the traceback"  # an explanation that breaks leaves it be


def test_a_spec_stopped_before_any_call_says_so(monkeypatch):
    monkeypatch.setenv("PYTEST_CURRENT_TEST", f"specs/{T13}/test_pooling.py::test_nothing (call)")
    with pytest.raises(KeyError) as stopped:
        {}["out"]
    assert tracebacks.explain(stopped).splitlines() == [
        "The spec could not go on: KeyError: 'out' (in the spec, "
        f"specs/harness_tests/test_relations.py:{stopped.traceback[-1].lineno + 1}: {{}}[\"out\"])",
        "  It stopped before any of your functions returned.",
        f"  (stuck? `./kata hint 13` gives a hint; the brief: katas/{T13}/README.md)"]


@pytest.mark.parametrize("returns, says", [
    ("{'params': 1.5, 'macs': 4320, 'flops': 1}",
     "For the same inputs the reference differs: params is a float, expected a int; it also returns "
     "flops, which the brief does not ask for. The spec fails on that; fix it first."),
    ("{'params': 124}", "macs is missing (expected a int)"),
    ("{'params': 124, 'macs': 4321}", "Its shapes are right but its values differ from the "
     "reference's for the same inputs: the spec went on with them and broke; fix the values first."),
    ("{'params': 76, 'macs': 5040}", "which returned params: a int, macs: a int."),  # right: no more
    ("('params', 'macs')", "which returned a tuple of 2. For the same inputs the reference differs: "
     "params is missing (expected a int); macs is missing (expected a int)."),
])
def test_what_the_last_call_returned_is_compared_with_the_reference(monkeypatch, tmp_path, returns, says):
    modern = _learner(monkeypatch, tmp_path, T15, f"rel_cost_returns_{abs(hash(returns))}", (
        "def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1,\n"
        f"                groups=1, bias=True):\n    return {returns}\n"))
    modern.call("conv2d_cost", 2, 4, 3, (9, 12))
    said = _one_paragraph("\n".join(tracebacks._compare_with_reference(records.recent()[0])))
    assert said.startswith("Your last call was conv2d_cost, which returned ")
    assert says in said
    if "5040}" in returns:
        assert said == "Your last call was conv2d_cost, which returned params: a int, macs: a int."


def test_a_call_the_reference_refuses_is_only_described(monkeypatch, tmp_path):
    modern = _learner(monkeypatch, tmp_path, T15, "rel_cost_accepts_any_groups", (
        "def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1,\n"
        "                groups=1, bias=True):\n    return (1, 2)\n"))
    modern.call("conv2d_cost", 3, 4, 3, (9, 12), groups=2)
    assert tracebacks._compare_with_reference(records.recent()[0]) == [
        "Your last call was conv2d_cost, which returned output 0: a int, output 1: a int.",
        "Check that it returns what the brief says, in the brief's shapes."]


# ---- an exception in the learner's code (kata.py) --------------------------------------------

def test_an_exception_shows_the_call_and_what_its_sizes_say(monkeypatch, tmp_path):
    conv = _learner(monkeypatch, tmp_path, T15, "rel_reshape_one_row_too_many", (
        "def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):\n"
        "    out, cache = ref.conv2d_forward(x, w, b, stride, padding, dilation, groups)\n"
        "    n, f, h, w_out = out.shape\n"
        "    return out.reshape(n, f, h + 1, w_out), cache\n"))
    x, w, b = RNG.standard_normal((1, 3, 6, 6)), RNG.standard_normal((2, 3, 3, 3)), np.zeros(2)
    text = _message(conv.forward, "conv2d_forward", x, w, b, stride=(1, 2))
    lines = text.splitlines()
    assert lines[0] == ("conv2d_forward raised ValueError: cannot reshape array of size 16 into shape "
                        "(1,2,5,2)")  # (the learner's line is named for katas/ files only)
    assert lines[1] == ("  The call: conv2d_forward(x=float64 array (1, 3, 6, 6), w=float64 array "
                        "(2, 3, 3, 3), b=float64 array (2,), stride=(1, 2))")
    reasons = "\n".join(lines[2:])
    assert re.search(r"The array has 16 elements\b.*: it would fit with 4 instead of 5 at axis 2\b", reasons)
    assert "  With these arguments the output size is Hout = 4, Wout = 2 (" in reasons
    assert lines[-1] == ("  The reference returns normally for these same inputs: they are legal by "
                         "the brief, so your code must accept them (nothing is wrong with the spec's "
                         "call).")


def test_inputs_the_reference_refuses_too_ask_for_the_briefs_refusal(monkeypatch, tmp_path):
    modern = _learner(monkeypatch, tmp_path, T15, "rel_cost_divides_blindly", (
        "def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1,\n"
        "                groups=1, bias=True):\n"
        "    return {'params': c_out * (c_in // groups) * 9 // (c_in % groups == 0), 'macs': 0}\n"))
    text = _message(modern.call, "conv2d_cost", 3, 4, 3, (9, 12), groups=2)
    assert text.startswith("conv2d_cost raised ZeroDivisionError: integer division or modulo by zero")
    assert "  The call: conv2d_cost(c_in=3, c_out=4, kernel_size=3, input_hw=(9, 12), groups=2)\n" in text
    assert "  The reference refuses these inputs too (ValueError): the spec expects a refusal here, " \
           "with the brief's exception and message." in text
    assert "With these arguments" not in text  # no image, no output size


def test_a_backward_given_the_learners_cache_gets_no_reference_verdict(monkeypatch, tmp_path):
    pool = _learner(monkeypatch, tmp_path, T13, "rel_backward_raises", (
        "def avgpool2d_backward(dout, cache):\n"
        "    return dout.reshape(cache[0])\n"))
    out, cache = pool.forward("avgpool2d_forward", RNG.standard_normal((1, 1, 4, 4)), 2)
    text = _message(pool.backward, "avgpool2d_backward", out, cache, grads=("dx",))
    assert "The call: avgpool2d_backward(dout=float64 array (1, 1, 2, 2), cache=a tuple)" in text
    assert "reference" not in text  # a learner's cache means nothing to the reference


def test_the_reference_verdict_is_left_out_when_it_cannot_be_had(monkeypatch, tmp_path):
    conv = _learner(monkeypatch, tmp_path, T15, "rel_raises_always", (
        "def pointwise_conv2d_forward(x, w, b):\n"
        "    raise ValueError('mine')\n"))
    monkeypatch.setattr(kata_module, "reference_module",
                        lambda topic, module: type("Blank", (), {"pointwise_conv2d_forward": _blank}))
    assert conv._reference_verdict("pointwise_conv2d_forward", (1,), {}) == []
    monkeypatch.setattr(kata_module, "reference_module",
                        lambda topic, module: type("Slow", (), {"pointwise_conv2d_forward": _slow}))
    monkeypatch.setattr(kata_module, "_time_limit", _times_out)
    assert conv._reference_verdict("pointwise_conv2d_forward", (1,), {}) == []
    monkeypatch.setenv(ENV_VAR, "solutions")
    assert conv._reference_verdict("pointwise_conv2d_forward", (1,), {}) == []


def _blank(*args):
    raise NotImplementedError


def _slow(*args):
    return None


class _times_out:
    def __init__(self, seconds):
        pass

    def __enter__(self):
        raise kata_module.KataTimeout

    def __exit__(self, *exc):
        return False


def test_a_call_that_changes_the_keys_of_params_is_told_at_once(monkeypatch, tmp_path):
    residual = _learner(monkeypatch, tmp_path, T14, "rel_params_keys_changed", (
        "def residual_block_forward(x, params, state, stride=1, train=True):\n"
        "    out, cache = ref.residual_block_forward(x, params, state, stride, train)\n"
        "    params['last_out'] = out\n"
        "    del params['bn2_beta']\n"
        "    return out, cache\n"))
    params, state = _reference(T14, "residual", "init_residual_block", 2, 2, 1, np.random.default_rng(0))
    monkeypatch.setenv(ENV_VAR, "solutions")  # the reference leaves the keys alone
    Kata(T14, "residual").forward("residual_block_forward", np.ones((2, 2, 4, 4)), params, state)
    _use(monkeypatch, tmp_path / T14 / "rel_params_keys_changed.py")
    text = _message(residual.forward, "residual_block_forward", RNG.standard_normal((2, 2, 4, 4)),
                    params, state)
    assert text.startswith("residual_block_forward changed the keys of its argument `params` (added "
                           "['last_out']; removed ['bn2_beta']). `params` belongs to the caller, who "
                           "reads its keys (e.g. to match the gradients' keys): keep values of your "
                           "own in local variables.")


def test_a_same_padded_forward_one_row_short_is_not_told_to_crop(monkeypatch, tmp_path):
    """A depthwise 3x3 with padding 1 returns its input's shape by the size formula, not because
    it crops: its missing + 1 is named, not a crop (the bug this test found)."""
    conv = _learner(monkeypatch, tmp_path, T15, "rel_same_padded_short", (
        "def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):\n"
        "    out, cache = ref.depthwise_conv2d_forward(x, w, b, stride, padding, dilation)\n"
        "    return out[:, :, :-1].copy(), cache\n"))
    x, w, b = RNG.standard_normal((1, 2, 6, 7)), RNG.standard_normal((2, 1, 3, 3)), np.zeros(2)
    out, _ = conv.forward("depthwise_conv2d_forward", x, w, b, padding=1)
    text = _one_paragraph(_message(expect_shape, out, (1, 2, 6, 7), "out"))
    assert "Only Hout is wrong (5 for 6; Wout is right): that is the size the formula gives when the " \
           "+ 1 is missing" in text
    assert "crop" not in text


# ---- the relation finders one by one -----------------------------------------------------------

def _forward(topic, module, name, *args, **kwargs):
    """A recorded forward call (its result left out: the finders below read its arguments)."""
    return records.CallRecord(topic, module, name, args, kwargs, args, kwargs, is_forward=True)


def _backward(forward, name, *args):
    return records.CallRecord(forward.topic, forward.module, name, args, {}, args, {}, forward=forward)


def _conv(h, w, kernel, stride=1, padding=0, dilation=1):
    return _forward(T15, "modern_conv", "conv2d_forward", np.zeros((1, 1, h, w)),
                    np.zeros((1, 1, *kernel)), np.zeros(1), stride=stride, padding=padding,
                    dilation=dilation)


@pytest.mark.parametrize("size, kernel, stride, padding, dilation, got, correct, slip", [
    ((5, 5), (1, 1), 1, 0, 1, 4, 5, "the + 1 is missing"),
    ((5, 5), (1, 1), 1, 0, (3, 1), 3, 5, "the span is taken as dh*KH; a dilated kernel spans d*(K-1) + 1"),
    ((5, 5), (1, 1), 1, (0, 1), 1, 7, 5, "pw is used where ph belongs"),
    ((5, 5), (1, 1), 1, (1, 0), 1, 5, 7, "the padding is left out of the size"),
    ((5, 5), (1, 1), 1, (2, 0), 1, 7, 9, "the padding is counted once: it goes on both sides (2*p)"),
    ((5, 5), (1, 1), (1, 2), 0, 1, 3, 5, "sw is used where sh belongs"),
    ((5, 5), (1, 1), (2, 1), 0, 1, 5, 3, "the stride is left out of the size"),
    ((5, 5), (1, 3), 1, 0, 1, 3, 5, "KW is used where KH belongs"),
    ((5, 5), (2, 1), 1, 0, (2, 1), 4, 3, "the dilation is left out of the size"),
    ((5, 5), (2, 1), 1, 0, (3, 2), 3, 2, "dw is used where dh belongs"),
    ((5, 5), (2, 1), 1, (2, 0), (2, 1), 4, 7, "padding and dilation are both left out"),
    ((5, 5), (2, 1), (2, 1), 0, 1, 3, 2, "the division rounds up; it is a floor division (//)"),
    ((5, 6), (1, 1), 1, 0, 1, 6, 5, "the input's W is used where its H belongs"),
])
def test_each_slip_of_the_size_formula_is_named(size, kernel, stride, padding, dilation, got, correct,
                                                slip):
    record = _conv(*size, kernel, stride, padding, dilation)
    wout = relations._geometry(variants.bound_arguments(record)[1])
    assert wout is not None
    said = relations.shape_slips(record, ("result", 0), (1, 1, got, 9), (1, 1, correct, 9))
    assert len(said) == 1
    assert said[0].startswith(f"Only Hout is wrong ({got} for {correct}; Wout is right): that is the "
                              f"size the formula gives when {slip} (here ({size[0]} + 2*")
    assert said[0].endswith(f"= {correct}).")


def test_shape_slips_on_both_axes_and_unknown_ones():
    record = _conv(6, 7, (3, 3))
    assert relations.shape_slips(record, ("result", 0), (1, 1, 3, 4), (1, 1, 4, 5)) == [
        "Hout is 3 for 4: that is the size the formula gives when the + 1 is missing (here "
        "(6 + 2*0 - 1*(3-1) - 1) // 1 + 1 = 4).",
        "Wout is 4 for 5: that is the size the formula gives when the + 1 is missing (here "
        "(7 + 2*0 - 1*(3-1) - 1) // 1 + 1 = 5)."]
    assert relations.shape_slips(record, ("result", 0), (1, 1, 4, 1), (1, 1, 4, 5)) == [
        "Only Wout is wrong (1 for 5; Hout is right): check the size formula (H + 2*ph - dh*(KH-1) - 1) "
        "// sh + 1 with the width values."]
    assert relations.shape_slips(record, ("result", 0), (1, 4, 5), (1, 1, 4, 5)) == []
    assert relations.shape_slips(record, ("result", 0), (4, 6), (4, 5)) == []
    norm = _forward(T16, "norms", "layernorm2d_forward", np.zeros((1, 2, 3, 3)), np.ones(2), np.zeros(2))
    assert relations.shape_slips(norm, ("result", 0), (1, 2, 3, 4), (1, 2, 3, 3)) == []


@pytest.mark.parametrize("got, says", [
    ((1, 1, 8, 8), "yours is 2*padding larger: the padding is still attached. Cut it off: "
                   "[..., ph:ph + H, pw:pw + W]."),
    ((1, 1, 7, 6), "yours is larger by exactly the padding: the padding is cut off on one side only."),
    ((1, 1, 9, 6), None),
    ((2, 1, 8, 8), None),
])
def test_a_gradient_with_the_padding_left_on(got, says):
    forward = _forward(T13, "pooling", "maxpool2d_forward", np.zeros((1, 1, 6, 6)), 2, padding=1)
    said = relations.shape_slips(_backward(forward, "maxpool2d_backward", np.zeros((1, 1, 4, 4)), None),
                                 ("result",), got, (1, 1, 6, 6))
    if says is None:
        assert said == []
    else:
        assert said == [f"A gradient must have its input's shape (1, 1, 6, 6); {says}"] or \
            said[0] == f"A gradient must have its input's shape (1, 1, 6, 6); {says} Cut with " \
                       f"[..., ph:ph + H, pw:pw + W]."
    odd = _forward(T13, "pooling", "maxpool2d_forward", np.zeros((1, 1, 6, 6)), 2, padding="same")
    assert relations.shape_slips(_backward(odd, "maxpool2d_backward", None, None), ("result",),
                                 (1, 1, 8, 8), (1, 1, 6, 6)) == []


def test_output_size_text_needs_a_geometry():
    x = np.zeros((1, 1, 6, 8))
    assert relations.output_size_text({"x": x, "kernel_size": (2, 4), "stride": None}) == (
        "With these arguments the output size is Hout = 3, Wout = 2 ((H + 2*ph - KH) // sh + 1 = "
        "(6 + 2*0 - 2) // 2 + 1, and likewise for W).")  # stride None: the kernel's
    assert relations.output_size_text({"x": x, "kernel_size": 3, "dilation": (2, 1)}) == (
        "With these arguments the output size is Hout = 2, Wout = 6 ((H + 2*ph - dh*(KH-1) - 1) // sh "
        "+ 1 = (6 + 2*0 - 2*(3-1) - 1) // 1 + 1, and likewise for W).")
    assert relations.output_size_text({"cols": np.zeros((4, 4)), "x_shape": (1, 1, 4, 4),
                                       "kernel_size": 3}).startswith("With these arguments the output "
                                                                     "size is Hout = 2, Wout = 2")
    assert relations.output_size_text({"x": x, "gamma": np.ones(1)}) == ""  # no kernel
    assert relations.output_size_text({"x": x, "kernel_size": 2, "stride": "two"}) == ""
    assert relations.output_size_text({"layers": [(3, 1)]}) == ""  # no image
    assert relations.formula_for(np.zeros(3)) == ""  # no recorded call returned it


LAYERNORM = _forward(T16, "norms", "layernorm2d_forward", np.zeros((1, 2, 2, 2)), np.ones(2), np.zeros(2))
BATCHNORM = _forward(T14, "residual", "batchnorm2d_forward", np.zeros((2, 2, 2, 2)), np.ones(2),
                     np.zeros(2), {"running_mean": np.zeros(2), "running_var": np.ones(2)})


@pytest.mark.parametrize("record, path, name", [
    (LAYERNORM, ("result", 0), "out"),
    (_backward(LAYERNORM, "layernorm2d_backward", None, None), ("result", 1), "dgamma"),
    (_backward(LAYERNORM, "layernorm2d_backward", None, None), ("result", 5), "output 5"),
    (_backward(_forward(T13, "pooling", "avgpool2d_forward", np.zeros((1, 1, 2, 2)), 2),
               "avgpool2d_backward", None, None), ("result",), "dx"),
    (_backward(LAYERNORM, "layernorm2d_backward", None, None), ("result",), "result"),
    (_forward(T15, "modern_conv", "conv2d_cost", 1, 1, 3, (4, 4)), ("result", "macs"), "macs"),
    (_backward(LAYERNORM, "residual_block_backward", None, None), ("result", 1, "conv1_w"),
     "grads['conv1_w']"),
    (_forward(T15, "modern_conv", "conv2d_cost", 1, 1, 3, (4, 4)), ("result", 1, "w"), "item 1['w']"),
    (BATCHNORM, ("arg", 3, "running_var"), "state['running_var']"),
    (BATCHNORM, ("kwarg", "state", "running_mean"), "state['running_mean']"),
    (BATCHNORM, ("arg", 9), "argument 9"),
    (BATCHNORM, ("cache",), "('cache',)"),
    (_backward(_forward(T16, "norms", "layernorm2d_forward", "nonsense", x=1), "layernorm2d_backward"),
     ("result", 0), "output 0"),
])
def test_outputs_are_named_as_the_learner_names_them(record, path, name):
    assert relations.label(record, path) == name


@pytest.mark.parametrize("parameter, old, new, why, backward, says", [
    ("stride", None, (2, 2), "kernel height for both", False,
     "stride=None means the stride is the kernel size, both of its values: (KH, KW)"),
    ("stride", None, 1, "one", False, "stride=None means the stride is the kernel size (KH, KW), not 1"),
    ("padding", (1, 0), (0, 1), "swapped", False, "the padding pair is read as (w, h)"),
    ("dilation", (1, 2), (1, 1), "height for both", False,
     "the dilation's height value is used in both directions: the width (columns) needs the pair's "
     "other value (dilation[1])"),
    ("kernel_size", (1, 2), (2, 2), "width for both", False,
     "the kernel size's width value is used in both directions: the height (rows) needs the pair's "
     "other value (kernel_size[0])"),
    ("stride", (1, 2), None, "default", False,
     "the stride is taken to be the kernel size: use the stride argument"),
    ("momentum", 0.3, 0.1, "default", False,
     "`momentum` is not applied: your result is what its default, 0.1, gives. Use the argument you "
     "were passed"),
    ("gamma", None, np.ones(2), "default", True, "what its default, ones, gives"),
    ("gamma", None, np.zeros(2), "default", True, "what its default, zeros, gives"),
    ("gamma", None, np.arange(2.0), "default", True, "what its default, an array of shape (2,), gives"),
    ("input_hw", None, [4, 5], "default", True, "what its default, (4, 5), gives"),
    ("train", True, False, "flipped", False,
     "the `train=True` branch does what `train=False` should: the condition on train is the wrong way "
     "round, or train is not passed on"),
    ("momentum", 0.1, 0.9, "complement", False,
     "momentum is used as 1 - momentum: PyTorch's convention (the brief's) is new = (1 - momentum) * "
     "old + momentum * batch"),
    ("label_smoothing", 0.1, 0.0, "zero", False, "`label_smoothing` plays no part in your result"),
    ("beta", None, None, "zeros", False, "`beta` is never added (your result is what beta = 0 gives)"),
    ("groups", 2, 3, "group size", False,
     "groups is read as the size of a group: 2 groups of C // 2 channels each, not groups of 2 channels"),
    ("eps", 1e-5, 1e-3, "guessed", False, "`eps` is misread"),
])
def test_each_misreading_is_told_in_the_briefs_words(parameter, old, new, why, backward, says):
    assert says in relations._meaning(parameter, old, new, why, backward)


def _misreadings(record):
    """(parameter, why, value) of each misreading, arrays shown by their kind."""
    return [(parameter, why, relations._describe(value) if isinstance(value, np.ndarray) else value)
            for parameter, value, why in variants.substitutions(record)]


def test_misreadings_of_pairs_and_of_stride_none():
    x = np.zeros((1, 1, 6, 6))
    assert _misreadings(_forward(T13, "pooling", "maxpool2d_forward", x, (2, 3))) == [
        ("kernel_size", "swapped", (3, 2)), ("kernel_size", "height for both", (2, 2)),
        ("kernel_size", "width for both", (3, 3)), ("stride", "kernel height for both", (2, 2)),
        ("stride", "kernel width for both", (3, 3)), ("stride", "one", 1)]
    assert _misreadings(_forward(T13, "pooling", "maxpool2d_forward", x, 2)) == [("stride", "one", 1)]
    assert _misreadings(_forward(T13, "pooling", "maxpool2d_forward", x, 1)) == []
    assert _misreadings(_forward(T13, "pooling", "maxpool2d_forward", x, 2, stride=(1, 2),
                                 padding=(1, 0))) == [
        ("stride", "swapped", (2, 1)), ("stride", "height for both", (1, 1)),
        ("stride", "width for both", (2, 2)), ("stride", "default", None),
        ("padding", "default", 0), ("padding", "swapped", (0, 1)), ("padding", "height for both", (1, 1))]
    assert _misreadings(_forward(T13, "pooling", "maxpool2d_forward", x, [2, 2], stride=[2, 2])) == []


def test_misreadings_of_vectors_flags_fractions_and_groups():
    x, gamma, beta = np.zeros((2, 6, 2, 2)), np.arange(1.0, 7.0), np.ones(6)
    state = {"running_mean": np.zeros(6), "running_var": np.ones(6)}
    batchnorm = _forward(T14, "residual", "batchnorm2d_forward", x, gamma, beta, state, momentum=0.3,
                         eps=1e-3)
    said = _misreadings(batchnorm)
    assert said[:8] == [
        ("gamma", "ones", "ones"), ("gamma", "zeros", "zeros"), ("beta", "zeros", "zeros"),
        ("train", "flipped", False), ("momentum", "default", 0.1), ("momentum", "complement", 0.7),
        ("momentum", "zero", 0.0), ("eps", "default", 1e-5)]
    assert said[8][:2] == ("gamma+beta", "exchanged") and len(said) == 9
    grouped = _forward(T15, "modern_conv", "conv2d_forward", x, np.zeros((4, 3, 3, 3)), np.zeros(4),
                       groups=2)
    assert _misreadings(grouped) == [("b", "ones", "ones"), ("groups", "default", 1),
                                     ("groups", "group size", 3)]  # b = 0: no "zeros" to try
    square = _forward(T16, "norms", "groupnorm_forward", np.zeros((1, 4, 2, 2)), np.ones(4), np.zeros(4), 2)
    assert [why for parameter, why, _ in _misreadings(square) if parameter == "num_groups"] == []
    # (2 groups of 2: read as a group size, it is the same)
    assert variants.substitutions(_forward(T16, "norms", "groupnorm_forward", nonsense=1)) == []


def test_pairs_and_transposed_calls():
    assert variants.as_pair(3) == (3, 3) and variants.as_pair(np.int64(2)) == (2, 2)
    assert variants.as_pair([1, 2]) == (1, 2) and variants.as_pair((True, 1)) is None
    assert variants.as_pair(True) is None and variants.as_pair((1, 2, 3)) is None
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    turned = variants.transposed({"x": x, "kernel_size": (1, 2), "stride": 1, "eps": 0.5})
    assert turned["x"].shape == (1, 1, 3, 2) and turned["x"][0, 0, 2, 1] == x[0, 0, 1, 2]
    assert turned["kernel_size"] == (2, 1) and turned["stride"] == (1, 1) and turned["eps"] == 0.5


def test_other_calls_re_aim_a_backward_through_its_forward():
    x = np.arange(12.0).reshape(1, 1, 3, 4)
    forward = _forward(T13, "pooling", "maxpool2d_forward", x, 2, stride=(1, 2))
    backward = _backward(forward, "maxpool2d_backward", np.zeros((1, 1, 2, 2)), "cache")
    backward.result = "dx"
    calls = variants.other_calls(backward)
    assert [call.name for call in calls] == ["maxpool2d_backward"] * len(calls) and len(calls) >= 3
    first = calls[0]
    assert first.forward.args[0].shape == (1, 1, 4, 3) and first.forward.kwargs["stride"] == (2, 1)
    assert first.args == backward.args and first.result == "dx"
    assert any(call.forward.kwargs["stride"] == (2, 1) and call.forward.args[0] is x for call in calls)
    forward.result = ("out", "cache")
    assert variants.other_calls(forward, most=1)[0].result == ("out", "cache")
    assert variants.other_calls(_forward(T13, "pooling", "maxpool2d_forward", nonsense=1)) == []


# ---- when a finder has nothing to say --------------------------------------------------------

def test_finders_say_nothing_without_a_recorded_call_or_time(monkeypatch, tmp_path):
    assert relations.explain_value(np.ones(3), np.zeros(3), 1e-7) == ([], False)
    assert relations.explain_shape(np.ones(3), (4,)) == []
    pool = _learner(monkeypatch, tmp_path, T13, "rel_pool_scaled", (
        "def avgpool2d_forward(x, kernel_size, stride=None, padding=0):\n"
        "    out, cache = ref.avgpool2d_forward(x, kernel_size, stride, padding)\n"
        "    return out * 1.25, cache\n"))
    out, _ = pool.forward("avgpool2d_forward", RNG.standard_normal((1, 1, 4, 4)), 2)
    record = records.recent()[0]
    assert relations.substituted_argument(record, ("result", 7), out, 1e-7) is None
    assert relations.which_outputs(record, ("result", 0)) is None  # out is all it gives back
    sentences, decisive = relations.explain_value(out, out / 1.25, 1e-7)
    assert not decisive and sentences[0].startswith("Re-running the reference on these inputs rules out")
    monkeypatch.setattr(relations, "_spent", [relations.BUDGET + 1])
    assert relations._replay(record) is None
    assert relations.exchanged_output(record, ("result", 0), out, 1e-7) is None
    assert relations.which_outputs(record, ("result", 0)) is None
    assert relations.substituted_argument(record, ("result", 0), out, 1e-7) is None
    assert relations.explain_recent_call() == []
    unbound = records.CallRecord(T13, "pooling", "avgpool2d_forward", (), {"nonsense": 1}, (), {})
    assert relations.substituted_argument(unbound, ("result", 0), out, 1e-7) is None
    assert relations.ruled_out_text(unbound) == ""
    assert relations._quietly(lambda: 1 / 0) is None


def test_a_backward_returning_its_gradients_in_another_order_fails_by_shape(monkeypatch, tmp_path):
    norms = _learner(monkeypatch, tmp_path, T16, "rel_grads_rotated", (
        "def instancenorm_backward(dout, cache):\n"
        "    dx, dgamma, dbeta = ref.instancenorm_backward(dout, cache)\n"
        "    return dgamma, dx, dbeta\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 2, 2)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    out, cache = norms.forward("instancenorm_forward", x, gamma, beta)
    dx, _, _ = norms.backward("instancenorm_backward", RNG.standard_normal(out.shape), cache,
                              grads=("dx", "dgamma", "dbeta"))
    text = _one_paragraph(_message(expect_shape, dx, x.shape, "dx"))
    assert "Your dx is exactly the expected dgamma: two outputs are exchanged" in text
    assert "The contract's order is (dx, dgamma, dbeta)." in text


def test_the_spec_line_is_the_deepest_frame_in_a_spec():
    with pytest.raises(json.JSONDecodeError) as stopped:  # raised in the standard library
        json.loads("{")
    assert tracebacks._spec_line(stopped) == \
        f"specs/harness_tests/test_relations.py:{stopped.traceback[0].lineno + 1}: json.loads(\"{{\")"
    with pytest.raises(TypeError) as inside:
        variants.apply({}, "a+b", 1)
    assert tracebacks._spec_line(inside).endswith(': variants.apply({}, "a+b", 1)')
    error = inside.value
    harness_only = pytest.ExceptionInfo.from_exc_info((type(error), error, error.__traceback__.tb_next))
    assert tracebacks._spec_line(harness_only) == ""
    assert tracebacks.explain(harness_only).splitlines()[0] == \
        "The spec could not go on: TypeError: cannot unpack non-iterable int object"


def test_which_outputs_skips_what_the_learner_did_not_return(monkeypatch, tmp_path):
    modern = _learner(monkeypatch, tmp_path, T15, "rel_cost_params_only", (
        "def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1,\n"
        "                groups=1, bias=True):\n    return {'params': 1, 'flops': 4320}\n"))
    modern.call("conv2d_cost", 2, 4, 3, (9, 12))
    assert relations.which_outputs(records.recent()[0], ("result", "params")) is None


def test_the_budget_of_re_runs_can_be_renewed():
    relations._spent[0] = relations.BUDGET + 1
    relations.reset_budget()
    assert relations._spent[0] == 0.0


def test_reasoning_about_an_exception_says_nothing_it_cannot_back():
    def f(x, kernel_size, stride=1):
        pass

    x = np.zeros((1, 1, 4, 4))
    said = kata_module._reasoning(ValueError("cannot reshape array of size 7 into shape (2,2)"), f,
                                  (x, 2), {})
    assert said[-1] == ("With these arguments the output size is Hout = 3, Wout = 3 ((H + 2*ph - KH) "
                        "// sh + 1 = (4 + 2*0 - 2) // 1 + 1, and likewise for W).")
    assert "would fit" not in " ".join(said)  # 7 fits no axis of (2, 2)
    said = kata_module._reasoning(ValueError("cannot reshape array of size 6 into shape (2,2)"), f,
                                  (x, 2), {"stride": 0})  # stride 0: no output size to give
    assert len(said) == 1 and said[0].startswith("The array has 6 elements")
    assert kata_module._reasoning(ValueError("x"), f, (x, 2), {"stride": 0}) == []


def test_a_misreading_that_gives_one_output_only_says_so(monkeypatch, tmp_path):
    residual = _learner(monkeypatch, tmp_path, T14, "rel_mean_momentum_complement", (
        "def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):\n"
        "    var = state['running_var']\n"
        "    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, 1 - momentum, eps)\n"
        "    m = x.shape[0] * x.shape[2] * x.shape[3]\n"
        "    state['running_var'] = (1 - momentum) * var + momentum * x.var(axis=(0, 2, 3)) * m / (m - 1)\n"
        "    return out, cache\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 4, 4)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    state = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    residual.forward("batchnorm2d_forward", x, gamma, beta, state, momentum=0.1)
    expected = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    _reference(T14, "residual", "batchnorm2d_forward", x, gamma, beta, expected)
    text = _one_paragraph(_message(expect_close, state["running_mean"], expected["running_mean"],
                                   "running_mean"))
    assert "Your state['running_mean'] is exactly what a correct batchnorm2d_forward gives with " \
           "momentum=0.9 instead of momentum=0.1" in text
    assert "only state['running_mean'] is computed as with that setting, while your other outputs are " \
           "as momentum=0.1 gives" in text


def test_a_mistake_is_not_named_when_the_learners_code_raises_where_it_runs(monkeypatch, tmp_path):
    pool = _learner(monkeypatch, tmp_path, T13, "rel_steps_by_kernel_wide_only", (
        "def maxpool2d_forward(x, kernel_size, stride=None, padding=0):\n"
        "    if x.shape[2] > x.shape[3]:\n"
        "        raise ValueError('only wide images')\n"
        "    return ref.maxpool2d_forward(x, kernel_size, None, padding)\n"))
    out, _ = pool.forward("maxpool2d_forward", RNG.standard_normal((1, 1, 6, 8)), 2, stride=1)
    stride_ignored = next(m for m in mistakes.catalogue(T13, "pooling") if m.name == "stride_ignored")
    assert not mistakes._agrees_beyond(stride_ignored, records.locate(out)[0])  # transposed: it raises
    assert "Known mistake (stride_ignored)" not in _message(expect_shape, out, (1, 1, 5, 7), "out")


def test_a_wrong_size_is_read_as_the_axes_it_is_made_of(monkeypatch, tmp_path):
    """db summed over the filters instead of the positions keeps dout's N: 2 where C = 4."""
    conv = _learner(monkeypatch, tmp_path, "topic11_conv2d_sliding_window", "rel_db_axes", (
        "def conv2d_backward_naive(dout, cache):\n"
        "    dx, dw, db = ref.conv2d_backward_naive(dout, cache)\n"
        "    return dx, dw, dout.sum(axis=(1, 2, 3))\n"))
    x, w, b = RNG.standard_normal((2, 3, 5, 5)), RNG.standard_normal((4, 3, 3, 3)), RNG.standard_normal(4)
    out, cache = conv.forward("conv2d_forward_naive", x, w, b, stride=1, padding=1)
    _, _, db = conv.backward("conv2d_backward_naive", np.ones_like(out), cache, grads=("dx", "dw", "db"))
    text = _one_paragraph(_message(expect_shape, db, (4,), "db"))
    assert "Along axis 0 yours has 2 = dout's N, where 4 = dout's C is expected" in text
    assert relations._made_of([("x's N", 2), ("x's C", 3)], 6) == "x's N*C"
    assert relations._made_of([("x's N", 2)], 7) == ""


def test_two_misreadings_that_agree_on_these_inputs_are_both_named(monkeypatch, tmp_path):
    """running_mean never updated: train=False and momentum=0 both give it; say so."""
    residual = _learner(monkeypatch, tmp_path, T14, "rel_stats_never_updated", (
        "def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):\n"
        "    kept = dict(state)\n"
        "    out, cache = ref.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)\n"
        "    state['running_mean'] = kept['running_mean']\n"
        "    return out, cache\n"))
    x, gamma, beta = RNG.standard_normal((2, 3, 4, 4)), RNG.uniform(1, 2, 3), RNG.standard_normal(3)
    state = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    residual.forward("batchnorm2d_forward", x, gamma, beta, state)
    expected = 0.1 * x.mean(axis=(0, 2, 3))
    text = _one_paragraph(_message(expect_close, state["running_mean"], expected, "running_mean"))
    assert "These inputs cannot tell that from" in text
