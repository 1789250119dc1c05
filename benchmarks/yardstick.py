#!/usr/bin/env python
"""The PyTorch yardstick: the milestone's network and recipe in PyTorch, under the same budget.

    tox -e yardstick -- --budget 600 --data-dir DIR --seed 0 --json runs/yardstick-seed0.json
    python benchmarks/yardstick.py --act relu --epochs 2     # the reference's ReLU, 2 epochs pinned
    python benchmarks/yardstick.py --quick --synthetic       # seconds: the code runs, no CIFAR-10

What a user who picked PyTorch instead of NumPy gets on this machine in the milestone's budget:
the comparison README's milestone table prints. PyTorch is installed only in this benchmark's
environment; nothing in the katas or solutions imports it.

The same as `tox -e milestone -- --impl solutions`, by construction (the milestone's own functions):
- data: `data/cifar10.py` (`--data-dir`, else `$CIFAR10_DIR`, else `data/`, downloading once), the
  reference's `channel_stats` and `normalize`, the milestone's crop + flip (`augmented_batch`, NumPy
  generator seeded by `--seed`) and data order;
- network: milestone/network.py's (2x2 patch-whitening conv from `patch_whitening_weights`, frozen,
  its bias trained for the first 30% of steps; three groups of conv-pool-BN-act-conv-BN-act with
  Dirac-initialized convs; BN weights frozen at 1, momentum 0.4, eps 1e-12; maxpool 3, linear
  without bias, logits scaled by 1/9); `specs/oracle/test_yardstick.py` checks parameter names,
  shapes, logits, gradients and BN statistics against milestone/network.py;
- recipe: `milestone.train.Config`'s constants, per-parameter learning rate and weight decay
  (`hyperparameters`), Nesterov SGD, label smoothing, the warm-up/decay schedule (`lr_factor`),
  lookahead every 5 steps with the same decay, finishing on the averaged weights;
- budget and plan: the budget is wall time from the start to the last line, as the milestone's
  (`milestone/plan.py`): loading, whitening, calibration, training and the final evaluation all
  count. A few timed steps on a throwaway copy (whitening bias training and frozen, weighted
  30/70) and one timed evaluation batch give the step time and the finish to set aside (the
  milestone's `finish_seconds`, 9 passes over the test set); the run is then whole tenths of an
  epoch in 97% of the time left, re-sized as the milestone's (`resized_total`);
- evaluation: the reference's `evaluate` (plain, flip TTA) and the milestone's
  `flip_translate_logits` (flip + translate TTA), on the whole test set.
Different: GELU by default (airbench's; `--act relu` is the reference's network exactly), PyTorch's
kernels and threads (channels-last, `--threads`, default all cores), random initial weights from
PyTorch's generator (same distributions), no held-out evaluation after each epoch (about 1% of
the milestone's budget) and no plots (run the milestone with `--no-plots` to match). Like the
milestone, it restarts once with glibc told to keep freed memory.

Prints progress, then one JSON line: `test_acc`, `test_acc_flip_tta`, `test_acc_flip_translate_tta`,
`epochs`, `img_per_s`, `train_seconds`, `peak_rss_mb`, the plan, versions, CPU, threads;
`--json FILE` also writes it.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

STARTED = time.time()   # before NumPy and PyTorch load: the budget counts their import too

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from machine import cpu_description  # noqa: E402  (benchmarks/machine.py, this script's folder)

from data.cifar10 import CifarError, load_cifar10  # noqa: E402
from milestone.network import LOGIT_SCALE, WHITEN_CHANNELS, patch_whitening_weights  # noqa: E402
from milestone.plan import (  # noqa: E402
    Deadline,
    finish_seconds,
    fit_epochs,
    resized_steps,
    steps_within,
)
from milestone.train import (  # noqa: E402
    LOOKAHEAD_EVERY,
    Config,
    augmented_batch,
    flip_translate_logits,
    hyperparameters,
    lr_factor,
)
from solutions.topic17_cifar10_from_scratch import pipeline  # noqa: E402

REEXEC_FLAG = "KATA_YARDSTICK_CHILD"
START_ENV = "KATA_YARDSTICK_START"   # when the first process started (the re-executed one reads it)
EVAL_PASSES = 9                      # plain, flip TTA (2), flip + translate TTA (6)
MALLOC_ENV = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 40)}
# --quick: a check of the code that runs in seconds, on one thread (a busy CI machine makes two
# threads wait on each other: a 0.2 s step took 4 s at load 15 on 2 cores).
QUICK = {"budget": 20.0, "widths": "8,16,32", "batch": 64, "train_images": 2048, "test_images": 500,
         "threads": 1}
EVAL_BATCH = 500

try:
    import torch
    from torch import nn
except ImportError:
    sys.exit("PyTorch is not installed here: `tox -e yardstick` installs it (or "
             "`pip install torch==2.13.0`).")


# ----------------------------------------------------------------------------- the network
class ConvGroup(nn.Module):
    """3x3 conv -> maxpool 2 -> BN -> act -> 3x3 conv -> BN -> act; (N, c_in, H, W) ->
    (N, c_out, H // 2, W // 2). Convs without bias, BN weights frozen at 1 (milestone's)."""

    def __init__(self, c_in: int, c_out: int, act: str, bn_momentum=0.4, bn_eps=1e-12):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out, eps=bn_eps, momentum=bn_momentum)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out, eps=bn_eps, momentum=bn_momentum)
        self.act = nn.GELU() if act == "gelu" else nn.ReLU()
        for conv in (self.conv1, self.conv2):   # PyTorch's default init, then Dirac
            with torch.no_grad():
                nn.init.dirac_(conv.weight[:conv.in_channels])
        for bn in (self.bn1, self.bn2):
            bn.weight.requires_grad_(False)

    def forward(self, x):
        x = self.act(self.bn1(nn.functional.max_pool2d(self.conv1(x), 2)))
        return self.act(self.bn2(self.conv2(x)))


