"""The benchmark's measuring side: one process times one variant over a list of cases.

Kept apart from bench_conv.py (which only orchestrates and reports) so that a worker process
imports NumPy *or* PyTorch, never both at once.
"""

from __future__ import annotations

import gc
import importlib
import json
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass

VARIANTS = ("naive", "textbook", "im2col", "torch")
# bench_conv.py --yours: strided and textbook are the same recipe in two memory layouts (the
# hints before and after issue 20), beside which a learner reads their own code's time.
LEARNER_VARIANTS = ("naive", "strided", "textbook", "yours", "reference", "torch")
MODULES = {  # variant: (topic module, forward, backward)
    "naive": ("topic11_conv2d_sliding_window.conv2d", "conv2d_forward_naive",
              "conv2d_backward_naive"),
    "im2col": ("topic12_im2col_vectorization.im2col", "conv2d_forward", "conv2d_backward"),
}
FIXED_IMPL = {"yours": ("katas", "im2col"), "reference": ("solutions", "im2col")}  # whatever --impl
TEXTBOOK = "textbook_im2col"  # benchmarks/textbook_im2col.py: the plain method, whatever --impl
STRIDED = "strided_im2col"  # benchmarks/strided_im2col.py: the same, in the former hints' layout
FAST_CONV = "fastpath.conv"  # the reference's tuned im2col (solutions/ holds the textbook one)
KERNEL, STRIDE, PADDING = 3, 1, 1
MIN_REPEATS, MAX_REPEATS = 2, 15


@dataclass(frozen=True)
class Case:
    """A batch of N images, C channels in and F = C filters out, HW x HW pixels."""

    sweep: str
    N: int
    C: int
    HW: int
    naive: bool = True  # whether the naive loops are timed too (they are slow on big cases)

    @property
    def key(self) -> str:
        return f"{self.sweep}:{self.N}x{self.C}x{self.HW}"

    def as_dict(self) -> dict:
        return asdict(self)

    def arrays(self):
        """float32 x (N, C, HW, HW), w (C, C, 3, 3), b (C,), dout (N, C, HW, HW), seeded."""
        import numpy as np
        rng = np.random.default_rng(0)
        shape = (self.N, self.C, self.HW, self.HW)
        x = rng.standard_normal(shape, dtype=np.float32)
        w = rng.standard_normal((self.C, self.C, KERNEL, KERNEL), dtype=np.float32) * 0.1
        b = rng.standard_normal(self.C, dtype=np.float32)
        dout = rng.standard_normal(shape, dtype=np.float32)  # stride 1, padding 1: same size
        return x, w, b, dout


def run_worker(variant: str, impl: str, cases: list[Case], min_seconds: float,
               memory: bool = True) -> int:
    """Measure `variant` on every case; print {case key: measurements} as one JSON line.

    With memory=False only the times are measured (peak_mb is None).
    """
    measure = _measure_torch if variant == "torch" else _numpy_measurer(variant, impl)
    results = {}
    for case in cases:
        try:
            results[case.key] = measure(case, min_seconds, memory)
        except NotImplementedError:
            results[case.key] = {"error": "not implemented yet"}
        except Exception as err:  # report it in the table and carry on with the other cases
            results[case.key] = {"error": f"{type(err).__name__}: {err}"[:120]}
    print(json.dumps(results))
    return 0


def time_passes(forward, backward, min_seconds: float) -> dict:
    """Median forward and backward milliseconds, and their sum, after one untimed warm-up call.

    Repeats until at least MIN_REPEATS calls and `min_seconds` of timing (MAX_REPEATS at most).
    """
    backward(*forward())
    fwd, bwd = [], []
    started = time.perf_counter()
    while len(fwd) < MIN_REPEATS or (
            time.perf_counter() - started < min_seconds and len(fwd) < MAX_REPEATS):
        t0 = time.perf_counter()
        out, cache = forward()
        t1 = time.perf_counter()
        backward(out, cache)
        t2 = time.perf_counter()
        fwd.append(t1 - t0)
        bwd.append(t2 - t1)
    fwd_ms, bwd_ms = 1e3 * statistics.median(fwd), 1e3 * statistics.median(bwd)
    # total = forward + backward as printed (a median of per-call sums need not equal it)
    return {"fwd_ms": fwd_ms, "bwd_ms": bwd_ms, "total_ms": fwd_ms + bwd_ms, "repeats": len(fwd)}


