"""A standard 3x3 convolution against its depthwise-separable replacement: cost and measured time.

    python benchmarks/bench_separable.py                 # the reference solutions
    python benchmarks/bench_separable.py --impl katas    # your own Topic 12 and Topic 15 code
    python benchmarks/bench_separable.py --shape 8 32 16 16 --filters 32   # something smaller

Counts parameters and multiply-adds with Topic 15's conv2d_cost, then times forward and
forward+backward, float32, 3x3, padding 1, stride 1, of: the standard convolution (Topic 12's
conv2d and Topic 15's general conv2d), the depthwise and pointwise halves, the separable block,
and the depthwise convolution done as a groups=C im2col convolution. PyTorch's CPU kernels
(F.conv2d with groups=C for the depthwise half) are timed on the same shapes afterwards in a
child process, so that the two thread pools never compete (skipped when torch is missing).
Times are the best of --repeats runs after a warm-up, in milliseconds: on a shared machine the
minimum is the least noisy estimate of what the code costs.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

# PyTorch's side, run with `python -c` in a child process.
TORCH_TIMER = """
import json, sys, time, torch
import torch.nn.functional as F
n, c, f, h, w, repeats = json.loads(sys.argv[1])
torch.manual_seed(0)
x = torch.randn(n, c, h, w, requires_grad=True)
full = torch.randn(f, c, 3, 3, requires_grad=True)
dw, pw = torch.randn(c, 1, 3, 3, requires_grad=True), torch.randn(f, c, 1, 1, requires_grad=True)
bc, bf = torch.randn(c, requires_grad=True), torch.randn(f, requires_grad=True)
layers = {
    "standard": lambda: F.conv2d(x, full, bf, padding=1),
    "depthwise": lambda: F.conv2d(x, dw, bc, padding=1, groups=c),
    "pointwise": lambda: F.conv2d(x, pw, bf),
    "separable": lambda: F.conv2d(torch.relu(F.conv2d(x, dw, bc, padding=1, groups=c)), pw, bf),
}
def best(fn):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter(); fn(); times.append(time.perf_counter() - start)
    return 1e3 * min(times)
def forward_backward(layer):
    out = layer()
    out.backward(torch.ones_like(out))
result = {}
for name, layer in layers.items():
    with torch.no_grad():
        result[name] = {"forward": best(layer)}
    result[name]["forward+backward"] = best(lambda: forward_backward(layer))
result["threads"] = torch.get_num_threads()
print(json.dumps(result))
"""


def best_ms(fn, repeats):
    """Best of `repeats` timed calls after one warm-up, in milliseconds."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def numpy_layers(m, standard_conv, n, c, f, h, w):
    """name -> (forward, forward+backward) closures on float32 inputs.

    m: the Topic 15 module; standard_conv: the Topic 12 module (its conv2d_forward/backward).
    """
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c, h, w), dtype=np.float32)
    full = rng.standard_normal((f, c, 3, 3), dtype=np.float32)
    params = {"depthwise_w": rng.standard_normal((c, 1, 3, 3), dtype=np.float32),
              "depthwise_b": rng.standard_normal(c, dtype=np.float32),
              "pointwise_w": rng.standard_normal((f, c, 1, 1), dtype=np.float32),
              "pointwise_b": rng.standard_normal(f, dtype=np.float32)}
    bf = rng.standard_normal(f, dtype=np.float32)
    pairs = {
        "standard": ((standard_conv.conv2d_forward, (x, full, bf), {"padding": 1}),
                     standard_conv.conv2d_backward),
        "standard as Topic 15 conv2d": ((m.conv2d_forward, (x, full, bf), {"padding": 1}),
                                        m.conv2d_backward),
        "depthwise": ((m.depthwise_conv2d_forward, (x, params["depthwise_w"],
                                                     params["depthwise_b"]), {"padding": 1}),
                      m.depthwise_conv2d_backward),
        "depthwise as groups=C im2col": ((m.conv2d_forward, (x, params["depthwise_w"],
                                                             params["depthwise_b"]),
                                          {"padding": 1, "groups": c}), m.conv2d_backward),
        "pointwise": ((m.pointwise_conv2d_forward, (x, params["pointwise_w"], bf), {}),
                      m.pointwise_conv2d_backward),
        "separable": ((m.separable_block_forward, (x, params), {"padding": 1}),
                      m.separable_block_backward),
    }
    layers = {}
    for name, ((forward, args, kwargs), backward) in pairs.items():
        def run_forward(forward=forward, args=args, kwargs=kwargs):
            return forward(*args, **kwargs)

        def run_both(run_forward=run_forward, backward=backward):
            out, cache = run_forward()
            backward(np.ones_like(out), cache)

        layers[name] = (run_forward, run_both)
    return layers


