"""The CIFAR-10 milestone: train the Topic 17 network under a time budget.

    python -m milestone                       # your katas (Topics 12-17), ends within 10 minutes
    python -m milestone --impl solutions      # the reference solutions
    python -m milestone --impl solutions --smoke   # 90 s on real data (what CI runs)
    python -m milestone --resume --out runs/milestone-katas   # continue after Ctrl-C

Writes OUT/metrics.json, OUT/checkpoint.npz and PNGs (curves, confusion matrix, first-layer
filters; needs matplotlib, skipped with a note otherwise). Run with --help for every option.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

from .interrupt import Interrupt, block_sigint

REPO = Path(__file__).resolve().parents[1]
TOPIC = "topic17_cifar10_from_scratch"
REEXEC_FLAG = "KATA_MILESTONE_CHILD"
START_ENV = "KATA_MILESTONE_START"   # when the first process started (the re-executed one reads it)
RUN_FILE = "run.json"
# A short run learns more from more, smaller steps; your layers' ghost batches of 128 also stay
# in cache. Your 32/64/128 network, seed 1, 10 minutes on 2 cores (Zen 3), batch 512 / 256 / 128:
# 2.98 / 3.25 / 3.00 epochs, 311 / 352 / 362 img/s, 80.38% / 81.23% / 80.96% test,
# peak RSS 1874 / 1131 / 1155 MB.
LEARNER_BATCH = 256
DEFAULT_WIDTHS = {"solutions": "64,128,256", "katas": None}   # None: the plan chooses
SMOKE_MIN_ACCURACY = 0.20  # chance is 0.10 (sd 0.007 on 2,000 images); 45 s of training reached 0.35-0.67
SMOKE_BUDGET = 90.0        # wall time: about 60 s of it train (on a quiet 2-core machine)


# What a run is made of. `--resume --out DIR` reads them back from DIR/run.json, so a resumed
# run continues with everything it started with; given again on the resume command line they
# must agree (data_dir, threads and no_plots may change: they do not change the numbers).
RUN_OPTIONS = ("impl", "budget", "data_dir", "seed", "epochs", "batch", "widths", "smoke",
               "train_images", "test_images", "no_plots", "threads", "ghost_batches")
MAY_CHANGE_ON_RESUME = ("data_dir", "threads", "no_plots")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m milestone", description=__doc__.split("\n\n")[0])
    p.add_argument("--impl", default=None, choices=["katas", "solutions"],
                   help="whose code trains (default: $KATA_IMPL, else katas)")
    p.add_argument("--budget", type=float, default=None,
                   help="seconds of wall time from start to the last line, everything included "
                        f"(default 600, {SMOKE_BUDGET:.0f} with --smoke)")
    p.add_argument("--data-dir", default=None,
                   help="extracted cifar-10-batches-py folder (default: $CIFAR10_DIR or data/)")
    p.add_argument("--seed", type=int, default=None, help="default 0")
    p.add_argument("--out", default=None, help="output folder (default runs/milestone-<impl>)")
    p.add_argument("--resume", action="store_true",
                   help="continue the run in OUT (its options are read from OUT/run.json)")
    p.add_argument("--epochs", type=float, default=None,
                   help="pin the number of epochs (fractions allowed) instead of sizing "
                        "the run from the budget")
    p.add_argument("--batch", type=int, default=None,
                   help="default 512 for the reference, 256 for your layers, 128 with --smoke")
    p.add_argument("--widths", default=None,
                   help="channels of the three conv groups (default 64,128,256 for the reference; "
                        "for your layers the plan chooses 32,64,128 or narrower, whichever trains "
                        "enough epochs at your code's speed)")
    p.add_argument("--smoke", action="store_true", default=None,
                   help=f"short real-data check: {SMOKE_BUDGET:.0f} s budget and batch 128 unless "
                        "given, 2,000 test images; fails unless test accuracy is clearly above chance "
                        f"(>= {100 * SMOKE_MIN_ACCURACY:.0f}%%)")
    p.add_argument("--train-images", type=int, default=None,
                   help="train on the first N training images only (quick checks; default all)")
    p.add_argument("--test-images", type=int, default=None,
                   help="evaluate on the first N test images only (default all; 2,000 with "
                        "--smoke)")
    p.add_argument("--no-plots", action="store_true", default=None)
    p.add_argument("--threads", type=int, default=None,
                   help="threads of the reference layers' thread pool (default: all cores)")
    p.add_argument("--ghost-batches", type=int, default=None,
                   help="split each batch into N parts that run your layers at once, one thread "
                        "each, with their own BN batch statistics (default 2 for your layers, "
                        "1 for the reference, whose fast layers split the batch themselves)")
    args = p.parse_args(argv)
    given = {k for k in RUN_OPTIONS if getattr(args, k) is not None}
    if args.resume:
        _restore_run_options(args, given)
    _fill_defaults(args)
    args.out = Path(args.out or REPO / "runs" / f"milestone-{args.impl}")
    return args


def _fill_defaults(args) -> None:
    args.impl = args.impl or os.environ.get("KATA_IMPL", "katas")
    args.smoke = bool(args.smoke)
    args.no_plots = bool(args.no_plots)
    if args.budget is None:
        args.budget = SMOKE_BUDGET if args.smoke else 600.0
    if args.seed is None:
        args.seed = 0
    if args.batch is None:
        args.batch = 128 if args.smoke else LEARNER_BATCH if args.impl == "katas" else 512
    if args.train_images is None:
        args.train_images = 0   # all
    if args.test_images is None:
        args.test_images = 2000 if args.smoke else 0
    if args.threads is None:
        args.threads = os.cpu_count() or 1
    if args.ghost_batches is None:
        args.ghost_batches = 2 if args.impl == "katas" else 1
    args.widths = args.widths or DEFAULT_WIDTHS[args.impl]


def _restore_run_options(args, given: set) -> None:
    """Fill args from the run folder's run.json; an option given again must agree with it."""
    out = Path(args.out) if args.out else REPO / "runs" / f"milestone-{args.impl or 'katas'}"
    stored_path = out / RUN_FILE
    if not stored_path.is_file():
        raise SystemExit(f"--resume: {stored_path} not found, so there is no run to continue in "
                         f"{out}. Give the --out folder of the interrupted run, or start a new "
                         f"run without --resume.")
    stored = json.loads(stored_path.read_text())
    for key in RUN_OPTIONS:
        if key not in stored:
            continue
        mine, theirs = getattr(args, key), stored[key]
        if key in given and key not in MAY_CHANGE_ON_RESUME and _differs(key, mine, theirs):
            raise SystemExit(f"--resume: the run in {out} was started with --{key.replace('_', '-')}"
                             f" {theirs}, this command says {mine}. Leave it out to continue "
                             f"the run as it started.")
        if key not in given:
            setattr(args, key, theirs)
    args.out = str(out)


