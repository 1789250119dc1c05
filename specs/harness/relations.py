"""Diagnosis by relation to the expected result: hypotheses that hold for any function, tried
when no catalogued mistake (mistakes.py) reproduces the learner's result.

Each hypothesis re-runs the reference on the same call (records.py keeps its inputs) and asks
what the learner's wrong value IS, not what it resembles:
- argument substitution: the reference called with one argument read another way (an (h, w) pair
  swapped or one half used for both, a setting left at its default, a flag flipped, a fraction
  used as 1 - itself, gamma = 1 or beta = 0, two same-shaped arrays exchanged). When one of them
  gives exactly the learner's value, that argument is what the learner's code misreads;
- output relations: the value is another output of the same call (two outputs exchanged), or
  the expected one times or over an argument along one axis (gamma left out or applied twice);
  and which outputs of the call are right when one is wrong;
- shapes, axis by axis: each wrong size against the output-size formula and its common slips
  (no + 1, padding on one side, the other axis's padding or kernel, the span without dilation, a
  backward that must return its input's shape, `p:-p` with p = 0), and against the shape a
  substituted argument gives.

Every sentence names the argument, output or axis, and what to change. Only on failure, within a
time budget; a hypothesis that raises is skipped.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import numpy as np

from . import mistakes, records
from .impl import import_topic_module
from .variants import (
    apply,
    as_pair,
    bound_arguments,
    geometry_calls,
    setting_call,
    substitutions,
    with_arguments,
)

BUDGET = 3.0  # seconds of reference re-runs per test session for these hypotheses
_spent = [0.0]
WORDS = {"stride": "stride", "padding": "padding", "dilation": "dilation",
         "kernel_size": "kernel size", "kernel": "kernel size"}


def _replay(record: records.CallRecord, arguments: dict[str, Any] | None = None):
    """The reference's outputs for `record`, its setting call's arguments replaced by
    `arguments` (all of them, by name) when given. None when it raises or the budget is spent."""
    if _spent[0] > BUDGET:
        return None
    started = time.perf_counter()
    try:
        module = mistakes.reference_module(record.topic, record.module)
        if arguments is not None:
            record = with_arguments(record, arguments)
        return mistakes.replay(module, record)
    except Exception:
        return None
    finally:
        _spent[0] += time.perf_counter() - started


# ---- names for what a call returned --------------------------------------------------------

def label(record: records.CallRecord, path: tuple) -> str:
    """'out', 'dgamma', "state['running_var']": a learner's name for one output."""
    if path == ("result", 0) and record.is_forward:
        return "out"
    if path and path[0] == "result":
        names = _gradient_names(record)
        if len(path) == 2 and isinstance(path[1], int) and names and path[1] < len(names):
            return names[path[1]]
        if len(path) == 1:
            return names[0] if names and len(names) == 1 else "result"
        if len(path) == 2 and isinstance(path[1], int):
            return f"output {path[1]}"
        if len(path) == 2 and isinstance(path[1], str):
            return path[1]  # a returned dict's key: conv2d_cost's 'params'
        if len(path) == 3 and isinstance(path[2], str):
            owner = "grads" if record.forward is not None else f"item {path[1]}"
            return f"{owner}[{path[2]!r}]"
        return "the result" + "".join(f"[{p!r}]" for p in path[1:])
    if path and path[0] in ("arg", "kwarg"):
        call = record
        bound = bound_arguments(call)
        name = path[1] if path[0] == "kwarg" else (
            list(bound[1])[path[1]] if bound and path[1] < len(bound[1]) else f"argument {path[1]}")
        return name + "".join(f"[{p!r}]" for p in path[2:])
    return str(path)


def _gradient_names(record: records.CallRecord) -> list[str]:
    """The backward's output names: the spec's when it gave them (a backward may return fewer
    gradients than its forward has inputs: conv2d_backward_weights gives dw, db), else d<name>
    for each array argument of the forward, in its order (the contract's order)."""
    if record.gradient_names:
        return list(record.gradient_names)
    if record.forward is None:
        return []
    bound = bound_arguments(record.forward)
    if bound is None:
        return []
    return [f"d{name}" for name, value in bound[1].items() if isinstance(value, np.ndarray)]


# ---- argument substitution ----

