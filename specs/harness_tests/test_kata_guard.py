"""The guard around a learner's call (specs/harness/kata.py) and the implementation switch."""

import re
import sys
import threading
import time

import numpy as np
import pytest

from specs.harness import impl, timelimit
from specs.harness import kata as kata_module
from specs.harness.kata import (
    Kata,
    _bind_arguments,
    _describe,
    _not_implemented_message,
    _time_limit,
    check_finite,
    fail,
)

Failed = pytest.fail.Exception
TOPIC = "topic99_fake"

FAKE = '''
import numpy as np
MODULE = "fake"

def blank(x):
    """A stub."""
    raise NotImplementedError

def boom(x):
    return x[10]

def forever(x):
    while True:
        time.sleep(0.01)

def in_place(x, dout=None):
    x += 1
    return x

def nan(x):
    return np.full(2, np.nan)

def pair(x):
    return x * 2, {"x": x}

def not_a_pair(x):
    return x

def out_not_array(x):
    return [1, 2], None

def grads(x, n=2):
    return tuple(np.ones(2) for _ in range(n))

def one_grad(x):
    return np.ones(2)

def grads_not_arrays(x):
    return np.ones(2), "db"

def results(x):
    return {"a": x * 1.0, "b": 3}, [x * 2.0]

def as_dict(x):
    return {"a": x * 1.0, "b": 3}

def needs_earlier(x):
    return earlier.missing(x)

import importlib.util, pathlib, time
_spec = importlib.util.spec_from_file_location(
    "earlier", pathlib.Path(__file__).parents[1] / "katas" / "topic98_earlier" / "earlier.py")
earlier = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(earlier)
not_callable = 3
'''


@pytest.fixture
def kata(tmp_path, monkeypatch):
    folder = tmp_path / TOPIC
    folder.mkdir()
    (folder / "fake.py").write_text(FAKE)
    earlier = tmp_path / "katas" / "topic98_earlier"
    earlier.mkdir(parents=True)
    (earlier / "earlier.py").write_text("def missing(x):\n    raise NotImplementedError\n")
    monkeypatch.setenv(impl.ENV_VAR, f"{impl.MUTANT_PREFIX}{folder / 'fake.py'}")
    yield Kata(TOPIC, "fake")


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(Failed) as failure:
        call(*args, **kwargs)
    return str(failure.value)


def test_not_implemented_is_one_line(kata):
    assert _message(kata.call, "blank", 1) == \
        f"blank is not implemented yet: see katas/{TOPIC}/README.md"


def test_not_implemented_in_an_earlier_topic_names_it(kata):
    assert _message(kata.call, "needs_earlier", 1) == (
        "needs_earlier needs missing, which is not implemented yet: it belongs to "
        "topic98_earlier, see katas/topic98_earlier/README.md")


def test_exception_names_the_error(kata):
    text = _message(kata.call, "boom", np.zeros(2))
    assert text.startswith("boom raised IndexError: index 10 is out of bounds")


def test_time_limit(kata, monkeypatch):
    monkeypatch.setattr(kata_module, "_TIMED_OUT", {})  # this test's own memory of time-outs
    start = time.perf_counter()
    text = _message(kata.call, "forever", 1, time_limit=0.2)
    assert "did not return within 0 s" in text and time.perf_counter() - start < 5
    start = time.perf_counter()  # the next call fails at once, naming where it timed out
    assert _message(kata.call, "forever", 1, time_limit=30) == (
        "forever is not called again: it did not return in time in an earlier spec "
        "(test_time_limit). Fix that endless loop first.")
    assert time.perf_counter() - start < 1


def test_in_place_modification(kata):
    text = _message(kata.call, "in_place", np.zeros(2))
    assert text.startswith("in_place modified its input `x` in place (")


def test_nan_in_the_result(kata):
    assert "contains NaN or inf (2 of 2 elements, first at index (0,))" in \
        _message(kata.call, "nan", 1)


def test_forward_contract(kata):
    out, cache = kata.forward("pair", np.ones(2))
    assert out.tolist() == [2, 2] and "x" in cache
    assert "should return a pair (out, cache); it returned an array of shape (2,)" in \
        _message(kata.forward, "not_a_pair", np.ones(2))
    assert "`out` is a list" in _message(kata.forward, "out_not_array", 1)


def test_backward_contract(kata):
    assert len(kata.backward("grads", 1, grads=("dx", "dw"))) == 2
    assert len(kata.backward("grads", 1, 1, grads=("dx",))) == 1
    assert kata.backward("one_grad", 1, grads=("dx",))[0].tolist() == [1, 1]
    assert "should return 3 gradient(s) (dx, dw, db); it returned a tuple of 2" in \
        _message(kata.backward, "grads", 1, grads=("dx", "dw", "db"))
    assert "the gradient dw should be a NumPy array, got a str" in \
        _message(kata.backward, "grads_not_arrays", 1, grads=("dx", "dw"))


