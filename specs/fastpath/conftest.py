"""The `threads` fixture: every fast-path spec that takes it runs with the pools at 1 and 2 threads."""

import pytest

from .support import THREAD_COUNTS, fast_module


@pytest.fixture(params=THREAD_COUNTS, ids=[f"threads{n}" for n in THREAD_COUNTS])
def threads(request):
    """Run the spec with the fast modules' thread pools at 1 and at 2 threads, then restore them."""
    modules = [fast_module("conv"), fast_module("layers")]
    before = [m.set_threads(request.param) for m in modules]
    yield request.param
    for module, count in zip(modules, before):
        module.set_threads(count)
