"""Assertions whose failure messages tell a learner what to fix."""

from __future__ import annotations

import re
import textwrap

import numpy as np

from . import diagnose, mistakes, records, relations
from .cases import conv_output_size, output_size_formula, pair
from .diagnose import shape_advice
from .failure import fail
from .gradcheck import numerical_gradient

# Elements smaller than this fraction of the array's largest magnitude are compared absolutely,
# so that a value that should be 0 is not judged by its relative error.
SCALE_FLOOR = 1e-3
# Finite differences carry the rounding noise of the forward's intermediates (2e-16 * |value| /
# step: 1e-9 for running sums of about 10 at a step of 1e-6), which no element's own size bounds:
# a pixel no window reads has gradient 0 and a numerical one of 9e-10. So against finite
# differences every element is judged by the array's largest magnitude (1e-6 of it still
# rejects any real error).
FINITE_DIFFERENCE_FLOOR = 1.0
WRAP = 100  # columns for the explanatory sentences


def expect_shape(got: np.ndarray, expected: tuple[int, ...], what: str, why: str = "") -> None:
    """Fail unless `got.shape == expected`; `why` explains where the expected shape comes from."""
    expected = tuple(int(n) for n in expected)
    if tuple(got.shape) != expected:
        lines = [f"{what} has shape {tuple(got.shape)}, expected {expected}."]
        match = _safely_one(mistakes.name_shape_or_dtype_mistake, got, expected)
        if match is not None:
            lines += [_wrapped(sentence) for sentence in match.sentences()]
        else:
            related = _safely(relations.explain_shape, got, expected)
            lines += [_wrapped(advice) for advice in
                      (related or _safely(shape_advice, got.shape, expected))]
        if why.strip():
            lines.append(f"  {why.strip()}")
        else:  # a fixture's shape: the forward's own numbers in the brief's formula
            formula = _safely_one(relations.formula_for, got)
            lines += [_wrapped(formula)] if formula else []
        fail("\n".join(lines), name_mistake=_untraced(got))


def expect_dtype(got: np.ndarray, expected: np.dtype | type, what: str) -> None:
    """Fail unless `got` has the dtype of the inputs (float32 in gives float32 out)."""
    expected = np.dtype(expected)
    if got.dtype != expected and not _input_dtype_is(got, expected):
        fail(f"{what} is {got.dtype}; it must be {expected}, whatever the input's dtype (the "
             f"brief's rule for this function): convert on the way out, e.g. "
             f"out.astype(np.{expected.name}), or compute in {expected.name} from the start.",
             name_mistake=_untraced(got))
    if got.dtype != expected:
        match = _safely_one(mistakes.name_shape_or_dtype_mistake, got, None, expected)
        if match is not None:
            fail(f"{what} is {got.dtype} but the inputs were {expected}.\n"
                 + "\n".join(_wrapped(sentence) for sentence in match.sentences()), False)
        fail(f"{what} is {got.dtype} but the inputs were {expected}: keep the input's dtype "
             f"(allocate with dtype=x.dtype, e.g. np.zeros(shape, dtype=x.dtype)).\n"
             + _wrapped("Other ways to lose it: an np.float64(...) scalar or a float64 array mixed "
                        "into the arithmetic (NumPy 2 promotes float32 with them), or an "
                        ".astype(np.float64) along the way."), name_mistake=_untraced(got))


def _input_dtype_is(got: np.ndarray, expected: np.dtype) -> bool:
    """Whether the call that returned `got` had an array input of the expected dtype (True
    when it is not known): 'keep the input's dtype' is advice only where that is the rule."""
    located = _safely_one(records.locate, got)
    if located is None:
        return True
    record = located[0].forward or located[0]
    arrays = [v for v in (*record.args, *record.kwargs.values()) if isinstance(v, np.ndarray)]
    return not arrays or any(a.dtype == expected for a in arrays)


def relative_errors(got: np.ndarray, expected: np.ndarray, floor: float = SCALE_FLOOR) -> np.ndarray:
    """|got - expected| / max(|expected|, floor * max|expected|), elementwise."""
    got64 = np.asarray(got, dtype=np.float64)
    exp64 = np.asarray(expected, dtype=np.float64)
    scale = max(float(np.max(np.abs(exp64), initial=0.0)), 1e-30)
    return np.abs(got64 - exp64) / np.maximum(np.abs(exp64), floor * scale)


