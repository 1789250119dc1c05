"""Helpers shared by Topic 14's specs: the kata module, fixture selection, BN state checks."""

from __future__ import annotations

import numpy as np

from specs.harness import Kata, check_finite, expect_close, expect_shape, fail
from specs.harness.cases import fixture_params
from specs.harness.refusals import expect_refusal

TOPIC = "topic14_resnet_skip_connections"
residual = Kata(TOPIC, "residual")

STATS = ("running_mean", "running_var")


def fixture_cases(prefix: str) -> list:
    """The golden cases whose name starts with `prefix` (or the one 'file missing' param)."""
    params = fixture_params(TOPIC)
    chosen = [p for p in params if p.id.startswith(prefix)]
    return chosen or params


def bn_state(running_mean: np.ndarray, running_var: np.ndarray) -> dict:
    """A fresh BN state dict holding copies (the caller's arrays stay untouched)."""
    return {"running_mean": np.array(running_mean, copy=True),
            "running_var": np.array(running_var, copy=True)}


def copy_state(state: dict) -> dict:
    """A deep copy of a BN state or of a block's {bn_name: BN state}."""
    return {k: copy_state(v) if isinstance(v, dict) else np.array(v, copy=True)
            for k, v in state.items()}


def state_arrays(state: dict, prefix: str = "state") -> dict[str, np.ndarray]:
    """'state["bn1"]["running_mean"]' -> the array object itself, for every array in `state`."""
    found = {}
    for key, value in state.items():
        label = f'{prefix}["{key}"]'
        found.update(state_arrays(value, label) if isinstance(value, dict) else {label: value})
    return found


class StateWatch:
    """Remembers a state's arrays (the objects and their values) before a call."""

    def __init__(self, state: dict):
        self.objects = state_arrays(state)
        self.values = {label: a.copy() for label, a in self.objects.items()}

    def expect_old_arrays_unchanged(self, function: str) -> None:
        """Train mode: the caller's old arrays must hold their old values (new ones are assigned)."""
        for label, array in self.objects.items():
            if not np.array_equal(array, self.values[label]):
                fail(f"{function} changed the caller's array {label} in place. Assign a NEW array "
                     f"to the key instead (state['running_mean'] = (1 - momentum) * "
                     f"state['running_mean'] + momentum * mean): whoever kept a reference to the "
                     f"old statistics, e.g. a checkpoint, must not see them change.")

    def expect_updated(self, state: dict, function: str) -> None:
        """Train mode: old arrays unchanged, the same keys, each holding new finite values."""
        self.expect_old_arrays_unchanged(function)
        now = state_arrays(state)
        if now.keys() != self.objects.keys():
            fail(f"{function} changed the keys of state: {sorted(self.objects)} became "
                 f"{sorted(now)}. Assign new arrays to the existing keys.")
        for label, array in now.items():
            if not isinstance(array, np.ndarray):
                fail(f"{function}: {label} should be a NumPy array, it is {type(array).__name__}.")
            check_finite(array, f"{label} after {function}")
            if np.array_equal(array, self.values[label]):
                fail(f"{function} left {label} as it was: train mode must update the running "
                     f"statistics (running = (1 - momentum) * running + momentum * batch "
                     f"statistic).")

    def expect_untouched(self, state: dict, function: str) -> None:
        """Eval mode: the same arrays under the same keys, with the same values."""
        now = state_arrays(state)
        if now.keys() != self.objects.keys():
            fail(f"{function} in eval mode changed the keys of state: {sorted(self.objects)} "
                 f"became {sorted(now)}. Eval mode must leave state alone.")
        self.expect_old_arrays_unchanged(function)
        for label, array in now.items():
            if array is not self.objects[label]:
                fail(f"{function} in eval mode replaced {label}. Eval mode reads the running "
                     f"statistics and must not update them (only train=True does).")


def expect_state_close(state: dict, expected: dict[str, np.ndarray], what: str,
                       reference: str) -> None:
    """Compare every running statistic of `state` with `expected` (label -> array)."""
    got = state_arrays(state)
    for label, value in expected.items():
        if label not in got:
            fail(f"{what}: {label} is missing after the call (keys: {sorted(got)}).")
        expect_close(got[label], value, f"{what}: {label}", reference=reference)


def expect_grads_dict(grads, params: dict, function: str) -> dict:
    """`grads` must be a dict with exactly params' keys, each array shaped like its param."""
    if not isinstance(grads, dict):
        fail(f"{function} should return (dx, grads) with grads a dict keyed like params; "
             f"grads is a {type(grads).__name__}.")
    if grads.keys() != params.keys():
        fail(f"{function}: grads has keys {sorted(grads)}, expected the keys of params "
             f"{sorted(params)}.")
    for key, grad in grads.items():
        if not isinstance(grad, np.ndarray):
            fail(f"{function}: grads[{key!r}] should be a NumPy array, got {type(grad).__name__}.")
        expect_shape(grad, params[key].shape, f"{function}: grads[{key!r}]",
                     f"A gradient has the shape of its parameter ({key}).")
        check_finite(grad, f"{function}: grads[{key!r}]")
    return grads


def expect_value_error(function: str, args: tuple, kwargs: dict, situation: str,
                       advice: str, numbers: tuple[int, ...] = ()) -> None:
    """`function(*args, **kwargs)` must raise the learner's own ValueError naming `numbers`
    (PyTorch refuses the same input; NumPy's own broadcasting error is luck, not a check)."""
    expect_refusal(residual, function, args, kwargs, situation, advice, numbers)
