"""A time limit for one call of learner code: the bottom of the harness, importing none of it.

`kata.py` stops a learner's endless loop with it, and `mistakes.py` caps each re-run of a known
mistake with it.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class KataTimeout(Exception):
    """Raised inside a learner's function when its call runs past the time limit."""


@contextmanager
def time_limit(seconds: float):
    """Raise KataTimeout in the main thread after `seconds` (no-op off the main thread, and on
    Windows, which has no SIGALRM: there pytest-timeout's limit is the only one)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0 \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise KataTimeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
