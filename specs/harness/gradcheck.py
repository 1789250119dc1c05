"""Centred finite differences in float64: the reference any backward pass is checked against.

Learners can use it while debugging too:

    from specs.harness.gradcheck import numerical_gradient
    dx_num = numerical_gradient(lambda x: conv2d_forward_naive(x, w, b)[0], x, dout)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

STEP = 1e-6


def numerical_gradient(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout: np.ndarray,
                       step: float = STEP) -> np.ndarray:
    """d(sum(f(x) * dout)) / dx by centred differences, same shape as x.

    f: maps an array shaped like x to an array shaped like dout. x is not modified (f sees a
    float64 copy nudged one element at a time). Cost: 2 * x.size calls of f.
    """
    probe = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros_like(probe)
    for index in np.ndindex(probe.shape):
        original = probe[index]
        probe[index] = original + step
        plus = np.sum(f(probe.copy()) * dout)
        probe[index] = original - step
        minus = np.sum(f(probe.copy()) * dout)
        probe[index] = original
        grad[index] = (plus - minus) / (2 * step)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|a| + |b|), the usual one-number summary of a gradient check."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-30))
