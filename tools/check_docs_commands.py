"""Run every command that README.md and the briefs tell a learner to type, on a fresh clone.

    python tools/check_docs_commands.py            # clone HEAD to a temporary folder, run all
    python tools/check_docs_commands.py --list     # only show each command and how it is checked

What it does, so that the README stays true:
1. collects the commands: every line of a fenced code block and every inline `code` span in
   README.md, katas/*/README.md and milestone/README.md that starts with `tox `, `./kata`,
   `python ` or `pip ` (a trailing `# comment` is dropped);
2. clones HEAD (committed work only, as a learner gets it) and runs each command there, with tox's
   environments shared with this checkout's .tox/ (`tox --workdir`), so nothing is installed twice;
3. long runs are run in their quick form (QUICK below: the same command with a few options added)
   and the gates CI runs in its own steps (`tox -e solutions`, `mutants`, ...) are only checked to
   be in .ci/run; a spec run may exit 1 (red specs against blank katas are the point), every
   other command must exit 0.
Fails (exit 1) listing each command that failed, with the end of its output. CI runs it
(.ci/run); on this course's 2-core machine, shared and busy (load 16-18), it took 197 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "katas/*/README.md", "milestone/README.md"]
PREFIXES = ("tox ", "./kata", "python ", "pip ")
PLACEHOLDER = re.compile(r"<|>|\.\.\.|\bDIR\b|\bSECONDS\b|\bARGS\b|\$|\\\||\bNN\b|\[")
# Gates with their own CI step: checked to appear in .ci/run, not run twice.
IN_CI_STEPS = ("tox -e solutions", "tox -e mutants", "tox -e fixtures", "tox -e oracle",
               "tox -e lint", "tox -e coverage")
NOT_RUN = {"python -m data.cifar10": "downloads CIFAR-10 (163 MB): not run",
           "python tools/check_docs_commands.py": "this checker"}
# (pattern, options added): the quick form of a long command (first match wins).
QUICK = [
    (r"^tox -e experiment16\b", ["--quick", "--synthetic"]),
    (r"^tox -e bench-separable\b", ["--quick"]),
    (r"^python benchmarks/bench_separable\.py\b", ["--quick"]),
    (r"^tox -e bench-milestone\b|^python benchmarks/bench_milestone\.py\b",
     ["--batch", "16", "--steps", "1", "--warmup", "1", "--rounds", "1", "--widths", "8,16,32"]),
    (r"^tox -e bench\b|^python benchmarks/bench_conv\.py\b",
     ["--quick", "--rounds", "1", "--min-seconds", "0.05"]),
    (r"^\./kata watch\b|^python kata watch\b", ["--once"]),
    (r"^tox -e yardstick\b|^python benchmarks/yardstick\.py\b", ["--quick", "--synthetic"]),
]
# Training runs (10 minutes, CIFAR-10): their options are parsed by the milestone's own parser;
# CI's milestone smoke step trains for real.
MILESTONE = re.compile(r"^(tox -e milestone\b(?: --)?|python -m milestone\b)")
SPEC_RUNS = re.compile(r"^(tox -e topic\d+\b|\./kata (check|watch)\b|python kata (check|watch)\b)")
NOT_IMPLEMENTED = "not implemented yet"
TIMEOUT = 300
JOBS = 3


@dataclass
class Command:
    text: str   # as the docs write it
    where: str  # first file that writes it

    def plan(self) -> tuple[str, list[str] | None]:
        """(how it is checked, the argv to run or None)."""
        text = self.text
        if text.startswith("pip "):
            return "set-up, not run (the checker's machine has tox)", None
        if PLACEHOLDER.search(text):
            return "has a placeholder: not run as written", None
        if text in IN_CI_STEPS:
            return "run by its own step in .ci/run", None
        if text in NOT_RUN:
            return NOT_RUN[text], None
        match = MILESTONE.match(text)
        if match and "--resume" in text.split():
            return ("resumes an interrupted run: CI's interrupt/resume step "
                    "(milestone/ci_interrupt_resume.py) runs it for real"), None
        if match:
            return "options parsed (a training run; CI's smoke step trains)", \
                [*MILESTONE_PARSER, text[match.end():]]
        argv = text.split()
        for pattern, extra in QUICK:
            if re.search(pattern, text):
                if argv[0] == "tox" and "--" not in argv:
                    argv.append("--")
                argv += _missing_options(extra, argv)
                return "quick form", _python(argv)
        return "as written", _python(argv)


def _missing_options(extra: list[str], argv: list[str]) -> list[str]:
    """`extra` (options, each maybe with one value) without the options argv already has."""
    added, skipping = [], False
    for item in extra:
        if item.startswith("-"):
            skipping = item in argv
        if not skipping:
            added.append(item)
    return added


def _python(argv: list[str]) -> list[str]:
    """`python ...` in a docs line means a Python with numpy (and PyTorch for a benchmark): the
    experiments' or the benchmarks' tox environment."""
    if argv[0] != "python":
        return argv
    if argv[1:2] == ["kata"]:
        return [sys.executable, *argv[1:]]
    env = "bench" if argv[1].startswith("benchmarks/") else "experiment14"
    return ["tox", "exec", "-e", env, "-qq", "--", *argv]


# Parses the options of one milestone command line with the milestone's own parser.
MILESTONE_PARSER = ["tox", "exec", "-e", "experiment14", "-qq", "--", "python", "-c",
                    "import shlex, sys; from milestone.__main__ import parse_args; "
                    "parse_args(shlex.split(sys.argv[1])); print('options parse')"]


def tox_env(argv: list[str]) -> str:
    """The tox environment a command uses ('' for none): the first run of each makes it."""
    if argv[0] != "tox":
        return "specs" if "kata" in argv[0] or argv[1:2] == ["kata"] else ""
    name = argv[argv.index("-e") + 1]
    return ("specs" if name.startswith("topic") else "experiments" if name.startswith("experiment")
            else "torch" if name.startswith(("bench", "yardstick")) else name)


def verdict(text: str, code, output: str) -> str:
    """ok or FAIL: spec runs may exit 1 (red specs); runs of your (blank) code may stop with
    'not implemented yet'; a traceback is never ok."""
    if code == 0 and "Traceback (most recent call last)" not in output:
        return "ok"
    if SPEC_RUNS.match(text) and code == 1:
        return "ok"
    if "--impl katas" in text and code in (1, 2) and NOT_IMPLEMENTED in output \
            and "Traceback (most recent call last)" not in output:
        return "ok"
    return "FAIL"


def collect(root: Path = REPO_ROOT) -> list[Command]:
    found: dict[str, Command] = {}
    for pattern in DOCS:
        for path in sorted(root.glob(pattern)):
            for text in commands_in(path.read_text(encoding="utf-8")):
                found.setdefault(text, Command(text, path.relative_to(root).as_posix()))
    return list(found.values())


def commands_in(markdown: str) -> list[str]:
    """Command lines of fenced blocks and inline code spans that start with a PREFIX."""
    found, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        candidates = [line] if fenced else re.findall(r"`([^`]+)`", line)
        for candidate in candidates:
            text = re.split(r"\s+#", candidate.strip(), maxsplit=1)[0].strip()
            if text.startswith(PREFIXES):
                found.append(" ".join(text.split()))
    return found


def run_all(commands: list[Command], clone: Path, workdir: Path) -> list[tuple[Command, str]]:
    """Run the runnable commands: the first of each tox environment alone (it may build the
    environment), the rest JOBS at a time."""
    planned = []
    for command in commands:
        how, argv = command.plan()
        if argv is None:
            print(f"  -     {command.text}   ({how})", flush=True)
        else:
            planned.append((command, how, argv))
    first, rest, seen = [], [], set()
    for item in planned:
        env = tox_env(item[2])
        (rest if env in seen else first).append(item)
        seen.add(env)
    environment = {**os.environ, "KATA_PYTHON": str(workdir / "specs" / "bin" / "python")}
    if not Path(environment["KATA_PYTHON"]).exists():
        del environment["KATA_PYTHON"]

    def run(item):
        return _run_one(*item, clone, workdir, environment)

    failures = [f for f in map(run, first) if f]
    with ThreadPoolExecutor(JOBS) as pool:
        failures += [f for f in pool.map(run, rest) if f]
    return failures


def _run_one(command, how, argv, clone, workdir, environment):
    if argv[0] == "tox":
        argv = ["tox", "--workdir", str(workdir), *argv[1:]]
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=clone, capture_output=True, text=True, timeout=TIMEOUT,
                              env=environment)
        code, output = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as late:
        code, output = "timeout", str(late.stdout or "")
    seconds = time.perf_counter() - start
    result = verdict(command.text, code, output)
    print(f"  {result:<5} {command.text}   ({how}, {seconds:.0f} s)", flush=True)
    if result == "FAIL":
        tail = "\n".join(output.strip().splitlines()[-15:])
        return command, f"exit {code} running {' '.join(argv)}\n{tail}"
    return None


def check_ci_steps(commands: list[Command], root: Path) -> list[tuple[Command, str]]:
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    return [(c, "not in .ci/run") for c in commands if c.text in IN_CI_STEPS and c.text not in ci]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="show the commands and the plan only")
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    args = parser.parse_args(argv)
    commands = collect()
    if args.list:
        for command in commands:
            how, run = command.plan()
            print(f"{command.text:<70} {how}" + (f"\n{'':<70} $ {' '.join(run)}" if run else ""))
        return 0
    start = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="docs-commands-"))
    clone = scratch / "repo"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    print(f"{len(commands)} commands from README.md and the briefs, run in a fresh clone of HEAD "
          f"({clone}):", flush=True)
    try:
        failures = check_ci_steps(commands, clone) + run_all(commands, clone, REPO_ROOT / ".tox")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"\n{len(commands) - len(failures)} of {len(commands)} commands ok "
          f"({time.perf_counter() - start:.0f} s).")
    for command, why in failures:
        print(f"\nFAILED: {command.text}   (from {command.where})\n{why}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
