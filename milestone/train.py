"""Train the milestone network on CIFAR-10 inside a time budget, then evaluate and report.

The pieces a learner writes come from `<impl>.topic17_cifar10_from_scratch.pipeline` (loading,
statistics, augmentation, loss, SGD step, training step, evaluation) and the layers from
`<impl>.topic17_cifar10_from_scratch.layers` (Topics 12-14), so `--impl katas` trains with the
learner's code end to end and `--impl solutions` with the reference.

Recipe (airbench, scaled to a CPU budget): batch 512, Nesterov SGD momentum 0.85, label
smoothing 0.2, lr 11.5 and wd 0.0153 in airbench's per-1024-example units (converted here to the
mean loss), BN biases at 64x the learning rate, the whitening bias trained for the first 30% of
steps only, linear warm-up over 23% of the steps from 0.2x then linear decay to 0.07x, lookahead
averaging every 5 steps, reflect-pad-2 random crops and flips; evaluation plain, with flip
test-time augmentation and, for the reference, with flip + translate (airbench's, 6 passes).
Tried for short runs and dropped: flips without crops (pad 0), on the guess that a 3-epoch run
underfits and crops only slow it; 32/64/128, batch 256, 3.5 epochs, reference layers, seeds 0 /
1: 81.75 / 81.31% test against 81.26 / 81.91% with the crops (no gain beyond seed noise).

Sizing (`plan.py`): the budget is the run's wall time, everything included. A few timed steps
and one timed evaluation batch on a throwaway network give the step time and the finish (final
evaluation, plots) to set aside; the run is then planned as a whole number of tenths of an epoch
that fits the time left with a margin, so two runs with the same seed on a steady machine plan
the same run and give the same metrics (`--epochs N` pins it). With the learner's layers and no
widths given, the plan also chooses the widths (see plan.py). If the machine slows down so much
that the plan would end training after the time set aside for it, the remaining schedule is shortened
(recorded as `replanned` in metrics.json); from then on it is re-sized to that time both ways.

After every epoch the network is evaluated on a fixed slice of the test set (`heldout`, 1,000
images; its time counts against the budget and the plan leaves room for it): the held-out curve
of curves.png. The layer set is wrapped (`InstrumentedLayers`) to split each step's time by
layer kind and to drop the layers' caches during evaluation; the time left is estimated from a
smoothed step time (`StepClock`), so it counts down steadily.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from .instrument import InstrumentedLayers, StepClock
from .interrupt import Interrupt
from .network import Network, patch_whitening_weights, training_layers, worker_threads
from .plan import (
    CANDIDATE_WIDTHS,
    FINISH_MARGIN,
    MARGIN,
    MIN_EPOCHS,
    TRANSLATE_PASSES,
    Deadline,
    choose_widths,
    evaluation_passes,
    finish_seconds,
    fit_epochs,
    projected_train_seconds,
    resized_steps,
    steps_within,
    translate_fits,
)

LOOKAHEAD_EVERY = 5
WHITENING_IMAGES = 5000  # the training images whose 2x2 patches the first layer whitens


@dataclass
class Config:
    impl: str = "solutions"
    budget: float = 600.0
    seed: int = 0
    batch: int = 512
    widths: tuple | None = (64, 128, 256)   # None: the plan chooses (plan.CANDIDATE_WIDTHS)
    epochs: float | None = None
    lr: float = 11.5             # airbench units: per 1024 examples, summed loss
    wd: float = 0.0153
    momentum: float = 0.85
    bias_scale: float = 64.0
    label_smoothing: float = 0.2
    warmup_frac: float = 0.23
    whiten_bias_frac: float = 0.3
    pad: int = 2
    margin: float = MARGIN       # fraction of the trainable time a plan may fill
    train_subset: int = 0        # 0: all 50,000 training images
    test_subset: int = 0         # 0: all 10,000 test images
    log_every: int = 10          # steps between progress lines (history points: deterministic)
    heldout: int = 1000          # test images evaluated after every epoch (0: none)
    plots: bool = True           # the finish reserves time for the PNGs
    translate_tta: bool = True   # the reference's flip + translate TTA (not in a smoke run)
    ghost_batches: int = 1       # parts of a batch run at once (Network's replicas)
    extras: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------- optimizer setup
def hyperparameters(cfg: Config, params: dict) -> tuple[dict, dict]:
    """Base lr and weight decay per parameter, in mean-loss units (torch.optim.SGD's)."""
    kilostep = 1024 * (1 + 1 / (1 - cfg.momentum))
    lr = cfg.lr / kilostep * cfg.batch            # summed loss -> mean loss: lr x batch
    decay = cfg.wd * cfg.batch / kilostep         # absolute decay per step (lr x weight_decay)
    lrs, wds = {}, {}
    for name in params:
        rate = lr * cfg.bias_scale if "_bn" in name else lr
        lrs[name], wds[name] = rate, decay / rate
    return lrs, wds


def lr_factor(step: int, total: int, cfg: Config) -> float:
    warm = max(1, int(total * cfg.warmup_frac))
    if step < warm:
        f = step / warm
        return 0.2 * (1 - f) + f
    f = min(1.0, (step - warm) / max(1, total - warm))
    return (1 - f) + 0.07 * f


class Lookahead:
    """Every few steps, pull the weights (and BN statistics) to a slow moving average of them."""

    def __init__(self, params: dict, state: dict):
        self.slow = {k: v.copy() for k, v in _float_arrays(params, state)}

    def update(self, params: dict, state: dict, decay: float) -> None:
        for key, arr in _float_arrays(params, state):
            slow = self.slow[key]
            slow += (1 - decay) * (arr - slow)
            arr[...] = slow


def _float_arrays(params: dict, state: dict):
    yield from ((f"p/{k}", v) for k, v in params.items())
    for k, v in state.items():
        if isinstance(v, dict):
            yield from ((f"s/{k}/{kk}", vv) for kk, vv in v.items())


# ----------------------------------------------------------------------------- checkpoints
def _flatten(prefix: str, tree: dict, out: dict) -> None:
    for k, v in tree.items():
        if isinstance(v, dict):
            _flatten(f"{prefix}{k}/", v, out)
        else:
            out[f"{prefix}{k}"] = v


def _unflatten(prefix: str, flat: dict) -> dict:
    tree: dict = {}
    for key, v in flat.items():
        if key.startswith(prefix):
            *path, leaf = key[len(prefix):].split("/")
            node = tree
            for p in path:
                node = node.setdefault(p, {})
            node[leaf] = np.array(v)
    return tree


def save_checkpoint(path: Path, run: dict) -> None:
    """Everything needed to continue exactly: arrays + JSON metadata; written atomically."""
    arrays: dict = {}
    for prefix in ("params", "state", "velocity", "slow"):
        _flatten(f"{prefix}/", run[prefix], arrays)
    arrays["perm"] = run["perm"]
    meta = {k: run.get(k) for k in ("step", "total", "epoch", "batch_index", "train_seconds",
                                    "history", "heldout", "replanned", "plan", "window",
                                    "clock", "timing")}
    meta["rng"] = run["rng"].bit_generator.state
    meta["config"] = asdict(run["cfg"])
    arrays["meta"] = np.array(json.dumps(meta, default=_json_default))
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict:
    with np.load(path) as z:
        flat = {k: z[k] for k in z.files}
    meta = json.loads(str(flat.pop("meta")))
    run = {prefix: _unflatten(f"{prefix}/", flat) for prefix in ("params", "state", "velocity")}
    run["slow"] = {k[len("slow/"):]: np.array(v) for k, v in flat.items()
                   if k.startswith("slow/")}  # flat: its keys contain '/' themselves
    run["perm"] = flat["perm"]
    rng = np.random.default_rng()
    rng.bit_generator.state = meta.pop("rng")
    run["rng"] = rng
    run.update(meta)
    return run


def _json_default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o))


