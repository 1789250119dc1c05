"""Where a training step's time goes, evaluation without caches, and how long the run has left.

`InstrumentedLayers` wraps a layer set (`<impl>.topic17_cifar10_from_scratch.layers`):
- while `timing` is on, every call of a public layer function adds its wall time to one of a few
  kinds (conv forward, conv backward, pooling, batch norm); a step's remaining time is "the rest"
  (ReLU, loss, SGD, augmentation, Python). One `perf_counter` pair per layer call: about 40 calls
  a step, microseconds in all. When the network runs a batch in parts at once (ghost batches,
  one thread each), the layers' seconds add up over the threads, so `concurrency` (the parts
  that run at once) divides them back to a share of the step's wall time;
- while `forward_only` is on (evaluation), the forward functions' caches are dropped as soon as
  they return. A cache holds what backward needs (a textbook convolution keeps its column matrix,
  9x its input), and the network keeps every layer's cache until the forward pass ends: without
  this, evaluating a batch holds all of them, and the learner's code did not change for it.

`StepClock` estimates the time left from an exponential moving average of the step time, so a
noisy machine moves the estimate by seconds between progress lines, not by minutes.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from types import ModuleType, SimpleNamespace

# Layer function name -> the kind its time is counted under. Fused calls of the reference layer
# set are counted under the kind that dominates them (the conv in conv + pool, the BN in BN + ReLU).
KINDS = {
    "conv2d_forward": "conv forward",
    "conv2d_relu_forward": "conv forward",
    "conv2d_maxpool2d_forward": "conv forward",
    "conv2d_backward": "conv backward",
    "conv2d_backward_weights": "conv backward",
    "conv2d_maxpool2d_backward": "conv backward",
    "conv2d_maxpool2d_relu_bias_backward": "conv backward",
    "maxpool2d_forward": "pooling",
    "maxpool2d_backward": "pooling",
    "batchnorm2d_forward": "batch norm",
    "batchnorm2d_backward": "batch norm",
    "batchnorm2d_relu_forward": "batch norm",
    "batchnorm2d_relu_backward": "batch norm",
}
REPORTED = ("conv forward", "conv backward", "pooling", "batch norm", "the rest")


class InstrumentedLayers:
    """A stand-in for a layer set: `instrumented.layers` has the same public functions.

    Only the functions the layer set has are offered (the network looks for the optional fused
    ones with getattr). Timing counts while `timing` is true: the trainer turns it on for
    training steps only, and adds each whole step with `add_step`. While `forward_only` is true,
    `*_forward` functions return (out, None).
    """

    def __init__(self, layers: ModuleType, seconds: dict | None = None):
        self.timing = False
        self.forward_only = False
        self.concurrency = 1
        self._lock = threading.Lock()
        self.seconds = {kind: 0.0 for kind in REPORTED}
        self.seconds["steps"] = 0
        self.seconds["step_seconds"] = 0.0
        self.seconds.update(seconds or {})
        names = [n for n in dir(layers) if not n.startswith("_") and callable(getattr(layers, n))]
        self.layers = SimpleNamespace(**{n: self._wrap(n, getattr(layers, n)) for n in names})

    def _wrap(self, name, fn):
        kind = KINDS.get(name)          # None: ReLU and the like, part of "the rest"
        forward = name.endswith("_forward")
        if kind is None and not forward:
            return fn
        seconds = self.seconds

        def wrapped(*args, **kwargs):
            if self.forward_only and forward:
                return fn(*args, **kwargs)[0], None
            if not self.timing or kind is None:
                return fn(*args, **kwargs)
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - t
                with self._lock:
                    seconds[kind] += elapsed
        wrapped.__name__ = wrapped.__qualname__ = name
        wrapped.__doc__ = fn.__doc__
        return wrapped

    @contextmanager
    def evaluating(self):
        """Forward passes only inside: the layers' caches are dropped as they are made."""
        self.forward_only = True
        try:
            yield
        finally:
            self.forward_only = False

    def add_step(self, seconds: float) -> None:
        self.seconds["steps"] += 1
        self.seconds["step_seconds"] += seconds

    def breakdown(self) -> dict:
        """{kind: seconds per step} for REPORTED kinds ("the rest" = step time minus layers)."""
        steps = max(1, self.seconds["steps"])
        per_step = {k: self.seconds[k] / steps / max(1, self.concurrency)
                    for k in REPORTED[:-1]}
        per_step["the rest"] = max(0.0, self.seconds["step_seconds"] / steps
                                   - sum(per_step.values()))
        return per_step

    def summary(self, learner: bool) -> str:
        """The end-of-run table; for a learner's layers, where to look next."""
        if not self.seconds["steps"]:
            return ""
        per_step = self.breakdown()
        total = sum(per_step.values()) or 1e-12
        lines = [f"where a training step's time went ({self.seconds['steps']} steps, "
                 f"{total:.2f} s per step):"]
        for kind, sec in per_step.items():
            note = "  (ReLU, loss, SGD, augmentation, Python)" if kind == "the rest" else ""
            lines.append(f"  {kind:<14}{sec:7.3f} s {100 * sec / total:4.0f}%{note}")
        if self.concurrency > 1:
            lines.append(f"  (your layers ran on {self.concurrency} parts of each batch at once, "
                         f"one thread each: a layer's time is its threads' total over "
                         f"{self.concurrency})")
        if learner:
            lines.append("The convolutions are your Topic 12 im2col: `tox -e bench` times it "
                         "beside the naive loop and PyTorch, and the Topic 12 brief's trade-off "
                         "section says where that time goes and how to cut it.")
        return "\n".join(lines)


class StepClock:
    """Time left from an exponential moving average of the step time.

    `smoothing` is the weight of one new step (1/50: the estimate follows a lasting change in
    speed within about 50 steps and barely moves on one slow step). Seeded with the calibrated
    step time when there is one, else with the first step's.
    """

    def __init__(self, seed_seconds: float | None = None, smoothing: float = 1 / 50):
        self.step_seconds = seed_seconds
        self.smoothing = smoothing

    def add(self, seconds: float) -> None:
        if self.step_seconds is None:
            self.step_seconds = seconds
        else:
            self.step_seconds += self.smoothing * (seconds - self.step_seconds)

    def left(self, steps_left: int, extra_seconds: float = 0.0) -> float:
        return steps_left * (self.step_seconds or 0.0) + extra_seconds