class YardstickNet(nn.Module):
    """milestone/network.py's CNN in PyTorch: x (N, 3, 32, 32) -> logits (N, 10)."""

    def __init__(self, whitening_weights: np.ndarray, widths=(64, 128, 256), act="gelu"):
        super().__init__()
        self.whiten = nn.Conv2d(3, WHITEN_CHANNELS, 2, bias=True)
        with torch.no_grad():
            self.whiten.weight.copy_(torch.from_numpy(whitening_weights))
            self.whiten.bias.zero_()
        self.whiten.weight.requires_grad_(False)
        self.act = nn.GELU() if act == "gelu" else nn.ReLU()
        c_in, groups = WHITEN_CHANNELS, []
        for width in widths:
            groups.append(ConvGroup(c_in, width, act))
            c_in = width
        self.groups = nn.ModuleList(groups)
        self.fc = nn.Linear(c_in, 10, bias=False)

    def forward(self, x):
        x = self.act(self.whiten(x))
        for group in self.groups:
            x = group(x)
        x = nn.functional.max_pool2d(x, x.shape[-1]).flatten(1)   # 3x3 -> 1x1
        return self.fc(x) * LOGIT_SCALE


def milestone_parameters(net) -> dict:
    """The trained tensors by milestone/network.py's names (whiten_b, g1_conv1_w, g1_bn1_beta,
    ..., fc_w), in the order Network.init makes them."""
    named = {"whiten_b": net.whiten.bias}
    for g, group in enumerate(net.groups, 1):
        for i in (1, 2):
            named[f"g{g}_conv{i}_w"] = getattr(group, f"conv{i}").weight
            named[f"g{g}_bn{i}_beta"] = getattr(group, f"bn{i}").bias
    named["fc_w"] = net.fc.weight
    return named


def milestone_state(net) -> dict:
    """The untrained tensors by milestone/network.py's names: whiten_w and, per BN, a dict
    {running_mean, running_var}."""
    state = {"whiten_w": net.whiten.weight}
    for g, group in enumerate(net.groups, 1):
        for i in (1, 2):
            bn = getattr(group, f"bn{i}")
            state[f"g{g}_bn{i}"] = {"running_mean": bn.running_mean, "running_var": bn.running_var}
    return state


