"""checks, gradcheck, fixtures and cases: the assertions and helpers every topic's specs use."""

import numpy as np
import pytest

from specs.harness import (
    expect_close,
    expect_dtype,
    expect_shape,
    load_cases,
    numerical_gradient,
    relative_error,
    relative_errors,
)
from specs.harness.cases import (
    case_id,
    conv_output_size,
    fixture_params,
    output_size_formula,
    pair,
    random_array,
    require_case,
)
from specs.harness.fixtures import fixture_path, save_cases

Failed = pytest.fail.Exception


def test_expect_shape():
    expect_shape(np.zeros((2, 3)), (2, 3), "out")
    with pytest.raises(Failed) as failure:
        expect_shape(np.zeros((2, 4)), (2, 5), "out", "Because.")
    assert str(failure.value) == "out has shape (2, 4), expected (2, 5).\n  Because."


def test_expect_dtype():
    expect_dtype(np.zeros(2, np.float32), np.float32, "out")
    with pytest.raises(Failed, match="out is float64 but the inputs were float32"):
        expect_dtype(np.zeros(2), np.float32, "out")


def test_relative_errors_compare_small_values_absolutely():
    errors = relative_errors(np.array([1.0, 1e-9]), np.array([1.0, 0.0]))
    assert errors[0] == 0 and errors[1] == pytest.approx(1e-6)


def test_expect_close_passes_and_explains():
    expected = np.arange(1.0, 7.0).reshape(1, 1, 2, 3)
    expect_close(expected * (1 + 1e-9), expected, "out")
    got = expected * 2
    got[0, 0, 1, 2] = 30
    with pytest.raises(Failed) as failure:
        expect_close(got, expected, "out", reference="PyTorch")
    text = str(failure.value)
    assert text.startswith("out does not match PyTorch.")
    assert "worst element [0, 0, 1, 2]: expected 6, got 30 (relative error 4.0e+00" in text
    assert "6 of 6 elements are off" in text and "Every element is wrong" in text


def test_expect_close_on_one_value():
    with pytest.raises(Failed) as failure:
        expect_close(np.array(3.0), np.array(2.0), "loss")
    assert str(failure.value) == ("loss does not match the reference.\n  expected 2, got 3 (relative "
                                  "error 5.0e-01, tolerance 1e-07)")


def test_expect_close_counts_nan_as_wrong_and_checks_shape():
    expected = np.ones((2, 2))
    got = expected.copy()
    got[1, 1] = np.nan
    with pytest.raises(Failed, match=r"worst element \[1, 1\]"):
        expect_close(got, expected, "dx")
    with pytest.raises(Failed, match="has shape"):
        expect_close(np.ones(3), expected, "dx")


def test_numerical_gradient_and_relative_error():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = x.copy()
    grad = numerical_gradient(lambda v: v ** 3, x, dout)
    np.testing.assert_allclose(grad, 3 * x ** 2 * dout, rtol=1e-6)
    np.testing.assert_array_equal(x, before)
    assert relative_error(grad, 3 * x ** 2 * dout) < 1e-8
    assert relative_error(np.zeros(2), np.zeros(2)) == 0


def test_fixture_round_trip(tmp_path):
    cases = {"a": {"x": np.arange(4.0), "stride": (2, 1), "padding": 1, "mode": None},
             "b": {"nested": [(1, 2), (3, 4)]}}
    save_cases(tmp_path / "topic99_x.npz", cases)
    loaded = load_cases("topic99_x", tmp_path)
    assert list(loaded) == ["a", "b"]
    np.testing.assert_array_equal(loaded["a"]["x"], np.arange(4.0))
    assert loaded["a"]["stride"] == (2, 1) and loaded["a"]["padding"] == 1
    assert loaded["a"]["mode"] is None and loaded["b"]["nested"] == ((1, 2), (3, 4))
    assert load_cases("topic98_missing", tmp_path) == {}
    assert fixture_path("t", tmp_path) == tmp_path / "t.npz"


def test_cases_helpers():
    assert pair(3) == (3, 3) and pair([2, 1]) == (2, 1)
    assert conv_output_size(7, 3, 2, 1) == 4 and conv_output_size(7, 3, 1, 0, dilation=2) == 3
    formula = output_size_formula(7, 5, (3, 2), (2, 1), (1, 0))
    assert formula == ("Hout = (H + 2*ph - KH) // sh + 1 = (7 + 2*1 - 3) // 2 + 1 = 4; "
                       "Wout = (W + 2*pw - KW) // sw + 1 = (5 + 2*0 - 2) // 1 + 1 = 4.")
    assert "(7 + 2*0 - 2*(3-1) - 1) // 1 + 1 = 3" in output_size_formula(7, 7, 3, 1, 0, dilation=2)
    assert "dh*(KH-1)" in output_size_formula(7, 7, 3, 1, 0, dilation=1)
    assert case_id(x=(2, 3), s=1) == "x2x3-s1"
    assert random_array(np.random.default_rng(0), (2, 2), np.float32).dtype == np.float32


def test_fixture_params_when_the_file_is_missing():
    (param,) = fixture_params("topic98_no_such_topic")
    assert param.id == "fixture-file-missing"
    with pytest.raises(Failed, match="regenerate it with `tox -e fixtures`"):
        require_case(param.values[0])
    assert require_case({"x": 1}) == {"x": 1}


def test_a_broken_diagnosis_never_hides_the_failure(monkeypatch):
    from specs.harness import checks

    def broken(*args):
        raise RuntimeError("diagnosis bug")

    monkeypatch.setattr(checks.diagnose, "explain_mismatch", broken)
    monkeypatch.setattr(checks.mistakes, "name_known_mistake", broken)
    monkeypatch.setattr(checks.mistakes, "wrong_forward", broken)
    monkeypatch.setattr(checks, "shape_advice", broken)
    with pytest.raises(Failed, match=r"^out does not match the reference\.\n  worst element"):
        expect_close(np.ones(3) * 2, np.ones(3), "out")
    with pytest.raises(Failed, match=r"^out has shape \(3,\), expected \(2,\)\.$"):
        expect_shape(np.ones(3), (2,), "out")


def test_expect_dtype_says_keep_the_inputs_only_when_the_input_had_it(monkeypatch):
    """A function whose brief fixes the output dtype (float64 in, float32 out) is told that
    dtype, not "keep the input's"."""
    from specs.harness import Kata, impl
    monkeypatch.setenv(impl.ENV_VAR, "solutions")
    pool = Kata("topic13_pooling_strides", "pooling")
    out, _ = pool.forward("avgpool2d_forward", np.ones((1, 1, 2, 2)), 2)
    with pytest.raises(Failed) as failure:
        expect_dtype(out, np.float32, "out")
    assert str(failure.value).startswith(
        "out is float64; it must be float32, whatever the input's dtype (the brief's rule for this "
        "function): convert on the way out, e.g. out.astype(np.float32), or compute in float32")
    out32, _ = pool.forward("avgpool2d_forward", np.ones((1, 1, 2, 2), np.float32), 2)
    with pytest.raises(Failed, match="out is float64 but the inputs were float32"):
        expect_dtype(out32.astype(np.float64), np.float32, "out")  # as a learner's promoted out
    params, _ = Kata("topic14_resnet_skip_connections", "residual").call(
        "init_residual_block", 1, 1, 1, np.random.default_rng(0))  # no array among its inputs
    with pytest.raises(Failed, match="but the inputs were float32"):
        expect_dtype(params["conv1_w"], np.float32, "conv1_w")
