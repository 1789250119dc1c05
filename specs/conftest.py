"""The implementation switch (--impl) and the run's header line."""

import os

from specs.harness.impl import ENV_VAR, MUTANT_PREFIX, PACKAGES, current_impl

# Every run records its outcomes for `./kata hint` and `./kata status`; rule specs get a marker;
# the most precise failure is reported first.
pytest_plugins = ["tools.kata_cli.report_plugin", "specs.spec_kinds", "specs.harness.ordering",
                  "specs.harness.tracebacks"]


def pytest_addoption(parser):
    parser.addoption(
        "--impl", default=None,
        help=f"which code the specs test: katas (yours, the default), solutions (the reference), "
             f"or {MUTANT_PREFIX}PATH (a broken implementation). Same as {ENV_VAR}=...",
    )


def pytest_configure(config):
    impl = config.getoption("--impl")
    if impl is not None:
        if impl not in PACKAGES and not impl.startswith(MUTANT_PREFIX):
            raise ValueError(f"--impl {impl}: expected katas, solutions or {MUTANT_PREFIX}PATH")
        os.environ[ENV_VAR] = impl


def pytest_report_header(config):
    impl = current_impl()
    mine = {"katas": "katas/ (your code)", "solutions": "solutions/ (the reference)"}
    return f"implementation under test: {mine.get(impl, impl)}"
