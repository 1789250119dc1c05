"""Running a topic's specs and reading what happened.

Which Python runs pytest, in this order:
1. `KATA_PYTHON` if set;
2. tox's shared spec environment `.tox/specs` (what `tox -e topic11` made), if it exists;
3. this Python, if it can import numpy, pytest and pytest_timeout;
4. otherwise `tox -e topicNN --notest` makes `.tox/specs` once, and that is used.
Calling that Python directly skips tox's start-up, so a watch loop reacts at once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .topics import REPO_ROOT as CLI_ROOT
from .topics import KataError, Topic

NEEDED_MODULES = ("numpy", "pytest", "pytest_timeout")
NOT_IMPLEMENTED = "not implemented yet"
# The harness's one-liners: "f is not implemented yet: ..." and "f needs g, which is not ..."
BLANK_FUNCTION = re.compile(r"^(\w+) (?:is not implemented yet|needs (\w+), which is not implemented)")
PLUGIN = "tools.kata_cli.report_plugin"
KINDS = ("shape", "fixture", "gradient", "rules")


@dataclass
class Failure:
    id: str
    message: str
    kinds: list[str] = field(default_factory=list)
    rank: int = 2  # lower is more precise (specs/harness/ordering.py)

    @property
    def name(self) -> str:
        """The spec's name without its file: 'test_output_shape[x2x3x5x5-k4x3x3-s1-p0]'."""
        return self.id.split("::", 1)[-1]


@dataclass
class TopicResult:
    number: int
    passed: int = 0
    total: int = 0
    failures: list[Failure] = field(default_factory=list)
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind -> [passed, total]
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def green(self) -> bool:
        return self.total > 0 and self.passed == self.total and not self.errors

    @property
    def untouched(self) -> bool:
        """Nothing passes and every failure is 'not implemented yet'."""
        return (self.total > 0 and self.passed == 0 and not self.errors
                and all(NOT_IMPLEMENTED in f.message for f in self.failures))

    def focus(self) -> Failure | None:
        """The failure to show first: a real error in written code beats a blank function, and
        the most precise one (a named mistake, a rule) beats a grid case, as in pytest's report."""
        written = [f for f in self.failures if NOT_IMPLEMENTED not in f.message]
        return min(written or self.failures or [None], key=lambda f: f.rank if f else 0)

    def waiting(self) -> dict[str, int]:
        """function not implemented yet -> how many failing specs wait for it."""
        counts: dict[str, int] = {}
        for failure in self.failures:
            match = BLANK_FUNCTION.search(failure.message)
            if match:
                name = match.group(2) or match.group(1)
                counts[name] = counts.get(name, 0) + 1
        return counts

    def to_json(self) -> dict:
        return {"number": self.number, "passed": self.passed, "total": self.total,
                "failures": [vars(f) for f in self.failures], "kinds": self.kinds,
                "errors": self.errors, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: dict) -> TopicResult:
        return cls(data["number"], data["passed"], data["total"],
                   [Failure(**f) for f in data["failures"]], data["kinds"], data["errors"],
                   data.get("seconds", 0.0))


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def spec_python(topic: Topic, announce=print) -> str:
    """The Python that runs the specs (see the module docstring); KataError if there is none."""
    if os.environ.get("KATA_PYTHON"):
        return os.environ["KATA_PYTHON"]
    shared = _venv_python(topic.root / ".tox" / "specs")
    if shared.exists():
        return str(shared)
    if all(importlib.util.find_spec(name) for name in NEEDED_MODULES):
        return sys.executable
    tox = shutil.which("tox")
    if tox is None:
        raise KataError("no Python with pytest found: run `pip install tox` and try again "
                        "(or `pip install numpy pytest pytest-timeout`).")
    announce(f"Setting up the spec environment once: tox -e topic{topic.number} --notest ...")
    done = subprocess.run([tox, "-e", f"topic{topic.number}", "--notest"], cwd=topic.root)
    if done.returncode != 0 or not shared.exists():
        raise KataError(f"`tox -e topic{topic.number} --notest` failed: run it yourself to see why.")
    return str(shared)


def run_topics(topics: list[Topic], impl: str = "katas", extra: list[str] | None = None,
               announce=print) -> dict[int, TopicResult]:
    """Run the specs of `topics` in one pytest process; topic number -> result."""
    if not topics:
        return {}
    root = topics[0].root
    python = spec_python(topics[0], announce)
    with tempfile.TemporaryDirectory(prefix="kata-") as scratch:
        report = Path(scratch) / "report.json"
        command = [python, "-m", "pytest", *(f"specs/{t.folder}" for t in topics),
                   "-p", PLUGIN, f"--kata-report={report}", "-q", "--no-header",
                   "-p", "no:cacheprovider", "--tb=short", *(extra or [])]
        paths = [str(root), str(CLI_ROOT), os.environ.get("PYTHONPATH")]  # the plugin's home too
        env = {**os.environ, "KATA_IMPL": impl, "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": os.pathsep.join(dict.fromkeys(filter(None, paths)))}
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if not report.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
            raise KataError(f"pytest did not run (exit {done.returncode}): {tail[0]}")
        payload = json.loads(report.read_text(encoding="utf-8"))
    return split_by_topic(payload, topics, seconds)


def split_by_topic(payload: dict, topics: list[Topic], seconds: float) -> dict[int, TopicResult]:
    """Sort a report's specs into their topics (by the spec file's folder)."""
    results = {t.number: TopicResult(t.number, seconds=seconds) for t in topics}
    by_folder = {t.folder: results[t.number] for t in topics}
    for test in payload["tests"]:
        result = _owner(test["id"], by_folder)
        if result is None or test["outcome"] == "skipped":
            continue
        result.total += 1
        passed = test["outcome"] == "passed"
        result.passed += passed
        for kind in test["kinds"] or ["other"]:
            counts = result.kinds.setdefault(kind, [0, 0])
            counts[0] += passed
            counts[1] += 1
        if not passed:
            result.failures.append(Failure(test["id"], test["message"], test["kinds"],
                                           test.get("rank", 2)))
    for error in payload["errors"]:
        result = _owner(error, by_folder) or next(iter(results.values()))
        result.errors.append(error)
    return results


def _owner(node_id: str, by_folder: dict[str, TopicResult]) -> TopicResult | None:
    parts = node_id.replace("\\", "/").split("/")
    return by_folder.get(parts[1]) if len(parts) > 1 and parts[0] == "specs" else None


def fingerprint(topic: Topic, all_topics: list[Topic]) -> str:
    """A hash of everything a topic's results depend on: its and earlier topics' katas (later
    topics import earlier ones), its specs and fixtures, and the harness."""
    root = topic.root
    paths: list[Path] = []
    for earlier in all_topics:
        if earlier.number <= topic.number:
            paths += sorted(earlier.kata_dir.rglob("*.py"))
    paths += sorted(topic.specs_dir.rglob("*.py")) + sorted((root / "specs" / "harness").glob("*.py"))
    paths += [p for p in (root / "specs" / "conftest.py", root / "pyproject.toml") if p.exists()]
    paths += sorted((root / "fixtures").glob(f"{topic.folder}*.npz"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