# ---------------------------------------------------------------------------------- NumPy

def _numpy_measurer(variant: str, impl: str):
    if variant in ("textbook", "strided"):
        module_name = TEXTBOOK if variant == "textbook" else STRIDED
        forward_name, backward_name = "conv2d_forward", "conv2d_backward"
    else:
        impl, variant = FIXED_IMPL.get(variant, (impl, variant))
        module_name, forward_name, backward_name = MODULES[variant]
        module_name = (FAST_CONV if (variant, impl) == ("im2col", "solutions")
                       else f"{impl}.{module_name}")
    module = importlib.import_module(module_name)
    forward_fn, backward_fn = getattr(module, forward_name), getattr(module, backward_name)
    # The reference keeps its column buffer between calls; drop it so the peak counts it.
    release = getattr(module, "release_work_buffers", lambda: None)

    def measure(case: Case, min_seconds: float, memory: bool) -> dict:
        x, w, b, dout = case.arrays()
        forward = lambda: forward_fn(x, w, b, STRIDE, PADDING)  # noqa: E731
        backward = lambda out, cache: backward_fn(dout, cache)  # noqa: E731
        timing = time_passes(forward, backward, min_seconds)
        peak = _numpy_peak_mb(forward, backward, release) if memory else None
        return {**timing, "peak_mb": peak}

    return measure


def _numpy_peak_mb(forward, backward, release) -> float:
    """Peak MB that NumPy allocates during one forward + backward (inputs already exist)."""
    release()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        backward(*forward())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    release()
    return (peak - before) / 2**20


# -------------------------------------------------------------------------------- PyTorch

def _torch_tensors(case: Case):
    import torch
    x, w, b, dout = (torch.from_numpy(a) for a in case.arrays())
    return x.requires_grad_(), w.requires_grad_(), b.requires_grad_(), dout


def _torch_passes(x, w, b, dout):
    import torch
    import torch.nn.functional as F

    def forward():
        return F.conv2d(x, w, b, stride=STRIDE, padding=PADDING), None

    def backward(out, _):
        return torch.autograd.grad(out, (x, w, b), dout)

    return forward, backward


def _measure_torch(case: Case, min_seconds: float, memory: bool) -> dict:
    try:
        import torch  # noqa: F401
    except ImportError:
        raise RuntimeError("PyTorch not installed (pip install torch==2.13.0)") from None
    forward, backward = _torch_passes(*_torch_tensors(case))
    timing = time_passes(forward, backward, min_seconds)
    return {**timing, "peak_mb": _torch_peak_mb(forward, backward) if memory else None}


def _torch_peak_mb(forward, backward) -> float | None:
    """Growth of the resident memory's high-water mark during one forward + backward.

    PyTorch allocates outside Python's allocator, so tracemalloc cannot see it; its CPU
    allocator returns large blocks to the system, so after the warm-up (same shapes) the call's
    own allocations show in the high-water mark, reset just before the call (Linux only).
    """
    gc.collect()
    if not _reset_peak_rss():
        return None
    before = _proc_status_bytes("VmRSS")
    backward(*forward())
    return max(_proc_status_bytes("VmHWM") - before, 0) / 2**20


def _reset_peak_rss() -> bool:
    """Reset this process's resident high-water mark (Linux >= 4.0); False where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _proc_status_bytes(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024  # reported in kB
    raise KeyError(field)