def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if np.all(value == 1):
            return "ones"
        if not np.any(value):
            return "zeros"
        return f"an array of shape {value.shape}"
    return repr(tuple(value)) if isinstance(value, list) else repr(value)


def _meaning(parameter: str, old: Any, new: Any, why: str, backward: bool) -> str:
    """What reading `parameter` as `new` means, and the fix, in the brief's words."""
    word = WORDS.get(parameter, f"`{parameter}`")
    if why in ("kernel height for both", "kernel width for both"):
        return ("stride=None means the stride is the kernel size, both of its values: "
                "(KH, KW), not one of them for both axes")
    if why == "one":
        return "stride=None means the stride is the kernel size (KH, KW), not 1"
    if why == "swapped":
        return (f"the {word} pair is read as (w, h): its first value is the height (rows, axis "
                f"2), its second the width (columns, axis 3)")
    if why in ("height for both", "width for both"):
        used = "height" if why == "height for both" else "width"
        other = "width (columns)" if used == "height" else "height (rows)"
        return (f"the {word}'s {used} value is used in both directions: the {other} needs the "
                f"pair's other value ({parameter}[{1 if used == 'height' else 0}])")
    if why == "default":
        if parameter.startswith("stride") and new is None:
            return "the stride is taken to be the kernel size: use the stride argument"
        return (f"`{parameter}` is not applied{' in the backward' if backward else ''}: your "
                f"result is what its default, {_describe(new)}, gives. Use the argument "
                f"{'as the forward did' if backward else 'you were passed'}")
    if why == "flipped":
        return (f"the `{parameter}={old}` branch does what `{parameter}={new}` should: the "
                f"condition on {parameter} is the wrong way round, or {parameter} is not passed on")
    if why == "complement":
        return (f"{parameter} is used as 1 - {parameter}: PyTorch's convention (the brief's) is "
                f"new = (1 - {parameter}) * old + {parameter} * batch")
    if why == "zero":
        return f"`{parameter}` plays no part in your result: it is never applied"
    if why == "ones":
        return f"`{parameter}` is never multiplied in (your result is what {parameter} = 1 gives)"
    if why == "zeros":
        return f"`{parameter}` is never added (your result is what {parameter} = 0 gives)"
    if why == "exchanged":
        a, b = parameter.split("+")
        return f"`{a}` and `{b}` are used in each other's place"
    if why == "group size":
        return (f"{parameter} is read as the size of a group: {old} groups of C // {old} "
                f"channels each, not groups of {old} channels")
    return f"`{parameter}` is misread"


def _rival(record, path, arguments, setting, found: str, matches, every_output, tol) -> str:
    """' These inputs cannot tell it from nesterov=False ...' when a misreading of another
    parameter gives the same value here (momentum = 0 and no Nesterov agree on a first step)."""
    for parameter, value, why in substitutions(setting):
        if parameter == found:
            continue
        replayed = _replay(record, apply(arguments, parameter, value))
        if replayed is None or path not in replayed.outputs or not matches(replayed.outputs[path]):
            continue
        if every_output and not _gives_every_output(record, replayed, tol):
            continue
        return (f" These inputs cannot tell that from {parameter}={_describe(value)}, which "
                f"gives the same: {_meaning(parameter, arguments.get(parameter), value, why, False)}.")
    return ""


def _all_finite(value: Any) -> bool:
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))
    except (TypeError, ValueError):
        return True


def _holds_elsewhere(record, path, parameter: str, why: str, tol: float, shape_only: bool) -> bool:
    """The same misreading explains the learner's code on other calls too (variants.other_calls:
    the call transposed, its square settings made uneven): the learner's output there is the
    reference's with that parameter misread the same way. A formula that agrees by chance on one
    input (27 = (56 + 2 - 3) // 2 = (56 - 3) // 2 + 1) does not survive this."""
    try:
        learner = import_topic_module(record.topic, record.module)
    except Exception:
        return True
    for other in geometry_calls(record):
        setting = setting_call(other)
        bound = bound_arguments(setting)
        if bound is None:
            continue
        misread = next((value for name, value, reason in substitutions(setting)
                        if name == parameter and reason == why), _NO_VALUE)
        if misread is _NO_VALUE:
            continue
        mine = mistakes.replay(learner, other)
        theirs = _replay(other, apply(bound[1], parameter, misread))
        if mine is None or theirs is None or path not in mine.outputs or path not in theirs.outputs:
            continue
        a, b = mine.outputs[path], theirs.outputs[path]
        if np.shape(a) != np.shape(b) or (not shape_only and not _close(a, b, tol)):
            return False
    return True


