"""The harness's verdict helpers on hand-made functions: refusals (own ValueError naming the
numbers), gradients the caller owns, and loop rules counted in lines of Python."""

import numpy as np
import pytest

from specs.harness.loops import expect_no_loop_over, python_lines_run
from specs.harness.ownership import expect_owned_gradients
from specs.harness.refusals import expect_refusal, is_numpy_error, names_number


class FakeKata:
    """Just what expect_refusal uses of a Kata: function(name) and call(name, ...)."""

    def __init__(self, fn):
        self.fn = fn

    def function(self, name):
        return self.fn

    def call(self, name, *args, **kwargs):
        pytest.fail(f"{name} is not implemented yet", pytrace=False)


def _refuse(fn, numbers=(6, 4)):
    expect_refusal(FakeKata(fn), "f", (), {}, "C=6 and groups=4", "check it", numbers)


def _verdict(check) -> str:
    """'' when `check()` passes, else the failure message."""
    try:
        check()
    except pytest.fail.Exception as failure:
        return str(failure)
    return ""


def _raise(error):
    def fn():
        raise error
    return fn


def test_names_number_matches_whole_numbers_only():
    assert names_number("groups=4 does not divide C=6", 4)
    assert names_number("(6, 4)", 6)
    assert not names_number("24 channels", 4)
    assert not names_number("a ratio of 4.5", 4)
    assert names_number("N*H*W = 1.", 1)


def test_refusal_in_own_words_with_the_numbers_passes():
    assert _verdict(lambda: _refuse(_raise(ValueError("groups=4 must divide C=6")))) == ""


def test_refusal_without_the_numbers_is_named():
    message = _verdict(lambda: _refuse(_raise(ValueError("bad groups"))))
    assert "does not name 6, 4" in message


def test_numpy_own_error_is_not_a_refusal():
    def reshapes():
        np.zeros(300).reshape(2, 4, 1, 5, 5)
    assert "NumPy's own ValueError" in _verdict(lambda: _refuse(reshapes))
    # the same words raised by hand are still NumPy's wording
    worded = ValueError("operands could not be broadcast together with shapes (6,) (4,)")
    assert is_numpy_error(worded)
    assert not is_numpy_error(ValueError("cannot reshape 6 channels into 4 groups"))


def test_no_refusal_and_other_errors_are_named():
    assert "returned without complaint" in _verdict(lambda: _refuse(lambda: None))
    assert "raised TypeError" in _verdict(lambda: _refuse(_raise(TypeError("no"))))
    assert "not implemented yet" in _verdict(lambda: _refuse(_raise(NotImplementedError())))


def test_owned_gradients():
    dout = np.ones((2, 3))
    fresh = {"dx": dout * 2, "db": dout.sum(axis=0)}
    assert _verdict(lambda: expect_owned_gradients("g", fresh, (dout,))) == ""
    read_only = {"dx": np.broadcast_to(np.ones(3), (2, 3))}
    assert "read-only" in _verdict(lambda: expect_owned_gradients("g", read_only, (dout,)))
    view = {"dx": dout[:, :2]}
    assert "view of its argument `dout`" in _verdict(
        lambda: expect_owned_gradients("g", view, (dout,)))
    cache = np.ones((2, 3))
    assert "`cache`" in _verdict(lambda: expect_owned_gradients("g", {"dx": cache}, (dout, cache)))
    keyword = {"dx": dout.reshape(3, 2)}
    assert "`dout`" in _verdict(lambda: expect_owned_gradients("g", keyword, (), {"dout": dout}))
    shared = np.zeros(6)
    twins = {"dgamma": shared[:3], "dbeta": shared[:3]}
    assert "same memory" in _verdict(lambda: expect_owned_gradients("g", twins))
    interleaved = {"dgamma": shared[0::2], "dbeta": shared[1::2]}  # no element shared
    assert _verdict(lambda: expect_owned_gradients("g", interleaved)) == ""


def _per_item(n):
    total = 0
    for i in range(n):
        total += i
    return total


def test_lines_grow_with_a_python_loop_only():
    assert python_lines_run(_per_item, 20) - python_lines_run(_per_item, 2) >= 18
    assert python_lines_run(np.sum, np.ones(1000)) == python_lines_run(np.sum, np.ones(10))


def test_expect_no_loop_over():
    def looped(size):
        return lambda: _per_item(size)

    def vectorized(size):
        return lambda: np.arange(size).sum()
    grown = [(40, "the size grew from 4 to 40", "items")]
    assert _verdict(lambda: expect_no_loop_over("v", vectorized, 4, grown, "Why.")) == ""
    message = _verdict(lambda: expect_no_loop_over("f", looped, 4, grown, "Why."))
    assert "it loops in Python over items. Why." in message
