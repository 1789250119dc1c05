"""Speed and memory of three 2-D convolutions: naive loops, im2col, and PyTorch.

    python benchmarks/bench_conv.py                  # the reference solutions (tox -e bench)
    python benchmarks/bench_conv.py --impl katas     # your own Topic 11 and Topic 12 code
    python benchmarks/bench_conv.py --quick          # three small cases, a few seconds
    python benchmarks/bench_conv.py --yours          # your Topic 12 conv beside the naive loop,
                                                     # the reference and PyTorch (under a minute)

Variants, forward and backward, float32, 3x3 kernel, stride 1, padding 1:
- naive:    Topic 11 `conv2d_forward_naive` / `conv2d_backward_naive` (a loop over output positions)
- textbook: the plain im2col method of Topic 12's hints (benchmarks/textbook_im2col.py): the full
            column matrix and a col2im scatter, whatever --impl says
- strided:  the same method in the memory layout the hints taught before (strided_im2col.py):
            a transposing copy of the columns, col2im reading a 6-D strided view (--yours only)
- im2col:   Topic 12 `conv2d_forward` / `conv2d_backward` (yours with --impl katas)
- torch:    `torch.nn.functional.conv2d` and autograd, on the CPU (the yardstick, when installed:
            `pip install torch==2.13.0`; `tox -e bench` installs it)
With --yours (what the Topic 12 brief asks a learner to run): the three small cases of --quick,
one round, and the rows naive (the reference's Topic 11 loop), strided and textbook (the layout
lesson: one recipe, two memory layouts), yours (katas/ Topic 12 `conv2d_forward` /
`conv2d_backward`, if written), reference (the fast path) and torch.

Each variant runs in its own process: NumPy's and PyTorch's thread pools slow each other down when
they alternate in one process. Reported per case and variant: the median time of the forward and
the backward pass, and the peak memory allocated during one forward + backward beyond the inputs
(NumPy: tracemalloc, which sees every NumPy array; PyTorch: the growth of the peak resident set of
a fresh process). Prints a table, writes benchmarks/out/conv_benchmark.png (time and memory
against input size and channel count, log scales) and conv_benchmark.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conv_variants import KERNEL, LEARNER_VARIANTS, VARIANTS, Case, run_worker  # noqa: E402

OUT_DIR = REPO_ROOT / "benchmarks" / "out"
TORCH_INSTALL = "pip install torch==2.13.0"
TARGET_RATIO, GOAL_RATIO = 2.0, 1.5  # the milestone conv, im2col fwd+bwd time / PyTorch's
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "KATA_THREADS")


def sweep_cases(quick: bool) -> list[Case]:
    """Spatial sizes at fixed channels, channel counts at fixed size, and the milestone's layer.

    The naive loops are kept to the small cases: they would take minutes on the large ones.
    """
    if quick:
        return [Case("size", 8, 16, 16, naive=True), Case("size", 8, 16, 32, naive=True),
                Case("channels", 8, 32, 16, naive=True)]
    sizes = [Case("size", 32, 32, hw, naive=hw <= 32) for hw in (8, 16, 32, 64)]
    channels = [Case("channels", 32, c, 16, naive=c <= 64) for c in (8, 16, 32, 64, 128)]
    return sizes + channels + [Case("milestone", 128, 64, 32, naive=False)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return run_worker(args.worker, args.impl, [Case(**c) for c in json.loads(args.cases)],
                          args.min_seconds, memory=args.memory)

    if args.yours:  # one thread each unless told: steadier ratios on a shared machine
        args.quick, args.impl, args.rounds = True, "solutions", 1
        args.threads = args.threads or 1
    variants = available_variants(LEARNER_VARIANTS if args.yours else VARIANTS)
    cases = sweep_cases(args.quick)
    results = measure_in_rounds(cases, args.impl, args.rounds, args.min_seconds, args.threads,
                                variants)
    rows = merge(cases, results, variants)
    rows = drop_blank_kata(rows)

    whose = "yours: katas, naive and reference: solutions" if args.yours else args.impl
    print_table(rows, whose, args.rounds, args.threads)
    headline = milestone_ratio(rows)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "conv_benchmark.json").write_text(json.dumps(
        {"impl": args.impl, "rows": rows, "milestone_ratio_to_torch": headline}, indent=2))
    chart = write_chart(rows, OUT_DIR / "conv_benchmark.png", variants)
    print(f"\nwrote {OUT_DIR / 'conv_benchmark.json'}" + (f" and {chart}" if chart else ""))
    if args.max_ratio and headline is not None and headline > args.max_ratio:
        print(f"FAIL: im2col is {headline:.2f}x PyTorch on the milestone layer "
              f"(allowed {args.max_ratio}x)")
        return 1
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impl", choices=("katas", "solutions"), default="solutions",
                        help="whose Topic 11/12 code to time (default: solutions)")
    parser.add_argument("--quick", action="store_true", help="three small cases only")
    parser.add_argument("--yours", action="store_true",
                        help="your Topic 12 conv (katas) beside the naive loop, the reference and "
                             "PyTorch on the three small cases, one round, one thread unless "
                             "--threads says otherwise (under a minute)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate the variants this many times; report the median round "
                             "(a busy machine then slows every variant alike; default 3)")
    parser.add_argument("--min-seconds", type=float, default=0.4,
                        help="time each case and variant for at least this long per round "
                             "(default 0.4)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for every library (OMP/OpenBLAS/MKL/KATA_THREADS); default: "
                             "each library's own (all cores). 1 gives steadier ratios on a busy "
                             "machine")
    parser.add_argument("--max-ratio", type=float, default=None,
                        help=f"exit 1 if im2col/PyTorch on the milestone layer exceeds this "
                             f"(the target is {TARGET_RATIO})")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--cases", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def available_variants(wanted: tuple[str, ...]) -> tuple[str, ...]:
    """`wanted` without PyTorch when it is not installed (said once, not on every row)."""
    if "torch" in wanted and importlib.util.find_spec("torch") is None:
        print(f"PyTorch is not installed here: no PyTorch rows (`tox -e bench` installs it, or "
              f"`{TORCH_INSTALL}`).", flush=True)
        return tuple(v for v in wanted if v != "torch")
    return wanted


def drop_blank_kata(rows: list[dict]) -> list[dict]:
    """Without the 'yours' rows when your conv is not written yet (said once)."""
    blank = [r for r in rows if r["variant"] == "yours" and r.get("error") == "not implemented yet"]
    if not blank:
        return rows
    print("Your conv2d_forward / conv2d_backward (katas/topic12_im2col_vectorization/im2col.py) "
          "are not implemented yet: no 'yours' rows. Run this again once `tox -e topic12` is "
          "green.", flush=True)
    return [r for r in rows if r not in blank]


def measure_in_rounds(cases: list[Case], impl: str, rounds: int, min_seconds: float,
                      threads: int | None, variants: tuple[str, ...] = VARIANTS) -> dict:
    """{variant: {case key: measurements}}: each round runs every variant once, in turn.

    Times are the median over rounds of each round's median; memory is measured in round one.
    """
    per_round = {v: [] for v in variants}
    for round_number in range(max(1, rounds)):
        for variant in variants:
            chosen = [c for c in cases if variant != "naive" or c.naive]
            print(f"round {round_number + 1}/{rounds}: {variant} on {len(chosen)} case(s) ...",
                  file=sys.stderr, flush=True)
            per_round[variant].append(run_in_subprocess(
                variant, impl, chosen, min_seconds, memory=round_number == 0, threads=threads))
    return {v: _median_of_rounds(found) for v, found in per_round.items()}


def _median_of_rounds(rounds: list[dict]) -> dict:
    combined = {}
    for key, first in rounds[0].items():
        if "error" in first:
            combined[key] = first
            continue
        measured = [r[key] for r in rounds if key in r and "error" not in r[key]]
        combined[key] = {**first, "repeats": sum(m["repeats"] for m in measured)}
        for field in ("fwd_ms", "bwd_ms"):
            combined[key][field] = statistics.median(m[field] for m in measured)
        combined[key]["total_ms"] = combined[key]["fwd_ms"] + combined[key]["bwd_ms"]
    return combined


def run_in_subprocess(variant: str, impl: str, cases: list[Case], min_seconds: float,
                      memory: bool, threads: int | None = None) -> dict:
    """Run one variant over `cases` in a fresh process; {case key: measurements or error}."""
    if not cases:
        return {}
    command = [sys.executable, __file__, "--worker", variant, "--impl", impl,
               "--min-seconds", str(min_seconds),
               "--cases", json.dumps([c.as_dict() for c in cases])]
    command += ["--memory"] if memory else []
    env = dict(os.environ)
    if threads:
        env.update({name: str(threads) for name in THREAD_VARIABLES})
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {c.key: {"error": reason} for c in cases}
    return json.loads(done.stdout.strip().splitlines()[-1])


def merge(cases: list[Case], results: dict, variants: tuple[str, ...] = VARIANTS) -> list[dict]:
    """One row per (case, variant) with the speed-ups against naive and the ratio to PyTorch."""
    rows = []
    for case in cases:
        measured = {v: results[v].get(case.key) for v in variants}
        for variant, m in measured.items():
            if m is None:
                continue
            row = {"sweep": case.sweep, "N": case.N, "C": case.C, "HW": case.HW,
                   "variant": variant, **m}
            if "error" not in m:
                row["speedup_vs_naive"] = _ratio(measured.get("naive"), m)
                row["ratio_to_torch"] = _ratio(m, measured.get("torch"))
            rows.append(row)
    return rows


def _ratio(slow, fast):
    """slow total time / fast total time, when both were measured."""
    if not slow or not fast or "error" in slow or "error" in fast:
        return None
    return slow["total_ms"] / fast["total_ms"]


def print_table(rows: list[dict], impl: str, rounds: int, threads: int | None) -> None:
    print(f"\nconv2d 3x3, stride 1, padding 1, float32, C = F; impl = {impl}; "
          f"threads = {threads or 'library defaults'} ({os.cpu_count()} cores); "
          f"ms: median over {rounds} round(s); peak MB beyond the inputs;\n"
          "speed-up = naive time / this time; time/torch = this time / PyTorch's time")
    header = (f"{'sweep':<10}{'N':>4}{'C=F':>5}{'HxW':>7}  {'variant':<10}{'fwd ms':>9}"
              f"{'bwd ms':>9}{'fwd+bwd':>9}{'peak MB':>10}{'speed-up':>10}{'time/torch':>12}")
    print(header)
    print("-" * len(header))
    previous = None
    for r in rows:
        if (r["sweep"], r["N"], r["C"], r["HW"]) != previous:
            previous = (r["sweep"], r["N"], r["C"], r["HW"])
            print(_sizes_line(r["N"], r["C"], r["HW"]))
        lead = f"{r['sweep']:<10}{r['N']:>4}{r['C']:>5}{r['HW']:>4}x{r['HW']:<2}  {r['variant']:<10}"
        if "error" in r:
            print(f"{lead}{r['error']}")
            continue
        speedup = r.get("speedup_vs_naive") if r["variant"] != "naive" else None
        speedup = f"{speedup:.1f}x" if speedup else "-"
        ratio = r.get("ratio_to_torch") if r["variant"] != "torch" else None
        ratio = (f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.3f}x") if ratio else "-"
        print(f"{lead}{r['fwd_ms']:>9.1f}{r['bwd_ms']:>9.1f}{r['total_ms']:>9.1f}"
              f"{_mb(r['peak_mb']):>10}{speedup:>10}{ratio:>12}")
    print("peak MB: NumPy variants by tracemalloc (every array allocated); PyTorch by the growth "
          "of resident memory,\nwhich misses small allocations that reuse freed memory (it reads "
          "about 0 below a few MB).")


def _sizes_line(N: int, C: int, HW: int) -> str:
    """The input's size and the size of its full im2col column matrix (float32, 3x3, pad 1)."""
    input_mb = N * C * HW * HW * 4 / 2**20
    cols_mb = N * HW * HW * C * KERNEL * KERNEL * 4 / 2**20
    return (f"  [input x {input_mb:.1f} MB; its full im2col matrix {cols_mb:.1f} MB = "
            f"{KERNEL * KERNEL}x]")


