"""Issue 10: known mistakes name themselves, advice fits the function, the most precise message
comes first, and each message once found naming the wrong cause now names the right one."""

import importlib
from pathlib import Path

import numpy as np
import pytest

from specs.harness import Kata, diagnose, expect_close, impl, mistakes, ordering, records
from specs.harness.checks import expect_backward_matches_finite_differences
from specs.harness.diagnose import explain_mismatch

Failed = pytest.fail.Exception
ROOT = Path(__file__).resolve().parents[2]
T13, T14, T15, T16, T17 = ("topic13_pooling_strides", "topic14_resnet_skip_connections",
                           "topic15_modern_convolutions", "topic16_advanced_normalizations",
                           "topic17_cifar10_from_scratch")


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(Failed) as failure:
        call(*args, **kwargs)
    return str(failure.value)


def _use(monkeypatch, mutant: Path) -> None:
    monkeypatch.setenv(impl.ENV_VAR, f"{impl.MUTANT_PREFIX}{mutant}")


def _learner_file(tmp_path, topic, name, source) -> Path:
    """A learner-style wrong module, placed as a mutant (tmp/<topic>/<name>.py)."""
    folder = tmp_path / topic
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(source)
    return path


# ---- known mistakes ---------------------------------------------------------------------------

def test_a_known_mistake_is_named_first(monkeypatch):
    _use(monkeypatch, ROOT / "mistakes" / T14 / "bn_biased_variance_stored.py")
    residual = Kata(T14, "residual")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5))
    state = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    residual.forward("batchnorm2d_forward", x, np.ones(3), np.zeros(3), state)
    expected = 0.9 + 0.1 * x.var(axis=(0, 2, 3), ddof=1)
    text = _message(expect_close, state["running_var"], expected, "running_var")
    assert text.splitlines()[1].startswith("  Known mistake (bn_biased_variance_stored)")
    assert "Every element" not in text
    assert mistakes.VERDICTS[records.current_spec()] == "named"


def test_a_mistake_that_does_not_change_the_compared_value_is_not_named(monkeypatch):
    _use(monkeypatch, ROOT / "mistakes" / T14 / "bn_biased_variance_stored.py")
    residual = Kata(T14, "residual")
    x = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    state = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    out, _ = residual.forward("batchnorm2d_forward", x, np.ones(3), np.zeros(3), state)
    assert "Known mistake" not in _message(expect_close, out, out + 1.0, "out")


def test_a_wrong_forward_is_blamed_before_its_backward(monkeypatch, tmp_path):
    """The backward is right, the forward scales its output: the gradient spec says so."""
    path = _learner_file(tmp_path, T13, "scaled_forward", (
        "from solutions.topic13_pooling_strides import pooling as ref\n"
        "from solutions.topic13_pooling_strides.pooling import *\n"
        "MODULE = 'pooling'\n"
        "def avgpool2d_forward(x, kernel_size, stride=None, padding=0):\n"
        "    out, cache = ref.avgpool2d_forward(x, kernel_size, stride, padding)\n"
        "    return out * 1.5, cache\n"))
    _use(monkeypatch, path)
    pool = Kata(T13, "pooling")
    x = np.random.default_rng(2).standard_normal((1, 1, 4, 4))
    text = _message(expect_backward_matches_finite_differences, pool, "avgpool2d_forward",
                    "avgpool2d_backward", {"x": x}, "x", {"kernel_size": 2})
    assert "Fix avgpool2d_forward first" in text and "Every element" not in text
    assert mistakes.VERDICTS[records.current_spec()] == "forward-first"