# ----------------------------------------------------------------------------- the run
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fmt_time(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def train(cfg: Config, pipeline, layers, data: dict, out: Path, resume: bool,
          deadline: Deadline | None = None, on_plan=None) -> dict:
    """Plan, train (resumably), evaluate. Returns {"metrics": ..., "report": ...}, or {} when
    interrupted (a checkpoint is saved in out; train(..., resume=True) continues it).

    deadline: when the run must have ended (default: cfg.budget seconds from now); a resumed run
    keeps its plan and has none. on_plan(plan): called once a new run's plan is made (the
    milestone stores the chosen widths in run.json with it)."""
    t_setup = time.perf_counter()
    if deadline is None and not resume:
        deadline = Deadline(time.time(), cfg.budget)
    out.mkdir(parents=True, exist_ok=True)
    ckpt_path = out / "checkpoint.npz"
    x_train, y_train = data["x_train"], data["y_train"]
    x_test, y_test = data["x_test"], data["y_test"]
    if cfg.train_subset:
        x_train, y_train = x_train[:cfg.train_subset], y_train[:cfg.train_subset]
    if cfg.test_subset:
        x_test, y_test = x_test[:cfg.test_subset], y_test[:cfg.test_subset]
    mean, std = pipeline.channel_stats(x_train)
    steps_per_epoch = len(x_train) // cfg.batch
    heldout = (pipeline.normalize(x_test[:cfg.heldout], mean, std), y_test[:cfg.heldout])

    with Interrupt() as interrupt:
        # The fast layers replace the reference's plain ones before timing wraps them: the
        # wrapper hides the module's name that training_layers recognizes the reference by.
        if resume:
            run = _resumed_run(cfg, ckpt_path)
            cfg = run["cfg"]
            instrumented = InstrumentedLayers(training_layers(layers), run.get("timing"))
        else:
            instrumented = InstrumentedLayers(training_layers(layers))
            whiten_w = patch_whitening_weights(
                pipeline.normalize(x_train[:WHITENING_IMAGES], mean, std))
            plan = plan_run(cfg, instrumented, pipeline, whiten_w, x_train, y_train, mean, std,
                            steps_per_epoch, len(x_test), len(heldout[1]), deadline, interrupt)
            cfg = replace(cfg, widths=tuple(plan["widths"]))
            run = _new_run(cfg, layers, whiten_w, len(x_train))
            run["plan"], run["total"] = plan, plan["total_steps"]
            if on_plan is not None:
                on_plan(plan)
        instrumented.concurrency = min(cfg.ghost_batches, worker_threads())
        net = Network(instrumented.layers, widths=cfg.widths, replicas=cfg.ghost_batches)
        setup_seconds = time.perf_counter() - t_setup
        finished = _train_loop(cfg, pipeline, net, run, x_train, y_train, mean, std,
                               steps_per_epoch, ckpt_path, interrupt, instrumented, heldout)
    if not finished:
        return {}
    with Interrupt(immediate=True):   # nothing left to lose: the trained network is saved
        return _evaluate(cfg, pipeline, net, run, x_train, x_test, y_test, mean, std, heldout,
                         instrumented, setup_seconds, None if resume else deadline)


def _new_run(cfg, layers, whiten_w, n_train) -> dict:
    """A fresh run's state: initialized network, optimizer state, generator, data order."""
    rng = np.random.default_rng(cfg.seed)
    params, state = Network(layers, widths=cfg.widths).init(rng, whiten_w=whiten_w)
    run = {"cfg": cfg, "params": params, "state": state, "rng": rng,
           "step": 0, "epoch": 0, "batch_index": 0, "train_seconds": 0.0, "history": [],
           "heldout": [], "replanned": False, "perm": rng.permutation(n_train),
           "window": []}
    run["slow"] = Lookahead(params, state).slow
    run["velocity"] = {k: np.zeros_like(v) for k, v in params.items()}
    return run


def _resumed_run(cfg, ckpt_path) -> dict:
    """The checkpointed run, with the configuration it was started with."""
    if not ckpt_path.is_file():
        raise SystemExit(f"--resume: no checkpoint at {ckpt_path}")
    run = load_checkpoint(ckpt_path)
    saved = Config(**{**run["config"], "widths": tuple(run["config"]["widths"])})
    cfg = replace(cfg, widths=cfg.widths or saved.widths)   # None: as the plan chose
    for key in ("impl", "seed", "batch", "widths", "train_subset", "ghost_batches"):
        if getattr(saved, key) != getattr(cfg, key):
            raise SystemExit(f"--resume: the checkpoint was made with {key}="
                             f"{getattr(saved, key)!r}, this run has {getattr(cfg, key)!r}")
    run["cfg"] = saved
    run.setdefault("heldout", [])
    print(f"resuming at step {run['step']}/{run['total']} "
          f"({run['train_seconds']:.0f} s trained)", flush=True)
    return run


def _evaluate(cfg, pipeline, net, run, x_train, x_test, y_test, mean, std, heldout, instrumented,
              setup_seconds, deadline=None) -> dict:
    """Test accuracy plain, with flip TTA and (the reference only: the PyTorch yardstick's third
    figure) with flip + translate TTA, the metrics, and what the pictures need."""
    t_eval = time.perf_counter()
    x_test_n = pipeline.normalize(x_test, mean, std)
    with instrumented.evaluating():
        acc, _ = pipeline.evaluate(net, run["params"], run["state"], x_test_n, y_test, 500, False)
        acc_tta, preds_tta = pipeline.evaluate(net, run["params"], run["state"], x_test_n,
                                               y_test, 500, True)
        acc_translate = None
        # 6 more passes: 4-7 min on textbook layers (README); a smoke run has no need of them
        if cfg.impl == "solutions" and cfg.translate_tta and run["plan"].get("translate_tta",
                                                                              True):
            pass_seconds = (time.perf_counter() - t_eval) / 3
            if _translate_fits(deadline, pass_seconds, cfg):
                logits = flip_translate_logits(net, run["params"], run["state"], x_test_n)
                acc_translate = round(float(np.mean(logits.argmax(1) == y_test)), 4)
    del x_test_n
    eval_seconds = time.perf_counter() - t_eval
    images = run["step"] * cfg.batch
    metrics = {
        "test_accuracy": round(acc, 4), "test_accuracy_tta": round(acc_tta, 4),
        "test_accuracy_tta_translate": acc_translate,
        "epochs": round(images / len(x_train), 2), "steps": run["step"],
        "epochs_planned": run["plan"]["epochs"], "plan": run["plan"],
        "train_seconds": round(run["train_seconds"], 1),
        "images_per_second": round(images / max(run["train_seconds"], 1e-9), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1), "seed": cfg.seed, "impl": cfg.impl,
        "budget": cfg.budget, "batch": cfg.batch, "widths": list(cfg.widths),
        "replanned": run["replanned"],
        "final_train_loss": run["history"][-1]["loss"] if run["history"] else None,
        "heldout_accuracy": [h["acc"] for h in run["heldout"]],
        "heldout_seconds": round(sum(h["seconds"] for h in run["heldout"]), 1),
        "step_seconds_by_kind": {k: round(v, 4) for k, v in instrumented.breakdown().items()},
        "setup_seconds": round(setup_seconds, 1), "eval_seconds": round(eval_seconds, 1),
        "threads": worker_threads(), "ghost_batches": cfg.ghost_batches,
        "numpy": np.__version__, "python": sys.version.split()[0],
        "train_images": len(x_train), "test_images": len(x_test),
    }
    metrics.update(cfg.extras)
    summary = instrumented.summary(learner=cfg.impl == "katas")
    if summary:
        print(summary, flush=True)
    x_held, y_held = heldout
    with instrumented.evaluating():
        logits = _logits(net, run["params"], run["state"], x_held)
        maps = feature_maps(net, run["params"], run["state"], x_held[:1])
    report = {"history": run["history"], "heldout": run["heldout"],
              "heldout_size": len(y_held), "predictions": preds_tta, "labels": y_test,
              "heldout_images": x_test[:len(y_held)], "heldout_labels": y_held,
              "heldout_logits": logits,
              "feature_maps": maps,
              "feature_image": x_test[0]}
    return {"metrics": metrics, "report": report}


def _translate_fits(deadline, pass_seconds, cfg) -> bool:
    """Whether flip + translate TTA's passes still end before the deadline (they were planned
    for; a machine that slowed down since may leave no room: then they are skipped, saying so)."""
    if deadline is None:
        return True
    need = TRANSLATE_PASSES * pass_seconds + finish_seconds(0, 0, 0, 0, cfg.plots)
    if deadline.left() >= need:
        return True
    print(f"flip + translate TTA skipped: its {TRANSLATE_PASSES} passes (about {need:.0f} s) "
          f"would end the run after its deadline ({deadline.clock()})", flush=True)
    return False


def flip_translate_logits(net, params, state, x, batch: int = 500) -> np.ndarray:
    """Flip + translate test-time augmentation (airbench's), logits (N, 10) of normalized x:
    half the flip-TTA logits of the images as they are, half the mean flip-TTA logits of the
    images shifted one pixel up-left and one pixel down-right (reflect-padded), 6 passes."""
    def flip_tta(images):
        return (_logits(net, params, state, images, batch)
                + _logits(net, params, state, images[..., ::-1], batch)) / 2
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="reflect")
    h, w = x.shape[2:]
    shifted = (flip_tta(padded[:, :, :h, :w]) + flip_tta(padded[:, :, 2:, 2:])) / 2
    return (flip_tta(x) + shifted) / 2


