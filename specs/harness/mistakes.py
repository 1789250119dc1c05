"""Known mistakes as the first diagnosis: is the learner's wrong result exactly what a catalogued
mistake gives on the same inputs?

The catalogue is `mistakes/<topic>/*.py` (each file: one mistake, its MODULE, the public functions
it overrides, an EXPLANATION for the learner or at least a one-line docstring). When a spec's
comparison fails on an array a guarded call returned (records.py), each mistake that defines that
function (or, for a backward, its forward) is re-run on copies of the same inputs: for a backward,
the mistake's own forward first, then its backward with the same dout. A mistake is named when it
reproduces the learner's compared array within the spec's tolerance, does not reproduce the
expected one, and agrees with every other output of the call (so it explains all of it).

Only on failure, within a time budget: each re-run is capped, exceptions are swallowed, mistakes
are parsed and imported once.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import sys
import time
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from . import records, variants
from .impl import REPO_ROOT, import_topic_module, reference_module  # noqa: F401 (relations.py reads it here)
from .timelimit import KataTimeout
from .timelimit import time_limit as _time_limit

CATALOGUE_DIRS = ("mistakes",)
RUN_LIMIT = 1.0  # seconds for one mistake's re-run
BUDGET = 4.0  # seconds of re-runs per test session; past it, failures go undiagnosed
SCALE_FLOOR = 1e-3  # as checks.SCALE_FLOOR: values near 0 are compared against the array's scale
MAX_ALTERNATIVES = 2  # mistakes giving the same result on these inputs, named after the first
OTHER_OUTPUTS_RTOL = 1e-6  # the call's other outputs must agree this well (float32: 1e-4)

VERDICTS: dict[str, str] = {}  # spec node id -> "named" | "forward-first" (read by ordering.py)
_spent = [0.0]


@dataclass(frozen=True)
class Mistake:
    path: Path
    topic: str
    module: str
    defines: frozenset[str]
    explanation: str  # EXPLANATION, or the docstring's first line
    explained: bool  # True when the text is a learner-facing EXPLANATION

    @property
    def name(self) -> str:
        return self.path.stem


@dataclass
class Match:
    mistake: Mistake
    function: str  # the function whose call was re-run
    alternatives: tuple[Mistake, ...] = ()  # other mistakes that give the same result here

    def sentences(self) -> list[str]:
        if self.mistake.explained:
            said = [f"Known mistake ({self.mistake.name}): {self.mistake.explanation}"]
        else:
            said = [f"Known mistake ({self.mistake.name}): your result is exactly what this "
                    f"mistake gives on the same inputs: {self.mistake.explanation}"]
        if self.alternatives:
            others = ("the other one" if len(self.alternatives) == 1
                      else f"one of the {len(self.alternatives)} others")
            said[0] = said[0].replace("): ", f"), or {others} below, which these inputs "
                                      "cannot tell apart: ", 1)
        return said + [f"Or, as these inputs give the same result ({other.name}): "
                       f"{other.explanation}" for other in self.alternatives]


_GENERIC_WORDS = {"forward", "backward", "2d", "naive"}


def _words(name: str) -> set[str]:
    return set(re.split(r"[_\d]+", name)) - _GENERIC_WORDS - {""}


def most_specific_first(found: list[Mistake], function: str) -> list[Mistake]:
    """Mistakes named after the called function first (layernorm_* for layernorm2d_forward).

    When several mistakes give the learner's result on these inputs, the one about the function
    the learner called is the likelier cause; the order is otherwise the catalogue's.
    """
    return sorted(found, key=lambda mistake: not (_words(mistake.name) & _words(function)))


# ---- the catalogue ----------------------------------------------------------------------------

@cache
def catalogue(topic: str, module: str) -> tuple[Mistake, ...]:
    """The mistakes of `topic` that replace `module`, parsed (not imported) once."""
    found = []
    for folder in CATALOGUE_DIRS:
        for path in sorted((REPO_ROOT / folder / topic).glob("*.py")):
            mistake = _parse(path, topic)
            if mistake is not None and mistake.module == module:
                found.append(mistake)
        if found:
            break
    return tuple(found)


def _parse(path: Path, topic: str) -> Mistake | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    constants = {}
    defines = set()
    if any(isinstance(target, ast.Attribute) for node in tree.body if isinstance(node, ast.Assign)
           for target in node.targets):
        return None  # it patches another module (the reference): loading it would change that
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            defines.add(node.name)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
    module = constants.get("MODULE")
    if not isinstance(module, str) or not defines:
        return None
    explanation = constants.get("EXPLANATION")
    if isinstance(explanation, str) and explanation.strip():
        return Mistake(path, topic, module, frozenset(defines), " ".join(explanation.split()), True)
    doc = (ast.get_docstring(tree) or "").strip().splitlines()
    return Mistake(path, topic, module, frozenset(defines), doc[0] if doc else path.stem, False)


@cache
def _load(path: Path):
    name = f"_mistake_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[name] = loaded
    spec.loader.exec_module(loaded)
    return loaded




@dataclass
class Replay:
    outputs: dict  # path -> value (records.outputs)
    forward_outputs: dict
    args: tuple  # the arguments after the call
    kwargs: dict


# ---- re-running a call --------------------------------------------------------------------------

def replay(module, record: records.CallRecord) -> Replay | None:
    """Re-run `record` (and its forward) with `module`'s functions on fresh copies of its inputs.

    Returns the outputs of the call and of its forward, keyed by path, and the call's arguments
    as they are afterwards; None if it failed."""
    started = time.perf_counter()
    try:
        with _time_limit(RUN_LIMIT), np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forward_outputs: dict = {}
            cache = record.forward.cache if record.forward is not None else None
            args, kwargs = _fresh(record, skip=cache)
            if record.forward is not None:
                f_args, f_kwargs = _fresh(record.forward)
                f_result = getattr(module, record.forward.name)(*f_args, **f_kwargs)
                forward_outputs = records.outputs(record.forward, f_result, f_args, f_kwargs)
                args = tuple(f_result[1] if value is cache else value for value in args)
                kwargs = {k: f_result[1] if value is cache else value for k, value in kwargs.items()}
                cache = f_result[1]
            result = getattr(module, record.name)(*args, **kwargs)
            return Replay(records.outputs(record, result, args, kwargs, cache), forward_outputs,
                          args, kwargs)
    except (Exception, KataTimeout):
        return None
    finally:
        _spent[0] += time.perf_counter() - started


def _fresh(record: records.CallRecord, skip: Any = None) -> tuple[tuple, dict]:
    """Copies of a record's inputs for one re-run (`skip`, a learner's cache, is kept as is)."""
    memo: dict[int, Any] = {id(skip): skip} if skip is not None else {}
    budget = [records.MAX_SNAPSHOT_BYTES]
    args = tuple(records.snapshot(value, memo, budget) for value in record.args)
    kwargs = {k: records.snapshot(value, memo, budget) for k, value in record.kwargs.items()}
    return args, kwargs


def close(a: Any, b: Any, rtol: float) -> bool:
    """Every element of a within rtol of b, relative to max(|b|, SCALE_FLOOR * max|b|)."""
    try:
        a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a64.shape != b64.shape:
        return False
    scale = max(float(np.max(np.abs(b64), initial=0.0)), 1e-30)
    with np.errstate(all="ignore"):
        ok = np.abs(a64 - b64) <= rtol * np.maximum(np.abs(b64), SCALE_FLOOR * scale)
    return bool(np.all(ok | (a64 == b64) | (np.isnan(a64) & np.isnan(b64))))


def _learner_outputs(record: records.CallRecord) -> tuple[dict, dict]:
    mine = records.outputs(record, record.result, record.live_args, record.live_kwargs)
    forward = {}
    if record.forward is not None:
        f = record.forward
        forward = records.outputs(f, f.result, f.live_args, f.live_kwargs)
    return mine, forward


def _loose(value: Any) -> float:
    dtype = getattr(value, "dtype", np.dtype(np.float64))
    return 1e-4 if dtype == np.float32 else OTHER_OUTPUTS_RTOL


def _agrees(replayed: Replay, learner: tuple[dict, dict], path) -> bool:
    """Every output of the call other than `path` (and of its forward) is the learner's."""
    mine, my_forward = learner
    for outputs_mine, outputs_theirs in ((mine, replayed.outputs),
                                         (my_forward, replayed.forward_outputs)):
        if set(outputs_mine) != set(outputs_theirs):
            return False  # other keys in a returned dict, another number of results
        for other, value in outputs_mine.items():
            if other != path and (other not in outputs_theirs
                                  or not close(outputs_theirs[other], value, _loose(value))):
                return False
    return True