def test_catalogue_reads_explanations_and_falls_back_to_the_docstring(tmp_path, monkeypatch):
    topic = tmp_path / "mistakes" / "topic99_x"
    topic.mkdir(parents=True)
    (topic / "a.py").write_text('"""One line."""\nMODULE = "m"\nEXPLANATION = """\\\nYour  code\n did X."""\n'
                                'def f():\n    pass\n')
    (topic / "b.py").write_text('"""Other line.\n\nMore."""\nMODULE = "m"\ndef g():\n    pass\n')
    (topic / "c.py").write_text('MODULE = "other"\ndef f():\n    pass\n')
    (topic / "d.py").write_text('def broken(:\n')
    (topic / "e.py").write_text('import x\nMODULE = "m"\nx.f = 1\ndef f():\n    pass\n')
    monkeypatch.setattr(mistakes, "REPO_ROOT", tmp_path)
    mistakes.catalogue.cache_clear()
    try:
        found = {m.name: m for m in mistakes.catalogue("topic99_x", "m")}
    finally:
        mistakes.catalogue.cache_clear()
    assert sorted(found) == ["a", "b"]
    assert found["a"].explanation == "Your code did X." and found["a"].explained
    assert found["b"].explanation == "Other line." and not found["b"].explained
    assert found["a"].defines == {"f"}
    assert "exactly what this mistake gives" in mistakes.Match(found["b"], "g").sentences()[0]


def test_mistake_runs_are_capped_and_never_raise(monkeypatch):
    record = records.CallRecord("t", "m", "f", (np.ones(2),), {}, (np.ones(2),), {})

    class Raising:
        @staticmethod
        def f(x):
            raise ValueError

    assert mistakes.replay(Raising, record) is None
    monkeypatch.setattr(mistakes, "_spent", [mistakes.BUDGET + 1])
    assert mistakes.name_known_mistake(np.ones(2), np.zeros(2), 1e-7) is None


def test_close_treats_nan_alike_and_scales():
    assert mistakes.close(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]), 1e-9)
    assert not mistakes.close(np.array([np.nan]), np.array([1.0]), 1e-9)
    assert mistakes.close(np.array([1e-12, 5.0]), np.array([0.0, 5.0]), 1e-7)
    assert not mistakes.close(np.ones(2), np.ones(3), 1e-7) and not mistakes.close("a", 1, 1e-7)


# ---- topic-aware fallback ---------------------------------------------------------------------

def _bad(got, expected):
    return ~np.isclose(got, expected, rtol=1e-9, atol=0)


def test_family_of_each_function():
    family = diagnose.family_of
    assert family("maxpool2d_backward") == family("col2im") == diagnose.WINDOWS
    assert family("batchnorm2d_forward") == family("normalize") == family("channel_stats") \
        == diagnose.STATISTICS
    assert family("softmax_cross_entropy_forward") == diagnose.LOSS
    assert family("sgd_step") == diagnose.OPTIMIZER
    assert family("residual_block_backward") == diagnose.BLOCK and family("evaluate") == diagnose.OTHER


@pytest.mark.parametrize("family, says", [
    (diagnose.STATISTICS, "axes the mean and variance run over"),
    (diagnose.OPTIMIZER, "weight decay"),
    (diagnose.LOSS, "log-softmax"),
])
def test_every_element_wrong_speaks_of_the_function_at_hand(family, says):
    expected = np.random.default_rng(0).standard_normal((2, 3, 4, 5)) + 3
    got = np.random.default_rng(1).standard_normal(expected.shape)
    text = " ".join(explain_mismatch(got, expected, _bad(got, expected), family))
    assert says in text and "+=" not in text and "weights" not in text.replace("weight decay", "")


def test_no_padding_or_stride_guesses_for_statistics():
    expected = np.random.default_rng(0).standard_normal((1, 2, 6, 6)) + 3
    got = expected.copy()
    got[..., 0, :] += 1.0  # the border only
    assert "padding" in " ".join(explain_mismatch(got, expected, _bad(got, expected)))
    text = " ".join(explain_mismatch(got, expected, _bad(got, expected), diagnose.STATISTICS))
    assert "padding" not in text and "stride" not in text


def test_an_extra_relu_is_a_clamp_not_an_unwritten_position():
    expected = np.random.default_rng(0).standard_normal((2, 3, 4, 4))
    got = np.maximum(expected, 0)
    text = " ".join(explain_mismatch(got, expected, _bad(got, expected)))
    assert "a 0 wins" in text and "never written" not in text