def _logits(net, params, state, x, batch: int = 500) -> np.ndarray:
    """Eval-mode logits (N, 10) of normalized images x, in batches."""
    return np.concatenate([net.forward(params, state, x[i:i + batch], False)[0]
                           for i in range(0, len(x), batch)]) if len(x) else np.zeros((0, 10))


class _Recorder:
    """A layer set that keeps every activation (ReLU output) the network computes."""

    def __init__(self, layers):
        self._layers = layers
        self.activations = []

    def __getattr__(self, name):
        fn = getattr(self._layers, name)
        if not name.endswith("relu_forward"):
            return fn

        def recorded(*args, **kwargs):
            out, cache = fn(*args, **kwargs)
            self.activations.append(out)
            return out, cache
        return recorded


def feature_maps(net, params, state, x_one) -> list:
    """The activations after the whitening layer and after each conv group for one normalized
    image x_one (1, 3, H, W): the last ReLU output at each spatial size, [(C, h, w), ...]."""
    if not len(x_one):
        return []
    recorder = _Recorder(net.layers)
    Network(recorder, widths=net.widths, bn_momentum=net.bn_momentum,
            bn_eps=net.bn_eps).forward(params, state, x_one, False)
    by_size = {}
    for a in recorder.activations:
        by_size[a.shape[2:]] = np.array(a[0])   # a later one of the same size replaces it
    return list(by_size.values())


