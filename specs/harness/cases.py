"""Small helpers shared by topic specs: random inputs, (h, w) pairs, case ids."""

from __future__ import annotations

import numpy as np
import pytest

from .failure import fail
from .fixtures import load_cases


def pair(value) -> tuple[int, int]:
    """An int or an (h, w) pair as an (h, w) tuple."""
    return (int(value[0]), int(value[1])) if isinstance(value, (tuple, list)) else (value, value)


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def output_size_formula(height, width, kernel, stride, padding, dilation=None) -> str:
    """The output-size formula in the briefs' own form, with this case's numbers filled in, for
    shape messages: `(H + 2*ph - KH) // sh + 1` (Topics 11 and 13), or with a dilation
    `(H + 2*ph - dh*(KH-1) - 1) // sh + 1` (Topics 12 and 15)."""
    (kh, kw), (sh, sw), (ph, pw) = map(pair, (kernel, stride, padding))
    if dilation is None:
        return (f"Hout = (H + 2*ph - KH) // sh + 1 = ({height} + 2*{ph} - {kh}) // {sh} + 1 = "
                f"{conv_output_size(height, kh, sh, ph)}; "
                f"Wout = (W + 2*pw - KW) // sw + 1 = ({width} + 2*{pw} - {kw}) // {sw} + 1 = "
                f"{conv_output_size(width, kw, sw, pw)}.")
    dh, dw = pair(dilation)
    return (f"Hout = (H + 2*ph - dh*(KH-1) - 1) // sh + 1 = "
            f"({height} + 2*{ph} - {dh}*({kh}-1) - 1) // {sh} + 1 = "
            f"{conv_output_size(height, kh, sh, ph, dh)}; "
            f"Wout = (W + 2*pw - dw*(KW-1) - 1) // sw + 1 = "
            f"({width} + 2*{pw} - {dw}*({kw}-1) - 1) // {sw} + 1 = "
            f"{conv_output_size(width, kw, sw, pw, dw)}.")


def random_array(rng: np.random.Generator, shape, dtype=np.float64) -> np.ndarray:
    """Standard-normal values of the given shape and dtype."""
    return rng.standard_normal(shape).astype(dtype)


def case_id(**params) -> str:
    """A readable pytest id such as 'x2x3x5x6-k3x3-s2-p1'."""
    return "-".join(f"{k}{'x'.join(map(str, v)) if isinstance(v, tuple) else v}"
                    for k, v in params.items())


def fixture_params(topic: str) -> list:
    """One pytest.param per golden case of `topic`; one failing param when the file is missing."""
    cases = load_cases(topic)
    if not cases:
        return [pytest.param({"__missing__": topic}, id="fixture-file-missing")]
    return [pytest.param(case, id=name) for name, case in cases.items()]


def require_case(case: dict) -> dict:
    """Fail with instructions when the fixture file is missing."""
    if "__missing__" in case:
        fail(f"fixtures/{case['__missing__']}.npz is missing: regenerate it with `tox -e fixtures`.")
    return case