def _differs(key, mine, theirs) -> bool:
    if key == "widths" and mine is not None and theirs is not None:
        return [int(w) for w in str(mine).split(",")] != [int(w) for w in str(theirs).split(",")]
    return mine != theirs


def save_run_options(args) -> None:
    """OUT/run.json: the options this run started with (what --resume reads back)."""
    args.out.mkdir(parents=True, exist_ok=True)
    stored = {key: getattr(args, key) for key in RUN_OPTIONS}
    if stored["data_dir"] is not None:
        stored["data_dir"] = str(Path(stored["data_dir"]).resolve())
    _write_json(args.out / RUN_FILE, stored)
    (args.out / "checkpoint.npz").unlink(missing_ok=True)  # an older run's: not this one


def store_plan(args, plan: dict) -> None:
    """Add the plan's widths (and why, when it chose them) to OUT/run.json: --resume keeps them."""
    path = args.out / RUN_FILE
    stored = json.loads(path.read_text())
    stored["widths"] = ",".join(str(w) for w in plan["widths"])
    stored["widths_chosen"] = plan.get("why")
    _write_json(path, stored)


def deadline_line(args, deadline) -> str:
    """The run's first line: what the budget counts and when the run ends."""
    if args.resume:
        return (f"Resuming the run in {_shown_path(args.out)} with its plan: its budget counted "
                f"the first part; this part ends once the remaining steps and the final "
                f"evaluation are done.")
    if args.epochs is not None:
        return (f"--epochs {args.epochs:g} fixes the run's length, so the budget does not bound "
                f"it: the run ends once {args.epochs:g} epochs and the evaluation are done.")
    return (f"Budget {args.budget:.0f} s of wall time, everything included (loading, calibration, "
            f"training, held-out passes, final evaluation, plots): the run ends by "
            f"{deadline.clock()}.")


def _translate(metrics: dict) -> str:
    """', flip+translate 88.15%' when the run measured it (the reference does), else ''."""
    acc = metrics.get("test_accuracy_tta_translate")
    return "" if acc is None else f", flip+translate {100 * acc:.2f}%"


