"""A standard 3x3 convolution against its depthwise-separable replacement: cost and measured time.

    python benchmarks/bench_separable.py                 # the reference solutions
    python benchmarks/bench_separable.py --impl katas    # your own Topic 12 and Topic 15 code
    python benchmarks/bench_separable.py --shape 8 32 16 16 --filters 32   # something smaller
    python benchmarks/bench_separable.py --quick         # that smaller shape, 3 rounds (~10 s)
(`tox -e bench-separable -- ARGS` runs it with PyTorch installed.)

Counts parameters and multiply-adds with Topic 15's conv2d_cost, then times forward and
forward+backward, float32, 3x3, padding 1, stride 1, of: the standard convolution (Topic 12's
conv2d, and Topic 15's general conv2d), the depthwise and pointwise halves, the separable block
(depthwise -> ReLU -> pointwise), and the depthwise convolution done as a groups=C im2col
convolution. PyTorch's CPU kernels (F.conv2d, groups=C for the depthwise half) are timed on the
same shapes afterwards, in a child process, so that the two thread pools never compete (skipped
when torch is missing: it is only the yardstick).

Timing: every round runs each layer once, in turn, and a layer's time is its best round. On a
shared machine the minimum is the least noisy estimate of what the code costs, and interleaving
spreads any slow period over all layers instead of one: compare ratios, not milliseconds.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

PHASES = ("forward", "forward+backward")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
SEPARABLE_PARAMS = ("depthwise_w", "depthwise_b", "pointwise_w", "pointwise_b")


def interleaved_best_ms(closures: dict, rounds: int) -> dict:
    """name -> best time in ms over `rounds` rounds; each round calls every closure once."""
    for fn in closures.values():
        fn()  # warm-up: first-touch allocations, thread pools, caches
    best = dict.fromkeys(closures, float("inf"))
    for _ in range(rounds):
        for name, fn in closures.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], 1e3 * (time.perf_counter() - start))
    return best


def random_weights(rng, n, c, f, h, w, dtype):
    """The input and every layer's weights, drawn in one fixed order."""
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    full, bias_f = rng.standard_normal((f, c, 3, 3)).astype(dtype), rng.standard_normal(f).astype(dtype)
    shapes = ((c, 1, 3, 3), (c,), (f, c, 1, 1), (f,))
    params = {k: rng.standard_normal(s).astype(dtype) for k, s in zip(SEPARABLE_PARAMS, shapes)}
    return x, full, bias_f, params


def depthwise_in_chunks(m, x, w, b, chunk) -> dict:
    """The same depthwise functions called on `chunk` images at a time (cache blocking).

    Each kernel tap streams the whole (N, C, Hout, Wout) array through memory; a few images at a
    time stay in the core's L2 cache across the KH*KW taps instead.
    """
    starts = range(0, x.shape[0], chunk)

    def forward():
        return [m.depthwise_conv2d_forward(x[i:i + chunk], w, b, padding=1) for i in starts]

    def both():
        for out, cache in forward():
            m.depthwise_conv2d_backward(np.ones_like(out), cache)

    name = f"depthwise, {chunk} image{'s' if chunk > 1 else ''} at a time"
    return {(name, "forward"): forward, (name, "forward+backward"): both}


def numpy_layers(m, standard_conv, x, full, bias_f, params, chunk) -> dict:
    """(layer, phase) -> closure. m: the Topic 15 module; standard_conv: the Topic 12 module."""
    c = x.shape[1]
    dw_w, dw_b, pw_w, pw_b = (params[k] for k in SEPARABLE_PARAMS)
    layers = {
        "standard (Topic 12 conv2d)": (standard_conv.conv2d_forward, (x, full, bias_f),
                                       {"padding": 1}, standard_conv.conv2d_backward),
        "standard (Topic 15 conv2d)": (m.conv2d_forward, (x, full, bias_f), {"padding": 1},
                                       m.conv2d_backward),
        "depthwise": (m.depthwise_conv2d_forward, (x, dw_w, dw_b), {"padding": 1},
                      m.depthwise_conv2d_backward),
        "depthwise as groups=C im2col": (m.conv2d_forward, (x, dw_w, dw_b),
                                         {"padding": 1, "groups": c}, m.conv2d_backward),
        "pointwise": (m.pointwise_conv2d_forward, (x, pw_w, pw_b), {},
                      m.pointwise_conv2d_backward),
        "separable": (m.separable_block_forward, (x, params), {"padding": 1},
                      m.separable_block_backward),
    }
    closures = {}
    for name, (forward, args, kwargs, backward) in layers.items():
        def run_forward(forward=forward, args=args, kwargs=kwargs):
            return forward(*args, **kwargs)

        def run_both(run_forward=run_forward, backward=backward):
            out, cache = run_forward()
            backward(np.ones_like(out), cache)

        closures[(name, "forward")], closures[(name, "forward+backward")] = run_forward, run_both
        if name == "depthwise":
            closures.update(depthwise_in_chunks(m, x, dw_w, dw_b, chunk))
    return closures


