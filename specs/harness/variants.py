"""The plausible misreadings of a recorded call's arguments, as other calls to re-run.

An (h, w) pair swapped or one half used for both, a setting left at its default, a flag
flipped, a fraction used as 1 - itself, a vector of ones or zeros (gamma = 1, beta = 0), two
same-shaped vectors exchanged, a group count read as a group size. relations.py re-runs the
reference with each, to find the one that gives a learner's wrong result; mistakes.py re-runs a
known mistake and the learner's code with some, to check that they agree beyond one input.
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from typing import Any

import numpy as np

from . import records
from .impl import reference_module

PAIR_NAMES = ("stride", "padding", "dilation", "kernel_size", "kernel", "_hw")
FRACTION_WORDS = ("momentum", "smoothing", "label_smoothing", "lookahead", "alpha")


# ---- the call and its reference ------------------------------------------------------------

def setting_call(record: records.CallRecord) -> records.CallRecord:
    """The call whose arguments shape the result: a backward's forward, else the call itself."""
    return record.forward if record.forward is not None else record


def reference_function(call: records.CallRecord):
    return getattr(reference_module(call.topic, call.module), call.name)


def bound_arguments(call: records.CallRecord) -> tuple[inspect.Signature, dict[str, Any]] | None:
    """The reference's signature and the call's arguments by name, defaults included."""
    try:
        signature = inspect.signature(reference_function(call))
        bound = signature.bind(*call.args, **call.kwargs)
    except (TypeError, ValueError, AttributeError, ImportError):
        return None
    bound.apply_defaults()
    return signature, dict(bound.arguments)


def split_like(call: records.CallRecord, arguments: dict[str, Any]) -> dict[str, Any]:
    """args/kwargs for `arguments` passed as `call` passed its own (so output paths agree)."""
    names = list(arguments)
    positional = len(call.args)
    bound = bound_arguments(call)
    defaults = bound[1] if bound is not None else {}
    # A setting the call left to the function's default stays unpassed (the learner's own
    # default then applies, as in the spec), unless it is the one being changed.
    return {"args": tuple(arguments[n] for n in names[:positional]),
            "kwargs": {n: arguments[n] for n in names[positional:]
                       if n in call.kwargs or n not in defaults or not _same(arguments[n], defaults[n])}}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b
    try:
        return bool(a == b) and type(a) is type(b)
    except Exception:
        return False


def substitutions(call: records.CallRecord) -> list[tuple[str, Any, str]]:
    """(parameter, other value, why that value) for each plausible misreading of the call."""
    bound = bound_arguments(call)
    if bound is None:
        return []
    signature, arguments = bound
    found: list[tuple[str, Any, str]] = []
    arrays = {n: v for n, v in arguments.items() if isinstance(v, np.ndarray)}
    for name, value in arguments.items():
        default = signature.parameters[name].default
        found += _misreadings(name, value, default, arguments)
    vectors = [(n, v) for n, v in arrays.items() if v.ndim == 1]
    for (a, va), (b, vb) in ((p, q) for i, p in enumerate(vectors) for q in vectors[i + 1:]):
        if va.shape == vb.shape and not np.array_equal(va, vb):
            found.append((f"{a}+{b}", (vb, va), "exchanged"))
    return found


