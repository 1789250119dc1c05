"""Topic 16 experiment: BatchNorm against GroupNorm at batch 2 and batch 32 on a CIFAR-10 subset.

Wu & He (2018) show on ImageNet that BatchNorm's error grows as the batch shrinks while
GroupNorm's stays put. This script repeats the comparison at toy scale with the layers of this
module: one small CNN (conv3x3-norm-ReLU three times, global average pooling, a linear layer),
trained four ways (BN or GN, batch 2 or 32) with everything else equal:

- the same number of images seen (epochs over the same subset) and the same cosine schedule,
  with the learning rate scaled linearly with the batch (lr = base_lr * batch / 32, the rule
  Wu & He use too), SGD with momentum 0.9 and weight decay 5e-4;
- the same initial weights and the same image order for a given seed;
- evaluation as it is deployed: BatchNorm in eval mode with its running statistics (which is
  where small batches hurt: the statistics of 2 images are noisy, and the running averages the
  network meets at test time are not what it was trained with), GroupNorm exactly as in training.

    python -m solutions.topic16_advanced_normalizations.small_batch_experiment          # ~5 min
    python -m solutions.topic16_advanced_normalizations.small_batch_experiment --quick  # seconds
    python -m solutions.topic16_advanced_normalizations.small_batch_experiment --impl katas

Writes a table (stdout and OUT/table.md), OUT/results.json and OUT/small_batch.png (default OUT:
runs/topic16_small_batch/, gitignored). The layers come through relative imports: the
convolution from Topic 12, BatchNorm and ReLU from Topic 14, GroupNorm from this topic; with
`--impl katas` the same modules are taken from katas/ instead (your own code).
"""

from __future__ import annotations

import os

# Batch 2 means tiny matrix products, where one BLAS thread beats several (and several spin when
# the cores are shared). Set before NumPy loads; an explicit setting in the environment wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import copy  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from data import cifar10  # noqa: E402

from ..topic12_im2col_vectorization import im2col  # noqa: E402
from ..topic14_resnet_skip_connections import residual  # noqa: E402
from . import norms  # noqa: E402

# The layers the model is built from: the reference ones, or the learner's with --impl katas.
LAYERS = {"conv": im2col, "residual": residual, "norms": norms}
LAYER_MODULES = {"conv": "topic12_im2col_vectorization.im2col",
                 "residual": "topic14_resnet_skip_connections.residual",
                 "norms": "topic16_advanced_normalizations.norms"}

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "runs" / "topic16_small_batch"
CHANNELS = (16, 32, 64)   # per conv stage; stages 2 and 3 halve the resolution (stride 2)
CHANNELS_PER_GROUP = 4    # GroupNorm: 16, 32, 64 channels -> 4, 8, 16 groups
NUM_CLASSES = 10
MOMENTUM, WEIGHT_DECAY, REFERENCE_BATCH = 0.9, 5e-4, 32
DTYPE = np.float32


# ------------------------------------------------------------------------------------ the data

def load_subset(data_dir: str | None, train_images: int, test_images: int):
    """The first train_images training and test_images test images, through data/cifar10.py.

    Never downloads here: the experiment says where to put the data instead.
    """
    arrays = cifar10.load_cifar10(data_dir, download=False, quiet=True)
    return (arrays["x_train"][:train_images], arrays["y_train"][:train_images],
            arrays["x_test"][:test_images], arrays["y_test"][:test_images])