def torch_worker(n, c, f, h, w, rounds) -> dict:
    """PyTorch's times on the same shapes and values (runs in the child process)."""
    import torch
    import torch.nn.functional as F

    arrays = random_weights(np.random.default_rng(0), n, c, f, h, w, np.float32)
    x, full, bias_f, params = (
        {k: torch.tensor(v, requires_grad=True) for k, v in a.items()} if isinstance(a, dict)
        else torch.tensor(a, requires_grad=True) for a in arrays)
    dw_w, dw_b, pw_w, pw_b = (params[k] for k in SEPARABLE_PARAMS)
    layers = {
        "standard (Topic 12 conv2d)": lambda: F.conv2d(x, full, bias_f, padding=1),
        "depthwise": lambda: F.conv2d(x, dw_w, dw_b, padding=1, groups=c),
        "pointwise": lambda: F.conv2d(x, pw_w, pw_b),
        "separable": lambda: F.conv2d(torch.relu(F.conv2d(x, dw_w, dw_b, padding=1, groups=c)),
                                      pw_w, pw_b),
    }

    def no_grad(layer):
        def run():
            with torch.no_grad():
                layer()
        return run

    def with_backward(layer):
        def run():
            out = layer()
            out.backward(torch.ones_like(out))
        return run

    closures = {}
    for name, layer in layers.items():
        closures[(name, "forward")] = no_grad(layer)
        closures[(name, "forward+backward")] = with_backward(layer)
    times = interleaved_best_ms(closures, rounds)
    return {"threads": torch.get_num_threads(),
            "times": [[name, phase, ms] for (name, phase), ms in times.items()]}


def torch_times(shape, rounds) -> dict | None:
    if importlib.util.find_spec("torch") is None:
        print("(PyTorch is not installed: its columns are left out; pip install torch==2.13.0)")
        return None
    command = [sys.executable, __file__, "--torch-worker", json.dumps([*shape, rounds])]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    return {"threads": result["threads"],
            "times": {(name, phase): ms for name, phase, ms in result["times"]}}


def costs(m, c, f, h, w) -> dict:
    hw = (h, w)
    depthwise = m.conv2d_cost(c, c, 3, hw, padding=1, groups=c)
    pointwise = m.conv2d_cost(c, f, 1, hw)
    return {"standard": m.conv2d_cost(c, f, 3, hw, padding=1), "depthwise": depthwise,
            "pointwise": pointwise,
            "separable": {k: depthwise[k] + pointwise[k] for k in ("params", "macs")}}


