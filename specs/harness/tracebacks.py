"""No raw traceback in front of a learner: a spec that stops on an exception in its own code
(not in the learner's function, which the guard already explains) is reported as sentences.

Such an exception almost always means that what the learner's function returned is not what
the spec could go on with (another shape, a list for an array, a number for a pair). So the
report names the spec's line that raised and the learner's last call, and compares what that
call returned with what the reference returns for the same inputs, output by output.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from . import mistakes, records, relations
from .diagnose import help_pointer
from .impl import REPO_ROOT

LEARNER_SPECS = ("specs/topic", "specs/milestone_tests")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or call.excinfo is None:
        return
    if call.excinfo.errisinstance((pytest.fail.Exception, pytest.skip.Exception)):
        return  # the harness's own messages
    if not _relative(str(item.path)).startswith(LEARNER_SPECS):
        return  # the harness's own tests keep their tracebacks
    try:
        report.longrepr = explain(call.excinfo)
    except Exception:  # the traceback is better than nothing
        return


def explain(excinfo) -> str:
    error = excinfo.value
    first = (str(error).strip().splitlines() or ["(no message)"])[0]
    lines = [f"The spec could not go on: {type(error).__name__}: {first}"]
    where = _spec_line(excinfo)
    if where:
        lines[0] += f" (in the spec, {where})"
    latest = records.recent()
    if latest:
        lines += [_wrapped(sentence) for sentence in _compare_with_reference(latest[0])]
    else:
        lines.append(_wrapped("It stopped before any of your functions returned."))
    pointer = help_pointer()
    return "\n".join(lines + ([f"  {pointer}"] if pointer else []))


def _compare_with_reference(record: records.CallRecord) -> list[str]:
    """What the learner's last call returned against the reference's result for it."""
    mine = records.outputs(record, record.result, record.live_args, record.live_kwargs)
    shown = ", ".join(f"{relations.label(record, path)}: {_kind(value)}" for path, value in mine.items())
    said = [f"Your last call was {record.name}, which returned {shown or _kind(record.result)}."]
    replayed = relations._replay(record)
    if replayed is None:
        return said + ["Check that it returns what the brief says, in the brief's shapes."]
    differences = []
    for path, value in replayed.outputs.items():
        name = relations.label(record, path)
        if path not in mine:
            differences.append(f"{name} is missing (expected {_kind(value)})")
        elif np.shape(mine[path]) != np.shape(value):
            differences.append(f"{name} has shape {np.shape(mine[path])}, expected {np.shape(value)}")
        elif type(mine[path]) is not type(value) and not isinstance(mine[path], np.ndarray):
            differences.append(f"{name} is {_kind(mine[path])}, expected {_kind(value)}")
    extra = [relations.label(record, path) for path in mine if path not in replayed.outputs]
    if extra:
        differences.append(f"it also returns {', '.join(extra)}, which the brief does not ask for")
    if differences:
        said.append("For the same inputs the reference differs: " + "; ".join(differences) +
                    ". The spec fails on that; fix it first.")
        for path, value in mine.items():
            if path in replayed.outputs and np.shape(value) != np.shape(replayed.outputs[path]):
                said += relations.explain_shape(value, np.shape(replayed.outputs[path]))
                break
    elif not all(mistakes.close(value, replayed.outputs[path], 1e-6) for path, value in mine.items()
                 if path in replayed.outputs):
        said.append("Its shapes are right but its values differ from the reference's for the same "
                    "inputs: the spec went on with them and broke; fix the values first.")
    return said


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)}"
    return f"a {type(value).__name__}"


def _spec_line(excinfo) -> str:
    """'specs/topic12.../test_x.py:41: code' for the spec's deepest frame."""
    for entry in reversed(excinfo.traceback):
        path = _relative(str(entry.path))
        if path.startswith("specs/") and not path.startswith("specs/harness/"):
            source = str(entry.statement).strip().splitlines()
            return f"{path}:{entry.lineno + 1}: {source[0] if source else ''}"
    return ""


def _relative(filename: str) -> str:
    try:
        return Path(filename).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return filename


def _wrapped(sentence: str) -> str:
    return textwrap.fill(sentence, 100, initial_indent="  ", subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)