_NO_VALUE = object()


def _only_this_output(record, path, parameter: str, old: Any) -> str:
    """For a misreading that gives this output but not the call's others."""
    what = label(record, path)
    return (f"only {what} is computed as with that setting, while your other outputs are as "
            f"{parameter}={_describe(old)} gives: the {what} part of your {parameter}={_describe(old)} "
            f"case uses the other setting's formula (e.g. the batch's statistics in eval mode)")


def _coinciding(call, parameter: str, value: Any, why: str) -> str:
    """' (also what its height value used for both gives)' when another misreading of the same
    parameter gives the very same value."""
    others = [other_why for name, other, other_why in substitutions(call)
              if name == parameter and other_why != why and as_pair(other) is not None
              and as_pair(other) == as_pair(value)]
    words = {"default": "its default", "height for both": "its height value used for both",
             "width for both": "its width value used for both"}
    named = [words[w] for w in others if w in words]
    return f" (which is also {' and '.join(named)})" if named else ""


def _gives_every_output(record, replayed, tol: float) -> bool:
    mine = records.outputs(record, record.result, record.live_args, record.live_kwargs)
    return set(mine) == set(replayed.outputs) and all(
        _close(value, replayed.outputs[path], tol) for path, value in mine.items())


def _not_passed(call: records.CallRecord, parameter: str) -> bool:
    """True when the call left `parameter` to the function's default."""
    bound = bound_arguments(call)
    if bound is None or parameter in call.kwargs:
        return False
    return list(bound[1]).index(parameter) >= len(call.args)


def _close(a: Any, b: Any, rtol: float) -> bool:
    return mistakes.close(a, b, rtol)


def _reproduce_rtol(value: Any, rtol: float) -> float:
    loose = 1e-4 if getattr(value, "dtype", None) == np.float32 else 1e-6
    return max(rtol, loose)


def substituted_argument(record, path, got, expected_rtol: float, shape_only: bool = False,
                         every_output: bool = False):
    """(sentence, other paths it explains) for the misreading that reproduces `got`, or None."""
    setting = setting_call(record)
    bound = bound_arguments(setting)
    if bound is None:
        return None
    _, arguments = bound
    correct = _replay(record)
    if correct is None or path not in correct.outputs:
        return None
    tol = _reproduce_rtol(got, expected_rtol)

    def matches(value) -> bool:
        if shape_only:
            return np.shape(value) == np.shape(got) and np.shape(value) != np.shape(correct.outputs[path])
        return _all_finite(value) and _close(value, got, tol) and \
            not _close(value, correct.outputs[path], tol)

    for parameter, value, why in substitutions(setting):
        replayed = _replay(record, apply(arguments, parameter, value))
        if replayed is None or path not in replayed.outputs:
            continue
        if not matches(replayed.outputs[path]):
            continue
        if every_output and not _gives_every_output(record, replayed, tol):
            continue
        if not _holds_elsewhere(record, path, parameter, why, tol, shape_only):
            continue  # a coincidence of these inputs: on other calls it does not explain the code
        old = arguments[parameter] if "+" not in parameter else None
        backward = record.forward is not None
        partly = "" if shape_only or every_output or _gives_every_output(record, replayed, tol) \
            else _only_this_output(record, path, parameter, old)
        also = _coinciding(setting, parameter, value, why)
        what = label(record, path)
        call = f"{record.forward.name} + {record.name}" if backward else record.name
        unpassed = "+" not in parameter and _not_passed(setting, parameter)
        if "+" in parameter:
            change = f"`{parameter.replace('+', '` and `')}` exchanged"
        elif unpassed:
            change = (f"{parameter}={_describe(value)}. The spec did not pass {parameter}, so "
                      f"your default applies, and the brief's default is {_describe(old)}: is "
                      f"yours {_describe(old)}? If it is")
        else:
            change = f"{parameter}={_describe(value)} instead of {parameter}={_describe(old)}"
        verb = "has the shape that" if shape_only else "is exactly what"
        meaning = partly or _meaning(parameter, old, value, why, backward)
        rival = _rival(record, path, arguments, setting, parameter, matches, every_output, tol)
        return (f"Your {what} {verb} a correct {call} gives with {change}{also}: {meaning}.{rival}")
    return None


