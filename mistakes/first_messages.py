"""For each known mistake: the first failure message a learner would see, and does it name it?

Runs each topic's specs against each mutant as `tox -e topicNN` would (pytest on specs/<topic>,
--impl mutant:PATH, the default ordering, no -x), takes the first entry of pytest's FAILURES
section, and reports whether it names the mistake (it holds "Known mistake (<name>)" or the
mutant's EXPLANATION), whether it names ANOTHER mistake instead, and the run's wall time.

    python mistakes/first_messages.py                      # every topic, this checkout
    python mistakes/first_messages.py topic13_pooling_strides --json out.json
    python mistakes/first_messages.py --repo /tmp/before   # another checkout (e.g. main)
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
KNOWN = re.compile(r"Known mistake \((\w+)\)")
HEADER = re.compile(r"^_{3,} (.+?) _{3,}$")


def mutants_of(root: Path, topics: list[str]) -> list[Path]:
    catalogue = root / "mistakes"
    folders = [catalogue / t for t in topics] if topics else sorted(catalogue.glob("topic*"))
    return [p for f in folders for p in sorted(f.glob("*.py")) if p.name != "__init__.py"]


def explanation_of(path: Path) -> str:
    """The mutant's EXPLANATION with whitespace collapsed ('' when it has none)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXPLANATION" for t in node.targets) \
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return " ".join(node.value.value.split())
    return ""


def first_failure(stdout: str) -> tuple[str, str]:
    """(spec name, message) of the first entry in pytest's FAILURES section."""
    lines = stdout.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if re.match(r"^=+ FAILURES =+$", line))
    except StopIteration:
        return "", ""
    name, body = "", []
    for line in lines[start + 1:]:
        header = HEADER.match(line)
        if header and name:
            break
        if header:
            name = header.group(1)
            continue
        if re.match(r"^=+ .* =+$", line):
            break
        body.append(line)
    return name, "\n".join(body).strip()


def run_one(root: Path, mutant: Path) -> dict:
    command = [sys.executable, "-m", "pytest", f"specs/{mutant.parent.name}", "-q", "--no-header",
               "-p", "no:cacheprovider", "--tb=short", f"--impl=mutant:{mutant}"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # the child's own CPU time: a fair figure on a busy machine
    seconds = time.perf_counter() - started
    returncode = os.waitstatus_to_exitcode(status)
    spec, message = first_failure(stdout)
    explanation = explanation_of(mutant)
    flat = " ".join(message.split())
    named_as = KNOWN.findall(message)
    return {
        "mutant": f"{mutant.parent.name}/{mutant.stem}", "exit": returncode,
        "seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "spec": spec, "message": message,
        "has_explanation": bool(explanation),
        "named": mutant.stem in named_as or bool(explanation and explanation in flat),
        "named_other": [n for n in named_as if n != mutant.stem],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="*", help="topic folders (default: all)")
    parser.add_argument("--repo", type=Path, default=HERE, help="the checkout to run in")
    parser.add_argument("--json", type=Path, help="write every result (with messages) here")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    root = args.repo.resolve()
    mutants = mutants_of(root, args.topics)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda m: run_one(root, m), mutants))
    for r in results:
        verdict = "NAMED" if r["named"] else ("OTHER " + ",".join(r["named_other"]) if r["named_other"]
                                              else "not named")
        first = r["message"].splitlines()[0] if r["message"] else "(no failure: survived?)"
        print(f"{r['mutant']:70s} {verdict:10s} {r['seconds']:5.1f}s {r['cpu_seconds']:4.1f}s cpu  "
              f"{first[:110]}")
    failing = [r for r in results if r["exit"] == 1]
    named = sum(r["named"] for r in results)
    other = sum(bool(r["named_other"]) and not r["named"] for r in results)
    slowest = max(failing, key=lambda r: r["seconds"], default=None)
    most_cpu = max(failing, key=lambda r: r["cpu_seconds"], default=None)
    print(f"\n{named} of {len(results)} named in the first message; {other} name another mistake; "
          f"{sum(r['has_explanation'] for r in results)} have an EXPLANATION; {len(failing)} runs fail")
    if slowest:
        print(f"slowest failing run: {slowest['seconds']:.1f} s wall ({slowest['mutant']}); most CPU: "
              f"{most_cpu['cpu_seconds']:.1f} s ({most_cpu['mutant']}); load average "
              f"{os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