def load_milestone_weights(net, params: dict, state: dict) -> None:
    """Copy a milestone Network's (params, state) of NumPy arrays into net, keeping its dtype."""
    targets = {**milestone_parameters(net), "whiten_w": net.whiten.weight}
    sources = {**params, "whiten_w": state["whiten_w"]}
    for name, stats in milestone_state(net).items():
        if isinstance(stats, dict):
            targets.update({f"{name}/{k}": v for k, v in stats.items()})
            sources.update({f"{name}/{k}": state[name][k] for k in stats})
    with torch.no_grad():
        for name, tensor in targets.items():
            tensor.copy_(torch.from_numpy(np.asarray(sources[name])))


# ----------------------------------------------------------------------------- the recipe
def make_optimizer(net, cfg: Config):
    """Nesterov SGD with one group per parameter (the milestone's names and rates: BN biases at
    64x the learning rate, weight decay per parameter). Returns (optimizer, base lr per group)."""
    named = milestone_parameters(net)
    lrs, wds = hyperparameters(cfg, named)
    groups = [{"params": [p], "name": name, "lr": lrs[name], "weight_decay": wds[name]}
              for name, p in named.items()]
    opt = torch.optim.SGD(groups, lr=lrs["fc_w"], momentum=cfg.momentum, nesterov=True)
    return opt, [g["lr"] for g in opt.param_groups]


def set_learning_rates(opt, base_lrs, factor: float) -> None:
    for group, base in zip(opt.param_groups, base_lrs):
        group["lr"] = base * factor


def freeze_whitening_bias(net) -> None:
    """Stop training the whitening bias; autograd then skips the first group's input gradient."""
    net.whiten.bias.requires_grad_(False)
    net.whiten.bias.grad = None


def train_step(net, opt, x, y, label_smoothing: float) -> float:
    """Forward (train mode), mean cross-entropy with label smoothing, backward, SGD; the loss."""
    loss = nn.functional.cross_entropy(net(x), y, label_smoothing=label_smoothing)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()


class Lookahead:
    """milestone.train.Lookahead over the same tensors: every float tensor of the state dict
    (parameters and BN running statistics; the frozen ones stay as they are)."""

    def __init__(self, net):
        self.slow = {k: v.detach().clone() for k, v in net.state_dict().items() if v.is_floating_point()}

    @torch.no_grad()
    def update(self, net, decay: float) -> None:
        current = net.state_dict()   # detached tensors sharing the net's storage
        for key, slow in self.slow.items():
            slow.lerp_(current[key], 1 - decay)
            current[key].copy_(slow)


class Batches:
    """The milestone's data order and augmentation: a permutation per epoch from the run's NumPy
    generator, crop + flip + normalize by `augmented_batch`, as channels-last tensors."""

    def __init__(self, data: dict, cfg: Config, rng: np.random.Generator):
        self.x, self.y = data["x_train"], torch.from_numpy(data["y_train"])
        self.mean, self.std, self.cfg, self.rng = data["mean"], data["std"], cfg, rng
        self.per_epoch = len(self.x) // cfg.batch
        self.perm, self.index = rng.permutation(len(self.x)), 0

    def next(self):
        if self.index >= self.per_epoch:
            self.perm, self.index = self.rng.permutation(len(self.x)), 0
        b = self.cfg.batch
        idx = self.perm[self.index * b:(self.index + 1) * b]
        self.index += 1
        return self.batch(idx)

    def random(self, rng: np.random.Generator):
        return self.batch(rng.integers(0, len(self.x), self.cfg.batch), rng)

    def batch(self, idx, rng=None):
        x = augmented_batch(pipeline, self.x, idx, self.mean, self.std, self.cfg.pad,
                            rng or self.rng)
        return to_torch(x), self.y[idx]


def to_torch(x: np.ndarray):
    """float32 NCHW array -> channels-last tensor (PyTorch's fast layout on CPUs)."""
    return torch.from_numpy(np.ascontiguousarray(x)).contiguous(memory_format=torch.channels_last)