# ---- output relations ------------------------------------------------------------------------

def exchanged_output(record, path, got, rtol: float) -> str | None:
    """'Your dgamma is the expected dbeta': the value belongs to another output of the call."""
    correct = _replay(record)
    if correct is None:
        return None
    tol = _reproduce_rtol(got, rtol)
    own = correct.outputs.get(path)
    for other, value in correct.outputs.items():
        if other == path or np.shape(value) != np.shape(got) or not np.size(got):
            continue
        if _close(got, value, tol) and (own is None or not _close(got, own, tol)):
            mine, theirs = label(record, path), label(record, other)
            positional = [p for p in correct.outputs if len(p) == 2 and p[0] == "result"
                          and isinstance(p[1], int)]
            order = ", ".join(label(record, p) for p in positional) \
                if path in positional and other in positional else ""
            hint = f" The contract's order is ({order})." if order and "," in order else ""
            return (f"Your {mine} is exactly the expected {theirs}: two outputs are exchanged "
                    f"(returned in the wrong order, or computed into each other's variable).{hint}")
    return None


def which_outputs(record, path, rtol: float = 1e-6) -> str | None:
    """'Of what <f> returns, out and dgamma are right; only state['running_var'] is wrong.'"""
    correct = _replay(record)
    if correct is None:
        return None
    mine = records.outputs(record, record.result, record.live_args, record.live_kwargs)
    right, wrong = [], []
    for other, value in correct.outputs.items():
        if other not in mine:
            continue
        (right if _close(mine[other], value, _reproduce_rtol(mine[other], rtol)) else wrong).append(other)
    if not right or not wrong or path not in wrong:
        return None
    names = ", ".join(label(record, p) for p in right)
    bad = ", ".join(label(record, p) for p in wrong)
    return (f"Of what {record.name} gives back, {names} {'is' if len(right) == 1 else 'are'} "
            f"right and only {bad} {'is' if len(wrong) == 1 else 'are'} wrong: the computation "
            f"they share is right; look at what only {bad} {'uses' if len(wrong) == 1 else 'use'}.")


def missing_factor(record, got, expected, rtol: float) -> str | None:
    """The expected value over (or times) a 1-D argument along one axis: a factor left out."""
    got64, exp64 = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got64.shape != exp64.shape or got64.ndim < 1:
        return None
    setting = setting_call(record)
    bound = bound_arguments(setting)
    if bound is None:
        return None
    tol = _reproduce_rtol(got, rtol)
    for name, value in bound[1].items():
        if not (isinstance(value, np.ndarray) and value.ndim == 1 and value.size > 1) or \
                np.all(value == 1) or not np.all(value):
            continue
        for axis in range(got64.ndim):
            if got64.shape[axis] != value.size:
                continue
            shape = [1] * got64.ndim
            shape[axis] = value.size
            factor = value.astype(np.float64).reshape(shape)
            for relation, candidate in (("left out", exp64 / factor), ("applied twice", exp64 * factor),
                                        ("used as its square root", exp64 / np.sqrt(np.abs(factor)))):
                if _close(got64, candidate, tol):
                    return (f"Your result is the expected one with `{name}` {relation} (the "
                            f"expected value {'divided by' if relation == 'left out' else 'times'} "
                            f"{name} along axis {axis}): multiply by {name} exactly once where "
                            f"the brief's formula has it.")
    return None


# ---- shapes ----------------------------------------------------------------------------------

