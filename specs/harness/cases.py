"""Small helpers shared by topic specs: random inputs, (h, w) pairs, case ids."""

from __future__ import annotations

import numpy as np
import pytest

from .fixtures import load_cases
from .kata import fail


def pair(value) -> tuple[int, int]:
    """An int or an (h, w) pair as an (h, w) tuple."""
    return (int(value[0]), int(value[1])) if isinstance(value, (tuple, list)) else (value, value)


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def output_size_formula(height, width, kernel, stride, padding, dilation=1) -> str:
    """The DESIGN.md formula with this case's numbers filled in, for shape messages."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel, stride, padding, dilation))
    dil = lambda d: "" if d == 1 else f"{d}*"  # noqa: E731
    return (f"Hout = (H + 2*pad - {'dil*' if dh != 1 else ''}(KH-1) - 1) // stride + 1 = "
            f"({height} + 2*{ph} - {dil(dh)}({kh}-1) - 1) // {sh} + 1 = "
            f"{conv_output_size(height, kh, sh, ph, dh)}; "
            f"Wout = ({width} + 2*{pw} - {dil(dw)}({kw}-1) - 1) // {sw} + 1 = "
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