def print_report(cost, mine, theirs, n, rounds):
    f_over = cost["standard"]["params"] / cost["separable"]["params"]
    mac_ratio = cost["standard"]["macs"] / cost["separable"]["macs"]
    print(f"{'layer':<30}{'params':>9}{'MMACs/image':>13}")
    for name, value in cost.items():
        print(f"{name:<30}{value['params']:>9}{value['macs'] / 1e6:>13.2f}")
    print(f"standard / separable: {f_over:.1f}x the parameters, {mac_ratio:.1f}x the MACs\n")

    header = f"{'ms, best of ' + str(rounds):<30}{'NumPy fwd':>11}{'fwd+bwd':>9}"
    print(header + (f"{'torch fwd':>11}{'fwd+bwd':>9}" if theirs else ""))
    names = dict.fromkeys(name for name, _ in mine)
    for name in names:
        row = f"{name:<30}" + "".join(f"{mine[(name, p)]:>{11 if p == 'forward' else 9}.1f}"
                                      for p in PHASES)
        if theirs and (name, "forward") in theirs["times"]:
            row += "".join(f"{theirs['times'][(name, p)]:>{11 if p == 'forward' else 9}.1f}"
                           for p in PHASES)
        print(row)
    print()
    sides = [("NumPy", mine)] + ([("PyTorch", theirs["times"])] if theirs else [])
    for who, times in sides:
        speedup = [times[("standard (Topic 12 conv2d)", p)] / times[("separable", p)]
                   for p in PHASES]
        rate = {name: cost[key]["macs"] * n / times[(name, "forward")] / 1e6
                for name, key in (("standard (Topic 12 conv2d)", "standard"),
                                  ("depthwise", "depthwise"), ("pointwise", "pointwise"))}
        share = times[("depthwise", "forward")] / (times[("depthwise", "forward")]
                                                    + times[("pointwise", "forward")])
        print(f"{who}: the separable block is {how_fast(speedup[0])} the standard layer "
              f"forward, {how_fast(speedup[1])} it forward+backward, for {mac_ratio:.1f}x fewer "
              f"MACs. "
              f"Forward GMAC/s: standard "
              f"{rate['standard (Topic 12 conv2d)']:.1f}, depthwise {rate['depthwise']:.2f}, "
              f"pointwise {rate['pointwise']:.1f}; the depthwise half does "
              f"{cost['depthwise']['macs'] / cost['separable']['macs']:.0%} of the block's MACs "
              f"and takes {share:.0%} of its forward time.")
    if theirs:
        ratio = [mine[("depthwise", p)] / theirs["times"][("depthwise", p)] for p in PHASES]
        print(f"Depthwise, ours / PyTorch's (groups=C, {theirs['threads']} threads): "
              f"forward {ratio[0]:.1f}x, forward+backward {ratio[1]:.1f}x the time.")


def how_fast(speedup: float) -> str:
    """'2.0x faster than' for a time ratio (standard / separable) of 2, '1.7x slower than' for
    0.6, 'about as fast as' within 5%."""
    if abs(speedup - 1) < 0.05:
        return "about as fast as"
    return f"{speedup:.1f}x faster than" if speedup > 1 else f"{1 / speedup:.1f}x slower than"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default="solutions", choices=("solutions", "katas"))
    parser.add_argument("--shape", type=int, nargs=4, default=(64, 64, 32, 32),
                        metavar=("N", "C", "H", "W"))
    parser.add_argument("--filters", type=int, default=64, help="output channels F")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=2,
                        help="images per call in the cache-blocked depthwise row")
    parser.add_argument("--threads", type=int,
                        help="threads for BLAS and PyTorch (default: the libraries' own choice); "
                             "1 gives steadier numbers on a busy machine")
    parser.add_argument("--quick", action="store_true",
                        help="shape 8 32 16 16, 32 filters, 3 rounds, 1 thread unless --threads: "
                             "about 10 s")
    parser.add_argument("--torch-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:  # one thread unless told: a few rounds on a shared machine need it
        args.shape, args.filters, args.rounds = (8, 32, 16, 16), 32, 3
        args.threads = args.threads or 1
    if args.threads and any(os.environ.get(v) != str(args.threads) for v in THREAD_VARIABLES):
        # Thread pools are sized when NumPy and PyTorch load: restart with the variables set.
        env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, str(args.threads))}
        os.execve(sys.executable, [sys.executable, __file__, *(argv or sys.argv[1:])], env)
    if args.torch_worker:
        print(json.dumps(torch_worker(*json.loads(args.torch_worker))))
        return 0

    m = importlib.import_module(f"{args.impl}.topic15_modern_convolutions.modern_conv")
    standard_conv = importlib.import_module(f"{args.impl}.topic12_im2col_vectorization.im2col")
    n, c, h, w = args.shape
    f = args.filters
    threads = os.environ.get("OMP_NUM_THREADS", "default")
    print(f"x ({n}, {c}, {h}, {w}) float32, {c} -> {f} channels, 3x3, padding 1, stride 1; "
          f"impl {args.impl}; threads {threads}; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    try:
        cost = costs(m, c, f, h, w)
        arrays = random_weights(np.random.default_rng(0), n, c, f, h, w, np.float32)
        mine = interleaved_best_ms(numpy_layers(m, standard_conv, *arrays, args.chunk),
                                   args.rounds)
    except NotImplementedError as blank:
        print(f"--impl {args.impl}: not implemented yet: {blank}. Run this again once "
              f"`tox -e topic12` and `tox -e topic15` are green (without --impl katas: the "
              f"reference).")
        return 2
    theirs = torch_times((n, c, f, h, w), args.rounds)  # after NumPy: never concurrently
    print_report(cost, mine, theirs, n, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