def _mb(value) -> str:
    return "?" if value is None else f"{value:.1f}"


def milestone_ratio(rows: list[dict]) -> float | None:
    """im2col / PyTorch fwd+bwd time on the milestone's layer, printed against the target."""
    for r in rows:
        if r["sweep"] == "milestone" and r["variant"] == "im2col" and r.get("ratio_to_torch"):
            ratio = r["ratio_to_torch"]
            print(f"\nmilestone layer (N=128, C=F=64, 32x32): im2col forward+backward takes "
                  f"{ratio:.2f}x PyTorch's time (target <= {TARGET_RATIO}x, goal {GOAL_RATIO}x)")
            return ratio
    return None


def write_chart(rows: list[dict], path: Path, variants: tuple[str, ...] = VARIANTS) -> Path | None:
    """Time and peak memory against input size (top) and channel count (bottom), log scales."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart (`pip install matplotlib`).")
        return None
    size = next((r for r in rows if r["sweep"] == "size"), {"N": "?", "C": "?"})
    channels = next((r for r in rows if r["sweep"] == "channels"), {"N": "?", "HW": "?"})
    sweeps = [("size", "HW", f"input height = width (N={size['N']}, C=F={size['C']})"),
              ("channels", "C", f"channels C = F (N={channels['N']}, "
                                f"{channels['HW']}x{channels['HW']})")]
    variants = tuple(v for v in variants if any(r["variant"] == v for r in rows))
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    for (sweep, key, label), (ax_time, ax_mem) in zip(sweeps, axes):
        for ax, field, what in ((ax_time, "total_ms", "forward + backward time (ms)"),
                                (ax_mem, "peak_mb", "peak memory beyond the inputs (MB)")):
            plotted = False
            for variant, style in zip(variants, ("o-", "d-", "s-", "^-", "v-", "x-")):
                points = [(r[key], r.get(field)) for r in rows
                          if r["sweep"] == sweep and r["variant"] == variant and "error" not in r]
                points = [(x, y) for x, y in points if y]  # log scales need positive values
                if points:
                    ax.plot(*zip(*points), style, label=variant)
                    plotted = True
            ax.set_xlabel(label)
            ax.set_ylabel(what)
            if plotted:
                ax.set_xscale("log", base=2)
                ax.set_yscale("log")
                ax.grid(True, which="both", alpha=0.3)
                ax.legend()
    fig.suptitle("conv2d 3x3, stride 1, padding 1, float32: " + ", ".join(variants))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


if __name__ == "__main__":
    sys.exit(main())
