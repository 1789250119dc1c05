"""Why skips matter: the gradient reaching the first layer of a deep stack, with and without them.

Two stacks of the same depth, at initialization (He weights, gamma 1, beta 0, BN in train mode):
- plain:    x -> [conv3x3-BN-ReLU-conv3x3-BN-ReLU] x depth
- residual: x -> [residual block (identity shortcut)] x depth
One forward and one backward pass of a random linear loss; the script prints, for each depth,
the norm of the gradient of the FIRST block's first conv weight, of the LAST block's, and their
ratio, then plots the per-block gradient norms. Both stacks are built only from the topic's
public functions (and Topic 12's conv), so `--impl katas` runs it on your own code.

    python -m solutions.topic14_resnet_skip_connections.skip_experiment
    python -m solutions.topic14_resnet_skip_connections.skip_experiment --impl katas --depths 4 8

Writes runs/topic14_skip_gradients.png (runs/ is gitignored) unless --no-plot.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

import numpy as np

TOPIC = "topic14_resnet_skip_connections"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "runs" / "topic14_skip_gradients.png"


class Layers:
    """The public functions of one implementation (solutions or katas)."""

    def __init__(self, impl: str):
        residual = importlib.import_module(f"{impl}.{TOPIC}.residual")
        conv = importlib.import_module(f"{impl}.topic12_im2col_vectorization.im2col")
        self.residual, self.conv = residual, conv

    def conv_bn_relu(self, x, w, gamma, beta, state, relu=True):
        h, conv_cache = self.conv.conv2d_forward(x, w, np.zeros(w.shape[0]), stride=1, padding=1)
        h, bn_cache = self.residual.batchnorm2d_forward(h, gamma, beta, state, train=True)
        relu_cache = None
        if relu:
            h, relu_cache = self.residual.relu_forward(h)
        return h, (conv_cache, bn_cache, relu_cache)

    def conv_bn_relu_backward(self, dout, cache):
        conv_cache, bn_cache, relu_cache = cache
        if relu_cache is not None:
            dout = self.residual.relu_backward(dout, relu_cache)
        dh, _, _ = self.residual.batchnorm2d_backward(dout, bn_cache)
        dx, dw, _ = self.conv.conv2d_backward(dh, conv_cache)
        return dx, dw


def plain_block_forward(layers, x, params, state):
    """The residual block without its shortcut: conv-BN-ReLU-conv-BN-ReLU."""
    h, cache1 = layers.conv_bn_relu(x, params["conv1_w"], params["bn1_gamma"],
                                    params["bn1_beta"], state["bn1"])
    out, cache2 = layers.conv_bn_relu(h, params["conv2_w"], params["bn2_gamma"],
                                      params["bn2_beta"], state["bn2"])
    return out, (cache1, cache2)


def plain_block_backward(layers, dout, cache):
    """Returns (dx, gradient of conv1_w)."""
    cache1, cache2 = cache
    dh, _ = layers.conv_bn_relu_backward(dout, cache2)
    return layers.conv_bn_relu_backward(dh, cache1)


def first_conv_gradient_norms(layers, depth, residual, seed, batch=8, channels=16, size=8):
    """||dL/d conv1_w|| of every block, first block first, for L = sum(out * g), g random."""
    rng = np.random.default_rng(seed)
    blocks = [layers.residual.init_residual_block(channels, channels, 1, rng) for _ in range(depth)]
    h = rng.standard_normal((batch, channels, size, size))
    caches = []
    for params, state in blocks:
        if residual:
            h, cache = layers.residual.residual_block_forward(h, params, state, stride=1)
        else:
            h, cache = plain_block_forward(layers, h, params, state)
        caches.append(cache)
    grad = rng.standard_normal(h.shape) / np.sqrt(h.size)  # unit-scale loss whatever the size
    norms = []
    for cache in reversed(caches):
        if residual:
            grad, grads = layers.residual.residual_block_backward(grad, cache)
            dw = grads["conv1_w"]
        else:
            grad, dw = plain_block_backward(layers, grad, cache)
        norms.append(float(np.linalg.norm(dw)))
    return norms[::-1]


def plot(results, path):
    import matplotlib  # lazily: only the plot needs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    depths = sorted(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    deepest = depths[-1]
    for kind, style in (("plain", "o-"), ("residual", "s-")):
        norms = results[deepest][kind]
        left.semilogy(range(1, deepest + 1), norms, style, ms=3, label=kind)
        ratios = [results[d][kind][0] / results[d][kind][-1] for d in depths]
        right.plot(depths, ratios, style, label=kind)
    left.set(title=f"{deepest} blocks: gradient norm of each block's first conv",
             xlabel="block (1 = nearest the input)", ylabel="||dL/dW||")
    right.set(title="first block's gradient norm / last block's", xlabel="depth (blocks)",
              ylabel="ratio", xscale="log", yscale="log", xticks=depths)
    right.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    right.set_xticklabels([str(d) for d in depths])
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default="solutions", choices=("solutions", "katas"))
    parser.add_argument("--depths", type=int, nargs="+", default=[4, 8, 16, 32],
                        help="numbers of blocks (each block has two conv layers)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args(argv)

    layers = Layers(args.impl)
    start = time.perf_counter()
    results = {}
    print(f"{'blocks':>6} {'convs':>5} | {'plain: first':>12} {'last':>8} {'ratio':>9} | "
          f"{'residual: first':>15} {'last':>8} {'ratio':>6}")
    for depth in sorted(args.depths):
        try:
            results[depth] = {kind: first_conv_gradient_norms(layers, depth, kind == "residual",
                                                              args.seed)
                              for kind in ("plain", "residual")}
        except NotImplementedError as blank:
            print(f"--impl {args.impl}: not implemented yet: {blank}. Run this again once "
                  f"`tox -e topic12` and `tox -e topic14` are green.")
            return 2
        plain, res = results[depth]["plain"], results[depth]["residual"]
        print(f"{depth:>6} {2 * depth:>5} | {plain[0]:>12.3g} {plain[-1]:>8.3g} "
              f"{plain[0] / plain[-1]:>9.3g} | {res[0]:>15.3g} {res[-1]:>8.3g} "
              f"{res[0] / res[-1]:>6.3g}")
    print(f"({time.perf_counter() - start:.1f} s, impl={args.impl}, seed={args.seed}, "
          f"batch 8 x 16 channels x 8x8, BN in train mode)")
    if not args.no_plot:
        plot(results, args.out)
        print(f"plot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
