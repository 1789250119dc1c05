#!/usr/bin/env python
"""Training throughput of the milestone network: ours (NumPy) vs the same network in PyTorch.

    python benchmarks/bench_milestone.py                  # solutions, batch 512, 2 rounds
    python benchmarks/bench_milestone.py --impl katas --steps 5 --rounds 1

Each measurement runs in its own subprocess (fresh allocator, its own thread settings: OpenBLAS
single-threaded plus our thread pool for NumPy, 2 intra-op threads for PyTorch, both with glibc
told to keep freed memory), alternating NumPy and PyTorch for `--rounds` rounds so that a busy
machine penalizes both alike. A step is what the milestone times, minus augmentation: forward, loss
(label smoothing 0.2), backward and a Nesterov SGD update on a batch of random images (throughput
does not depend on the pixels); img/s is for the milestone's mix of steps with the whitening bias
training (30%) and frozen (70%, when neither framework computes the first group's input
gradient). PyTorch is the yardstick here only; it is never a dependency of the katas or
solutions. Prints one JSON line; `--json FILE` also writes it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from machine import cpu_description  # benchmarks/machine.py (this script's folder)

REPO = Path(__file__).resolve().parents[1]
WHITEN_BIAS_FRAC = 0.3
MALLOC_ENV = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 40)}


def numpy_worker(args) -> float:
    sys.path.insert(0, str(REPO))
    import importlib

    import numpy as np

    from milestone.network import Network
    topic = f"{args.impl}.topic17_cifar10_from_scratch"
    layers = importlib.import_module(f"{topic}.layers")
    pipeline = importlib.import_module(f"{topic}.pipeline")
    rng = np.random.default_rng(0)
    net = Network(layers, widths=args.widths)
    params, state = net.init(rng, rng.standard_normal((256, 3, 32, 32)).astype(np.float32))
    velocity = {}
    x = rng.standard_normal((args.batch, 3, 32, 32)).astype(np.float32)
    y = rng.integers(0, 10, args.batch)

    def step():
        pipeline.train_step(net, params, state, velocity, x, y, 0.1, 0.85, 5e-4, True, 0.2)

    def freeze_whitening_bias():
        net.frozen.add("whiten_b")
    return _time_steps(step, freeze_whitening_bias, args)


def torch_worker(args) -> float:
    import torch
    from torch import nn
    torch.set_num_threads(args.threads)
    cl = torch.channels_last

    def group(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.MaxPool2d(2),
                nn.BatchNorm2d(c_out, eps=1e-12, momentum=0.4), nn.ReLU(),
                nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
                nn.BatchNorm2d(c_out, eps=1e-12, momentum=0.4), nn.ReLU()]
    w1, w2, w3 = args.widths
    net = nn.Sequential(nn.Conv2d(3, 24, 2, bias=True), nn.ReLU(), *group(24, w1),
                        *group(w1, w2), *group(w2, w3), nn.MaxPool2d(3), nn.Flatten(),
                        nn.Linear(w3, 10, bias=False)).to(memory_format=cl)
    net[0].weight.requires_grad = False
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.requires_grad = False
    opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], lr=0.1,
                          momentum=0.85, nesterov=True, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.2)
    x = torch.randn(args.batch, 3, 32, 32).contiguous(memory_format=cl)
    y = torch.randint(0, 10, (args.batch,))

    def step():
        loss = loss_fn(net(x) / 9, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    def freeze_whitening_bias():
        net[0].bias.requires_grad_(False)  # autograd then skips the first group's input grad
    return _time_steps(step, freeze_whitening_bias, args)


def _time_steps(step, freeze_whitening_bias, args) -> float:
    """img/s over a milestone-like mix: the whitening bias trains for the first 30% of steps."""
    seconds = []
    for phase in range(2):
        if phase == 1:
            freeze_whitening_bias()
        for _ in range(args.warmup):
            step()
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        seconds.append((time.perf_counter() - t0) / args.steps)
    return args.batch / (WHITEN_BIAS_FRAC * seconds[0] + (1 - WHITEN_BIAS_FRAC) * seconds[1])


def run_worker(kind: str, args) -> float:
    env = dict(os.environ, **MALLOC_ENV)
    if kind == "numpy":
        env.update(OPENBLAS_NUM_THREADS="1", KATA_THREADS=str(args.threads))
    cmd = [sys.executable, __file__, "--worker", kind, "--impl", args.impl,
           "--batch", str(args.batch), "--steps", str(args.steps), "--warmup", str(args.warmup),
           "--threads", str(args.threads), "--widths", ",".join(map(str, args.widths))]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{kind} worker failed:\n{out.stderr}")
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--impl", default="solutions", choices=["solutions", "katas"])
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--widths", default="64,128,256", help="the milestone's reference default")
    p.add_argument("--json", default="")
    p.add_argument("--worker", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    args = p.parse_args()
    args.widths = tuple(int(w) for w in args.widths.split(","))
    if args.worker:
        print(numpy_worker(args) if args.worker == "numpy" else torch_worker(args))
        return
    if importlib.util.find_spec("torch") is None:  # said once, before any timing
        sys.exit("PyTorch is not installed here: `tox -e bench-milestone` installs it (or "
                 "`pip install torch==2.13.0`).")
    runs = {"numpy": [], "torch": []}
    for r in range(args.rounds):
        for kind in ("numpy", "torch"):
            runs[kind].append(run_worker(kind, args))
            print(f"round {r + 1}: {kind} {runs[kind][-1]:.0f} img/s", file=sys.stderr, flush=True)
    best = {k: max(v) for k, v in runs.items()}
    # Each round's pair ran back to back, so a round's ratio is the fairest single figure; their
    # median is the one to quote (a busy spell that hits one round does not move it).
    ratios = sorted(a / b for a, b in zip(runs["numpy"], runs["torch"]))
    result = {"impl": args.impl, "batch": args.batch, "widths": list(args.widths),
              "threads": args.threads, "numpy_img_per_s": round(best["numpy"], 1),
              "torch_img_per_s": round(best["torch"], 1),
              "ratio": round(best["numpy"] / best["torch"], 3),
              "median_round_ratio": round(float(np.median(ratios)), 3),
              "cpu": cpu_description(),
              "runs": {k: [round(v, 1) for v in vs] for k, vs in runs.items()}}
    print(json.dumps(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