def torch_times(n, c, f, h, w, repeats):
    if importlib.util.find_spec("torch") is None:
        return None
    done = subprocess.run([sys.executable, "-c", TORCH_TIMER, json.dumps([n, c, f, h, w, repeats])],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def costs(m, c, f, h):
    standard = m.conv2d_cost(c, f, 3, h, padding=1)
    depthwise = m.conv2d_cost(c, c, 3, h, padding=1, groups=c)
    pointwise = m.conv2d_cost(c, f, 1, h)
    separable = {key: depthwise[key] + pointwise[key] for key in standard}
    return {"standard": standard, "depthwise": depthwise, "pointwise": pointwise,
            "separable": separable}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default="solutions", choices=("solutions", "katas"))
    parser.add_argument("--shape", type=int, nargs=4, default=(64, 64, 32, 32),
                        metavar=("N", "C", "H", "W"))
    parser.add_argument("--filters", type=int, default=64, help="output channels F")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    m = importlib.import_module(f"{args.impl}.topic15_modern_convolutions.modern_conv")
    standard_conv = importlib.import_module(f"{args.impl}.topic12_im2col_vectorization.im2col")
    n, c, h, w = args.shape
    f = args.filters

    cost = costs(m, c, f, h)
    print(f"x ({n}, {c}, {h}, {w}) float32, {c} -> {f} channels, 3x3, padding 1, stride 1")
    print(f"{'layer':<30}{'params':>9}{'MMACs/img':>11}")
    for name, value in cost.items():
        print(f"{name:<30}{value['params']:>9}{value['macs'] / 1e6:>11.2f}")
    mac_ratio = cost["standard"]["macs"] / cost["separable"]["macs"]
    print(f"standard / separable: params {cost['standard']['params'] / cost['separable']['params']:.1f}x,"
          f" MACs {mac_ratio:.1f}x (1 / (1/F + 1/9) = {1 / (1 / f + 1 / 9):.1f})\n")

    layers = numpy_layers(m, standard_conv, n, c, f, h, w)
    mine = {name: {"forward": best_ms(fwd, args.repeats),
                   "forward+backward": best_ms(both, args.repeats)}
            for name, (fwd, both) in layers.items()}
    torch_result = torch_times(n, c, f, h, w, args.repeats)  # after NumPy: never concurrently

    header = f"{'ms (best of ' + str(args.repeats) + ')':<30}{'NumPy fwd':>11}{'fwd+bwd':>9}"
    if torch_result:
        header += f"{'torch fwd':>11}{'fwd+bwd':>9}"
    print(header)
    for name, times in mine.items():
        row = f"{name:<30}{times['forward']:>11.1f}{times['forward+backward']:>9.1f}"
        if torch_result and name in torch_result:
            theirs = torch_result[name]
            row += f"{theirs['forward']:>11.1f}{theirs['forward+backward']:>9.1f}"
        print(row)
    for who, result in (("NumPy", mine), ("torch", torch_result)):
        if not result:
            continue
        speedups = [result["standard"][k] / result["separable"][k]
                    for k in ("forward", "forward+backward")]
        rates = [cost[name]["macs"] * n / result[name]["forward"] / 1e6
                 for name in ("standard", "depthwise", "pointwise")]
        print(f"{who}: separable is {speedups[0]:.1f}x faster forward, {speedups[1]:.1f}x "
              f"forward+backward (MAC ratio {mac_ratio:.1f}x); forward GMAC/s: standard "
              f"{rates[0]:.1f}, depthwise {rates[1]:.1f}, pointwise {rates[2]:.1f}")
    if torch_result:
        ratio = [mine["depthwise"][k] / torch_result["depthwise"][k]
                 for k in ("forward", "forward+backward")]
        print(f"depthwise, ours / torch (groups=C, {torch_result['threads']} threads): "
              f"forward {ratio[0]:.1f}x, forward+backward {ratio[1]:.1f}x")


if __name__ == "__main__":
    main()
