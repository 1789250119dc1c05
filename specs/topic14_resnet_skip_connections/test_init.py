"""Specs for Topic 14's init_residual_block(c_in, c_out, stride, rng) -> (params, state).

Keys and shapes as in DESIGN.md, a projection exactly when the shape changes, He-normal conv
weights (std sqrt(2 / fan_in), fan_in = C_in * KH * KW), gamma 1, beta 0, running mean 0,
running variance 1, and every random number drawn from `rng`.
"""

import numpy as np
import pytest

from specs.harness import expect_shape, fail

from .support import STATS, residual

# c_in, c_out, stride
BLOCKS = [(3, 3, 1), (3, 5, 1), (4, 4, 2), (6, 2, 2)]


def init(c_in, c_out, stride, seed=0):
    result = residual.call("init_residual_block", c_in, c_out, stride, np.random.default_rng(seed))
    if not (isinstance(result, tuple) and len(result) == 2
            and all(isinstance(part, dict) for part in result)):
        fail("init_residual_block should return a pair of dicts (params, state).")
    return result


def expected_shapes(c_in, c_out, stride):
    shapes = {"conv1_w": (c_out, c_in, 3, 3), "conv2_w": (c_out, c_out, 3, 3)}
    shapes.update({f"bn{i}_{p}": (c_out,) for i in (1, 2) for p in ("gamma", "beta")})
    if stride != 1 or c_in != c_out:
        shapes.update(proj_w=(c_out, c_in, 1, 1), proj_bn_gamma=(c_out,), proj_bn_beta=(c_out,))
    return shapes


@pytest.mark.shape
@pytest.mark.parametrize("c_in, c_out, stride", BLOCKS, ids=lambda v: str(v))
def test_keys_and_shapes(c_in, c_out, stride):
    params, state = init(c_in, c_out, stride)
    shapes = expected_shapes(c_in, c_out, stride)
    what = f"init_residual_block({c_in}, {c_out}, stride={stride})"
    why = ("a projection shortcut (proj_w, proj_bn_gamma, proj_bn_beta) exactly when the stride "
           "is not 1 or the channel count changes")
    if set(params) != set(shapes):
        fail(f"{what}: params has keys {sorted(params)}, expected {sorted(shapes)}: {why}.")
    for key, shape in shapes.items():
        expect_shape(np.asarray(params[key]), shape, f"{what}: params[{key!r}]")
    bns = {"bn1", "bn2"} | ({"proj_bn"} if "proj_w" in shapes else set())
    if set(state) != bns:
        fail(f"{what}: state has keys {sorted(state)}, expected {sorted(bns)} ({why}).")
    for bn in bns:
        if not isinstance(state[bn], dict) or set(state[bn]) != set(STATS):
            fail(f"{what}: state[{bn!r}] should be a dict with keys {list(STATS)}.")


@pytest.mark.parametrize("c_in, c_out, stride", [(3, 5, 1), (6, 2, 2)], ids=lambda v: str(v))
def test_batchnorm_starts_as_pytorch(c_in, c_out, stride):
    """gamma 1, beta 0, running mean 0, running variance 1: BN starts as the identity map."""
    params, state = init(c_in, c_out, stride)
    what = f"init_residual_block({c_in}, {c_out}, stride={stride})"
    for bn in state:
        for label, value, expected in (
                (f"params['{bn}_gamma']", params[f"{bn}_gamma"], 1.0),
                (f"params['{bn}_beta']", params[f"{bn}_beta"], 0.0),
                (f"state['{bn}']['running_mean']", state[bn]["running_mean"], 0.0),
                (f"state['{bn}']['running_var']", state[bn]["running_var"], 1.0)):
            expect_shape(np.asarray(value), (c_out,), f"{what}: {label}")
            if not np.all(np.asarray(value) == expected):
                fail(f"{what}: {label} should be all {expected:g} (PyTorch's starting values, "
                     f"which make BN the identity map on a standardized input); it is {value}.")


def test_he_initialization():
    """32 -> 64 channels with stride 2: enough weights to measure the spread within a few %."""
    params, _ = init(32, 64, 2)
    for key, fan_in in (("conv1_w", 32 * 9), ("conv2_w", 64 * 9), ("proj_w", 32)):
        w = np.asarray(params[key])
        std, expected = float(w.std()), float(np.sqrt(2.0 / fan_in))
        if abs(std / expected - 1) > 0.06:
            fail(f"init_residual_block(32, 64, stride=2): params[{key!r}] has standard deviation "
                 f"{std:.4f}, expected He's sqrt(2 / fan_in) = sqrt(2 / {fan_in}) = "
                 f"{expected:.4f} (fan_in = C_in * KH * KW, from a normal distribution).")
        if abs(float(w.mean())) > 0.1 * expected:
            fail(f"init_residual_block: params[{key!r}] has mean {float(w.mean()):.4f}; He "
                 f"initialization draws weights centred on 0.")


def test_randomness_comes_from_rng():
    first, _ = init(3, 4, 2, seed=7)
    again, _ = init(3, 4, 2, seed=7)
    other, _ = init(3, 4, 2, seed=8)
    for key in ("conv1_w", "conv2_w", "proj_w"):
        if not np.array_equal(first[key], again[key]):
            fail(f"init_residual_block: two calls with generators seeded alike gave different "
                 f"params[{key!r}]. Draw every random number from `rng` (rng.standard_normal), "
                 f"not from np.random's global state.")
        if np.array_equal(first[key], other[key]):
            fail(f"init_residual_block: different seeds gave the same params[{key!r}]: use rng.")
    if np.array_equal(first["conv1_w"].ravel()[:16], first["conv2_w"].ravel()[:16]):
        fail("init_residual_block: conv1_w and conv2_w start with the same values: draw each "
             "weight tensor separately.")
