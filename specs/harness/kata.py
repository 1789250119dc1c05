"""Calling a learner's function safely, and turning what goes wrong into a sentence.

Specs never hold a function object: `Kata(topic, module).call("name", ...)` looks the function up
at call time, so an edited kata is what runs. Every call is guarded:
- a blank function (NotImplementedError) fails with one "not implemented yet" line;
- an exception, an import error or a syntax error names the function and the learner's line;
- a call that runs too long (an infinite loop) is stopped and explained;
- an input array modified in place, and NaN/inf in the results, each get their own message.
"""

from __future__ import annotations

import copy
import inspect
import os
import re
import textwrap
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from . import mistakes, records, relations
from .failure import fail
from .impl import REPO_ROOT, brief_path, current_impl, import_topic_module, reference_module
from .ownership import expect_owned_gradients
from .timelimit import KataTimeout  # noqa: F401 (re-exported)
from .timelimit import time_limit as _time_limit

_GRADIENT_COUNTS: dict[tuple[str, str, str], int] = {}  # (topic, module, backward) -> reference's
DICTS_WITH_FIXED_KEYS = ("params",)  # arguments whose keys a call must leave as they were
DEFAULT_TIME_LIMIT = 20.0  # seconds for one call; spec inputs are small, so this means "stuck"
_TIMED_OUT: dict[tuple[str, str], str] = {}  # (implementation file, function) -> the spec


