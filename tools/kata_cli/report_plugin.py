"""A pytest plugin that records each spec's outcome, kinds and message: the learner's last run.

specs/conftest.py registers it, so every spec run records, whichever command starts it
(`tox -e topicNN`, `./kata ...`, plain `pytest`):
- a run against katas/ stores each topic it ran in `.kata/state.json` (see state.py), where
  `./kata hint` and `./kata status` read it: a hint is for a function failing in the last run.
  Runs against the solutions or a mutant are not the learner's and are not recorded.
- `--kata-report FILE` also writes the whole run as JSON: {"exitstatus", "tests": [{"id",
  "outcome", "kinds", "message"}], "errors": [collection errors]} (the kata command reads it).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

KINDS = ("shape", "fixture", "gradient", "rules")
_results: dict[str, dict] = {}
_errors: list[str] = []
_collected: list[str] = []   # the node ids that were to run, after -k / -m
_deselected: list[str] = []  # the node ids -k, -m or --deselect left out
_started = time.perf_counter()


def pytest_addoption(parser):
    parser.addoption("--kata-report", default=None, help="write the kata command's JSON report here")


def pytest_collectreport(report):
    if report.failed:
        _errors.append(f"{report.nodeid}: {report.longreprtext.strip()}")


def pytest_deselected(items):
    _deselected.extend(item.nodeid for item in items)


def pytest_collection_finish(session):
    _collected.extend(item.nodeid for item in session.items)


def pytest_runtest_logreport(report):
    entry = _results.setdefault(report.nodeid, {
        "id": report.nodeid, "outcome": "passed", "message": "",
        "kinds": [kind for kind in KINDS if kind in report.keywords],
    })
    if report.failed and entry["outcome"] != "failed":
        entry["outcome"], entry["message"] = "failed", _message(report)
        entry["rank"] = dict(report.user_properties).get("kata_rank", 2)  # specs/harness/ordering.py
    elif report.skipped and report.when in ("setup", "call") and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"


def _message(report) -> str:
    text = report.longreprtext.strip()
    if report.when != "call":
        text = f"(error in {report.when}) {text}"
    return text


def pytest_sessionfinish(session, exitstatus):
    payload = {"exitstatus": int(exitstatus), "tests": list(_results.values()),
               "errors": list(_errors)}
    path = session.config.getoption("--kata-report")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
    if _learners_run():
        try:
            record_last_run(Path(session.config.rootpath), session.config.args, payload,
                            time.perf_counter() - _started)
        except OSError as problem:  # a read-only checkout must not fail the run
            print(f"\n(kata: could not record this run in .kata/: {problem})")


def _learners_run() -> bool:
    """katas/ is under test (specs/conftest.py puts `--impl` into KATA_IMPL; katas by default)."""
    return os.environ.get("KATA_IMPL", "katas") == "katas"


def record_last_run(root: Path, args: list[str], payload: dict, seconds: float) -> None:
    """Store the result of every topic this run touched; `complete` when it ran all its specs."""
    from .runner import fingerprint, split_by_topic
    from .state import State
    from .topics import discover

    all_topics = discover(root)
    ran = [t for t in all_topics if any(_in_folder(i, t.folder) for i in _collected + _deselected)]
    if not ran:
        return
    results = split_by_topic(payload, ran, seconds)
    state = State(root)
    for topic in ran:
        state.remember_result(topic.folder, fingerprint(topic, all_topics),
                              results[topic.number].to_json(),
                              complete=_ran_whole_topic(root, args, topic.folder))
    state.save()


def _ran_whole_topic(root: Path, args: list[str], folder: str) -> bool:
    """Whether the run asked for the topic's whole folder and ran every spec in it."""
    whole_folder = any(_covers(root, arg, folder) for arg in args)
    left_out = any(_in_folder(i, folder) for i in _deselected)
    unfinished = any(_in_folder(i, folder) and i not in _results for i in _collected)
    return whole_folder and not left_out and not unfinished


def _covers(root: Path, arg: str, folder: str) -> bool:
    """`arg` (a pytest path argument) is the topic's specs folder or a folder above it."""
    if "::" in arg:
        return False
    try:
        asked = Path(arg).resolve()
    except (OSError, ValueError):
        return False
    topic_dir = (root / "specs" / folder).resolve()
    return asked.is_dir() and (asked == topic_dir or asked in topic_dir.parents)


def _in_folder(node_id: str, folder: str) -> bool:
    return node_id.replace("\\", "/").startswith(f"specs/{folder}/")