def _search(record: records.CallRecord, path, reproduces, wrong) -> Match | None:
    """The first mistake whose re-run gives, at `path`, a value the learner's `reproduces` and
    that is `wrong` (and not the reference's), agreeing with every other output of the call.

    path: where in the outputs (records.outputs), or ("arg", i) / ("kwarg", name) for an
    argument itself after the call."""
    if _spent[0] > BUDGET:
        return None
    functions = {record.name} | ({record.forward.name} if record.forward else set())
    candidates = [m for m in catalogue(record.topic, record.module) if m.defines & functions]
    if not candidates:
        return None
    learner = _learner_outputs(record)
    correct = _reference_value(record, path) if path is not None else _MISSING
    found: list[Mistake] = []
    for mistake in candidates:
        if _spent[0] > BUDGET or len(found) > MAX_ALTERNATIVES:
            break
        try:
            module = _load(mistake.path)
        except Exception:
            continue
        replayed = replay(module, record)
        if replayed is None:
            continue
        value = _value_at(replayed, path)
        if value is _MISSING or not reproduces(value) or not wrong(value):
            continue
        if correct is not _MISSING and reproduces(correct):
            return None  # the reference gives the same: this is not what is wrong
        if _agrees(replayed, learner, path):
            found.append(mistake)
    found = [mistake for mistake in found if _agrees_beyond(mistake, record)]
    if not found:
        return None
    VERDICTS[records.current_spec()] = "named"
    found = most_specific_first(found, record.name)
    return Match(found[0], record.name, tuple(found[1:]))