def test_max_pool_padded_with_zero_is_the_pad_value():
    expected = -np.abs(np.random.default_rng(0).standard_normal((1, 2, 3, 3))) - 0.5
    got = np.zeros_like(expected)
    text = " ".join(explain_mismatch(got, expected, _bad(got, expected)))
    assert "pads with -inf" in text and "ever written" not in text


def test_all_zero_mentions_integer_overflow():
    expected = np.array([120.0, 130.0, 140.0])
    text = " ".join(explain_mismatch(np.zeros(3), expected, np.ones(3, bool), diagnose.STATISTICS))
    assert "uint8" in text


def test_a_header_that_names_the_cause_gets_no_guesses():
    text = _message(expect_close, np.zeros((1, 1, 3, 3)) + 1, np.ones((1, 1, 3, 3)) * 2, "dx",
                    reference="the tie rule (each window's dout goes to its FIRST maximum)")
    assert "Every element" not in text and "factor" not in text
    text = _message(expect_close, np.ones(3), np.ones(3) * 2, "dx", note="dx has three terms.")
    assert text.splitlines()[-1] == "  dx has three terms." and "factor" not in text


# ---- numbers ------------------------------------------------------------------------------------

def test_worst_element_is_chosen_against_the_scale():
    text = _message(expect_close, np.array([2e-4, 5.0]), np.array([1e-4, 10.0]), "out")
    assert "worst element [1]: expected 10, got 5 (relative error 5.0e-01, off by 5.0e-01" in text


# ---- ordering -----------------------------------------------------------------------------------

class _Item:
    def __init__(self, nodeid, marks=()):
        self.nodeid, self._marks = nodeid, marks

    def iter_markers(self):
        return [type("Mark", (), {"name": name}) for name in self._marks]


def test_ranks(monkeypatch):
    monkeypatch.setattr(mistakes, "VERDICTS", {"a": "named", "b": "forward-first"})
    assert ordering.rank(_Item("a", ("shape",)), "") == ordering.NAMED
    assert ordering.rank(_Item("b", ("gradient",)), "") == ordering.FORWARD_FIRST
    assert ordering.rank(_Item("c", ("rules",)), "") == ordering.RULE
    assert ordering.rank(_Item("c", ("fixture",)), "") < ordering.rank(_Item("c", ("shape",)), "")
    assert ordering.rank(_Item("c"), "") == ordering.SPECIFIC
    assert ordering.rank(_Item("c"), "f is not implemented yet: see") == ordering.BLANK


def test_failures_are_reported_most_precise_first():
    reports = [type("R", (), {"user_properties": [(ordering.RANK_KEY, r)], "id": i})
               for i, r in enumerate([5, 0, 3, 0])]
    reporter = type("T", (), {"stats": {"failed": list(reports)}})()
    manager = type("M", (), {"get_plugin": staticmethod(lambda name: reporter)})()
    session = type("S", (), {"config": type("C", (), {"pluginmanager": manager})()})()
    ordering.pytest_sessionfinish(session)
    assert [r.id for r in reporter.stats["failed"]] == [1, 3, 2, 0]


# ---- messages the learner test found wrong (issue 10, item 5) ----------------------------------