def _write_json(path: Path, value) -> None:
    """Written whole or not at all (a rename), so an interrupted run never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, indent=1) + "\n")
    os.replace(tmp, path)


def resume_commands(out: Path) -> list[str]:
    """The two commands that continue the run in out, as a learner would type them."""
    shown = _shown_path(out)
    return [f"tox -e milestone -- --resume --out {shown}",
            f"python -m milestone --resume --out {shown}"]


def _shown_path(path: Path) -> str:
    """path relative to the current folder when it lies inside it (tox runs in the repo)."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def reexec_with_tuned_environment(args) -> None:
    """Restart once with glibc told to keep freed memory (page faults are costly; PyTorch's
    anchor measured 27%) and OpenBLAS's threads shared out: single-threaded for the reference
    layers (their thread pool splits the batch instead), the cores divided among the ghost
    batches for a learner's. These must be set before the process starts."""
    if os.environ.get(REEXEC_FLAG):
        return
    env = dict(os.environ, **{REEXEC_FLAG: "1", START_ENV: repr(args.started),
                              "MALLOC_MMAP_MAX_": "0",
                              "MALLOC_TRIM_THRESHOLD_": str(1 << 40),
                              "KATA_THREADS": str(args.threads)})
    if args.impl == "solutions" and args.threads > 1:
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
    elif args.ghost_batches > 1:
        env.setdefault("OPENBLAS_NUM_THREADS", str(max(1, args.threads // args.ghost_batches)))
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, "-m", "milestone", *sys.argv[1:]], env)


def main(argv=None) -> int:
    started = time.time()
    args = parse_args(argv)
    args.started = float(os.environ.get(START_ENV) or started) if argv is None else started
    if argv is None:
        reexec_with_tuned_environment(args)
        block_sigint()   # before NumPy starts its threads: see interrupt.py
    sys.path.insert(0, str(REPO))

    with Interrupt():   # from here on a Ctrl-C is honoured at the first training step
        try:
            return _run(args)
        except KeyboardInterrupt:   # a second, deliberate Ctrl-C; or one during evaluation
            print(_aborted_message(args.out), flush=True)
            return 130


def _run(args) -> int:
    from data.cifar10 import CifarError, load_cifar10

    from .blanks import check_blanks
    from .plan import Deadline
    from .train import Config, train

    deadline = Deadline(args.started, args.budget)
    print(deadline_line(args, deadline), flush=True)
    if args.impl == "katas" and not check_blanks():
        return 2
    try:
        pipeline = importlib.import_module(f"{args.impl}.{TOPIC}.pipeline")
        layers = importlib.import_module(f"{args.impl}.{TOPIC}.layers")
    except Exception as err:  # a syntax error in a learner's file
        print(f"could not import {args.impl}/{TOPIC}: {type(err).__name__}: {err}")
        return 2
    t0 = time.perf_counter()
    try:
        data = load_cifar10(args.data_dir)
    except CifarError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"CIFAR-10 loaded in {time.perf_counter() - t0:.1f} s", flush=True)
    if args.impl == "katas" and not _learner_loader_agrees(pipeline, args.data_dir, data):
        return 2
    cfg = Config(impl=args.impl, budget=args.budget, seed=args.seed, batch=args.batch,
                 widths=tuple(int(w) for w in args.widths.split(",")) if args.widths else None,
                 epochs=args.epochs, train_subset=args.train_images,
                 test_subset=args.test_images, plots=not args.no_plots,
                 translate_tta=not args.smoke, ghost_batches=args.ghost_batches,
                 extras={"smoke": args.smoke})
    if not args.resume:
        save_run_options(args)
    result = train(cfg, pipeline, layers, data, args.out, args.resume, deadline,
                   on_plan=lambda plan: store_plan(args, plan))
    if not result:
        print("Interrupted; nothing is lost. Continue the run with one of:\n  "
              + "\n  ".join(resume_commands(args.out)), flush=True)
        return 130
    metrics = result["metrics"]
    _write_json(args.out / "history.json", {key: result["report"][key]
                                            for key in ("history", "heldout")})
    if not args.no_plots:
        from .report import write_plots
        metrics["plots"] = write_plots(args.out, result["report"])
    metrics["wall_seconds"] = round(time.time() - args.started, 1)   # start to this line
    _write_json(args.out / "metrics.json", metrics)
    print(f"test accuracy {100 * metrics['test_accuracy']:.2f}% "
          f"(flip TTA {100 * metrics['test_accuracy_tta']:.2f}%{_translate(metrics)}) "
          f"after {metrics['epochs']} epochs, "
          f"{metrics['images_per_second']:.0f} img/s, peak RSS {metrics['peak_rss_mb']:.0f} MB; "
          f"{args.out / 'metrics.json'}", flush=True)
    if args.smoke and metrics["test_accuracy"] < SMOKE_MIN_ACCURACY:
        print(f"smoke run: test accuracy below {SMOKE_MIN_ACCURACY:.0%}, not clearly above chance "
              f"(10%): something is broken")
        return 1
    return 0


def _aborted_message(out: Path) -> str:
    checkpoint = Path(out) / "checkpoint.npz"
    if not checkpoint.is_file():
        return "\nStopped before the first checkpoint: start the run again."
    return ("\nStopped. The last checkpoint (saved at the last epoch boundary, or after training) "
            f"is {_shown_path(checkpoint)}; continue from it with one of:\n  "
            + "\n  ".join(resume_commands(out)))


def _learner_loader_agrees(pipeline, data_dir, data) -> bool:
    """Run the learner's load_batch on test_batch and compare with the reference decoder."""
    from data.cifar10 import TEST_FILE, find_batches_dir
    path = find_batches_dir(data_dir, download=False, quiet=True) / TEST_FILE
    x, y = pipeline.load_batch(str(path))
    ok = (getattr(x, "shape", None) == data["x_test"].shape and (x == data["x_test"]).all()
          and (y == data["y_test"]).all())
    if not ok:
        print(f"your load_batch({path}) does not return the images (10000, 3, 32, 32) uint8 and "
              f"labels the reference loader reads: run `tox -e topic17` first.")
    return bool(ok)


if __name__ == "__main__":
    sys.exit(main())