def standardize(x_train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Per-channel mean/std of the training images applied to every split, as float32."""
    x = x_train.astype(np.float64) / 255
    mean, std = x.mean(axis=(0, 2, 3), keepdims=True), x.std(axis=(0, 2, 3), keepdims=True)
    return [((a.astype(np.float64) / 255 - mean) / std).astype(DTYPE) for a in (x_train, *others)]


# ----------------------------------------------------------------------------------- the model

class BatchNorm:
    """Topic 14's batchnorm2d with its running statistics (eval mode uses them)."""

    name = "BatchNorm"

    def __init__(self, channels: int):
        self.state = {"running_mean": np.zeros(channels), "running_var": np.ones(channels)}

    def forward(self, x, gamma, beta, train):
        return LAYERS["residual"].batchnorm2d_forward(x, gamma, beta, self.state, train=train)

    @staticmethod
    def backward(dout, cache):
        return LAYERS["residual"].batchnorm2d_backward(dout, cache)


class GroupNorm:
    """This topic's groupnorm: the same computation in training and evaluation."""

    name = "GroupNorm"

    def __init__(self, channels: int):
        self.num_groups = channels // CHANNELS_PER_GROUP

    def forward(self, x, gamma, beta, train):
        return LAYERS["norms"].groupnorm_forward(x, gamma, beta, self.num_groups)

    @staticmethod
    def backward(dout, cache):
        return LAYERS["norms"].groupnorm_backward(dout, cache)


NORMS = {"bn": BatchNorm, "gn": GroupNorm}


def init_params(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """He-normal convs (no bias: the norm's beta is the shift), gamma 1, beta 0, a small linear."""
    params, c_in = {}, 3
    for stage, c_out in enumerate(CHANNELS, start=1):
        fan_in = c_in * 9
        params[f"conv{stage}_w"] = rng.standard_normal((c_out, c_in, 3, 3)) * np.sqrt(2 / fan_in)
        params[f"norm{stage}_gamma"], params[f"norm{stage}_beta"] = np.ones(c_out), np.zeros(c_out)
        c_in = c_out
    params["fc_w"] = rng.standard_normal((c_in, NUM_CLASSES)) * np.sqrt(1 / c_in)
    params["fc_b"] = np.zeros(NUM_CLASSES)
    return {name: value.astype(DTYPE) for name, value in params.items()}


def forward(params, norms, x, train):
    """Logits (N, 10) and the caches for backward."""
    caches, h = [], x
    for stage, norm in enumerate(norms, start=1):
        w = params[f"conv{stage}_w"]
        h, conv_cache = LAYERS["conv"].conv2d_forward(h, w, np.zeros(w.shape[0], DTYPE),
                                                      stride=1 if stage == 1 else 2, padding=1)
        h, norm_cache = norm.forward(h, params[f"norm{stage}_gamma"], params[f"norm{stage}_beta"],
                                     train)
        h, relu_cache = LAYERS["residual"].relu_forward(h)
        caches.append((conv_cache, norm_cache, relu_cache))
    pooled = h.mean(axis=(2, 3))
    logits = pooled @ params["fc_w"] + params["fc_b"]
    return logits, (caches, pooled, h.shape)


def backward(dlogits, cache, params, norms):
    """Gradients of every parameter, keyed like params."""
    caches, pooled, feature_shape = cache
    grads = {"fc_w": pooled.T @ dlogits, "fc_b": dlogits.sum(axis=0)}
    N, C, H, W = feature_shape
    dh = np.broadcast_to((dlogits @ params["fc_w"].T)[:, :, None, None] / (H * W), feature_shape)
    for stage in range(len(norms), 0, -1):
        conv_cache, norm_cache, relu_cache = caches[stage - 1]
        dh = LAYERS["residual"].relu_backward(dh, relu_cache)
        dh, grads[f"norm{stage}_gamma"], grads[f"norm{stage}_beta"] = \
            norms[stage - 1].backward(dh, norm_cache)
        dh, grads[f"conv{stage}_w"], _ = LAYERS["conv"].conv2d_backward(dh, conv_cache)
    return grads


def softmax_cross_entropy(logits, labels):
    """Mean loss over the batch and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(labels)
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), labels] -= 1
    return float(-log_probs[np.arange(n), labels].mean()), (dlogits / n).astype(DTYPE)


# -------------------------------------------------------------------------------- the training

def cosine_lr(base_lr: float, step: int, total_steps: int) -> float:
    return base_lr * 0.5 * (1 + np.cos(np.pi * step / total_steps))


def train_one(norm_kind, batch_size, data, epochs, base_lr, seed):
    """Train from the seed's initial weights; returns test accuracy and the loss curve."""
    x_train, y_train, x_test, y_test = data
    params = init_params(np.random.default_rng(seed))
    norms = [NORMS[norm_kind](c) for c in CHANNELS]
    velocity = {name: np.zeros_like(value) for name, value in params.items()}
    order_rng = np.random.default_rng(seed + 1000)  # the same image order for every config
    steps_per_epoch = len(y_train) // batch_size
    total_steps, step = epochs * steps_per_epoch, 0
    lr0 = base_lr * batch_size / REFERENCE_BATCH
    curve, window, start = [], [], time.perf_counter()
    every = min(512, max(32, len(y_train) // 8))  # at least 8 points on a short (--quick) run
    for _ in range(epochs):
        order = order_rng.permutation(len(y_train))
        flips = order_rng.random(len(y_train)) < 0.5  # horizontal flips, decided per image
        for first in range(0, steps_per_epoch * batch_size, batch_size):
            index = order[first:first + batch_size]
            x = x_train[index]
            x = np.where(flips[first:first + batch_size, None, None, None], x[..., ::-1], x)
            logits, cache = forward(params, norms, x, train=True)
            loss, dlogits = softmax_cross_entropy(logits, y_train[index])
            grads = backward(dlogits, cache, params, norms)
            lr = cosine_lr(lr0, step, total_steps)
            for name, grad in grads.items():
                if name.endswith("_w"):
                    grad = grad + WEIGHT_DECAY * params[name]
                velocity[name] = MOMENTUM * velocity[name] + grad
                params[name] = params[name] - DTYPE(lr) * velocity[name]
            step += 1
            window.append(loss)
            if step * batch_size % every < batch_size:  # a point every ~512 images
                curve.append((step * batch_size, float(np.mean(window))))
                window = []
    seconds = time.perf_counter() - start
    return {"norm": NORMS[norm_kind].name, "batch": batch_size, "seed": seed,
            "test_accuracy": accuracy(params, norms, x_test, y_test),
            # The same weights normalized with the statistics of 500 test images at a time:
            # for BatchNorm this separates bad running statistics from bad weights.
            "test_accuracy_batch_stats": accuracy(params, copy.deepcopy(norms), x_test, y_test,
                                                  train_mode=True),
            "train_accuracy": accuracy(params, norms, x_train[:len(y_test)], y_train[:len(y_test)]),
            "final_train_loss": curve[-1][1] if curve else float("nan"),
            "seconds": round(seconds, 1), "curve": curve}


_DATA = None  # the prepared data; forked worker processes inherit it instead of copying it


def run_config(config):
    """One training run, (norm kind, batch, seed, epochs, lr) -> its result dict."""
    kind, batch, seed, epochs, lr = config
    return train_one(kind, batch, _DATA, epochs, lr, seed)


def run_all(configs, jobs):
    """Results in the order of configs; `jobs` runs at a time (one BLAS thread each)."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(run_config, configs)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(run_config, configs)


def accuracy(params, norms, x, y, eval_batch=500, train_mode=False):
    """Top-1 accuracy; in evaluation mode BatchNorm uses its running statistics, in train mode
    the statistics of each evaluation batch (and updates the norms' running statistics)."""
    correct = 0
    for first in range(0, len(y), eval_batch):
        logits, _ = forward(params, norms, x[first:first + eval_batch], train=train_mode)
        correct += int((logits.argmax(axis=1) == y[first:first + eval_batch]).sum())
    return correct / len(y)


# ------------------------------------------------------------------------------------ reporting

def summarize(runs):
    """One row per (norm, batch): mean and per-seed test accuracy, train accuracy, time."""
    rows = []
    for norm in ("BatchNorm", "GroupNorm"):
        for batch in sorted({r["batch"] for r in runs}):
            mine = [r for r in runs if r["norm"] == norm and r["batch"] == batch]
            if mine:
                rows.append({"norm": norm, "batch": batch,
                             "test": float(np.mean([r["test_accuracy"] for r in mine])),
                             "per_seed": [r["test_accuracy"] for r in mine],
                             "batch_stats": float(np.mean([r["test_accuracy_batch_stats"]
                                                           for r in mine])),
                             "train": float(np.mean([r["train_accuracy"] for r in mine])),
                             "seconds": float(np.mean([r["seconds"] for r in mine]))})
    return rows


def table(rows) -> str:
    lines = ["| norm | batch | test accuracy (mean) | per seed | train accuracy | "
             "test, BN with test-batch statistics | s per run |",
             "|---|---:|---:|---|---:|---:|---:|"]
    for r in rows:
        seeds = ", ".join(f"{100 * a:.1f}" for a in r["per_seed"])
        batch_stats = f"{100 * r['batch_stats']:.1f}%" if r["norm"] == "BatchNorm" else "same"
        lines.append(f"| {r['norm']} | {r['batch']} | {100 * r['test']:.1f}% | {seeds} | "
                     f"{100 * r['train']:.1f}% | {batch_stats} | {r['seconds']:.0f} |")
    return "\n".join(lines)


def plot(runs, rows, path: Path, title: str) -> None:
    import matplotlib  # lazily: only this report needs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (bars, curves) = plt.subplots(1, 2, figsize=(11, 4.2))
    batches = sorted({r["batch"] for r in rows})
    colors = {"BatchNorm": "tab:red", "GroupNorm": "tab:blue"}
    for offset, norm in ((-0.2, "BatchNorm"), (0.2, "GroupNorm")):
        mine = {r["batch"]: r for r in rows if r["norm"] == norm}
        xs = [i + offset for i, b in enumerate(batches) if b in mine]
        bars.bar(xs, [100 * mine[b]["test"] for b in batches if b in mine], width=0.38,
                 color=colors[norm], alpha=0.8, label=norm)
        for x, b in zip(xs, [b for b in batches if b in mine]):
            bars.scatter([x] * len(mine[b]["per_seed"]), [100 * a for a in mine[b]["per_seed"]],
                         color="black", s=12, zorder=3)
    bars.set_xticks(range(len(batches)), [f"batch {b}" for b in batches])
    bars.set_ylabel("test accuracy (%), BN with running statistics")
    bars.set_title("after the same number of images")
    bars.legend()
    for run in runs:
        if len(run["curve"]) > 1 and run["seed"] == runs[0]["seed"]:
            seen, loss = zip(*run["curve"])
            curves.plot(seen, loss, color=colors[run["norm"]],
                        linestyle="-" if run["batch"] == min(batches) else "--",
                        label=f"{run['norm']}, batch {run['batch']}")
    curves.set_xlabel("training images seen")
    curves.set_ylabel("training loss (running mean)")
    curves.set_title(f"training loss, seed {runs[0]['seed']}")
    if curves.lines:
        curves.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ----------------------------------------------------------------------------------------- main

def synthetic_data(train_images, test_images, seed=0):
    """Class-coloured noise, only to exercise the code path when CIFAR-10 is absent."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 255, (NUM_CLASSES, 3, 1, 1))

    def make(n):
        labels = rng.integers(0, NUM_CLASSES, n)
        images = np.clip(centres[labels] + rng.normal(0, 60, (n, 3, 32, 32)), 0, 255)
        return images.astype(np.uint8), labels

    return (*make(train_images), *make(test_images))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="a cifar-10-batches-py folder or its parent "
                        "(default: $CIFAR10_DIR, then data/)")
    parser.add_argument("--train-images", type=int, default=8192)
    parser.add_argument("--test-images", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batches", type=int, nargs="+", default=[2, 32])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="runs trained in parallel (default: 2, one per core)")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate at batch 32")
    parser.add_argument("--impl", choices=("solutions", "katas"), default="solutions",
                        help="whose conv, BatchNorm, ReLU and GroupNorm to train with")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test: 256 training images, 1 epoch, 1 seed")
    parser.add_argument("--synthetic", action="store_true",
                        help="use coloured noise instead of CIFAR-10 (tests the code, not the claim)")
    args = parser.parse_args(argv)
    if args.quick:
        args.train_images, args.test_images, args.epochs, args.seeds = 256, 200, 1, args.seeds[:1]
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.impl != "solutions":
        try:
            LAYERS.update({key: importlib.import_module(f"{args.impl}.{name}")
                           for key, name in LAYER_MODULES.items()})
        except ImportError as err:
            print(f"--impl {args.impl}: cannot import the layers ({err})", file=sys.stderr)
            return 2
    if args.synthetic:
        raw, source = synthetic_data(args.train_images, args.test_images), "synthetic data"
    else:
        try:
            raw = load_subset(args.data_dir, args.train_images, args.test_images)
        except cifar10.CifarError as err:
            print(f"CIFAR-10 not found: {err} (or add --synthetic to test the code only)",
                  file=sys.stderr)
            return 2
        source = args.data_dir or os.environ.get("CIFAR10_DIR") or "data/"
    global _DATA
    x_train, x_test = standardize(raw[0], raw[2])
    data = _DATA = (x_train, raw[1], x_test, raw[3])
    print(f"data: {source}; {len(data[1])} train / {len(data[3])} test images, "
          f"{args.epochs} epoch(s), batches {args.batches}, seeds {args.seeds}", flush=True)

    configs = [(kind, batch, seed, args.epochs, args.lr)
               for seed in args.seeds for batch in args.batches for kind in NORMS]
    runs, start = [], time.perf_counter()
    try:
        for run in run_all(configs, args.jobs):
            runs.append(run)
            print(f"  {run['norm']:9s} batch {run['batch']:3d} seed {run['seed']}: test "
                  f"{100 * run['test_accuracy']:.1f}%  ({run['seconds']:.0f} s)", flush=True)
    except NotImplementedError as err:
        print(f"--impl {args.impl}: not implemented yet: {err}", file=sys.stderr)
        return 2
    print(f"{len(runs)} runs in {time.perf_counter() - start:.0f} s ({args.jobs} at a time)")

    rows = summarize(runs)
    text = table(rows)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "table.md").write_text(text + "\n")
    (args.out / "results.json").write_text(json.dumps(
        {"source": source, "args": {k: str(v) for k, v in vars(args).items()},
         "rows": rows, "runs": runs}, indent=1))
    images = len(data[1]) * args.epochs
    plot(runs, rows, args.out / "small_batch.png",
         f"BatchNorm vs GroupNorm, CIFAR-10 subset, {images} training images seen per run")
    print(f"wrote {args.out / 'table.md'}, results.json and small_batch.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
