"""A learner trial: each learner-written version of a topic module, run as `tox -e topicNN` runs
it, and the first message it gets.

The trial set lives in `trials/<topic>/`:
- `green/<module>.py`: the learner's own correct code for that topic (written from the brief);
- `wrong/<name>.py`: one wrong version of one module, its MODULE naming the module it replaces
  and its docstring's first line saying, in the learner's words, what is wrong;
- `right/<name>.py`: a correct version in an unusual style (MODULE too): every spec must pass.

Each version runs in a copy of the checkout (`--repo`, default this one) whose `katas/` holds
the reference for every module, then the trial's green modules over it, then the version itself
at `katas/<topic>/<MODULE>.py`: the learner's situation after solving the topics. The specs run
as `tox -e topicNN` runs them (tools/topic_specs.py, pytest's default ordering, no -x); the
first entry of pytest's FAILURES section is the message a learner reads first.

    python tools/learner_trial.py                       # every topic in trials/
    python tools/learner_trial.py topic16_advanced_normalizations --json out.json
    python tools/learner_trial.py --repo /tmp/before    # the same trial against another checkout

Reading the messages is a person's work: the table counts only what a program can tell (the
version failed or passed, the run's time); `--json` keeps every message for reading.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Queue

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from mistakes.first_messages import first_failure  # noqa: E402  (the same reading of pytest's report)

TRIALS = ROOT / "trials"
COPIED = ("katas", "solutions", "specs", "tools", "fixtures", "fastpath", "data", "milestone",
          "mistakes", "pyproject.toml", "tox.ini")


def versions(trials: Path, topics: list[str]) -> list[tuple[str, Path]]:
    """(kind, path) for every wrong and right version of the chosen topics."""
    folders = [trials / t for t in topics] if topics else sorted(trials.glob("topic*"))
    return [(kind, path) for folder in folders for kind in ("wrong", "right")
            for path in sorted((folder / kind).glob("*.py"))]


def module_of(path: Path) -> str:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MODULE" for t in node.targets):
            return node.value.value
    raise ValueError(f"{path}: no MODULE = '...' naming the module it replaces")


def what_is_wrong(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.strip().splitlines()[0] if doc.strip() else path.stem


def make_workspace(repo: Path, trials: Path) -> Path:
    """A copy of `repo` whose katas/ are the reference overlaid with every green module."""
    workspace = Path(tempfile.mkdtemp(prefix="learner-trial-"))
    for name in COPIED:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, workspace / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.npy", "cifar-10-batches-py", "*.tar.gz"))
        elif source.exists():
            shutil.copy2(source, workspace / name)
    for topic in (workspace / "solutions").glob("topic*"):
        for module in topic.glob("*.py"):
            if module.name != "__init__.py":
                shutil.copy2(module, workspace / "katas" / topic.name / module.name)
    for green in trials.glob("topic*/green/*.py"):
        shutil.copy2(green, workspace / "katas" / green.parent.parent.name / green.name)
    return workspace


def run_one(workspace: Path, trials: Path, kind: str, path: Path) -> dict:
    topic, module = path.parent.parent.name, module_of(path)
    target = workspace / "katas" / topic / f"{module}.py"
    green = trials / topic / "green" / f"{module}.py"
    original = green if green.exists() else workspace / "solutions" / topic / f"{module}.py"
    shutil.copy2(path, target)
    command = [sys.executable, "tools/topic_specs.py", f"specs/{topic}", "-q", "--no-header",
               "-p", "no:cacheprovider", "--tb=short", "--impl=katas"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "120"}
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=workspace, env=env, capture_output=True, text=True,
                              timeout=600)
        stdout, code = done.stdout, done.returncode
    except subprocess.TimeoutExpired as timeout:
        stdout, code = str(timeout.stdout or ""), -1
    finally:
        shutil.copy2(original, target)
    spec, message = first_failure(stdout)
    summary = next((line for line in reversed(stdout.splitlines()) if " in " in line), "")
    return {"version": f"{topic}/{kind}/{path.stem}", "kind": kind, "module": module,
            "what_is_wrong": what_is_wrong(path) if kind == "wrong" else "",
            "exit": code, "passed": code == 0, "seconds": round(time.perf_counter() - started, 2),
            "spec": spec, "message": message, "summary": summary}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="*", help="topic folders under trials/ (default: all)")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout whose specs run")
    parser.add_argument("--trials", type=Path, default=TRIALS, help="the trial set")
    parser.add_argument("--json", type=Path, help="write every result, messages included, here")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    trials, repo = args.trials.resolve(), args.repo.resolve()
    todo = versions(trials, args.topics)
    if not todo:
        sys.exit(f"no versions under {trials}")
    pool_of_workspaces: Queue = Queue()
    for _ in range(args.jobs):
        pool_of_workspaces.put(make_workspace(repo, trials))

    def run(item):
        workspace = pool_of_workspaces.get()
        try:
            return run_one(workspace, trials, *item)
        finally:
            pool_of_workspaces.put(workspace)

    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(run, todo))
    finally:
        while not pool_of_workspaces.empty():
            shutil.rmtree(pool_of_workspaces.get(), ignore_errors=True)
    for r in results:
        first = r["message"].splitlines()[0] if r["message"] else "(every spec passed)"
        verdict = {("wrong", True): "PASSED!", ("right", False): "REJECTED!"}.get(
            (r["kind"], r["passed"]), "ok")
        print(f"{r['version']:72s} {verdict:9s} {r['seconds']:5.1f}s  {first[:120]}")
    wrong = [r for r in results if r["kind"] == "wrong"]
    right = [r for r in results if r["kind"] == "right"]
    print(f"\n{sum(not r['passed'] for r in wrong)} of {len(wrong)} wrong versions rejected; "
          f"{sum(r['passed'] for r in right)} of {len(right)} right versions accepted; slowest "
          f"failing run {max((r['seconds'] for r in wrong), default=0):.1f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
