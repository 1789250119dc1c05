"""The four kinds of spec, for `-m KIND` and `./kata status`: shape, fixture and gradient are
marked in the spec files; every other spec of a topic checks one of the brief's rules (float32
stays float32, inputs are never modified, ties go to the first maximum, ...) and is marked
`rules` here, so a new rule spec can never be left without a kind."""

import pytest

MARKED_KINDS = ("shape", "fixture", "gradient")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        in_topic = item.nodeid.replace("\\", "/").startswith("specs/topic")
        if in_topic and not any(item.get_closest_marker(kind) for kind in MARKED_KINDS):
            item.add_marker(pytest.mark.rules)