def test_results_inside_containers_are_checked(kata):
    first, second = kata.call("results", np.ones(2))
    assert first["b"] == 3 and second[0].tolist() == [2, 2]
    assert kata.call("as_dict", np.ones(2))["b"] == 3


def test_module_that_raises_not_implemented_on_import(kata, tmp_path):
    _forget_fake_modules()
    (tmp_path / TOPIC / "fake.py").write_text("raise NotImplementedError\n")
    assert _message(kata.call, "anything") == f"fake is not implemented yet: see katas/{TOPIC}/README.md"
    _forget_fake_modules()


def _forget_fake_modules():
    for name in list(sys.modules):
        if name.startswith("_mutant_topic99"):
            del sys.modules[name]


def test_error_names_the_line_in_the_repository(monkeypatch):
    monkeypatch.setenv(impl.ENV_VAR, "solutions")
    conv = Kata("topic11_conv2d_sliding_window", "conv2d")
    text = _message(conv.forward, "conv2d_forward_naive", np.ones((1, 3, 4, 4)), np.ones((2, 2, 3, 3)),
                    np.ones(2))
    assert "raised ValueError: x has 3 channels but w expects 2 (at " \
        "solutions/topic11_conv2d_sliding_window/conv2d.py:" in text


def test_not_implemented_message_without_a_traceback():
    assert _not_implemented_message("f", NotImplementedError(), "t") == \
        "f is not implemented yet: see katas/t/README.md"


def test_failures_point_to_the_hint_inside_a_topic(monkeypatch):
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "specs/topic11_conv/test_x.py::t (call)")
    assert _message(fail, "wrong") == ("wrong\n  (stuck? `./kata hint 11` gives a hint; the brief: "
                                       "katas/topic11_conv/README.md)")
    assert _message(fail, "f is not implemented yet: see x") == "f is not implemented yet: see x"


def test_missing_function_and_broken_module(kata, tmp_path):
    assert "has no function `absent`" in _message(kata.call, "absent")
    assert "has no function `not_callable`" in _message(kata.call, "not_callable")
    (tmp_path / TOPIC / "fake.py").write_text("def broken(:\n")
    _forget_fake_modules()
    assert "could not be imported: " in _message(kata.call, "broken")
    _forget_fake_modules()


def test_check_finite_ignores_integers():
    check_finite(np.array([1, 2]), "ints")


def test_bind_arguments_falls_back_for_builtins():
    bound = _bind_arguments(np.add, (np.ones(1), np.ones(1)), {"out": None})
    assert set(bound) in ({"x1", "x2", "out"}, {"argument 1", "argument 2", "out"})
    assert _bind_arguments(print.__call__, (1,), {}) in ({"argument 1": 1}, {"args": (1,)})
    assert _bind_arguments(lambda x: x, (1, 2), {"y": 3}) == {"argument 1": 1, "argument 2": 2, "y": 3}


def test_describe():
    assert _describe((1, 2)) == "a tuple of 2" and _describe(3) == "a int"


def test_time_limit_is_off_without_sigalrm(monkeypatch):
    monkeypatch.delattr(timelimit.signal, "setitimer")  # as on Windows
    with _time_limit(0.01):
        time.sleep(0.03)


def test_time_limit_is_off_outside_the_main_thread():
    done = []

    def run():
        with _time_limit(0.01):
            time.sleep(0.05)
        done.append(True)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert done == [True]


def test_impl_switch(monkeypatch, tmp_path):
    monkeypatch.delenv(impl.ENV_VAR, raising=False)
    assert impl.current_impl() == "katas"
    monkeypatch.setenv(impl.ENV_VAR, "nonsense")
    with pytest.raises(ValueError, match="expected one of katas, solutions"):
        impl.current_impl()
    assert impl.kata_path("t", "m") == impl.REPO_ROOT / "katas" / "t" / "m.py"
    assert impl.brief_path("t") == "katas/t/README.md"
    # A mutant replaces only its own module; everything else comes from the solutions.
    other = tmp_path / "topic11_conv2d_sliding_window" / "other.py"
    other.parent.mkdir()
    other.write_text('MODULE = "not_conv2d"\n')
    monkeypatch.setenv(impl.ENV_VAR, f"mutant:{other}")
    module = impl.import_topic_module("topic11_conv2d_sliding_window", "conv2d")
    assert module.__name__ == "solutions.topic11_conv2d_sliding_window.conv2d"
    assert impl._load_mutant(other) is impl._load_mutant(other)  # loaded once
    with pytest.raises(ImportError):
        impl._load_mutant(tmp_path / "no_such_dir")
    # A mutant outside a topic folder would replace nothing: refused, not silently the solutions.
    stray = tmp_path / "stray.py"
    stray.write_text('MODULE = "conv2d"\n')
    monkeypatch.setenv(impl.ENV_VAR, f"mutant:{stray}")
    with pytest.raises(ValueError, match="folder named after its topic"):
        impl.import_topic_module("topic11_conv2d_sliding_window", "conv2d")