# ----------------------------------------------------------------------------- plan and train
def plan_run(cfg: Config, net, batches: Batches, deadline: Deadline, test_images: int) -> dict:
    """The milestone's plan: median step time of 5 steps with the whitening bias training and 5
    with it frozen (after 2 warm-up steps) on a throwaway copy, weighted 30/70 (only the first
    step when it takes over 1/20 of the budget), and one timed eval-mode batch; the finish (9
    passes over the test set, with the milestone's margin) is set aside, and whole tenths of an
    epoch fill `cfg.margin` of the time left before it."""
    per_epoch = batches.per_epoch
    if cfg.epochs is not None:
        return {"epochs": cfg.epochs, "total_steps": max(1, round(cfg.epochs * per_epoch)),
                "step_seconds": None, "pinned": True}
    t_start = time.perf_counter()
    trial = copy.deepcopy(net)
    opt, _ = make_optimizer(trial, cfg)
    rng = np.random.default_rng(cfg.seed + 1)   # leaves the run's generator untouched
    warmup, timed = 2, 5
    times = {False: [], True: []}
    for i in range(warmup + 2 * timed):
        frozen = i >= warmup + timed
        if frozen:
            freeze_whitening_bias(trial)
        t = time.perf_counter()
        x, y = batches.random(rng)
        train_step(trial, opt, x, y, cfg.label_smoothing)
        if i >= warmup or i == 0:
            times[frozen].append(time.perf_counter() - t)
        if i == 0 and times[False][0] > cfg.budget / 20:   # very slow: stop measuring
            break
    image_seconds = eval_image_seconds(trial, batches, rng)
    del trial, opt
    training = float(np.median(times[False][-timed:]))
    step_seconds = (training if not times[True] else cfg.whiten_bias_frac * training
                    + (1 - cfg.whiten_bias_frac) * float(np.median(times[True])))
    finish = finish_seconds(image_seconds, test_images, 0, EVAL_PASSES, plots=False)
    remaining = deadline.left() - finish
    epochs, total = fit_epochs(remaining, step_seconds, per_epoch, 0.0, cfg.margin)
    print(f"calibration: {step_seconds:.2f} s/step ({cfg.batch / step_seconds:.0f} img/s); plan: "
          f"{epochs:g} epochs = {total} steps of {cfg.batch} in {remaining:.0f} s, then about "
          f"{finish:.0f} s for the final evaluation; the run ends by {deadline.clock()}",
          flush=True)
    return {"epochs": epochs, "total_steps": total, "step_seconds": round(step_seconds, 4),
            "pinned": False, "finish_seconds": round(finish, 1), "train_budget": round(remaining, 1),
            "calibration_seconds": round(time.perf_counter() - t_start, 1)}


@torch.no_grad()
def eval_image_seconds(net, batches: Batches, rng: np.random.Generator) -> float:
    """Seconds per image of an eval-mode forward pass (one batch of EVAL_BATCH, after one)."""
    x, _ = batches.random(rng)
    x = x[:EVAL_BATCH]
    net.eval()
    net(x)
    t = time.perf_counter()
    net(x)
    seconds = (time.perf_counter() - t) / len(x)
    net.train()
    return seconds


def train(cfg: Config, net, batches: Batches, deadline: Deadline, test_images: int) -> dict:
    """Plan, then train to the plan; returns the run's record. Training (calibration included)
    must end by the deadline less the finish the plan sets aside."""
    t0 = time.perf_counter()
    plan = plan_run(cfg, net, batches, deadline, test_images)
    train_end = deadline.left() + (time.perf_counter() - t0) - plan.get("finish_seconds", 0)
    opt, base_lrs = make_optimizer(net, cfg)
    lookahead = Lookahead(net)
    total, step, replanned, loss = plan["total_steps"], 0, False, float("nan")
    whiten_stop = int(cfg.whiten_bias_frac * total)
    marks = []   # (step, seconds since t0) every log_every steps: the replanning rate
    net.train()
    while step < total:
        if step == whiten_stop:
            freeze_whitening_bias(net)
        set_learning_rates(opt, base_lrs, lr_factor(step, total, cfg))
        x, y = batches.next()
        loss = train_step(net, opt, x, y, cfg.label_smoothing)
        step += 1
        if step % LOOKAHEAD_EVERY == 0:
            lookahead.update(net, 0.95 ** LOOKAHEAD_EVERY * (step / total) ** 3)
        if step == total:
            lookahead.update(net, 1.0)   # finish on the averaged weights
        if step % cfg.log_every == 0:
            marks.append((step, time.perf_counter() - t0))
            resized = resized_total(marks, total, plan, train_end, replanned)
            if resized != total:
                print(f"the machine's speed changed: the run now ends at step {resized}", flush=True)
                total, replanned = resized, True
        if step % batches.per_epoch == 0 or step == total:
            seconds = time.perf_counter() - t0
            print(f"step {step:5d}/{total} | epoch {step / batches.per_epoch:5.2f} | "
                  f"loss {loss:.3f} | {step * cfg.batch / seconds:5.0f} img/s | {seconds:5.0f} s",
                  flush=True)
    train_seconds = time.perf_counter() - t0
    return {"plan": plan, "steps": step, "train_seconds": train_seconds, "replanned": replanned,
            "final_train_loss": loss}