def test_layernorm_over_the_wrong_axes_is_named():
    norms_spec = importlib.import_module(f"specs.{T16}.test_norms")
    x = np.random.default_rng(0).standard_normal((2, 4, 3, 3))
    per_channel = (x - x.mean(axis=(2, 3), keepdims=True)) / np.sqrt(
        x.var(axis=(2, 3), keepdims=True) + 1e-5)
    assert "InstanceNorm" in norms_spec.normalized_over(per_channel, x, 1e-5, 1)
    per_batch = (x - x.mean(axis=(0, 2, 3), keepdims=True)) / np.sqrt(
        x.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
    assert "BatchNorm" in norms_spec.normalized_over(per_batch, x, 1e-5, 1)
    assert norms_spec.normalized_over(x, x, 1e-5, 1) == ""


def test_batchnorm_gradient_message_is_one_sentence_each(monkeypatch):
    _use(monkeypatch, ROOT / "mistakes" / T14 / "bn_backward_missing_statistics_terms.py")
    bn_spec = importlib.import_module(f"specs.{T14}.test_batchnorm")
    text = _message(bn_spec.test_gradient_matches_finite_differences, "x", True)
    assert text.startswith("batchnorm2d_backward(train=True): dx does not match finite differences")
    assert "dx. In train mode" not in text


def test_max_pool_backward_that_assigns_loses_gradient():
    pooling_spec = importlib.import_module(f"specs.{T13}.test_pooling")
    lost = pooling_spec._lost_or_duplicated(np.ones(2), np.ones(3) * 4)
    assert "Gradient was lost" in lost and "tie" not in lost
    assert "every tied maximum" in pooling_spec._lost_or_duplicated(np.ones(3) * 9, np.ones(3))


@pytest.mark.parametrize("mutant, says", [
    ("col2im_overwrites", "ADDED (+=), not assigned"),
    ("columns_ordered_kh_kw_c", "so the layouts differ"),
])
def test_col2im_adjoint_names_layout_or_overlap(monkeypatch, mutant, says):
    _use(monkeypatch, ROOT / "mistakes" / "topic12_im2col_vectorization" / f"{mutant}.py")
    im2col_spec = importlib.import_module("specs.topic12_im2col_vectorization.test_im2col")
    text = _message(im2col_spec.test_col2im_is_the_adjoint_of_im2col, (1, 2, 5, 5), 3, 1, 0, 1)
    assert says in text


def test_log_of_an_underflowed_probability_asks_for_log_softmax(monkeypatch, tmp_path):
    path = _learner_file(tmp_path, T17, "log_of_probabilities", (
        "import numpy as np\n"
        "from solutions.topic17_cifar10_from_scratch.pipeline import *\n"
        "MODULE = 'pipeline'\n"
        "def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):\n"
        "    z = logits - logits.max(axis=1, keepdims=True)\n"
        "    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
        "    n, k = logits.shape\n"
        "    t = np.full(logits.shape, label_smoothing / k)\n"
        "    t[np.arange(n), labels] += 1 - label_smoothing\n"
        "    with np.errstate(divide='ignore'):\n"
        "        return float(-(t * np.log(p)).sum() / n), (p, t)\n"))
    _use(monkeypatch, path)
    training_spec = importlib.import_module(f"specs.{T17}.test_training")
    text = _message(training_spec.test_cross_entropy_float32_and_extreme_logits)
    assert "log-softmax" in text and "subtract each row's maximum" not in text.lower()


def test_watch_shows_the_same_failure_first():
    from tools.kata_cli.runner import Failure, TopicResult
    result = TopicResult(13, failures=[Failure("a", "grid", ["shape"], ordering.SHAPE),
                                       Failure("b", "Known mistake (x): ...", [], ordering.NAMED),
                                       Failure("c", "f is not implemented yet", [], ordering.BLANK)])
    assert result.focus().id == "b"
    assert TopicResult(13).focus() is None


def test_a_spec_failing_in_its_own_words_still_names_the_mistake(monkeypatch):
    from specs.harness import fail
    _use(monkeypatch, ROOT / "mistakes" / T15 / "receptive_field_ignores_dilation.py")
    modern = Kata(T15, "modern_conv")
    assert modern.call("receptive_field", [(3, 1, 2)]) == 3
    text = _message(fail, "receptive_field([(3, 1, 2)]) is 3, expected 5.\n  Each layer adds ...")
    lines = text.splitlines()
    assert lines[0].endswith("expected 5.")
    assert lines[1].startswith("  Known mistake (receptive_field_ignores_dilation)")
    assert lines[-1] == "  Each layer adds ..."


def test_a_right_call_names_nothing(monkeypatch):
    from specs.harness import fail
    monkeypatch.setenv(impl.ENV_VAR, "solutions")
    modern = Kata("topic15_modern_convolutions", "modern_conv")
    modern.call("receptive_field", [(3, 1, 2)])
    assert "Known mistake" not in _message(fail, "something else is wrong")


def test_wrong_shape_dtype_and_in_place_name_their_mistake(monkeypatch):
    from specs.harness import expect_dtype, expect_shape
    t11 = "topic11_conv2d_sliding_window"
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((1, 2, 4, 4)), rng.standard_normal((3, 2, 3, 3)), np.zeros(3)
    _use(monkeypatch, ROOT / "mistakes" / t11 / "dtype_promoted.py")
    out, _ = Kata(t11, "conv2d").forward("conv2d_forward_naive", x.astype(np.float32),
                                         w.astype(np.float32), b.astype(np.float32))
    assert "Known mistake (dtype_promoted)" in _message(expect_dtype, out, np.float32, "out")
    _use(monkeypatch, ROOT / "mistakes" / T13 / "global_avg_keeps_dims.py")
    out, _ = Kata(T13, "pooling").forward("global_avgpool_forward", x)
    assert "Known mistake (global_avg_keeps_dims)" in _message(expect_shape, out, (1, 2), "out")
    _use(monkeypatch, ROOT / "mistakes" / t11 / "dout_modified_in_place.py")
    conv = Kata(t11, "conv2d")
    out, cache = conv.forward("conv2d_forward_naive", x, w, b)
    text = _message(conv.backward, "conv2d_backward_naive", np.ones_like(out), cache,
                    grads=("dx", "dw", "db"))
    assert text.startswith("conv2d_backward_naive modified its input `dout` in place "
                           "(12 of 12 elements changed).\n"
                           "  Known mistake (dout_modified_in_place)")


def test_mistakes_alike_on_these_inputs_are_all_named():
    first = mistakes.Mistake(Path("a.py"), "t", "m", frozenset({"f"}), "A did this.", True)
    second = mistakes.Mistake(Path("b.py"), "t", "m", frozenset({"f"}), "B did that", False)
    said = mistakes.Match(first, "f", (second,)).sentences()
    assert said == ["Known mistake (a), or the other one below, which these inputs cannot tell "
                    "apart: A did this.",
                    "Or, as these inputs give the same result (b): B did that"]


def test_of_mistakes_alike_the_one_named_after_the_called_function_comes_first():
    def mistake(name):
        return mistakes.Mistake(Path(f"{name}.py"), "t", "m", frozenset({"f"}), "", True)
    found = [mistake("groups_swapped_with_group_size"), mistake("layernorm_over_hw_only")]
    ordered = mistakes.most_specific_first(found, "layernorm2d_forward")
    assert [m.name for m in ordered] == ["layernorm_over_hw_only", "groups_swapped_with_group_size"]
    assert mistakes.most_specific_first(found, "sgd_step") == found  # no affinity: order kept


def test_whole_pipeline_specs_run_last_and_wait_for_the_unit_specs(monkeypatch):
    from pathlib import Path as _Path
    from types import SimpleNamespace

    unit = SimpleNamespace(path=_Path("specs/topic17_x/test_training.py"))
    whole = SimpleNamespace(path=_Path("specs/topic17_x/test_milestone.py"))
    items = [whole, unit]
    ordering.pytest_collection_modifyitems(None, None, items)
    assert items == [unit, whole]
    monkeypatch.setattr(ordering, "_FAILED_UNITS", [])
    ordering.pytest_runtest_setup(whole)  # nothing failed yet: it runs

    def log(nodeid, failed=True):
        hook = ordering.pytest_runtest_logreport(SimpleNamespace(failed=failed, when="call",
                                                                 nodeid=nodeid))
        next(hook)
        with pytest.raises(StopIteration):
            next(hook)

    log("specs/topic17_x/test_milestone.py::test_run")  # an integration failure does not count
    log("specs/topic17_x/test_training.py::test_ok", failed=False)
    ordering.pytest_runtest_setup(whole)
    log("specs/topic17_x/test_training.py::test_step")
    with pytest.raises(pytest.skip.Exception, match="waits until the unit specs pass .1 failed, "
                                                    "first test_step"):
        ordering.pytest_runtest_setup(whole)
    ordering.pytest_runtest_setup(unit)  # unit specs always run