class Kata:
    """One topic module (e.g. topic11/conv2d) of the current implementation, called safely."""

    def __init__(self, topic: str, module: str):
        self.topic = topic
        self.module_name = module

    @property
    def where(self) -> str:
        return f"{current_impl().split(':')[0]}/{self.topic}/{self.module_name}.py"

    def module(self) -> ModuleType:
        try:
            return import_topic_module(self.topic, self.module_name)
        except NotImplementedError as err:
            fail(_not_implemented_message(self.module_name, err, self.topic))
        except Exception as err:  # a syntax error or a bad import in the learner's file
            fail(f"{self.where} could not be imported: {_one_line(err)}{_learner_line(err)}")
        raise AssertionError("unreachable")

    def function(self, name: str):
        fn = getattr(self.module(), name, None)
        if not callable(fn):
            fail(f"{self.where} has no function `{name}`: it is part of the topic's contract "
                 f"(see {brief_path(self.topic)}).")
        return fn

    def call(self, name: str, *args: Any, time_limit: float = DEFAULT_TIME_LIMIT, **kwargs: Any):
        """Call `name(*args, **kwargs)`; fail the spec with a clear message if anything goes wrong.

        Checks that no array argument is modified, and that every array in the result (top level,
        or inside a returned tuple/list/dict) is finite.
        """
        result = self._call_unchanged(name, args, kwargs, time_limit)
        if isinstance(result, np.ndarray) and name.endswith("_backward"):
            self._expect_arity(name, result)
        for label, value in _arrays_in(result, name):
            check_finite(value, label, args, kwargs)
        return result

    def _expect_arity(self, name: str, result: np.ndarray) -> None:
        """A backward that returns one array where the contract has several gradients is told
        so before anything unpacks that array along its first axis."""
        key = (self.topic, self.module_name, name)
        if _GRADIENT_COUNTS.get(key) == 1:
            return  # the reference returns one array too (maxpool2d_backward): nothing to re-run
        spec = records.current_spec()
        record = next((r for r in records.recent(spec) if r.name == name and r.result is result), None)
        if record is None or record.forward is None:
            return
        if key not in _GRADIENT_COUNTS:
            replayed = mistakes.replay(reference_module(self.topic, self.module_name), record)
            if replayed is None:
                return
            _GRADIENT_COUNTS[key] = sum(1 for path in replayed.outputs
                                        if path[0] == "result" and len(path) == 2) or 1
        count = _GRADIENT_COUNTS[key]
        if count > 1:
            names = ", ".join(relations.label(record, ("result", i)) for i in range(count))
            fail(f"{name} returned one array; the contract has it return {count}: ({names}), the "
                 f"gradients of the forward's inputs in the forward's order, as a tuple.")

    def forward(self, name: str, *args: Any, time_limit: float = DEFAULT_TIME_LIMIT,
                **kwargs: Any) -> tuple[np.ndarray, Any]:
        """Call a forward function, which must return `(out, cache)`; returns them.

        Only `out` is checked for NaN/inf: the cache is the learner's own business.
        """
        result = self._call_unchanged(name, args, kwargs, time_limit, is_forward=True)
        if not (isinstance(result, tuple) and len(result) == 2):
            fail(f"{name} should return a pair (out, cache); it returned {_describe(result)}.")
        out, cache = result
        if not isinstance(out, np.ndarray):
            fail(f"{name} should return (out, cache) with `out` a NumPy array; "
                 f"`out` is {_describe(out)}.")
        check_finite(out, f"`out` of {name}", args, kwargs)
        return out, cache

    def _call_unchanged(self, name, args, kwargs, time_limit, is_forward=False):
        """Call through the guard, then fail if any array argument was modified.

        The call is recorded (records.py): a forward's (out, cache) is told apart by
        `is_forward` or by its name."""
        fn = self.function(name)
        bound = _bind_arguments(fn, args, kwargs)
        copies: dict[int, Any] = {}  # id of an argument -> its copy, shared with the record
        record = records.start(self.topic, self.module_name, name, args, kwargs, copies,
                               is_forward or name.endswith("_forward"))
        before = {arg: copies[id(value)] if id(value) in copies else value.copy()
                  for arg, value in bound.items() if isinstance(value, np.ndarray)}
        keys_before = {arg: set(value) for arg, value in bound.items()
                       if arg in DICTS_WITH_FIXED_KEYS and isinstance(value, dict)}
        result = self._guarded(name, fn, args, kwargs, time_limit)
        if record is not None:
            record.result = result
        for arg, keys in keys_before.items():
            added, removed = sorted(set(bound[arg]) - keys, key=str), sorted(keys - set(bound[arg]), key=str)
            if added or removed:
                change = "; ".join(part for part in (f"added {added}" if added else "",
                                                     f"removed {removed}" if removed else "") if part)
                fail(f"{name} changed the keys of its argument `{arg}` ({change}). `{arg}` belongs "
                     f"to the caller, who reads its keys (e.g. to match the gradients' keys): keep "
                     f"values of your own in local variables.")
        for arg, original in before.items():
            if not _same_array(bound[arg], original):
                fail(f"{name} modified its input `{arg}` in place{_changes(original, bound[arg])}."
                     + _known_in_place_mistake(record, list(bound).index(arg), arg, len(args),
                                               bound[arg])
                     + " Inputs must stay as they were: work on a copy (e.g. np.pad returns a new "
                       "array; `x += ...` changes the caller's x, `x = x + ...` does not; "
                       "np.asarray(x, dtype) and x.astype(dtype, copy=False) return x itself when "
                       "it already has that dtype)."
                     + (f" If {name} hands `{arg}` to another of your functions (a ReLU's or a "
                        f"norm's backward), that one may be what writes into it: each must leave "
                        f"its inputs alone." if "block" in name or "step" in name else ""))
        return result

    def backward(self, name: str, *args: Any, grads: tuple[str, ...], **kwargs: Any):
        """Call a backward function that returns one gradient per name in `grads`.

        Returns a tuple of arrays (a single array is accepted when one gradient is expected).
        """
        result = self.call(name, *args, **kwargs)
        record = next((r for r in records.recent() if r.name == name and r.result is result), None)
        if record is not None:
            record.gradient_names = tuple(grads)
        if len(grads) == 1 and isinstance(result, np.ndarray):
            result = (result,)
        if not (isinstance(result, tuple) and len(result) == len(grads)):
            fail(f"{name} should return {len(grads)} gradient(s) ({', '.join(grads)}); "
                 f"it returned {_describe(result)}.")
        for grad_name, grad in zip(grads, result):
            if not isinstance(grad, np.ndarray):
                fail(f"{name}: the gradient {grad_name} should be a NumPy array, got {_describe(grad)}.")
        expect_owned_gradients(name, dict(zip(grads, result)), args, kwargs)
        return result

    def _reference_verdict(self, name: str, args: tuple, kwargs: dict) -> list[str]:
        """Whether the reference accepts the inputs that made the learner's code raise."""
        if current_impl() == "solutions" or records.forward_of(args, kwargs) is not None:
            return []  # a learner's cache means nothing to the reference
        try:
            reference = getattr(reference_module(self.topic, self.module_name), name)
            copies = copy.deepcopy((args, kwargs))
            with _time_limit(2.0), np.errstate(all="ignore"):
                reference(*copies[0], **copies[1])
        except NotImplementedError:
            return []
        except (Exception, KataTimeout) as err:
            if isinstance(err, KataTimeout):
                return []
            return [f"The reference refuses these inputs too ({type(err).__name__}): the spec "
                    f"expects a refusal here, with the brief's exception and message."]
        return ["The reference returns normally for these same inputs: they are legal by the "
                "brief, so your code must accept them (nothing is wrong with the spec's call)."]

    def _guarded(self, name, fn, args, kwargs, time_limit):
        # After one time-out the same function is not called again in this run: an endless loop
        # costs one wait, not one per spec.
        key = (self.where, name)
        if key in _TIMED_OUT:
            fail(f"{name} is not called again: it did not return in time in an earlier spec "
                 f"({_TIMED_OUT[key]}). Fix that endless loop first.")
        try:
            with _time_limit(time_limit):
                return fn(*args, **kwargs)
        except NotImplementedError as err:
            fail(_not_implemented_message(name, err, self.topic))
        except KataTimeout:
            spec = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].split(" ")[0]
            _TIMED_OUT[key] = spec or "an earlier call"
            fail(f"{name} did not return within {time_limit:.0f} s on a small input. Look for a "
                 f"loop that never ends (a while loop whose counter is not advanced, or a stride "
                 f"of 0), or a loop over far more positions than the output has.")
        except Exception as err:
            reasons = "".join(f"\n  {sentence}" for sentence in
                              _forward_first(args, kwargs) + _reasoning(err, fn, args, kwargs)
                              + self._reference_verdict(name, args, kwargs))
            fail(f"{name} raised {type(err).__name__}: {_one_line(err)}{_learner_line(err)}\n"
                 f"  The call: {describe_call(name, fn, args, kwargs)}{reasons}")
        raise AssertionError("unreachable")