def resized_total(marks: list, total: int, plan: dict, budget: float, replanned: bool) -> int:
    """The milestone's rule (`milestone.train._maybe_replan`): when, at the rate of the last ~50
    steps, the plan would overrun the training budget (seconds since training started), end the
    run where the budget does (never before the next step); once re-sized, keep fitting the
    budget both ways, past the first plan if the machine speeds up. Jitter is ignored."""
    recent = [m for m in marks if m[0] >= marks[-1][0] - 50]
    if plan["pinned"] or len(recent) < 5:
        return total
    rate = (recent[-1][1] - recent[0][1]) / (recent[-1][0] - recent[0][0])
    step, seconds = marks[-1]
    if not replanned and seconds + (total - step) * rate <= budget:
        return total
    return resized_steps(total, step, steps_within(step, seconds, budget, rate, 0, 0.0))


# ----------------------------------------------------------------------------- evaluation
class MilestoneView:
    """The trained net behind the milestone's interface, forward(params, state, x, train) ->
    (logits (N, 10) NumPy, None), so the reference's evaluate and the milestone's
    flip_translate_logits measure it exactly as they measure the milestone."""

    def __init__(self, net):
        self.net = net.eval()

    @torch.no_grad()
    def forward(self, params, state, x, train):
        return self.net(to_torch(x)).numpy(), None


def evaluate(net, x_test: np.ndarray, y_test: np.ndarray) -> dict:
    """Test accuracy plain, with flip TTA and with flip + translate TTA (x_test normalized)."""
    view = MilestoneView(net)
    acc, _ = pipeline.evaluate(view, None, None, x_test, y_test, EVAL_BATCH, False)
    acc_tta, _ = pipeline.evaluate(view, None, None, x_test, y_test, EVAL_BATCH, True)
    logits = flip_translate_logits(view, None, None, x_test, EVAL_BATCH)
    return {"test_acc": round(acc, 4), "test_acc_flip_tta": round(acc_tta, 4),
            "test_acc_flip_translate_tta": round(float(np.mean(logits.argmax(1) == y_test)), 4)}


# ----------------------------------------------------------------------------- the run
def load_data(args) -> tuple[dict, str]:
    """CIFAR-10 (or, with --synthetic, one noisy colour per class) cut to --train-images and
    --test-images, with the training set's channel statistics; and where it came from."""
    if args.synthetic:
        from data.synthetic import colour_images
        rng = np.random.default_rng(12345)
        x_train, y_train = colour_images(args.train_images or 5000, rng)
        x_test, y_test = colour_images(args.test_images or 1000, rng)
        data, source = {"x_train": x_train, "y_train": y_train, "x_test": x_test,
                        "y_test": y_test}, "synthetic (one colour per class)"
    else:
        data = load_cifar10(args.data_dir)
        source = "CIFAR-10"
    for split, n in (("train", args.train_images), ("test", args.test_images)):
        if n:
            data[f"x_{split}"], data[f"y_{split}"] = data[f"x_{split}"][:n], data[f"y_{split}"][:n]
    data["mean"], data["std"] = pipeline.channel_stats(data["x_train"])
    return data, source


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python benchmarks/yardstick.py",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--budget", type=float, default=600.0,
                   help="wall-time seconds from start to the last line, everything included "
                        "(default 600, the milestone's)")
    p.add_argument("--data-dir", default=None,
                   help="extracted cifar-10-batches-py folder or its parent (default: "
                        "$CIFAR10_DIR, else data/, downloading the official archive once)")
    p.add_argument("--seed", type=int, default=0,
                   help="initial weights, data order and augmentation")
    p.add_argument("--json", default="", help="also write the JSON result to this file")
    p.add_argument("--widths", default="64,128,256",
                   help="channels of the three conv groups (default: the reference's)")
    p.add_argument("--act", default="gelu", choices=["gelu", "relu"],
                   help="gelu (airbench's, the default) or relu (the reference's network exactly)")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--epochs", type=float, default=None,
                   help="pin the length (fractions allowed) instead of sizing it to the budget")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="PyTorch's threads (default: all cores)")
    p.add_argument("--train-images", type=int, default=0, help="first N training images (0: all)")
    p.add_argument("--test-images", type=int, default=0, help="first N test images (0: all)")
    p.add_argument("--synthetic", action="store_true",
                   help="noisy one-colour-per-class images instead of CIFAR-10 (checks the code)")
    p.add_argument("--quick", action="store_true",
                   help="a seconds-long check of the code: " + ", ".join(
                       f"{k.replace('_', '-')} {v}" for k, v in QUICK.items())
                   + " (over any of them given)")
    args = p.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    return args


