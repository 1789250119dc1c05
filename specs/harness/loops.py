"""Loop rules ("no Python loop over output positions", "... over samples, channels or groups"),
checked from the outside: count the lines of Python one call runs, then grow one size and count
again, all else equal. NumPy's own loops run in C and count nothing, a loop over the kernel's
KH*KW offsets runs the same number of lines at every size, and so does a loop over a handful of
memory chunks at these small sizes; a loop over the grown thing adds at least one line per
extra iteration.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from .failure import fail

# Lines a call may add when a size grows: room for a size-dependent branch or two in valid code;
# the grown sizes below add a dozen iterations or more to any loop over them.
ALLOWANCE = 8


def python_lines_run(function: Callable, *args: Any, **kwargs: Any) -> int:
    """How many lines of Python run during one call (in this thread; NumPy's C loops run none)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        function(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return count


def expect_no_loop_over(function: str, prepare: Callable[[Any], Callable[[], Any]], small: Any,
                        grown: Sequence[tuple[Any, str, str]], why: str) -> None:
    """The lines one call runs must not grow with a size.

    prepare(size): sets up the inputs of that size (untraced) and returns the call to count,
        e.g. `lambda: kata.call("im2col", x, 3, padding=1)`;
    grown: (size, what grew in words e.g. "the output grew from 3x3 to 15x15 positions",
        the loop that would explain it e.g. "output positions") for each size to try;
    why: what such a loop costs and what to loop over instead (ends the message).
    """
    # Warm-up at every size: a first call may import modules or fill caches keyed by a shape,
    # which runs lines once (12 of them were enough to fail a correct depthwise conv run alone).
    for size in (small, *(size for size, _, _ in grown)):
        prepare(size)()
    base = python_lines_run(prepare(small))
    for size, what_grew, loop in grown:
        extra = python_lines_run(prepare(size)) - base
        if extra > ALLOWANCE:
            fail(f"{function} ran {extra} more lines of Python when {what_grew}, all else "
                 f"equal ({base} lines before): it loops in Python over {loop}. {why}")