def _changes(before: np.ndarray, now: Any) -> str:
    """' (its shape went from (2, 3) to (6,))': what an in-place change did to an array."""
    if not isinstance(now, np.ndarray):
        return ""
    if now.shape != before.shape:
        return (f" (its shape went from {before.shape} to {now.shape}: assigning to .shape, or "
                f"resize, reshapes the caller's array itself; use .reshape(...), which returns a "
                f"new view)")
    changed = ~((now == before) | (np.isnan(now) & np.isnan(before)))
    return f" ({int(changed.sum())} of {changed.size} elements changed)"


def describe_call(name: str, fn, args: tuple, kwargs: dict) -> str:
    """'conv2d_forward(x=float64 (2, 3, 5, 5), w=..., stride=(2, 1))': what the learner's
    function was given, so an exception can be read against the inputs that raised it."""
    bound = _bind_arguments(fn, args, kwargs)
    return f"{name}(" + ", ".join(f"{arg}={_value_text(value)}" for arg, value in bound.items()) + ")"


BROADCAST = re.compile(r"could not be broadcast together with (?:remapped )?shapes? ((?:\([\d, ]*\)\s*)+)")


def _broadcast_reasoning(text: str) -> list[str]:
    """For NumPy's 'could not be broadcast together with shapes A B': which axes disagree, and
    a 1-D vector meeting a 4-D array on its last axis (a per-channel vector not reshaped)."""
    found = BROADCAST.search(text)
    if not found:
        return []
    shapes = [tuple(int(n) for n in group.split(",") if n.strip())
              for group in re.findall(r"\(([\d, ]*)\)", found.group(1))]
    if len(shapes) < 2:
        return []
    a, b = shapes[0], shapes[1]
    for vector, array in ((a, b), (b, a)):
        if len(vector) == 1 and len(array) >= 3 and array[1] == vector[0] != array[-1]:
            return [f"A ({vector[0]},) vector meets the {array} array on its LAST axis (NumPy lines "
                    f"shapes up from the right), of size {array[-1]}. To act per channel it must be "
                    f"(1, {vector[0]}, 1, 1): v.reshape(1, -1, 1, 1) or v[None, :, None, None]."]
    if len(a) == len(b):
        differ = [f"axis {i}: {x} against {y}" for i, (x, y) in enumerate(zip(a, b))
                  if x != y and 1 not in (x, y)]
        if differ:
            return [f"The two arrays differ at {'; '.join(differ)}: one of them was cut or built "
                    f"with another size there (a window slice's stop, an output size)."]
    return []


RESHAPE = re.compile(r"cannot reshape array of size (\d+) into shape \(([\d, ]+)\)")