def reexec_with_tuned_malloc() -> None:
    """Restart once with glibc told to keep freed memory (page faults are costly; the milestone
    and bench-milestone run so too). Must be set before the process starts."""
    if os.environ.get(REEXEC_FLAG):
        return
    env = dict(os.environ, **MALLOC_ENV, **{REEXEC_FLAG: "1", START_ENV: repr(STARTED)})
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]], env)


def main(argv=None) -> int:
    started = STARTED if argv is None else time.time()
    args = parse_args(argv)
    if argv is None:
        reexec_with_tuned_malloc()
        started = float(os.environ.get(START_ENV) or started)
    deadline = Deadline(started, args.budget)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    widths = tuple(int(w) for w in args.widths.split(","))
    cfg = Config(impl="pytorch", budget=args.budget, seed=args.seed, batch=args.batch,
                 widths=widths, epochs=args.epochs)
    t_setup = time.perf_counter()
    try:
        data, source = load_data(args)
    except CifarError as err:
        print(f"{err} (or add --synthetic to check the code without CIFAR-10)", file=sys.stderr)
        return 1
    whitening = patch_whitening_weights(pipeline.normalize(data["x_train"][:5000], data["mean"],
                                                           data["std"]))
    net = YardstickNet(whitening, widths, args.act).to(memory_format=torch.channels_last)
    batches = Batches(data, cfg, np.random.default_rng(args.seed))
    setup_seconds = time.perf_counter() - t_setup
    print(f"{source}: {len(data['x_train'])} training images; PyTorch {torch.__version__}, "
          f"{args.threads} threads, widths {args.widths}, {args.act}, budget {args.budget:g} s",
          flush=True)
    run = train(cfg, net, batches, deadline, len(data["x_test"]))
    t_eval = time.perf_counter()
    accuracy = evaluate(net, pipeline.normalize(data["x_test"], data["mean"], data["std"]),
                        data["y_test"])
    images = run["steps"] * cfg.batch
    result = {
        **accuracy, "epochs": round(images / len(data["x_train"]), 2),
        "img_per_s": round(images / run["train_seconds"], 1), "steps": run["steps"],
        "epochs_planned": run["plan"]["epochs"], "plan": run["plan"], "replanned": run["replanned"],
        "train_seconds": round(run["train_seconds"], 1), "setup_seconds": round(setup_seconds, 1),
        "eval_seconds": round(time.perf_counter() - t_eval, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
        "final_train_loss": round(run["final_train_loss"], 4), "seed": args.seed,
        "budget": args.budget, "widths": list(widths), "act": args.act, "batch": args.batch,
        "data": source, "train_images": len(data["x_train"]), "test_images": len(data["x_test"]),
        "wall_seconds": round(time.time() - started, 1),
        "threads": args.threads, "cpu": cpu_description(), "cores": os.cpu_count(),
        "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
    }
    print(f"test accuracy {100 * result['test_acc']:.2f}% (flip TTA "
          f"{100 * result['test_acc_flip_tta']:.2f}%, flip+translate "
          f"{100 * result['test_acc_flip_translate_tta']:.2f}%) after {result['epochs']} epochs, "
          f"{result['img_per_s']:.0f} img/s, peak RSS {result['peak_rss_mb']:.0f} MB", flush=True)
    print(json.dumps(result))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
