"""What Topic 15's spec files share: the module, inputs, fixture cases by kind, gradient checks."""

from __future__ import annotations

import numpy as np

from specs.harness import Kata, expect_dtype, expect_shape
from specs.harness.cases import fixture_params, pair, random_array
from specs.harness.checks import expect_backward_matches_finite_differences
from specs.harness.refusals import expect_refusal

TOPIC = "topic15_modern_convolutions"
modern = Kata(TOPIC, "modern_conv")


def fixture_cases(kind: str) -> list:
    """The golden cases of one kind (conv, depthwise, pointwise, block, cost, receptive_field)."""
    return [param for param in fixture_params(TOPIC)
            if "__missing__" in param.values[0] or param.values[0]["kind"] == kind]


def arrays(seed: int, *shapes, dtype=np.float64) -> list[np.ndarray]:
    """Standard-normal arrays of the given shapes, from one seeded generator."""
    rng = np.random.default_rng(seed)
    return [random_array(rng, shape, dtype) for shape in shapes]


def settings_label(**settings) -> str:
    """'stride=2, padding=1, dilation=(2, 1)' for messages (only the settings given)."""
    return ", ".join(f"{name}={value}" for name, value in settings.items())


def out_hw(hw, kernel, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """(Hout, Wout) by DESIGN.md's formula."""
    sizes = zip(pair(hw), pair(kernel), pair(stride), pair(padding), pair(dilation))
    return tuple((h + 2 * p - d * (k - 1) - 1) // s + 1 for h, k, s, p, d in sizes)


def expect_grad_shapes(grads, names, likes, function: str) -> None:
    for name, grad, like in zip(names, grads, likes):
        expect_shape(grad, like.shape, f"{function}: {name}",
                     f"A gradient has the shape of what it is the gradient of ({name[1:]}).")


def expect_dtypes(arrays_, names, dtype, function: str) -> None:
    for name, array in zip(names, arrays_):
        expect_dtype(array, dtype, f"{function}: {name}")


def gradient_check(forward: str, backward: str, inputs: dict, wrt: str, settings: dict) -> None:
    """The backward's d<wrt> against centred finite differences of the learner's own forward."""
    expect_backward_matches_finite_differences(modern, forward, backward, inputs, wrt, settings,
                                               dout_seed=7)


def expect_value_error(function: str, args: tuple, kwargs: dict, situation: str,
                       advice: str, numbers: tuple[int, ...] = ()) -> None:
    """`function(*args, **kwargs)` must raise the learner's own ValueError naming `numbers`
    (the brief promises "a message naming the numbers"; NumPy's own reshape error is not one)."""
    expect_refusal(modern, function, args, kwargs, situation, advice, numbers)
