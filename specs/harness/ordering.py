"""The most precise failure first: the order of pytest's FAILURES section and `./kata watch`.

Specs run in their files' order; only the report is reordered, so nothing costs extra time.
Each failing spec gets a rank (lower is shown first), stored in its report's user_properties as
`kata_rank` (the kata command's report plugin reads it too):
0. the message names its cause: a known mistake (mistakes.py) or a relation (relations.py);
1. a rule spec (`rules` marker): it states the rule that is broken;
2. other specific specs (no kind marker);
3. golden PyTorch cases (`fixture`); 4. finite differences (`gradient`); 5. the shape grid;
6. integration specs (the whole pipeline at once, test_milestone.py): a unit spec of the function
at fault says more;
7. a backward whose forward is wrong ("fix <forward> first": the forward's own failure says more);
8. a function not implemented yet.
Within a rank, the run's order is kept.
"""

from __future__ import annotations

from pathlib import PurePath

import pytest

from . import mistakes

RANK_KEY = "kata_rank"
NAMED, RULE, SPECIFIC, FIXTURE, GRADIENT, SHAPE, INTEGRATION, FORWARD_FIRST, BLANK = range(9)
INTEGRATION_FILES = ("test_milestone",)  # specs that run the whole pipeline
KIND_RANKS = (("rules", RULE), ("fixture", FIXTURE), ("gradient", GRADIENT), ("shape", SHAPE))


def rank(item: pytest.Item, message: str) -> int:
    verdict = mistakes.VERDICTS.get(item.nodeid)
    if verdict == "named":
        return NAMED
    if "not implemented yet" in message:
        return BLANK
    if verdict == "forward-first":
        return FORWARD_FIRST
    marked = {mark.name for mark in item.iter_markers()}
    path = getattr(item, "path", None)
    if path is not None and path.stem in INTEGRATION_FILES and not marked & {"rules"}:
        return INTEGRATION  # many functions at once: a unit spec names the cause better
    return next((value for kind, value in KIND_RANKS if kind in marked), SPECIFIC)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when == "call":
        report.user_properties.append((RANK_KEY, rank(item, report.longreprtext)))


def report_rank(report) -> int:
    return dict(report.user_properties).get(RANK_KEY, SPECIFIC)


def pytest_sessionfinish(session):
    """Runs before the terminal reporter writes its summary (its hook wraps this one)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    failed = reporter.stats.get("failed") if reporter is not None else None
    if failed:
        failed.sort(key=report_rank)  # stable: the run's order within a rank


# ---- integration specs last, and only once the unit specs pass ----------------------------------

_FAILED_UNITS: list[str] = []


def is_integration(item) -> bool:
    path = getattr(item, "path", None)
    return path is not None and path.stem in INTEGRATION_FILES


def pytest_collection_modifyitems(session, config, items):
    """Whole-pipeline specs run after every unit spec (a stable sort: the order is otherwise
    kept), so that they can wait for the unit specs (below)."""
    items.sort(key=is_integration)


def pytest_runtest_setup(item):
    """While a unit spec of this run fails, a whole-pipeline spec would fail too, later, slower
    and with less to say about where: it is skipped with the reason."""
    if is_integration(item) and _FAILED_UNITS:
        pytest.skip(f"waits until the unit specs pass ({len(_FAILED_UNITS)} failed, first "
                    f"{_FAILED_UNITS[0].split('::')[-1]}): they name the function at fault, and "
                    f"this whole-pipeline spec runs for tens of seconds")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_logreport(report):
    yield
    spec_file = PurePath(report.nodeid.split("::")[0])
    if report.failed and report.when == "call" and spec_file.name.startswith("test_") \
            and spec_file.stem not in INTEGRATION_FILES:
        _FAILED_UNITS.append(report.nodeid)
