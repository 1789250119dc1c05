"""Ctrl-C during a milestone run: finish the step, save a checkpoint, stop cleanly.

One Ctrl-C often arrives as two or three SIGINTs: a terminal sends it to tox and to the milestone,
and tox forwards one of its own; `timeout -s INT` signals tox and then its whole process group.
A second, deliberate Ctrl-C a few seconds later must still abort. Python runs a signal handler
only between bytecodes, so a SIGINT that arrives during a long NumPy call is handled seconds
late, and two that arrive during the same call are handled once: the handler's clock cannot
tell a duplicate from a second press. `SigintWatch` therefore timestamps each SIGINT when it
arrives: Python's C-level handler writes a byte to a pipe at once (`signal.set_wakeup_fd`), and a
thread blocked on that pipe reads it (NumPy releases the GIL in its long calls, so the thread
runs within milliseconds). SIGINTs within DUPLICATE_SECONDS of the first of a press are that
press; the second press sets `abort`, and the handler raises KeyboardInterrupt.
"""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import sys
import threading
import time

DUPLICATE_SECONDS = 1.0
CHECKPOINT_MESSAGE = ("\nCtrl-C: stopping after this step with a checkpoint (Ctrl-C again to abort "
                      "without one)\n")


def say(text: str) -> None:
    """Print from a signal handler or a thread: straight to the file descriptor (the main thread
    may be inside print(), and print there raises 'reentrant call')."""
    with contextlib.suppress(OSError, ValueError):   # no usable stdout: say nothing
        os.write(sys.stdout.fileno(), text.encode())


class SigintWatch:
    """Counts Ctrl-C presses by the arrival times of SIGINTs (see the module docstring)."""

    def __init__(self):
        self.presses = 0
        self.abort = False
        self.immediate = False         # set by the innermost guard: no step to finish
        self._press_started = None
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._old_fd = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        self._thread = threading.Thread(target=self._watch, name="sigint-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while True:
            try:
                data = os.read(self._read, 512)
            except OSError:
                return
            if not data:
                return
            now = time.monotonic()
            if signal.SIGINT in data:
                self._arrived(now)

    def _arrived(self, now: float) -> None:
        if self._press_started is not None and now - self._press_started < DUPLICATE_SECONDS:
            return  # the same Ctrl-C, delivered again
        self._press_started = now
        self.presses += 1
        if self.presses == 1 and not self.immediate:
            say(CHECKPOINT_MESSAGE)
        elif self.presses > 1:
            self.abort = True
            _thread.interrupt_main()   # the handler may have run already: run it again

    def close(self) -> None:
        signal.set_wakeup_fd(self._old_fd)
        os.close(self._write)          # the thread's read returns b"": it ends
        self._thread.join(timeout=1)
        os.close(self._read)


class Interrupt:
    """A guard around training: `requested` after the first Ctrl-C, KeyboardInterrupt after a
    second one (or at once with `immediate`, when there is no step to finish).

    Guards nest and share one SigintWatch: a Ctrl-C during loading, under the command's guard,
    is the training loop's request too.
    """

    _watch: SigintWatch | None = None

    def __init__(self, immediate: bool = False):
        self.immediate = immediate

    @property
    def requested(self) -> bool:
        watch = Interrupt._watch
        return watch is not None and watch.presses > 0

    def __enter__(self):
        self._outermost = Interrupt._watch is None
        if self._outermost:
            Interrupt._watch = SigintWatch()
        self._was_immediate = Interrupt._watch.immediate
        Interrupt._watch.immediate = self.immediate
        self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        watch = Interrupt._watch
        if watch is not None and (watch.abort or watch.immediate):
            raise KeyboardInterrupt

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self._old)
        Interrupt._watch.immediate = self._was_immediate
        if self._outermost:
            Interrupt._watch.close()
            Interrupt._watch = None
