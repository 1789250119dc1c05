"""Ctrl-C during a milestone run: finish the step, save a checkpoint, stop cleanly.

One Ctrl-C often arrives as two or three SIGINTs. A terminal sends it to tox and to the
milestone, and tox passes its own on twice (from its main thread, then from its scheduler
thread, which polls once a second: measured 0.5 s and 1.5 s after the terminal's on a busy
machine); `timeout -s INT` signals tox and then its whole process group. A second, deliberate
Ctrl-C a few seconds later must still abort. Python runs a signal handler only between
bytecodes, so a SIGINT arriving during a long NumPy call is handled seconds late, and two
arriving during the same call are handled once: the handler cannot count them. So a thread,
`SigintWatch`, receives each SIGINT as it arrives:
- under `python -m milestone`, SIGINT is blocked in every thread before NumPy starts its own
  (`block_sigint`), and the watch takes each one with `sigtimedwait`, which names its sender: a
  SIGINT from the parent process (tox passing one on) never counts as a second press;
- elsewhere (in-process callers, the specs), Python's C-level handler writes a byte to a pipe
  at once (`signal.set_wakeup_fd`) and the watch reads it;
- where neither works (no `sigtimedwait` on macOS; Windows wants a socket for the wakeup fd),
  the handler counts the SIGINTs itself, when Python runs it.
Either way SIGINTs within DUPLICATE_SECONDS of the first one of a press are that press; a
second press sets `abort` and makes the main thread raise KeyboardInterrupt.
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


def block_sigint() -> None:
    """Block SIGINT in this thread and in every thread started after it (call it before NumPy is
    imported: OpenBLAS starts its threads then). Only SigintWatch's sigtimedwait receives it.
    Nothing is blocked where sigtimedwait does not exist (macOS, Windows)."""
    if hasattr(signal, "sigtimedwait") and hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _sigint_blocked() -> bool:
    return (hasattr(signal, "sigtimedwait") and hasattr(signal, "pthread_sigmask")
            and signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))


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
        self._parent = os.getppid()
        self._closed = False
        self._pipe = self._thread = None
        self.in_handler = False        # True: the guard's handler counts the SIGINTs itself
        if _sigint_blocked():
            target = self._wait_for_signals
        else:
            target = self._read_wakeup_pipe if self._open_wakeup_pipe() else None
        self.in_handler = target is None
        if target is not None:
            self._thread = threading.Thread(target=target, name="sigint-watch", daemon=True)
            self._thread.start()

    def _open_wakeup_pipe(self) -> bool:
        try:
            self._pipe = os.pipe()
            os.set_blocking(self._pipe[1], False)
            self._old_fd = signal.set_wakeup_fd(self._pipe[1], warn_on_full_buffer=False)
            return True
        except (OSError, ValueError):   # Windows: the wakeup fd must be a socket
            if self._pipe is not None:
                os.close(self._pipe[0])
                os.close(self._pipe[1])
            self._pipe = None
            return False

    def _wait_for_signals(self) -> None:
        while not self._closed:
            info = signal.sigtimedwait({signal.SIGINT}, 0.2)
            if info is not None:
                self._arrived(time.monotonic(), forwarded=info.si_pid == self._parent)

    def _read_wakeup_pipe(self) -> None:
        while True:
            try:
                data = os.read(self._pipe[0], 512)
            except OSError:
                return
            if not data:
                return
            if signal.SIGINT in data:
                self._arrived(time.monotonic(), forwarded=False)

    def _arrived(self, now: float, forwarded: bool) -> None:
        if forwarded and self.presses:
            return  # tox passing on a Ctrl-C this process has already counted
        if self._press_started is not None and now - self._press_started < DUPLICATE_SECONDS:
            return  # the same Ctrl-C, delivered again
        self._press_started = now
        self.presses += 1
        if self.presses == 1 and not self.immediate:
            say(CHECKPOINT_MESSAGE)
        else:
            self.abort = True
            if not self.in_handler:
                _thread.interrupt_main()   # runs the guard's handler in the main thread

    def close(self) -> None:
        self._closed = True
        if self._pipe is not None:
            signal.set_wakeup_fd(self._old_fd)
            os.close(self._pipe[1])    # the thread's read returns b"": it ends
        if self._thread is not None:
            self._thread.join(timeout=1)
        if self._pipe is not None:
            os.close(self._pipe[0])


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
        """Runs in the main thread; the watch has decided (a real SIGINT that arrives here in the
        pipe mode is counted by the watch, which calls this again when it means to stop)."""
        watch = Interrupt._watch
        if watch is not None and watch.in_handler:
            watch._arrived(time.monotonic(), forwarded=False)
        if watch is not None and watch.abort:
            watch.abort = False
            raise KeyboardInterrupt

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self._old)
        Interrupt._watch.immediate = self._was_immediate
        if self._outermost:
            Interrupt._watch.close()
            Interrupt._watch = None
