"""The spec harness shared by every topic.

impl (which package the specs test), kata (guarded calls and their messages), checks (shape,
dtype and closeness assertions), diagnose (where a mismatch lives), gradcheck (centred finite
differences), fixtures and cases (golden PyTorch cases, inputs and ids).
"""

from .checks import expect_close, expect_dtype, expect_shape, relative_errors
from .fixtures import load_cases
from .gradcheck import numerical_gradient, relative_error
from .impl import current_impl
from .kata import Kata, check_finite, fail

__all__ = [
    "Kata", "check_finite", "current_impl", "expect_close", "expect_dtype", "expect_shape",
    "fail", "load_cases", "numerical_gradient", "relative_error", "relative_errors",
]