def expect_close(got: np.ndarray, expected: np.ndarray, what: str, rtol: float = 1e-7,
                 reference: str = "the reference", note: str = "",
                 floor: float = SCALE_FLOOR) -> None:
    """Fail unless every element of `got` is within `rtol` relative error of `expected`
    (elements below `floor` times the largest |expected| are judged against that instead).

    The message says first which known mistake gives exactly `got` on the same inputs, if one
    does (mistakes.py); then the worst element (the largest error against the array's scale),
    how many elements are off; then, when no mistake was named, whether the forward this
    gradient comes from is wrong, or else where the error lives and its likely cause, in the
    terms of the function at hand (diagnose.py). `note`: the spec's own word on the likely
    cause, shown instead of guesses.
    """
    expected = np.asarray(expected)
    expect_shape(got, expected.shape, what)
    errors = relative_errors(got, expected, floor)
    bad = ~(errors <= rtol)  # NaN counts as bad
    if not bad.any():
        return
    lines = [f"{what} does not match {reference}."]
    match = _safely_one(mistakes.name_known_mistake, got, expected, rtol)
    forward = None if match is not None else _safely_one(mistakes.wrong_forward, got)
    related, decisive = [], False
    if match is not None:
        lines += [_wrapped(sentence) for sentence in match.sentences()]
    elif not forward:
        related, decisive = _safely_one(relations.explain_value, got, expected, rtol) or ([], False)
        lines += [_wrapped(sentence) for sentence in related if decisive]
    lines += _numbers(got, expected, bad, rtol)
    if match is None and not decisive:
        if not note and not _header_names_cause(reference):
            lines += [_wrapped(sentence) for sentence in related]
        if forward:
            lines.append(_wrapped(
                f"Fix {forward} first: on these same inputs your {forward} returns another `out` "
                f"than the reference, and this backward is checked with what your forward gave "
                f"(its cache, or finite differences of it). The backward may well be right."))
        elif note:
            lines.append(_wrapped(note))
        elif not _header_names_cause(reference):
            family = diagnose.family_of(_function_named(got, what))
            # Sentences are wrapped for a terminal; map rows (which start with spaces) are kept.
            lines += [f"  {sentence}" if sentence.startswith(" ") else _wrapped(sentence)
                      for sentence in _safely(diagnose.explain_mismatch, got, expected, bad, family)]
    fail("\n".join(lines), name_mistake=_untraced(got))


def _untraced(got) -> bool:
    """True when `got` is no value a recorded call returned (a value the spec derived from one):
    then fail() may still name a mistake from the spec's recent calls as a whole."""
    return _safely_one(records.locate, got) is None


def _numbers(got: np.ndarray, expected: np.ndarray, bad: np.ndarray, rtol: float) -> list[str]:
    """The worst element, chosen by its error against the array's scale (an element that should
    be near 0 does not hide a wrong large one), with its relative error; how many are off."""
    got64, exp64 = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    scale = float(np.max(np.abs(exp64), initial=0.0))
    with np.errstate(all="ignore"):
        against_scale = np.abs(got64 - exp64) / (scale + 1e-300)
        relative = np.abs(got64 - exp64) / np.abs(exp64)
    ranked = np.where(np.isnan(against_scale), np.inf, against_scale)
    worst = np.unravel_index(int(np.argmax(ranked)), ranked.shape)
    index = ", ".join(str(int(i)) for i in worst)
    numbers = (f"expected {exp64[worst]:.6g}, got {got64[worst]:.6g} (relative error "
               f"{relative[worst]:.1e}, off by {against_scale[worst]:.1e} of the largest "
               f"expected |value|; tolerance {rtol:.0e})")
    if bad.size == 1:
        return [f"  expected {exp64.flat[0]:.6g}, got {got64.flat[0]:.6g} (relative error "
                f"{relative.flat[0]:.1e}, tolerance {rtol:.0e})"]
    return [f"  worst element [{index}]: {numbers}", f"  {int(bad.sum())} of {bad.size} elements are off."]


def _header_names_cause(reference: str) -> bool:
    """A reference that spells out the rule ("the tie rule (each window's dout goes to its FIRST
    maximum...)") already says what is wrong: guessed causes would only compete with it."""
    return len(reference.split()) > 6