def augmented_batch(pipeline, x_train, idx, mean, std, pad, rng):
    """Crop and flip the uint8 images, then normalize: the same numbers as the other order
    (reflection commutes with a per-channel affine map), with a quarter of the bytes moved."""
    return pipeline.normalize(pipeline.random_crop_flip(x_train[idx], pad, rng), mean, std)


def plan_run(cfg, instrumented, pipeline, whiten_w, x_train, y_train, mean, std,
             steps_per_epoch, test_images, heldout_images, deadline, interrupt=None) -> dict:
    """Time the candidate networks on throwaway copies, set the finish aside, and choose whole
    tenths of an epoch (and, with cfg.widths None, the widths) that end the run by the deadline."""
    candidates = [tuple(cfg.widths)] if cfg.widths else list(CANDIDATE_WIDTHS)
    if cfg.epochs is not None:
        total = max(1, round(cfg.epochs * steps_per_epoch))
        return {"epochs": cfg.epochs, "total_steps": total, "step_seconds": None,
                "pinned": True, "widths": list(candidates[0])}
    t_start = time.perf_counter()
    translate = cfg.impl == "solutions" and cfg.translate_tta
    timed = []
    for i, widths in enumerate(candidates):
        net = Network(instrumented.layers, widths=widths, replicas=cfg.ghost_batches)
        step, image = _calibrate(cfg, net, instrumented, pipeline, whiten_w, x_train, y_train,
                                 mean, std, full=i == 0, interrupt=interrupt,
                                 careful=len(candidates) == 1 and cfg.budget >= 300)
        if translate and not translate_fits(image, test_images, deadline.left()):
            translate = False
            print("flip + translate TTA left out: its 6 passes would take more than a third of "
                  "the time left", flush=True)
        passes = evaluation_passes(cfg.impl, translate)
        finish = finish_seconds(image, test_images, heldout_images, passes, cfg.plots)
        timed.append({"widths": list(widths), "step_seconds": round(step, 4),
                      "image_seconds": image, "finish_seconds": round(finish, 1),
                      "epochs": fit_epochs(deadline.left() - finish, step, steps_per_epoch,
                                           image * heldout_images, cfg.margin)[0]})
        if timed[-1]["epochs"] >= MIN_EPOCHS or (interrupt is not None and interrupt.requested):
            break   # chosen (or Ctrl-C): the narrower candidates need no timing
    chosen, why = choose_widths(timed, MIN_EPOCHS)
    pick = timed[chosen]
    trainable = deadline.left() - pick["finish_seconds"]
    heldout = pick["image_seconds"] * heldout_images
    epochs, total = fit_epochs(trainable, pick["step_seconds"], steps_per_epoch, heldout,
                               cfg.margin)
    step = pick["step_seconds"]
    if len(candidates) > 1:
        print(f"plan: {why}", flush=True)
    if trainable < step:
        late = step - trainable
        print(f"This machine is too slow for the budget: one step and the final evaluation "
              f"(about {_fmt_time(pick['finish_seconds'])}) need more than the "
              f"{_fmt_time(deadline.left())} left, so the run will end about {late:.0f} s after "
              f"{deadline.clock()}. A larger --budget (or --test-images N) fits it.", flush=True)
    print(f"calibration: {step:.2f} s/step ({cfg.batch / step:.0f} img/s); plan: {epochs:g} "
          f"epochs = {total} steps of {cfg.batch} in about {_fmt_time(total * step)}, then "
          f"about {_fmt_time(pick['finish_seconds'])} for the final evaluation; the run ends by "
          f"{deadline.clock()}", flush=True)
    return {"epochs": epochs, "total_steps": total, "step_seconds": step, "pinned": False,
            "widths": pick["widths"], "why": why if len(candidates) > 1 else None,
            "train_budget": round(trainable, 1), "finish_seconds": pick["finish_seconds"],
            "heldout_seconds": round(heldout, 2), "translate_tta": translate,
            "heldout_images": heldout_images,
            "finish_images": evaluation_passes(cfg.impl, translate) * test_images
            + heldout_images + 1,
            "calibration_seconds": round(time.perf_counter() - t_start, 1),
            "image_seconds": pick["image_seconds"],
            "deadline": round(deadline.end, 1), "candidates": timed}


