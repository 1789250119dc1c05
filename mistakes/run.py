"""Run each topic's specs against its deliberately broken implementations; all must be rejected.

A mutant is `mistakes/<topic>/<name>.py`: its docstring's first line says what it breaks, its
MODULE names the topic module it replaces, and it usually imports the reference and overrides
one function. A mutant survives when the topic's specs all pass against it: that is a hole in
the specs, and this script fails. The other way round, `mistakes/valid/<topic>/<name>.py` are
correct implementations written differently from the reference (another random-number order,
a textbook loop over kernel offsets): every spec must accept them, or a spec is rejecting
correct code, and this script fails too.

    python mistakes/run.py                  # every topic
    python mistakes/run.py topic11_conv2d_sliding_window
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mistakes"
PYTEST_FAILED = 1  # pytest's exit code when tests ran and some failed


def find_mutants(topics: list[str]) -> list[Path]:
    folders = ([MUTANTS / t for t in topics] if topics
               else [*sorted(MUTANTS.glob("topic*")), MUTANTS / "fastpath",   # + specs/fastpath
                     MUTANTS / "milestone_tests"])           # + specs/milestone_tests
    missing = [f.name for f in folders if not f.is_dir()]
    if missing:
        sys.exit(f"no mutants folder for: {', '.join(missing)}")
    return [p for f in folders for p in sorted(f.glob("*.py")) if p.name != "__init__.py"]


def find_valid(topics: list[str]) -> list[Path]:
    """The correct alternatives (mistakes/valid/<topic>/*.py) of the chosen topics."""
    pattern = [f"{t}/*.py" for t in topics] if topics else ["topic*/*.py"]
    return sorted(p for pat in pattern for p in (MUTANTS / "valid").glob(pat))


def what_it_breaks(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text())) or "(no docstring)"
    return doc.strip().splitlines()[0]


def run_specs(mutant: Path) -> tuple[int, str]:
    """pytest exit code and the first failing spec's id for one mutant (stops at the first)."""
    command = [sys.executable, "-m", "pytest", f"specs/{mutant.parent.name}", "-x", "-q",
               "--no-header", "-p", "no:cacheprovider", "--tb=no", "-rf",
               f"--impl=mutant:{mutant}"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    failed = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("FAILED ")]
    detail = failed[0].split("::", 1)[-1] if failed else done.stdout.strip().splitlines()[-1:]
    return done.returncode, detail if isinstance(detail, str) else " ".join(detail)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="*", help="topic folders (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    mutants = find_mutants(args.topics)
    valid = find_valid(args.topics)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(run_specs, mutants))
        valid_results = list(pool.map(run_specs, valid))
    survivors = 0
    for mutant, (code, detail) in zip(mutants, results):
        if code == PYTEST_FAILED:
            verdict = f"rejected by {detail}"
        elif code == 0:
            verdict, survivors = "SURVIVED: every spec passed", survivors + 1
        else:
            verdict, survivors = f"ERROR (pytest exit {code}): {detail}", survivors + 1
        print(f"{mutant.parent.name}/{mutant.stem}: {what_it_breaks(mutant)}\n    {verdict}")
    rejected_valid = 0
    for alternative, (code, detail) in zip(valid, valid_results):
        if code != 0:
            rejected_valid += 1
        verdict = "accepted" if code == 0 else f"REJECTED, though correct, by {detail}"
        print(f"valid/{alternative.parent.name}/{alternative.stem}: "
              f"{what_it_breaks(alternative)}\n    {verdict}")
    print(f"{len(mutants) - survivors} of {len(mutants)} broken implementations rejected, "
          f"{len(valid) - rejected_valid} of {len(valid)} correct alternatives accepted "
          f"in {time.perf_counter() - start:.1f} s")
    return 1 if survivors or rejected_valid or not mutants else 0


if __name__ == "__main__":
    sys.exit(main())