def test_error_names_the_calling_line_as_well(kata, monkeypatch, tmp_path):
    """The line that raised and the learner's line that called the failing function (issue 10)."""
    monkeypatch.setattr(kata_module, "LEARNER_FOLDERS", (str(tmp_path).replace("\\", "/"),))
    (tmp_path / TOPIC / "fake.py").write_text(FAKE + '''
def helper(x):
    return x[10]

def calls_helper(x):
    return helper(x)

def calls_numpy(x):
    return np.reshape(x, (3,))
''')
    _forget_fake_modules()
    text = _message(kata.call, "calls_helper", np.zeros(2))
    assert "return x[10], in helper, called from " in text and "return helper(x))" in text
    text = _message(kata.call, "calls_numpy", np.zeros(2))
    assert "np.reshape(x, (3,)), which failed inside" in text
    _forget_fake_modules()


def test_an_in_place_change_says_what_it_did():
    assert kata_module._changes(np.zeros((2, 3)), np.zeros(6)) == (
        " (its shape went from (2, 3) to (6,): assigning to .shape, or resize, reshapes the caller's "
        "array itself; use .reshape(...), which returns a new view)")
    assert kata_module._changes(np.array([np.nan, 1.0, 2.0]), np.array([np.nan, 1.0, 5.0])) == \
        " (1 of 3 elements changed)"  # NaN where NaN was is no change
    assert kata_module._changes(np.zeros(2), [0, 0]) == ""


def test_an_in_place_reshape_is_named(kata, tmp_path):
    flattens = "\ndef flattens(x):\n    x.shape = (-1,)\n    return x\n"
    (tmp_path / TOPIC / "fake.py").write_text(FAKE + flattens)
    _forget_fake_modules()
    assert _message(kata.call, "flattens", np.zeros((2, 3))).startswith(
        "flattens modified its input `x` in place (its shape went from (2, 3) to (6,)")
    _forget_fake_modules()


def test_describe_call_shows_shapes_not_values():
    def f(x, params, pair, rng, text, stride=1):
        pass

    params = {f"w{i}": np.zeros((i, 2)) for i in range(10)}
    arrays = tuple(np.zeros(i) for i in range(8))
    assert kata_module.describe_call("f", f, (np.zeros((2, 3), np.float32), params, arrays,
                                             np.random.default_rng(0), "x" * 50), {"stride": (2, 1)}) == (
        "f(x=float32 array (2, 3), params={'w0': float64 array (0, 2), 'w1': float64 array (1, 2), "
        "'w2': float64 array (2, 2), 'w3': float64 array (3, 2), 'w4': float64 array (4, 2), "
        "'w5': float64 array (5, 2), 'w6': float64 array (6, 2), 'w7': float64 array (7, 2), ...}, "
        "pair=(float64 array (0,), float64 array (1,), float64 array (2,), float64 array (3,), "
        "float64 array (4,), float64 array (5,), ...), rng=a np.random.Generator, text=a str, "
        "stride=(2, 1))")


def test_nan_with_inputs_past_exps_overflow_names_the_missing_shift():
    logits = np.array([[1000.0, 0.0]])
    text = _message(check_finite, np.array([np.nan, 1.0]), "loss", (logits, 3), {"labels": np.array([0])})
    # exp overflows past log(max): 709.78 in float64, 88.72 in float32
    assert re.match(r"loss contains NaN or inf \(1 of 2 elements, first at index \(0,\)\)\. The inputs "
                    r"here reach 1000 in magnitude, and exp overflows to inf past 7(09|10) in this "
                    r"dtype \(inf / inf is NaN\): subtract each row's maximum before exp", text)
    text = _message(check_finite, np.array([np.inf], np.float32), "loss", (),
                    {"logits": np.array([100.0], np.float32)})
    assert re.search(r"reach 100 in magnitude, and exp overflows to inf past 8[89] in this dtype", text)
    for small in ((np.array([700.0]),), (np.array([1000]),), ()):
        text = _message(check_finite, np.array([np.nan]), "loss", small)
        assert "exp overflows" not in text and "Usual causes: an array made with np.empty" in text


def test_an_unrecorded_call_is_still_guarded(kata, monkeypatch):
    """Inputs too large to keep a copy of: no record, no known mistake, the same message."""
    limit = kata_module.records.MAX_SNAPSHOT_BYTES
    monkeypatch.setattr(kata_module.records, "MAX_SNAPSHOT_BYTES", 0)
    text = _message(kata.call, "in_place", np.zeros(2))
    assert text.startswith("in_place modified its input `x` in place (2 of 2 elements changed). Inputs "
                           "must stay as they were")
    monkeypatch.setattr(kata_module.records, "MAX_SNAPSHOT_BYTES", limit)
    monkeypatch.setattr(kata_module.mistakes, "name_in_place_mistake", lambda *args: 1 / 0)
    assert _message(kata.call, "in_place", np.zeros(2)).startswith(
        "in_place modified its input `x` in place (2 of 2 elements changed). Inputs must stay")