def _calibrate(cfg, net, instrumented, pipeline, whiten_w, x_train, y_train, mean, std, full,
               interrupt=None, careful=False) -> tuple[float, float]:
    """(seconds per training step, seconds per image of an eval-mode forward pass) of net, from
    a few steps on a throwaway initialization (the run's generator is left untouched). full: the
    first candidate's timing; a narrower candidate gets a quick one. careful: 5 + 5 timed steps
    (3 + 3 planned 1.02 s/step for a run that took 0.97), for a long run of one candidate."""
    rng = np.random.default_rng(cfg.seed + 1)
    params, state = net.init(rng, whiten_w=whiten_w)
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    lrs, wds = hyperparameters(cfg, params)
    warmup, timed = (2, 5 if careful else 3) if full else (1, 2)
    times = {False: [], True: []}   # step seconds with the whitening bias training / frozen
    for i in range(warmup + 2 * timed):
        frozen = i >= warmup + timed
        net.frozen = {"whiten_b"} if frozen else set()
        t = time.perf_counter()
        idx = rng.integers(0, len(x_train), cfg.batch)
        x = augmented_batch(pipeline, x_train, idx, mean, std, cfg.pad, rng)
        pipeline.train_step(net, params, state, velocity, x, y_train[idx], lrs, cfg.momentum,
                            wds, True, cfg.label_smoothing)
        if i >= warmup or i == 0:
            times[frozen].append(time.perf_counter() - t)
        if i == 0 and times[False][0] > cfg.budget / 20:   # very slow: stop measuring
            break
        if interrupt is not None and interrupt.requested:  # Ctrl-C: plan from what we have
            break
    net.frozen = set()
    training = float(np.median(times[False][-timed:]))
    step = (training if not times[True] else cfg.whiten_bias_frac * training
            + (1 - cfg.whiten_bias_frac) * float(np.median(times[True])))
    x_eval = pipeline.normalize(x_train[:min(500, len(x_train))], mean, std)
    t = time.perf_counter()
    with instrumented.evaluating():
        _logits(net, params, state, x_eval)
    return step, (time.perf_counter() - t) / len(x_eval)