def shape_slips(record, path, got_shape, expected_shape) -> list[str]:
    """For each wrong axis of a windowed function's output: the slip of the size formula that
    gives the learner's size, and for a backward whether its input's shape was due."""
    got_shape, expected_shape = tuple(got_shape), tuple(expected_shape)
    if len(got_shape) != len(expected_shape):
        return []
    sentences = []
    setting = setting_call(record)
    bound = bound_arguments(setting)
    if bound is not None:
        sentences += _input_shape_slips(record, bound[1], got_shape, expected_shape)
        if sentences:
            return sentences
    geometry = _geometry(bound[1]) if bound is not None and record.forward is None else None
    if geometry is None or len(got_shape) < 4:
        return sentences or _size_origins(record, got_shape, expected_shape)
    for axis, name in ((2, "Hout"), (3, "Wout")):
        if got_shape[axis] == expected_shape[axis]:
            continue
        slip = _size_slip(geometry, axis - 2, got_shape[axis])
        other = "Wout" if name == "Hout" else "Hout"
        right_other = got_shape[5 - axis] == expected_shape[5 - axis]
        got_size, want = got_shape[axis], expected_shape[axis]
        lead = (f"Only {name} is wrong ({got_size} for {want}; {other} is right)" if right_other
                else f"{name} is {got_size} for {want}")
        direction = "height" if axis == 2 else "width"
        sentences.append(f"{lead}: {slip}." if slip else
                         f"{lead}: check the size formula (H + 2*ph - dh*(KH-1) - 1) // sh + 1 "
                         f"with the {direction} values.")
    return sentences


def _size_origins(record, got_shape, expected_shape) -> list[str]:
    """'Its 24 is dout's N*H*W (2*3*4), where 3 = dout's C is expected': which axes of the
    call's arrays a wrong size is made of, i.e. which axes were kept or summed over."""
    if len(got_shape) != len(expected_shape) or len(got_shape) > 2:
        return []
    sizes = []  # (label, size) of every axis of the call's arrays (a backward's and its forward's)
    for call in (record, record.forward):
        bound = bound_arguments(call) if call is not None else None
        for name, value in (bound[1].items() if bound else ()):
            if isinstance(value, np.ndarray) and value.ndim == 4:
                sizes += [(f"{name}'s {axis}", n) for axis, n in zip(("N", "C", "H", "W"), value.shape)]
    said = []
    for axis, (g, e) in enumerate(zip(got_shape, expected_shape)):
        if g == e:
            continue
        mine, theirs = _made_of(sizes, g), _made_of(sizes, e)
        if mine and theirs and mine != theirs:
            said.append(f"Along axis {axis} yours has {g} = {mine}, where {e} = {theirs} is expected: "
                        f"the result keeps (or sums over) the wrong axes of the input.")
    return said[:1]


def _made_of(sizes: list[tuple[str, int]], target: int) -> str:
    """'dout's N*H*W' when one array's axes multiply to `target` (fewest axes first)."""
    for count in (1, 2, 3):
        for owner in dict.fromkeys(label.split("'s ")[0] for label, _ in sizes):
            own = [(label.split("'s ")[1], n) for label, n in sizes if label.startswith(owner + "'s ")]
            for combo in itertools.combinations(own, count):
                if int(np.prod([n for _, n in combo])) == target and target > 1:
                    return f"{owner}'s {'*'.join(axis for axis, _ in combo)}"
    return ""


def _input_shape_slips(record, arguments, got_shape, expected_shape) -> list[str]:
    """A result that must have an input's shape (a gradient, col2im's x_shape): the padding
    left on or cut twice, or an empty [p:-p] when p is 0."""
    if record.forward is None and "x_shape" not in arguments:
        return []  # a forward whose output size happens to equal its input's (3x3, padding 1)
    shapes = [tuple(v.shape) for v in arguments.values() if isinstance(v, np.ndarray)]
    if isinstance(arguments.get("x_shape"), (tuple, list)):
        shapes.append(tuple(arguments["x_shape"]))
    if expected_shape not in shapes or len(got_shape) < 3:
        return []
    what = "A gradient" if record.forward is not None else f"{record.name}'s result"
    lead = f"{what} must have its input's shape {expected_shape}"
    zero = [i for i, (g, e) in enumerate(zip(got_shape, expected_shape)) if g == 0 and e]
    if zero:
        return [f"{lead}; yours has 0 along axis {', '.join(map(str, zero))}. A slice like "
                f"[p:-p] is empty when p is 0 (-0 is 0): cut the padding off with [p:p + H] "
                f"instead."]
    padding = as_pair(arguments.get("padding", 0))
    if padding is None:
        return []
    spatial = [(g - e, p) for g, e, p in zip(got_shape[-2:], expected_shape[-2:], padding)]
    if got_shape[:-2] != expected_shape[:-2] or all(d == 0 for d, _ in spatial):
        return []
    if all(d in (0, 2 * p) for d, p in spatial):
        return [f"{lead}; yours is 2*padding larger: the padding is still attached. Cut it off: "
                f"[..., ph:ph + H, pw:pw + W]."]
    if all(d in (0, -p) for d, p in spatial):
        return [f"{lead}; yours is short by exactly the padding: the crop starts at p but ends "
                f"at H (or W), not at p + H. Cut with [..., ph:ph + H, pw:pw + W]."]
    if all(d in (0, p) for d, p in spatial):
        return [f"{lead}; yours is larger by exactly the padding: the padding is cut off on one "
                f"side only. Cut with [..., ph:ph + H, pw:pw + W]."]
    return []


