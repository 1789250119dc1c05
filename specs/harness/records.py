"""What the learner's functions were called with and returned, so a failing comparison can be
re-run on known mistakes (see mistakes.py).

The Kata guard records each call: a snapshot of its arguments taken before the call (arrays
copied, dicts and lists rebuilt, random generators copied; the guard copies arrays anyway for its
in-place check), the live arguments and the result afterwards, and, for a backward, the forward
call whose cache it received. Only the current spec's last few calls per function are kept, and
only on failure is anything done with them: a green run pays for the snapshot alone.
"""

from __future__ import annotations

import copy
import itertools
import os
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

KEEP_PER_FUNCTION = 3
MAX_SNAPSHOT_BYTES = 16 * 2**20  # larger inputs are not recorded (no diagnosis, no cost)
_counter = itertools.count()


class TooLarge(Exception):
    """A call's inputs are too large to keep a copy of."""


@dataclass
class CallRecord:
    """One guarded call of `topic/module.name`."""
    topic: str
    module: str
    name: str
    args: tuple  # snapshot before the call
    kwargs: dict  # snapshot before the call
    live_args: tuple  # the caller's objects (a state dict is read after the call)
    live_kwargs: dict
    result: Any = None
    forward: CallRecord | None = None  # for a backward: the forward call that made its cache
    is_forward: bool = False  # returns (out, cache)
    spec: str = ""
    order: int = field(default_factory=lambda: next(_counter))
    gradient_names: tuple = ()  # a backward's outputs as the spec names them ('dw', 'db')

    @property
    def cache(self) -> Any:
        """The cache of a forward's (out, cache) result, else None."""
        if self.is_forward and isinstance(self.result, tuple) and len(self.result) == 2:
            return self.result[1]
        return None


_RECORDS: dict[tuple[str, str, str], deque[CallRecord]] = {}


def current_spec() -> str:
    """The running spec's node id ('' outside pytest)."""
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


def snapshot(value: Any, memo: dict[int, Any], budget: list[int]) -> Any:
    """A copy of `value` deep enough to replay a call: arrays, dicts, lists, random generators.

    Other objects (numbers, tuples, a learner's cache) are kept as they are. `memo` maps id of an
    original to its copy (the guard reuses the array copies); `budget` is the bytes left.
    """
    key = id(value)
    if key in memo:
        return memo[key]
    if isinstance(value, np.ndarray):
        budget[0] -= value.nbytes
        if budget[0] < 0:
            raise TooLarge
        copied: Any = value.copy()
    elif isinstance(value, dict):
        copied = {k: snapshot(v, memo, budget) for k, v in value.items()}
    elif isinstance(value, list):
        copied = [snapshot(v, memo, budget) for v in value]
    elif isinstance(value, np.random.Generator):
        copied = copy.deepcopy(value)
    else:
        return value
    memo[key] = copied
    return copied


def start(topic: str, module: str, name: str, args: tuple, kwargs: dict,
          memo: dict[int, Any], is_forward: bool = False) -> CallRecord | None:
    """Record a call about to run (None when its inputs are too large to keep)."""
    forward = forward_of(args, kwargs)
    skip = {id(forward.cache)} if forward is not None else set()
    budget = [MAX_SNAPSHOT_BYTES]
    try:
        args_copy = tuple(value if id(value) in skip else snapshot(value, memo, budget)
                          for value in args)
        kwargs_copy = {k: value if id(value) in skip else snapshot(value, memo, budget)
                       for k, value in kwargs.items()}
    except TooLarge:
        return None
    record = CallRecord(topic, module, name, args_copy, kwargs_copy, args, dict(kwargs),
                        forward=forward, is_forward=is_forward, spec=current_spec())
    _RECORDS.setdefault((topic, module, name), deque(maxlen=KEEP_PER_FUNCTION)).append(record)
    return record


def forward_of(args: tuple, kwargs: dict) -> CallRecord | None:
    """The recorded forward call of this spec whose cache is among the arguments."""
    ids = {id(value) for value in (*args, *kwargs.values())}  # a cache may be an array too
    if not ids:
        return None
    spec = current_spec()
    candidates = [r for records in _RECORDS.values() for r in records
                  if r.spec == spec and r.cache is not None and id(r.cache) in ids]
    return max(candidates, key=lambda r: r.order, default=None)


def replace_cache(old: Any, new: Any) -> None:
    """A spec that hands a backward its own copy of a forward's cache (one it watches) keeps the
    two linked: the forward's record holds `new` from now on."""
    for record in recent():
        if record.cache is old:
            record.result = (record.result[0], new)


def recent(spec: str | None = None) -> list[CallRecord]:
    """This spec's records, most recent first."""
    spec = current_spec() if spec is None else spec
    found = [r for records in _RECORDS.values() for r in records if r.spec == spec]
    return sorted(found, key=lambda r: -r.order)


def clear() -> None:
    _RECORDS.clear()


# ---- where an array came from -----------------------------------------------------------------

Path = tuple  # ("result", 0) / ("result", "key") / ("arg", 2, "running_var") / ("kwarg", "state", ...)


def outputs(record: CallRecord, result: Any, args: tuple, kwargs: dict,
            cache: Any = None) -> dict[Path, Any]:
    """Every array (or number) a call gave back: in its result and in the dicts it was passed
    (a state dict it updates). Caches are left out (`cache`: the one this call was given): each
    learner shapes their own."""
    if cache is None and record.forward is not None:
        cache = record.forward.cache
    found: dict[Path, Any] = {}
    if record.is_forward and isinstance(result, tuple) and len(result) == 2:
        _collect(result[0], ("result", 0), found)
    else:
        _collect(result, ("result",), found)
    for i, value in enumerate(args):
        if isinstance(value, dict) and value is not cache:
            _collect(value, ("arg", i), found, top=False)
    for key, value in kwargs.items():
        if isinstance(value, dict) and value is not cache:
            _collect(value, ("kwarg", key), found, top=False)
    return found


def _collect(value: Any, path: Path, found: dict, top: bool = True, depth: int = 0) -> None:
    if isinstance(value, (np.ndarray, int, float, np.number)) and (top or depth):
        found[path] = value
    elif isinstance(value, (tuple, list)) and depth < 2:
        for i, item in enumerate(value):
            _collect(item, (*path, i), found, depth=depth + 1)
    elif isinstance(value, dict) and depth < 2:
        for key, item in value.items():
            _collect(item, (*path, key), found, depth=depth + 1)


def locate(got: Any) -> tuple[CallRecord, Path] | None:
    """The recorded call of this spec that returned `got` (the very object, else an equal one),
    and where in its outputs it is."""
    records = recent()
    for same in (lambda a, b: a is b, _equal):
        for record in records:
            for path, value in outputs(record, record.result, record.live_args,
                                       record.live_kwargs).items():
                if same(value, got):
                    return record, path
    return None


def _equal(a: Any, b: Any) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype.kind == b.dtype.kind == "f" and a.size > 0 \
        and bool(np.array_equal(a, b, equal_nan=True))
