"""CI check: the milestone, run the documented way (`tox -e milestone`), survives Ctrl-C.

    tox -e milestone --notest && .tox/milestone/bin/python milestone/ci_interrupt_resume.py

Through tox, on a synthetic CIFAR-10 in the official layout (one colour per class, written to a
temporary folder), with the reference layers on a tiny network and a pinned length:
1. an uninterrupted run;
2. the same run interrupted three ways: SIGINT to the whole process group (a terminal's Ctrl-C:
   tox and the milestone both get it, and tox forwards one more), SIGINT to the tox process
   alone (started as a script's background job is, with SIGINT ignored), and what
   `timeout -s INT` sends (tox, then its process group). Each must stop with a
   checkpoint, print both resume commands, and exit without a traceback;
3. each interrupted run continued with `tox -e milestone -- --resume --out DIR` alone, which must
   end with the uninterrupted run's metrics, history and weights.
Before that, in this process: a SIGINT repeated within a second counts once and a later one
aborts, and the "left" estimate stays steady on noisy step times.
Runs in well under two minutes on a quiet 2-core machine. Exit code 0 when everything holds.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from data import cifar10  # noqa: E402
from data.synthetic import write_colour_dataset  # noqa: E402
from milestone.instrument import StepClock  # noqa: E402
from milestone.interrupt import DUPLICATE_SECONDS, Interrupt  # noqa: E402

RUN = ["--impl", "solutions", "--train-images", "2048", "--test-images", "256", "--epochs", "2",
       "--batch", "32", "--widths", "8,8,16", "--seed", "1"]
STEP_LINE = re.compile(r"^step +(\d+)/(\d+)")
TIMEOUT = 300  # seconds for one tox run on a very busy machine


def fail(message: str) -> None:
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


# ----------------------------------------------------------------------------- in-process checks
def check_duplicate_sigint() -> None:
    """Two SIGINTs at once are one Ctrl-C (a checkpoint); one more, later, aborts."""
    with Interrupt() as guard:
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)   # the same Ctrl-C, delivered twice
        _wait_until(lambda: guard.requested)
        if not guard.requested:
            fail("a SIGINT did not request a checkpoint")
        time.sleep(DUPLICATE_SECONDS + 0.1)
        try:
            os.kill(os.getpid(), signal.SIGINT)   # a deliberate second Ctrl-C
            _wait_until(lambda: False)
        except KeyboardInterrupt:
            print("ok: a repeated SIGINT within a second counts once; a later one aborts")
            return
    fail("a second SIGINT more than a second later did not abort")


# As `python -m milestone` runs: SIGINT blocked before NumPy starts its threads. The parent (this
# script, standing in for tox) sends three SIGINTs 1.5 s apart: the first requests a checkpoint,
# the others are tox passing the same Ctrl-C on and must not abort; then one from elsewhere does.
CHILD = """
import os, signal, sys, time
sys.path.insert(0, sys.argv[1])
from milestone.interrupt import Interrupt, block_sigint
block_sigint()
import numpy
with Interrupt() as guard:
    print("ready", flush=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sys.stdin.readline().strip() != "sent":
        pass
    time.sleep(0.3)
    print("requested" if guard.requested else "not requested", flush=True)
    try:
        os.kill(os.getpid(), signal.SIGINT)   # not from the parent: a second press
        time.sleep(3)
        print("no abort", flush=True)
    except KeyboardInterrupt:
        print("aborted", flush=True)
"""


def check_forwarded_sigint() -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(REPO)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    if child.stdout.readline().strip() != "ready":
        fail("the SIGINT check's child did not start")
    for _ in range(3):
        child.send_signal(signal.SIGINT)
        time.sleep(1.5)
    child.stdin.write("sent\n")
    child.stdin.flush()
    said = [line.strip() for line in child.stdout.read().splitlines() if line.strip()]
    child.wait(timeout=30)
    if "requested" not in said or "aborted" not in said:
        fail(f"SIGINTs forwarded by the parent: expected a request and then an abort, got {said}")
    print("ok: SIGINTs passed on by the parent (tox) never abort; a second press does")


def _wait_until(condition, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def check_steady_clock() -> None:
    """300 steps of 2.5 s +- 40% (a busy shared machine), a progress line every 10 steps: the
    estimate may drift as a clock does (minus the 10 steps' time), never jump by 30 s."""
    rng = random.Random(0)
    clock, windowed = StepClock(2.5), []
    worst_ema = worst_window = 0.0
    previous = None
    for step in range(1, 301):
        seconds = 2.5 * rng.uniform(0.6, 1.4)
        clock.add(seconds)
        windowed.append(seconds)
        if step % 10 == 0:
            window_left = (300 - step) * sum(windowed) / len(windowed)  # the old estimate
            now = (clock.left(300 - step), window_left, sum(windowed))
            if previous is not None:
                worst_ema = max(worst_ema, abs(now[0] - (previous[0] - now[2])))
                worst_window = max(worst_window, abs(now[1] - (previous[1] - now[2])))
            previous, windowed = now, []
    if worst_ema >= 30:
        fail(f"the time left jumps by {worst_ema:.0f} s between progress lines")
    print(f"ok: the time left moves at most {worst_ema:.0f} s between lines beyond the clock "
          f"(a 10-step window's estimate: {worst_window:.0f} s)")


# ----------------------------------------------------------------------------- runs through tox
def tox(*args: str) -> list[str]:
    return ["tox", "-e", "milestone", "--", *args]


def run_straight(data: Path, out: Path) -> None:
    proc = subprocess.run(tox(*RUN, "--data-dir", str(data), "--out", str(out)), cwd=REPO,
                          capture_output=True, text=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        fail(f"the uninterrupted run failed:\n{proc.stdout}\n{proc.stderr}")
    print(f"ok: uninterrupted run, {json.loads((out / 'metrics.json').read_text())['steps']} steps")


def run_interrupted(data: Path, out: Path, how: str) -> None:
    """Start the run in its own process group, signal it at step 10, check how it ends."""
    background = how == "SIGINT to tox alone"   # started as `tox ... &` in a script would be:
    proc = subprocess.Popen(tox(*RUN, "--data-dir", str(data), "--out", str(out), "--no-plots"),
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True,
                            preexec_fn=_ignore_sigint if background else None)
    lines, signalled = [], False
    deadline = time.monotonic() + TIMEOUT
    for line in proc.stdout:
        lines.append(line)
        match = STEP_LINE.match(line)
        if match and not signalled and int(match.group(1)) >= 10:
            send_interrupt(proc.pid, how)
            signalled = True
        if time.monotonic() > deadline:
            proc.kill()
            fail(f"{how}: no end after {TIMEOUT} s")
    code = proc.wait()
    text = "".join(lines)
    if not signalled:
        fail(f"{how}: the run ended before step 10 could be interrupted:\n{text}")
    saved = re.search(r"checkpoint saved at step (\d+)/(\d+)", text)
    if not saved or int(saved.group(1)) >= int(saved.group(2)):
        fail(f"{how}: no checkpoint before the end of training:\n{text}")
    for command in (f"tox -e milestone -- --resume --out {out}",
                    f"python -m milestone --resume --out {out}"):
        if command not in text:
            fail(f"{how}: the message does not give the command `{command}`:\n{text}")
    if "Traceback" in text or code == 0:
        fail(f"{how}: expected a clean exit with a non-zero code, got {code}:\n{text}")
    print(f"ok: {how}: checkpoint at step {saved.group(1)}/{saved.group(2)}, clean exit {code}")


def _ignore_sigint() -> None:
    """What a shell does to a background job: SIGINT ignored (toxfile.py listens again)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def send_interrupt(tox_pid: int, how: str) -> None:
    if how == "Ctrl-C (process group)":
        os.killpg(tox_pid, signal.SIGINT)
    elif how == "SIGINT to tox alone":
        os.kill(tox_pid, signal.SIGINT)
    else:  # timeout -s INT: the command first, then the process group
        os.kill(tox_pid, signal.SIGINT)
        os.killpg(tox_pid, signal.SIGINT)


def resume_and_compare(out: Path, straight: Path, how: str) -> None:
    proc = subprocess.run(tox("--resume", "--out", str(out)), cwd=REPO, capture_output=True,
                          text=True, timeout=TIMEOUT)
    if proc.returncode != 0 or "resuming at step" not in proc.stdout:
        fail(f"{how}: --resume --out alone failed:\n{proc.stdout}\n{proc.stderr}")
    want, got = (json.loads((d / "metrics.json").read_text()) for d in (straight, out))
    for key in ("test_accuracy", "test_accuracy_tta", "steps", "epochs", "heldout_accuracy",
                "impl", "seed", "batch", "widths", "train_images", "test_images"):
        if got.get(key) != want.get(key):
            fail(f"{how}: after resuming {key} is {got.get(key)}, uninterrupted {want.get(key)}")
    want, got = (json.loads((d / "history.json").read_text()) for d in (straight, out))
    for part, keys in (("history", ("step", "epoch", "loss", "acc")),
                       ("heldout", ("step", "epoch", "acc"))):
        if [[h[k] for k in keys] for h in got[part]] != [[h[k] for k in keys] for h in want[part]]:
            fail(f"{how}: after resuming the {part} differs from the uninterrupted run's")
    import numpy as np
    with np.load(straight / "checkpoint.npz") as a, np.load(out / "checkpoint.npz") as b:
        for key in a.files:
            if key != "meta" and not np.array_equal(a[key], b[key]):
                fail(f"{how}: after resuming, {key} differs from the uninterrupted run's")
    print(f"ok: {how}: resumed with --resume --out alone, same metrics, history and weights")


def main() -> int:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # children must not inherit SIG_IGN
    if shutil.which("tox") is None:
        fail("tox is not on PATH")
    check_duplicate_sigint()
    check_forwarded_sigint()
    check_steady_clock()
    caches_before = set(cifar10.CACHE_DIR.glob("*")) if cifar10.CACHE_DIR.exists() else set()
    with tempfile.TemporaryDirectory(prefix="milestone-ci-") as tmp:
        tmp = Path(tmp)
        data = write_colour_dataset(tmp / "data").parent
        try:
            run_straight(data, tmp / "straight")
            for how in ("Ctrl-C (process group)", "SIGINT to tox alone", "timeout -s INT"):
                out = tmp / re.sub(r"\W+", "-", how).strip("-")
                run_interrupted(data, out, how)
                resume_and_compare(out, tmp / "straight", how)
        finally:   # the loader cached the synthetic data inside the repository: remove it
            for cache in set(cifar10.CACHE_DIR.glob("*")) - caches_before:
                shutil.rmtree(cache, ignore_errors=True)
    print("ok: interrupt and resume through tox")
    return 0


if __name__ == "__main__":
    sys.exit(main())
