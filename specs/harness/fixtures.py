"""Golden cases: fixtures/<topic>.npz, written by fixtures/generate.py from PyTorch.

Each case is a flat dict of named values: arrays (inputs and expected outputs) and plain
parameters (ints, tuples, None, strings). In the .npz file a case's array `x` is stored as
`<case>/x`, and its plain parameters as JSON in `<case>/__params__`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from .impl import REPO_ROOT

FIXTURE_DIR = REPO_ROOT / "fixtures"
PARAMS_KEY = "__params__"


def fixture_path(topic: str, directory: Path = FIXTURE_DIR) -> Path:
    return directory / f"{topic}.npz"


def load_cases(topic: str, directory: Path = FIXTURE_DIR) -> dict[str, dict[str, Any]]:
    """case name -> {name: array or parameter}; {} when the file is missing."""
    path = fixture_path(topic, directory)
    if not path.exists():
        return {}
    cases: dict[str, dict[str, Any]] = {}
    with np.load(path, allow_pickle=False) as archive:
        for key in archive.files:
            case, name = key.split("/", 1)
            if name == PARAMS_KEY:
                params = json.loads(str(archive[key]))
                cases.setdefault(case, {}).update({k: _tuples(v) for k, v in params.items()})
            else:
                cases.setdefault(case, {})[name] = archive[key]
    return dict(sorted(cases.items()))


def save_cases(path: Path, cases: dict[str, dict[str, Any]]) -> None:
    """Write cases in the layout load_cases reads (arrays kept exactly, parameters as JSON)."""
    flat: dict[str, np.ndarray] = {}
    for case, values in cases.items():
        params = {}
        for name, value in values.items():
            if isinstance(value, np.ndarray):
                flat[f"{case}/{name}"] = value
            else:
                params[name] = value
        flat[f"{case}/{PARAMS_KEY}"] = np.array(json.dumps(params, sort_keys=True))
    np.savez_compressed(path, **flat)


def _tuples(value: Any) -> Any:
    """JSON turns tuples into lists; the public functions take (h, w) tuples."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value
