"""Under `--impl mutant:mistakes/milestone_tests/<name>.py` the mutant is loaded before any spec
here runs: it patches the milestone function it breaks (see mistakes/run.py). The milestone is
not a kata, so these specs otherwise test milestone/ whatever --impl says."""

import importlib.util
import sys
from pathlib import Path

import pytest

from specs.harness.impl import MUTANT_PREFIX, current_impl

MUTANTS_FOLDER = "milestone_tests"


@pytest.fixture(autouse=True, scope="session")
def milestone_mutant():
    """The loaded mutant module, or None."""
    impl = current_impl()
    if not impl.startswith(MUTANT_PREFIX):
        return None
    path = Path(impl[len(MUTANT_PREFIX):]).resolve()
    if path.parent.name != MUTANTS_FOLDER:
        return None
    name = f"_milestone_mutant_{path.stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