def _function_named(got: np.ndarray, what: str) -> str:
    """The learner's function that returned `got` (from the harness's records), else the first
    word of `what` ("batchnorm2d_backward(train=True): dx")."""
    located = _safely_one(records.locate, got)
    if located is not None:
        return located[0].name
    return re.split(r"[^A-Za-z0-9_]", what.strip(), maxsplit=1)[0]


def _safely_one(function, *args):
    """A diagnosis is a bonus: if it breaks, the failure itself still shows."""
    try:
        return function(*args)
    except Exception:
        return None


def _wrapped(sentence: str) -> str:
    return textwrap.fill(sentence, WRAP, initial_indent="  ", subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)


def _safely(diagnosis, *args) -> list[str]:
    """A diagnosis is a bonus: if it breaks on an unusual array, the failure itself still shows."""
    try:
        return diagnosis(*args)
    except Exception:
        return []


def expect_backward_matches_finite_differences(kata, forward: str, backward: str, inputs: dict,
                                               wrt: str, settings: dict, dout_seed: int = 2) -> None:
    """The backward's d<wrt> against centred finite differences of the same kata's forward.

    inputs: the forward's array arguments by name, in the forward's order (the backward returns
    one gradient per name, in that order); settings: its other keyword arguments (stride, ...).
    """
    out, cache = kata.forward(forward, *inputs.values(), **settings)
    dout = np.random.default_rng(dout_seed).standard_normal(out.shape)
    names = tuple(f"d{name}" for name in inputs)
    analytic = kata.backward(backward, dout, cache, grads=names)[list(inputs).index(wrt)]

    def forward_of(value):
        return kata.forward(forward, *{**inputs, wrt: value}.values(), **settings)[0]

    numeric = numerical_gradient(forward_of, inputs[wrt], dout)
    described = ", ".join(f"{name}={value}" for name, value in settings.items())
    expect_close_to_finite_differences(analytic, numeric, f"{backward}({described}): d{wrt}")


def expect_close_to_finite_differences(analytic: np.ndarray, numeric: np.ndarray, what: str,
                                       reference: str = "finite differences of your forward",
                                       note: str = "") -> None:
    """A backward's gradient against `numerical_gradient`'s: within 1e-6 of the array's largest
    magnitude, element by element (FINITE_DIFFERENCE_FLOOR says why not of each element's own)."""
    expect_close(analytic, numeric, what, rtol=1e-6, reference=reference, note=note,
                 floor=FINITE_DIFFERENCE_FLOOR)


def expect_conv_output_shape(out: np.ndarray, x_shape, w_shape, stride, padding, what: str) -> None:
    """out is (N, F, Hout, Wout) for x (N, C, H, W) and filters w_shape = (F, KH, KW); the
    failure message gives DESIGN.md's output-size formula with this case's numbers."""
    N, _, H, W = x_shape
    F, KH, KW = w_shape
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    expected = (N, F, conv_output_size(H, KH, sh, ph), conv_output_size(W, KW, sw, pw))
    expect_shape(out, expected, what, output_size_formula(H, W, (KH, KW), stride, padding))


def expect_strided_dx_gaps(kata, forward: str, backward: str) -> None:
    """A 1x1 kernel with stride 2 reads only the even rows and columns of x, so only they may get
    a gradient; gradient anywhere else means backward slid its windows one pixel at a time.
    `forward(x, w, b, stride=, padding=)` and `backward(dout, cache) -> (dx, dw, db)` are names
    of the kata's functions."""
    x = np.ones((1, 1, 5, 5))
    out, cache = kata.forward(forward, x, np.ones((1, 1, 1, 1)), np.zeros(1), stride=2, padding=0)
    dx, _, _ = kata.backward(backward, np.ones_like(out), cache, grads=("dx", "dw", "db"))
    expect_shape(dx, x.shape, f"{backward}: dx")
    read = np.zeros((5, 5), bool)
    read[::2, ::2] = True
    if np.any(dx[0, 0][~read] != 0):
        fail(f"{backward} ignores the stride: with a 1x1 kernel and stride 2, only the even rows "
             f"and columns of x are read, yet your dx has gradient elsewhere:\n{dx[0, 0]}\n"
             "In backward, window (i, j) starts at (i * stride, j * stride), the same windows the "
             "forward reads (if your forward computes its windows the same way, check it too).")
    want = np.zeros_like(x)
    want[0, 0][read] = 1.0
    expect_close(dx, want, f"{backward}(1x1 kernel, stride=2): dx",
                 reference="1 where a window reads x, 0 elsewhere")