def _geometry(arguments: dict[str, Any]):
    """(size, kernel, stride, padding, dilation) per spatial axis, as (h, w) pairs, or None."""
    images = [v for v in arguments.values() if isinstance(v, np.ndarray) and v.ndim == 4]
    x_shape = arguments.get("x_shape")
    if isinstance(x_shape, (tuple, list)) and len(x_shape) == 4:
        images.insert(0, np.empty((0, 0, *x_shape[2:])))
    if not images:
        return None
    x = images[0]
    kernel = as_pair(arguments.get("kernel_size")) if "kernel_size" in arguments else (
        tuple(images[1].shape[2:]) if len(images) > 1 else None)
    if kernel is None:
        return None
    stride_value = arguments.get("stride", 1)
    stride = kernel if stride_value is None else as_pair(stride_value)
    padding = as_pair(arguments.get("padding", 0))
    dilation = as_pair(arguments.get("dilation", 1))
    if None in (stride, padding, dilation):
        return None
    return tuple(x.shape[2:]), kernel, stride, padding, dilation


def output_size_text(arguments: dict[str, Any]) -> str:
    """'With these arguments the brief's formula gives Hout = 6, Wout = 5.' ('' if no geometry)."""
    geometry = _geometry(arguments)
    if geometry is None:
        return ""
    size, kernel, stride, padding, dilation = geometry
    out = [(n + 2 * p - d * (k - 1) - 1) // s + 1
           for n, k, s, p, d in zip(size, kernel, stride, padding, dilation)]
    if "dilation" in arguments:
        formula = (f"(H + 2*ph - dh*(KH-1) - 1) // sh + 1 = ({size[0]} + 2*{padding[0]} - "
                   f"{dilation[0]}*({kernel[0]}-1) - 1) // {stride[0]} + 1")
    else:
        formula = (f"(H + 2*ph - KH) // sh + 1 = ({size[0]} + 2*{padding[0]} - {kernel[0]}) "
                   f"// {stride[0]} + 1")
    return (f"With these arguments the output size is Hout = {out[0]}, Wout = {out[1]} "
            f"({formula}, and likewise for W).")


def formula_for(got: Any) -> str:
    """The output-size formula with the numbers of the forward call that returned `got`."""
    located = records.locate(got)
    if located is None or located[0].forward is not None:
        return ""
    bound = bound_arguments(located[0])
    return output_size_text(bound[1]) if bound is not None else ""