def _train_loop(cfg, pipeline, net, run, x_train, y_train, mean, std, steps_per_epoch,
                ckpt_path, interrupt, instrumented, heldout) -> bool:
    """Train from run['step'] to run['total']; False if interrupted (a checkpoint is saved)."""
    params, state, velocity, rng = run["params"], run["state"], run["velocity"], run["rng"]
    la = Lookahead.__new__(Lookahead)
    la.slow = run["slow"]
    lrs, wds = hyperparameters(cfg, params)
    total = run["total"]
    t_resume = time.perf_counter() - run["train_seconds"]
    window = run.setdefault("window", [])   # (loss, acc, seconds) since the last history point
    whiten_stop = int(cfg.whiten_bias_frac * total)
    clock = StepClock(run.get("clock") or run["plan"].get("step_seconds"))
    while run["step"] < total:
        if run["batch_index"] >= steps_per_epoch:       # next epoch: new order
            run["epoch"] += 1
            run["batch_index"] = 0
            run["perm"] = rng.permutation(len(x_train))
            _save(ckpt_path, run, clock, instrumented)
        if interrupt.requested:
            _save(ckpt_path, run, clock, instrumented)
            print(f"checkpoint saved at step {run['step']}/{total}: {ckpt_path}", flush=True)
            return False
        step, b = run["step"], run["batch_index"]
        t_step = time.perf_counter()
        f = lr_factor(step, total, cfg)
        if step >= whiten_stop:
            net.frozen.add("whiten_b")
        lr = {k: v * f if k not in net.frozen else 0.0 for k, v in lrs.items()}
        idx = run["perm"][b * cfg.batch:(b + 1) * cfg.batch]
        instrumented.timing = True
        x = augmented_batch(pipeline, x_train, idx, mean, std, cfg.pad, rng)
        loss, acc = pipeline.train_step(net, params, state, velocity, x, y_train[idx], lr,
                                        cfg.momentum, wds, True, cfg.label_smoothing)
        instrumented.timing = False
        run["step"] += 1
        run["batch_index"] += 1
        if run["step"] % LOOKAHEAD_EVERY == 0:
            la.update(params, state, 0.95 ** LOOKAHEAD_EVERY * (run["step"] / total) ** 3)
        now = time.perf_counter()
        instrumented.add_step(now - t_step)
        clock.add(now - t_step)
        if run["step"] == total:
            la.update(params, state, 1.0)               # finish on the averaged weights
        if run["step"] % steps_per_epoch == 0 or run["step"] == total:
            with instrumented.evaluating():
                _heldout_point(net, run, heldout, steps_per_epoch)
        run["train_seconds"] = time.perf_counter() - t_resume
        window.append((loss, acc, now - t_step))
        if run["step"] % cfg.log_every == 0 or run["step"] in (1, total):
            _log(run, window, steps_per_epoch, clock, heldout)
            window.clear()
            total = _maybe_replan(run, cfg, total, steps_per_epoch)
    _save(ckpt_path, run, clock, instrumented)
    if interrupt.requested:   # during the last step: trained and saved, evaluated on --resume
        print(f"checkpoint saved after the last step: {ckpt_path}", flush=True)
        return False
    return True


