"""What the fast-path specs share: the module under test, the textbook it must agree with, the
thread settings, inputs.

The fast path (`fastpath/`) is not a kata: no learner writes it, so these specs do not go through
the implementation switch. They compare `fastpath.<module>` with the textbook reference solutions
(`solutions/`), whatever --impl says, except under `--impl mutant:mistakes/fastpath/<name>.py`,
where the mutant replaces the fast module it names in MODULE (see mistakes/run.py).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from specs.harness import fail
from specs.harness.impl import MUTANT_PREFIX, current_impl

MUTANTS_FOLDER = "fastpath"
THREAD_COUNTS = (1, 2)


def fast_module(name: str) -> ModuleType:
    """`fastpath.<name>`, or the fast-path mutant that replaces it."""
    impl = current_impl()
    if impl.startswith(MUTANT_PREFIX):
        path = Path(impl[len(MUTANT_PREFIX):]).resolve()
        if path.parent.name == MUTANTS_FOLDER:
            mutant = _load(path)
            if getattr(mutant, "MODULE", None) == name:
                return mutant
    return importlib.import_module(f"fastpath.{name}")


def textbook(topic: str, module: str) -> ModuleType:
    """The reference solution the fast path must agree with: solutions.<topic>.<module>."""
    return importlib.import_module(f"solutions.{topic}.{module}")


def _load(path: Path) -> ModuleType:
    name = f"_fastpath_mutant_{path.stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def channels_last(x: np.ndarray, dtype=np.float32) -> np.ndarray:
    """x in `dtype`, NCHW semantics on NHWC memory (how the milestone's activations are laid out)."""
    return np.ascontiguousarray(x.astype(dtype).transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


def smooth_dout(out: np.ndarray) -> np.ndarray:
    """A deterministic upstream gradient shaped like out, in out's dtype."""
    return np.cos(np.arange(out.size)).reshape(out.shape).astype(out.dtype)


def call_unchanged(what: str, function, *args):
    """function(*args), failing if it modified any array argument in place."""
    arrays = [(i, a.copy()) for i, a in enumerate(args) if isinstance(a, np.ndarray)]
    result = function(*args)
    for i, before in arrays:
        if not np.array_equal(args[i], before, equal_nan=True):
            fail(f"{what} modified its argument {i} in place: inputs are never modified.")
    return result


def expect_dtype_kept(arrays, dtype, what: str) -> None:
    for i, a in enumerate(arrays):
        if a is not None and np.asarray(a).dtype != dtype:
            fail(f"{what}: result {i} is {np.asarray(a).dtype}, expected {np.dtype(dtype)} "
                 f"(float32 in gives float32 out).")
