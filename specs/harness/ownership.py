"""Gradients the caller owns: every backward returns writable arrays of its own.

A caller adds into gradients (`dx += dshortcut` in a residual block, an optimizer's `g += wd * p`).
So a gradient must not be
- read-only: `np.broadcast_to(...)` returns a read-only view (all its elements are one), and
  `+=` on it raises;
- a view of an argument (`dout` itself, or a slice of it): adding into it changes the caller's
  `dout`;
- the same memory as another returned gradient: adding into one changes the other.
A fresh array (`np.zeros`, `a * b`, `np.array(view)`, `view.copy()`) is always fine, and so is a
view into an array the backward allocated itself (e.g. the interior of a padded buffer).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from .failure import fail


def expect_owned_gradients(function: str, grads: Mapping[str, Any], args: tuple = (),
                           kwargs: Mapping[str, Any] | None = None) -> None:
    """Fail unless every array in `grads` (gradient name -> array) is writable and shares no
    memory with an array argument of the call (`args`, `kwargs`) or with another gradient."""
    arrays = [(name, g) for name, g in grads.items() if isinstance(g, np.ndarray)]
    for name, grad in arrays:
        if not grad.flags.writeable:
            fail(f"{function} returned {name} as a read-only array (a view such as "
                 f"np.broadcast_to makes). The caller adds into gradients (dx += ..., "
                 f"g += weight_decay * p), so return an array it owns: a copy, e.g. "
                 f"np.broadcast_to(...).copy() or np.array(...), or build it with arithmetic.")
    for arg, value in _named_arguments(args, kwargs or {}):
        for name, grad in arrays:
            if _shares(grad, value):
                fail(f"{function} returned {name} as a view of its argument `{arg}`: adding into "
                     f"that gradient would change the caller's `{arg}`. Return a new array (e.g. "
                     f"{arg}.copy(), or {arg} * mask, which is new).")
    for i, (name, grad) in enumerate(arrays):
        for other_name, other in arrays[i + 1:]:
            if _shares(grad, other):
                fail(f"{function} returned {name} and {other_name} in the same memory: adding "
                     f"into one would change the other. Give each gradient its own array.")


def _named_arguments(args: tuple, kwargs: Mapping[str, Any]) -> Iterator[tuple[str, np.ndarray]]:
    """The array arguments of a backward call: `dout`, then (usually) `cache`."""
    names = ("dout", "cache")
    for i, value in enumerate(args):
        if isinstance(value, np.ndarray):
            yield (names[i] if i < len(names) else f"argument {i + 1}"), value
    yield from ((k, v) for k, v in kwargs.items() if isinstance(v, np.ndarray))


def _shares(a: np.ndarray, b: np.ndarray) -> bool:
    if a.size == 0 or b.size == 0:
        return False
    try:
        return bool(np.shares_memory(a, b, max_work=100_000))
    except _TOO_HARD:  # an exact answer would take long: the bounds are a safe approximation
        return bool(np.may_share_memory(a, b))


_TOO_HARD = getattr(getattr(np, "exceptions", np), "TooHardError", RuntimeError)