def _misreadings(name: str, value: Any, default: Any, arguments: dict) -> list[tuple[str, Any, str]]:
    found = []
    has_default = default is not inspect.Parameter.empty
    if isinstance(value, np.ndarray):
        if value.ndim == 1 and value.size > 1:
            if not np.all(value == 1):
                found.append((name, np.ones_like(value), "ones"))
            if np.any(value):
                found.append((name, np.zeros_like(value), "zeros"))
        return found
    if isinstance(value, bool):
        return [(name, not value, "flipped")]
    if value is None and name.startswith("stride"):
        kernel = as_pair(arguments.get("kernel_size"))
        if kernel is not None and kernel[0] != kernel[1]:
            return [(name, (kernel[0], kernel[0]), "kernel height for both"),
                    (name, (kernel[1], kernel[1]), "kernel width for both"), (name, 1, "one")]
        return [(name, 1, "one")] if kernel is not None and kernel != (1, 1) else []
    pair = as_pair(value)
    if pair is not None and any(word in name for word in PAIR_NAMES):
        h, w = pair
        usual = as_pair(default) if has_default and default is not None else None
        if usual is not None and usual != pair:
            found.append((name, default, "default"))  # first: "not applied" is the simplest reading
        if h != w:
            found += [(name, (w, h), "swapped")]
            found += [(name, both, why) for both, why in (((h, h), "height for both"),
                                                          ((w, w), "width for both"))
                      if both != usual]
        if name.startswith("stride") and has_default and default is None:
            kernel = as_pair(arguments.get("kernel_size"))
            if kernel is not None and kernel != pair:
                found.append((name, None, "default"))
        return found
    if isinstance(value, float):
        if has_default and isinstance(default, float) and default != value:
            found.append((name, default, "default"))
        if 0 < value < 1 and any(word in name for word in FRACTION_WORDS):
            found.append((name, 1 - value, "complement"))
        if value != 0 and name not in ("eps",):
            found.append((name, 0.0, "zero"))
        return found
    if isinstance(value, int) and has_default and isinstance(default, int) and default != value:
        found.append((name, default, "default"))
    if isinstance(value, int) and value > 1 and "group" in name:
        channels = next((v.shape[1] for v in arguments.values()
                         if isinstance(v, np.ndarray) and v.ndim == 4), None)
        if channels and channels % value == 0 and channels // value != value:
            found.append((name, channels // value, "group size"))
    return found


def as_pair(value: Any) -> tuple[int, int] | None:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and \
            all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        return int(value[0]), int(value[1])
    return None


def apply(arguments: dict[str, Any], parameter: str, value: Any) -> dict[str, Any]:
    changed = dict(arguments)
    if "+" in parameter:
        a, b = parameter.split("+")
        changed[a], changed[b] = value
    else:
        changed[parameter] = value
    return changed


def with_arguments(record: records.CallRecord, arguments: dict[str, Any]) -> records.CallRecord:
    """`record` re-aimed: its setting call (its forward, for a backward) given `arguments`."""
    setting = setting_call(record)
    changed = replace(setting, **split_like(setting, arguments))
    return replace(record, forward=changed) if record.forward is not None else \
        replace(changed, result=record.result)


def transposed(arguments: dict[str, Any]) -> dict[str, Any] | None:
    """The same call with height and width exchanged: every 4-D array's last two axes swapped
    and every (h, w) pair reversed (None when nothing changes)."""
    changed = {}
    for name, value in arguments.items():
        if isinstance(value, np.ndarray) and value.ndim == 4:
            changed[name] = np.ascontiguousarray(np.swapaxes(value, 2, 3))
        elif any(word in name for word in PAIR_NAMES) and as_pair(value) is not None:
            changed[name] = as_pair(value)[::-1]
        else:
            changed[name] = value
    return changed


def other_calls(record: records.CallRecord, most: int = 3) -> list[records.CallRecord]:
    """A few calls that differ from `record` in one setting (a pair reversed, a default) or
    in orientation, to tell apart two codes that agree on `record`'s inputs by chance."""
    setting = setting_call(record)
    bound = bound_arguments(setting)
    if bound is None:
        return []
    arguments = bound[1]
    found = [transposed(arguments)]
    found += [uneven(arguments)] if uneven(arguments) else []
    found += [apply(arguments, parameter, value) for parameter, value, why in substitutions(setting)
              if why in ("swapped", "default", "flipped")]
    calls = [with_arguments(record, changed) for changed in found[:most]]
    if any(name not in setting.kwargs for name in list(arguments)[len(setting.args):]):
        # every setting passed as the brief's default: a learner default of its own no longer
        # applies (a default momentum of 0.9 is not the reversed-momentum formula)
        explicit = replace(setting, args=tuple(arguments[n] for n in list(arguments)[:len(setting.args)]),
                           kwargs={n: arguments[n] for n in list(arguments)[len(setting.args):]})
        calls.append(replace(record, forward=explicit) if record.forward is not None
                     else replace(explicit, result=record.result))
    return calls


def geometry_calls(record: records.CallRecord) -> list[records.CallRecord]:
    """The call transposed, and with its square settings made uneven: the same misreading,
    applied to these, must still give the learner's result (relations.py)."""
    bound = bound_arguments(setting_call(record))
    if bound is None:
        return []
    changed = [transposed(bound[1]), uneven(bound[1])]
    return [with_arguments(record, arguments) for arguments in changed if arguments is not None]


def uneven(arguments: dict[str, Any]) -> dict[str, Any] | None:
    """The call with each square (h, w) setting made uneven, (s, s) -> (s, s + 1), so that
    code mixing up the two values can be told from code ignoring the setting."""
    changed, any_changed = dict(arguments), False
    for name, value in arguments.items():
        pair = as_pair(value)
        if pair is not None and pair[0] == pair[1] and name.startswith(("stride", "padding")):
            changed[name] = (pair[0], pair[1] + 1)
            any_changed = True
    return changed if any_changed else None