def _size_slip(geometry, axis: int, got: int) -> str:
    size, kernel, stride, padding, dilation = geometry
    n, k, s, p, d = size[axis], kernel[axis], stride[axis], padding[axis], dilation[axis]
    o = 1 - axis  # the other axis
    hw = ("h", "w")[axis]
    other = ("h", "w")[o]
    span = d * (k - 1) + 1
    mine, theirs = ("H", "W") if axis == 0 else ("W", "H")
    candidates = (
        ((n + 2 * p - span) // s, "the + 1 is missing"),
        ((n + p - span) // s + 1, "the padding is counted once: it goes on both sides (2*p)"),
        ((n - span) // s + 1, "the padding is left out of the size"),
        ((n + 2 * p - d * k) // s + 1,
         f"the span is taken as d{hw}*K{hw.upper()}; a dilated kernel spans d*(K-1) + 1"),
        ((n + 2 * p - k) // s + 1, "the dilation is left out of the size"),
        ((n + 2 * p - span) + 1, "the stride is left out of the size"),
        (-(-(n + 2 * p - span) // s) + 1, "the division rounds up; it is a floor division (//)"),
        ((n + 2 * padding[o] - span) // s + 1, f"p{other} is used where p{hw} belongs"),
        ((n + 2 * p - d * (kernel[o] - 1) - 1) // s + 1,
         f"K{other.upper()} is used where K{hw.upper()} belongs"),
        ((n + 2 * p - span) // stride[o] + 1, f"s{other} is used where s{hw} belongs"),
        ((n + 2 * p - dilation[o] * (k - 1) - 1) // s + 1, f"d{other} is used where d{hw} belongs"),
        ((size[o] + 2 * p - span) // s + 1, f"the input's {theirs} is used where its {mine} belongs"),
        ((n - k) // s + 1 if (p or d > 1) else None, "padding and dilation are both left out"),
    )
    correct = (n + 2 * p - d * (k - 1) - 1) // s + 1
    for value, slip in candidates:
        if value is not None and value == got and value != correct:
            return (f"that is the size the formula gives when {slip} "
                    f"(here ({n} + 2*{p} - {d}*({k}-1) - 1) // {s} + 1 = {correct})")
    return ""


def reset_budget() -> None:
    _spent[0] = 0.0


# ---- what checks.py asks ---------------------------------------------------------------------

def explain_value(got: Any, expected: Any, rtol: float) -> tuple[list[str], bool]:
    """Sentences relating a wrong value to the expected one, and whether they name the cause
    (then guesses would only compete with them). ([], False) when `got` is no recorded output."""
    located = records.locate(got)
    if located is None:
        return [], False
    record, path = located
    for finder in (lambda: exchanged_output(record, path, got, rtol),
                   lambda: substituted_argument(record, path, got, rtol),
                   lambda: missing_factor(record, got, expected, rtol)):
        sentence = _quietly(finder)
        if sentence:
            mistakes.VERDICTS[records.current_spec()] = "named"
            return [sentence], True
    partial = _quietly(lambda: which_outputs(record, path))
    ruled_out = _quietly(lambda: ruled_out_text(record))
    return [s for s in (partial, ruled_out) if s], False


def ruled_out_text(record: records.CallRecord) -> str:
    """What the re-runs above rule out, for a message that has no named cause."""
    setting = setting_call(record)
    tried: dict[str, list[str]] = {}
    for parameter, _, why in substitutions(setting):
        tried.setdefault(parameter.replace("+", " and "), []).append(why)
    if not tried:
        return ""
    if _spent[0] > BUDGET:
        return ""
    listed = "; ".join(f"{name} ({', '.join(ways)})" for name, ways in tried.items())
    return (f"Re-running the reference on these inputs rules out another output of the call in "
            f"this one's place, and any one of these misreadings applied throughout the call: "
            f"{listed}. A setting may still be misread in one place only (one axis, one step).")


def explain_recent_call() -> list[str]:
    """For a spec that failed in its own words: the misreading of an argument that gives every
    output of one of its recent calls, when that call's outputs differ from the reference's."""
    for record in records.recent()[:2]:
        mine = records.outputs(record, record.result, record.live_args, record.live_kwargs)
        correct = _replay(record)
        if correct is None or set(mine) != set(correct.outputs):
            continue
        wrong = [path for path, value in mine.items()
                 if not _close(value, correct.outputs[path], _reproduce_rtol(value, 1e-7))]
        if not wrong:
            continue
        path = wrong[0]
        got = mine[path]
        sentence = _quietly(lambda r=record, p=path, g=got: exchanged_output(r, p, g, 1e-7)) or \
            _quietly(lambda r=record, p=path, g=got: substituted_argument(r, p, g, 1e-7,
                                                                          every_output=True))
        if sentence:
            mistakes.VERDICTS[records.current_spec()] = "named"
            return [sentence]
    return []


def explain_shape(got: Any, expected_shape: tuple[int, ...]) -> list[str]:
    """Sentences naming the slip that gives a wrong shape, axis by axis; [] when none is known."""
    located = records.locate(got)
    if located is None:
        return []
    record, path = located
    exchanged = _quietly(lambda: exchanged_output(record, path, got, 1e-6))
    if exchanged:
        return [exchanged]
    substituted = _quietly(lambda: substituted_argument(record, path, got, 0.0, shape_only=True))
    if substituted:
        return [substituted]
    return _quietly(lambda: shape_slips(record, path, np.shape(got), expected_shape)) or []


def _quietly(finder):
    """A hypothesis is a bonus: one that breaks on an unusual call is skipped."""
    try:
        with np.errstate(all="ignore"):
            return finder()
    except Exception:
        return None