def _save(ckpt_path, run, clock, instrumented) -> None:
    run["clock"], run["timing"] = clock.step_seconds, dict(instrumented.seconds)
    save_checkpoint(ckpt_path, run)


def _heldout_point(net, run, heldout, steps_per_epoch) -> None:
    """Accuracy on the fixed held-out slice of the test set (eval mode), into run['heldout']."""
    x, y = heldout
    if not len(y):
        return
    t = time.perf_counter()
    acc = float(np.mean(_logits(net, run["params"], run["state"], x).argmax(axis=1) == y))
    run["heldout"].append({"step": run["step"], "epoch": round(run["step"] / steps_per_epoch, 3),
                           "acc": round(acc, 4), "seconds": round(time.perf_counter() - t, 2)})


def _log(run, window, steps_per_epoch, clock, heldout) -> None:
    loss = float(np.mean([w[0] for w in window]))
    acc = float(np.mean([w[1] for w in window]))
    ips = run["cfg"].batch * len(window) / sum(w[2] for w in window)
    step, total = run["step"], run["total"]
    epochs_left = int(total / steps_per_epoch) - int(step / steps_per_epoch)
    left = clock.left(total - step, max(0, epochs_left) * _heldout_seconds(run))
    run["history"].append({"step": step, "epoch": round(step / steps_per_epoch, 3),
                           "loss": round(loss, 4), "acc": round(acc, 4),
                           "seconds": round(run["train_seconds"], 1)})
    held = f" | held-out {100 * run['heldout'][-1]['acc']:5.1f}%" if run["heldout"] else ""
    print(f"step {step:5d}/{total} | epoch {step / steps_per_epoch:5.2f} | loss {loss:.3f} | "
          f"acc {100 * acc:5.1f}%{held} | {ips:5.0f} img/s | left {_fmt_time(left)}", flush=True)