_MISSING = object()


def _agrees_beyond(mistake: Mistake, record: records.CallRecord) -> bool:
    """A mistake is named only when it explains the learner's code beyond this one input: on a
    few calls that differ in one setting or in orientation (variants.other_calls), the mistake
    and the learner's code give the same outputs wherever both run. (Public pooling code with H
    and W swapped agrees with "steps by the kernel" on square inputs with stride = kernel.)"""
    try:
        learner, known = import_topic_module(record.topic, record.module), _load(mistake.path)
        calls = variants.other_calls(record)
    except Exception:
        return True
    for call in calls:
        if _spent[0] > BUDGET:
            break
        mine, theirs = replay(learner, call), replay(known, call)
        if theirs is None:
            continue  # the mistake cannot run this call: it tells nothing
        if mine is None:
            return False  # the learner's code raises where the mistake's runs: not the same code
        if set(mine.outputs) != set(theirs.outputs) or any(
                not close(theirs.outputs[path], value, _loose(value))
                for path, value in mine.outputs.items()):
            return False
    return True


def _value_at(replayed: Replay, path) -> Any:
    if path is None:
        return None  # the whole call: _agrees compares every output
    if path and path[0] == "arg" and len(path) == 2:
        return replayed.args[path[1]] if path[1] < len(replayed.args) else _MISSING
    if path and path[0] == "kwarg" and len(path) == 2:
        return replayed.kwargs.get(path[1], _MISSING)
    return replayed.outputs.get(path, _MISSING)


def name_known_mistake(got: Any, expected: Any, rtol: float) -> Match | None:
    """The catalogued mistake that reproduces `got` (the learner's wrong value), if any."""
    located = records.locate(got)
    if located is None:
        return None
    return _search(*located, lambda value: close(value, got, max(rtol, 1e-12)),
                   lambda value: not close(value, expected, rtol))


def name_shape_or_dtype_mistake(got: np.ndarray, expected_shape=None, expected_dtype=None):
    """The mistake that returns exactly `got`, whose shape or dtype is wrong, if any."""
    located = records.locate(got)
    if located is None:
        return None

    def reproduces(value):
        return getattr(value, "dtype", None) == got.dtype and close(value, got, 1e-9)

    def wrong(value):
        return (expected_shape is not None and np.shape(value) != tuple(expected_shape)) or \
            (expected_dtype is not None and getattr(value, "dtype", None) != expected_dtype)

    return _search(*located, reproduces, wrong)


def name_in_place_mistake(record: records.CallRecord, position: int | str, now: Any):
    """The mistake that modifies the same argument (index or keyword) in the same way."""
    path = ("arg", position) if isinstance(position, int) else ("kwarg", position)
    before = record.args[position] if isinstance(position, int) else record.kwargs[position]
    return _search(record, path, lambda value: close(value, now, 1e-9),
                   lambda value: not close(value, before, 0.0))


def name_from_recent_calls() -> Match | None:
    """For a spec that failed in its own words: the mistake that reproduces every output of one
    of its recent calls whose outputs differ from the reference's (most recent call first)."""
    for record in records.recent()[:2]:
        if _spent[0] > BUDGET:
            return None
        mine = _learner_outputs(record)
        if not all(_finite(value) for outputs in mine for value in outputs.values()):
            continue  # NaN or inf say little: many mistakes give them alike
        try:
            reference = replay(reference_module(record.topic, record.module), record)
        except Exception:
            continue
        if reference is None or _agrees(reference, mine, None):
            continue  # the call is right: the spec failed on something else
        found = _search(record, None, lambda value: True, lambda value: True)
        if found is not None:
            return found
    return None


def _finite(value: Any) -> bool:
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))
    except (TypeError, ValueError):
        return True


def _reference_value(record: records.CallRecord, path) -> Any:
    """What the reference gives at `path` for the same call (_MISSING if it cannot be re-run)."""
    try:
        replayed = replay(reference_module(record.topic, record.module), record)
    except Exception:
        return _MISSING
    return _value_at(replayed, path) if replayed is not None else _MISSING


def wrong_forward(got: Any) -> str | None:
    """For a backward's result: the name of its forward when that forward's `out` differs from
    the reference's on the same inputs (the backward may well be right), else None."""
    located = records.locate(got)
    if located is None or located[0].forward is None:
        return None
    forward = located[0].forward
    try:
        reference = reference_module(forward.topic, forward.module)
    except Exception:
        return None
    replayed = replay(reference, forward)
    if replayed is None:
        return None
    theirs, mine = replayed.outputs, records.outputs(forward, forward.result, forward.live_args,
                                                forward.live_kwargs)
    out_path = ("result", 0)
    if out_path in mine and out_path in theirs and not close(mine[out_path], theirs[out_path],
                                                              _loose(mine[out_path])):
        VERDICTS[records.current_spec()] = "forward-first"
        return forward.name
    return None
