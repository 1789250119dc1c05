"""The implementation switch: which package the specs import a topic's module from.

`--impl katas` (the default) tests the learner's code, `--impl solutions` the reference, and
`--impl mutant:PATH` one deliberately broken module (see mistakes/run.py). The choice travels in
the environment variable KATA_IMPL, so plain `KATA_IMPL=solutions pytest` works too.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("katas", "solutions")
ENV_VAR = "KATA_IMPL"
MUTANT_PREFIX = "mutant:"


def current_impl() -> str:
    """'katas', 'solutions' or 'mutant:PATH', from KATA_IMPL (default 'katas')."""
    impl = os.environ.get(ENV_VAR, "katas").strip() or "katas"
    if impl not in PACKAGES and not impl.startswith(MUTANT_PREFIX):
        raise ValueError(f"{ENV_VAR}={impl!r}: expected one of {', '.join(PACKAGES)} or mutant:PATH")
    return impl


def kata_path(topic: str, module: str) -> Path:
    """Where the learner's file for `topic`/`module` lives (for messages)."""
    return REPO_ROOT / "katas" / topic / f"{module}.py"


def brief_path(topic: str) -> str:
    """The topic's brief, relative to the repository root (for messages)."""
    return f"katas/{topic}/README.md"


def import_topic_module(topic: str, module: str) -> ModuleType:
    """Import `<impl>.<topic>.<module>` for the current implementation.

    In mutant mode the mutant file replaces exactly the module it declares (its MODULE and its
    folder name give the topic); every other module comes from the solutions.
    """
    impl = current_impl()
    if impl.startswith(MUTANT_PREFIX):
        mutant = Path(impl[len(MUTANT_PREFIX):]).resolve()
        loaded = _load_mutant(mutant)
        if not (mutant.parent.name.startswith("topic") and isinstance(getattr(loaded, "MODULE", None), str)):
            # else it would replace nothing, and the specs would quietly test the solutions
            raise ValueError(f"mutant {mutant}: a mutant sits in a folder named after its topic "
                             f"(mistakes/<topic>/<name>.py) and names the module it replaces in MODULE")
        if mutant.parent.name == topic and getattr(loaded, "MODULE", None) == module:
            return loaded
        impl = "solutions"
    return importlib.import_module(f"{impl}.{topic}.{module}")


def reference_module(topic: str, module: str) -> ModuleType:
    """The reference solution's module, whatever --impl says (for re-runs of a call)."""
    return importlib.import_module(f"solutions.{topic}.{module}")


def _load_mutant(path: Path) -> ModuleType:
    name = f"_mutant_{path.parent.name}_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load mutant {path}")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[name] = loaded
    spec.loader.exec_module(loaded)
    return loaded