def _heldout_seconds(run) -> float:
    """One held-out pass: as the last one took, else as planned."""
    if run["heldout"]:
        return run["heldout"][-1]["seconds"]
    return run["plan"].get("heldout_seconds") or 0.0


def _training_allowed(run, cfg) -> float:
    """The seconds training may take: as planned, moved by as much as the finish's estimate has
    moved since. Each held-out pass times the evaluation's speed again (the machine's load
    changes), and the final evaluation is that pass over many more images."""
    p = run["plan"]
    allowed = p.get("train_budget", cfg.budget)   # older checkpoints: the budget
    if run["heldout"] and p.get("finish_images") and p.get("heldout_images"):
        planned = p["image_seconds"] * p["finish_images"]
        now = run["heldout"][-1]["seconds"] / p["heldout_images"] * p["finish_images"]
        allowed -= FINISH_MARGIN * (now - planned)
    return allowed


def _maybe_replan(run, cfg, total, steps_per_epoch) -> int:
    """Re-size the schedule when, at the step rate of the last 50 steps, training would end
    after the time the plan set aside for it (the run's deadline less the finish); once
    re-sized, keep fitting it as the machine's load changes, shorter or longer, also beyond the
    original plan: a machine whose speed swings has already made the run unrepeatable, and one
    calibrated in a slow minute left 76 s of a learner's 600 unused when the plan was a ceiling.
    A run that never needs re-sizing keeps its plan, so a steady machine repeats its runs."""
    recent = [h for h in run["history"] if h["step"] >= run["step"] - 50]
    if run["plan"].get("pinned") or len(recent) < 5 or recent[-1]["step"] == recent[0]["step"]:
        return total
    rate = ((recent[-1]["seconds"] - recent[0]["seconds"])
            / (recent[-1]["step"] - recent[0]["step"]))
    allowed = _training_allowed(run, cfg)
    epochs_left = max(0, -(-total // steps_per_epoch) - run["step"] // steps_per_epoch)
    held = _heldout_seconds(run)
    projected = projected_train_seconds(run["train_seconds"], total - run["step"], rate,
                                        epochs_left, held)
    if not run["replanned"] and projected <= allowed:
        return total
    fits = steps_within(run["step"], run["train_seconds"], allowed, rate, epochs_left, held)
    new_total = resized_steps(total, run["step"], fits)
    if new_total != total:
        print(f"the machine's speed changed: the run now ends at step {new_total}", flush=True)
        run["total"], run["replanned"] = new_total, True
    return run["total"]
