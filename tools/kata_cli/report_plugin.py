"""A pytest plugin that writes each spec's outcome, kinds and message to a JSON file.

Loaded by the kata command only: `python -m pytest -p tools.kata_cli.report_plugin
--kata-report FILE ...`. The file holds {"exitstatus", "tests": [{"id", "outcome", "kinds",
"message"}], "errors": [collection errors]}.
"""

from __future__ import annotations

import json

KINDS = ("shape", "fixture", "gradient")
_results: dict[str, dict] = {}
_errors: list[str] = []


def pytest_addoption(parser):
    parser.addoption("--kata-report", default=None, help="write the kata command's JSON report here")


def pytest_collectreport(report):
    if report.failed:
        _errors.append(f"{report.nodeid}: {report.longreprtext.strip()}")


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
    path = session.config.getoption("--kata-report")
    if path:
        payload = {"exitstatus": int(exitstatus), "tests": list(_results.values()),
                   "errors": list(_errors)}
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