def _reasoning(err: BaseException, fn, args: tuple, kwargs: dict) -> list[str]:
    """What the inputs say about an exception: for a failed reshape, the one axis whose size
    would make it fit; for a windowed call, the output size the brief's formula gives."""
    said = []
    found = RESHAPE.search(str(err))
    if found:
        size, shape = int(found.group(1)), [int(n) for n in found.group(2).split(",") if n.strip()]
        fits = [(axis, size // rest) for axis, rest in
                ((axis, int(np.prod(shape[:axis] + shape[axis + 1:]))) for axis in range(len(shape)))
                if rest and size % rest == 0 and size // rest != shape[axis]]
        needed = int(np.prod(shape))
        if len(fits) == 1:
            axis, size_there = fits[0]
            said.append(f"The array has {size} elements, the shape asks for {needed}: it would fit "
                        f"with {size_there} instead of {shape[axis]} at axis {axis}, so one of the "
                        f"sizes you computed differs from the array's.")
        else:
            said.append(f"The array has {size} elements, the shape asks for {needed}: the sizes "
                        f"you computed (an output size, a kernel size) differ from the array's.")
    said += _broadcast_reasoning(str(err))
    try:
        text = relations.output_size_text(_bind_arguments(fn, args, kwargs))
    except Exception:
        text = ""
    return said + ([text] if text else [])


def _forward_first(args: tuple, kwargs: dict) -> list[str]:
    """For a backward that raised: its forward's `out` against the reference's, when they
    differ (the spec builds dout in the expected shape, so a wrong forward breaks the backward)."""
    forward = records.forward_of(args, kwargs)
    if forward is None:
        return []
    try:
        replayed = mistakes.replay(reference_module(forward.topic, forward.module), forward)
        mine = forward.result[0] if isinstance(forward.result, tuple) else None
        theirs = replayed.outputs.get(("result", 0)) if replayed is not None else None
    except Exception:
        return []
    if mine is None or theirs is None:
        return []
    if np.shape(mine) != np.shape(theirs):
        return [f"Fix {forward.name} first: for the same inputs it returned out of shape "
                f"{np.shape(mine)} where {np.shape(theirs)} is expected, and this backward was "
                f"given a dout of the expected shape."]
    if not mistakes.close(mine, theirs, 1e-6 if np.asarray(mine).dtype == np.float64 else 1e-4):
        return [f"Fix {forward.name} first: for the same inputs its out differs from the "
                f"reference's; this backward may well be right."]
    return []


def _value_text(value: Any, depth: int = 0) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} array {tuple(value.shape)}"
    if isinstance(value, dict) and depth == 0:
        return "{" + ", ".join(f"{k!r}: {_value_text(v, 1)}" for k, v in list(value.items())[:8]) + \
            (", ..." if len(value) > 8 else "") + "}"
    if isinstance(value, (tuple, list)) and depth == 0 and any(isinstance(v, np.ndarray) for v in value):
        more = ", ..." if len(value) > 6 else ""
        return "(" + ", ".join(_value_text(v, 1) for v in value[:6]) + more + ")"
    if isinstance(value, np.random.Generator):
        return "a np.random.Generator"
    text = repr(value)
    return text if len(text) <= 40 else f"a {type(value).__name__}"


def _known_in_place_mistake(record, index: int, arg: str, positional: int, now) -> str:
    """' Known mistake (...): ...' when a catalogued mistake modifies the same input alike."""
    if record is None:
        return ""
    try:
        match = mistakes.name_in_place_mistake(record, index if index < positional else arg, now)
    except Exception:
        return ""
    if match is None:
        return ""
    return "".join("\n" + textwrap.fill(sentence, 100, initial_indent="  ", subsequent_indent="  ")
                   for sentence in match.sentences()) + "\n "


def check_finite(value: np.ndarray, label: str, args: tuple = (), kwargs: dict | None = None) -> None:
    """Fail if `value` holds NaN or inf, naming the first bad element; when the call's inputs
    are large enough for exp to overflow, say so (that is then the likeliest cause)."""
    if not np.issubdtype(value.dtype, np.floating):
        return
    bad = ~np.isfinite(value)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        fail(f"{label} contains NaN or inf ({int(bad.sum())} of {value.size} elements, first at "
             f"index {first})." + (_overflow_text(args, kwargs or {}) or
             " Usual causes: an array made with np.empty and never fully written, "
             "a division by zero, or a log/sqrt of a negative number."))


def _overflow_text(args: tuple, kwargs: dict) -> str:
    """' The inputs reach 1000, and exp overflows past 709 ...' when they do."""
    integers = [v for v in (*args, *kwargs.values()) if isinstance(v, np.ndarray)
                and np.issubdtype(v.dtype, np.integer) and v.dtype.itemsize <= 2 and v.size]
    if integers:
        kind = integers[0].dtype
        return (f" An input is {kind} (pixels, say): arithmetic in {kind} wraps around silently (in uint8, "
                f"200 * 200 is 64 and 3 - 5 is 254), so a variance or a square can come out "
                f"wrong or 0 before any division. Convert to float first (x.astype(np.float32)).")
    inputs = [v for v in (*args, *kwargs.values()) if isinstance(v, np.ndarray)
              and np.issubdtype(v.dtype, np.floating) and v.size]
    if not inputs:
        return ""
    largest = max(float(np.max(np.abs(v))) for v in inputs)
    limit = min(int(np.log(np.finfo(v.dtype).max)) for v in inputs)  # 709, 88
    if largest <= limit:
        return ""
    return (f" The inputs here reach {largest:.4g} in magnitude, and exp overflows to inf past "
            f"{limit} in this dtype (inf / inf is NaN): subtract each row's maximum before "
            f"exp (exp(z - max) is at most 1 and gives the same softmax), or work with the "
            f"log-sum-exp.")


def _not_implemented_message(name: str, err: BaseException, topic: str) -> str:
    # The innermost frame that raised names the function really missing (maybe an earlier topic's).
    frames = traceback.extract_tb(err.__traceback__)
    where = frames[-1] if frames else None
    missing, missing_topic = name, topic
    if where is not None:
        path = Path(where.filename)
        if path.parent.parent.name in ("katas", "solutions"):
            missing, missing_topic = where.name, path.parent.name
    if missing == name or missing == "<module>":
        return f"{name} is not implemented yet: see {brief_path(missing_topic)}"
    return (f"{name} needs {missing}, which is not implemented yet: it belongs to "
            f"{missing_topic}, see {brief_path(missing_topic)}")


def _learner_line(err: BaseException) -> str:
    """Where in the learner's code it went wrong, e.g. ' (at katas/.../file.py:LINE: code)'.

    The line that raised is the deepest frame in the repository's code. When the exception came
    from deeper, in NumPy, that line is the call that failed ("which failed inside np.pad"); when
    it came from one of the learner's own helpers, the line that called the helper follows.
    """
    if isinstance(err, SyntaxError) and err.filename:
        return f" (at {_relative(err.filename)}:{err.lineno})"
    frames = traceback.extract_tb(err.__traceback__)
    mine = [frame for frame in frames if _relative(frame.filename).startswith(LEARNER_FOLDERS)]
    if not mine:
        return ""
    raised, last = frames[-1], mine[-1]
    text = f" (at {_frame_text(last)}"
    if raised is not last:
        text += f", which failed inside {raised.name}"
    elif len(mine) > 1:
        text += f", in {last.name}, called from {_frame_text(mine[-2])}"
    return text + ")"


LEARNER_FOLDERS = ("katas/", "solutions/", "mistakes/")


def _frame_text(frame: traceback.FrameSummary) -> str:
    return f"{_relative(frame.filename)}:{frame.lineno}: {frame.line}"


def _relative(filename: str) -> str:
    try:
        return Path(filename).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return filename


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else "(no message)"


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)}"
    return f"a {type(value).__name__}"


def _bind_arguments(fn, args, kwargs) -> dict[str, Any]:
    """Argument name -> value, as the function sees them (positional names where known)."""
    try:
        return dict(inspect.signature(fn).bind_partial(*args, **kwargs).arguments)
    except (TypeError, ValueError):
        named = {f"argument {i + 1}": value for i, value in enumerate(args)}
        return {**named, **kwargs}


def _same_array(now: Any, before: np.ndarray) -> bool:
    return (isinstance(now, np.ndarray) and now.shape == before.shape
            and np.array_equal(now, before, equal_nan=True))


def _arrays_in(result: Any, name: str) -> Iterator[tuple[str, np.ndarray]]:
    if isinstance(result, np.ndarray):
        yield f"the result of {name}", result
    elif isinstance(result, (tuple, list)):
        for i, item in enumerate(result):
            if isinstance(item, np.ndarray):
                yield f"item {i} of what {name} returned", item
    elif isinstance(result, dict):
        for key, item in result.items():
            if isinstance(item, np.ndarray):
                yield f"{name}(...)[{key!r}]", item
