"""Which values share a mean and a variance, per norm: the brief's picture, checked by name.

Each norm is GroupNorm with its own sets (the brief's table). The input gives every sample,
channel and row a large offset of its own, so each wrong choice of sets (over W alone, as
torch.nn.LayerNorm(W) on NCHW; each channel's H, W; the whole batch; interleaved groups; groups of
num_groups channels) gives a clearly different output, and the message names the one the
learner's output matches. Details (eps, biased variance) are left to test_norms.py: the
comparison here is loose (specs/harness/norm_sets.py).

The backward gets the same rule: a sample's gradient never depends on the other samples; and
it scales as 1 / std: x -> k * x (with eps -> k**2 * eps) leaves out unchanged and divides dx by k.
"""

import numpy as np
import pytest

from specs.harness import Kata, expect_close, expect_shape, fail
from specs.harness.norm_sets import expect_sets, normalize_over, offset_input

TOPIC = "topic16_advanced_normalizations"
norms = Kata(TOPIC, "norms")
SHAPE, GROUPS, EPS = (3, 6, 4, 5), 3, 1e-5  # groups of 2 channels: every candidate differs
FUNCTION = {"layernorm": "layernorm2d", "groupnorm": "groupnorm", "instancenorm": "instancenorm"}


def call(kind, name, *args):
    """forward(x, gamma, beta[, num_groups], eps=EPS) or backward(dout, cache) of one norm."""
    if name == "backward":
        return norms.call(f"{FUNCTION[kind]}_backward", *args)
    x, gamma, beta, eps = (*args, EPS) if len(args) == 3 else args
    extra = (GROUPS,) if kind == "groupnorm" else ()
    result = norms.call(f"{FUNCTION[kind]}_forward", x, gamma, beta, *extra, eps)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail(f"{FUNCTION[kind]}_forward should return a pair (out, cache).")
    return result


def candidate_sets(shape, groups):
    """{name: (view shape, axes, description)}: the right sets of each norm (GroupNorm with
    GROUPS groups) and the usual wrong ones for a norm with `groups` groups."""
    n, c, h, w = shape
    return {
        "layernorm": ((n, 1, c, h, w), (2, 3, 4),
                      "over all C, H, W values of each sample (LayerNorm, one group)"),
        "groupnorm": ((n, GROUPS, c // GROUPS, h, w), (2, 3, 4),
                      f"over each sample's groups of {c // GROUPS} neighbouring channels "
                      f"(GroupNorm with num_groups={GROUPS})"),
        "instancenorm": ((n, c, 1, h, w), (2, 3, 4),
                         "over the H, W values of each channel of each sample (InstanceNorm)"),
        "last axis": (shape, (3,), "over the last axis W alone, row by row (what "
                      "torch.nn.LayerNorm(W) does to an NCHW tensor)"),
        "batchnorm": (shape, (0, 2, 3), "over the whole batch, channel by channel (BatchNorm): "
                      "the batch axis must never mix"),
        "groups with batch": ((n, groups, c // groups, h, w), (0, 2, 3, 4),
                              "over the whole batch as well as each set: the batch axis must "
                              "never mix"),
        "interleaved": ((n, c // groups, groups, h, w), (1, 3, 4),
                        f"over interleaved groups (channel c in group c % {groups}); groups "
                        f"are blocks of neighbouring channels, c // (C // G)"),
        "swapped": ((n, c // groups, groups, h, w), (2, 3, 4),
                    f"over groups of {groups} channels each (num_groups read as the group "
                    f"size); there are num_groups groups of C // num_groups channels"),
    }


@pytest.mark.rules
@pytest.mark.parametrize("kind", list(FUNCTION))
def test_statistics_run_over_the_right_values(kind):
    x = offset_input(SHAPE, seed=16)
    c = SHAPE[1]
    out, _ = call(kind, "forward", x, np.ones(c), np.zeros(c))
    expect_shape(out, SHAPE, f"{FUNCTION[kind]}_forward: out")
    groups = {"layernorm": 1, "groupnorm": GROUPS, "instancenorm": c}[kind]
    sets = {name: (normalize_over(x, view, axes, EPS), text)
            for name, (view, axes, text) in candidate_sets(SHAPE, groups).items()}
    expect_sets(out, sets.pop(kind), sets, f"{FUNCTION[kind]}_forward with gamma=1, beta=0",
                "the table in the brief; one reshape to (N, G, C // G, H, W), then axes "
                "(2, 3, 4)")


@pytest.mark.rules
@pytest.mark.parametrize("kind", list(FUNCTION))
def test_backward_of_a_sample_does_not_depend_on_the_others(kind):
    x = offset_input(SHAPE, seed=17)
    rng = np.random.default_rng(18)
    c = SHAPE[1]
    gamma, beta, dout = rng.standard_normal(c), rng.standard_normal(c), rng.standard_normal(SHAPE)
    _, cache = call(kind, "forward", x, gamma, beta)
    dx_batch = call(kind, "backward", dout, cache)[0]
    _, cache_alone = call(kind, "forward", x[1:2], gamma, beta)
    dx_alone = call(kind, "backward", dout[1:2], cache_alone)[0]
    expect_shape(dx_batch, SHAPE, f"{FUNCTION[kind]}_backward: dx")
    expect_close(dx_batch[1:2], dx_alone,
                 f"{FUNCTION[kind]}_backward: dx of sample 1 inside a batch of 3", rtol=1e-7,
                 reference="dx of the same sample alone (a batch of 1). Each sample was "
                 "normalized with its own statistics, so the means in dx (of g and of "
                 "g * x_hat) run over that sample's own set, axes (2, 3, 4) of the grouped "
                 "shape, never over the batch")


@pytest.mark.rules
@pytest.mark.parametrize("kind", list(FUNCTION))
def test_backward_shrinks_as_the_input_grows(kind):
    """x -> k * x with eps -> k**2 * eps leaves x_hat (and out) unchanged, so dx -> dx / k."""
    k = 4.0  # a power of two: k * x, the statistics and k**2 * eps scale exactly in floating point
    x = offset_input(SHAPE, seed=19)
    rng = np.random.default_rng(20)
    c = SHAPE[1]
    gamma, beta, dout = rng.standard_normal(c), rng.standard_normal(c), rng.standard_normal(SHAPE)
    out, cache = call(kind, "forward", x, gamma, beta)
    dx = call(kind, "backward", dout, cache)[0]
    out_k, cache_k = call(kind, "forward", k * x, gamma, beta, k * k * EPS)
    dx_k = call(kind, "backward", dout, cache_k)[0]
    if not np.allclose(out_k, out, rtol=1e-10, atol=0):
        return  # the forward's own eps or axes are off: test_norms.py names that
    if np.allclose(dx_k, dx / k, rtol=1e-5, atol=0):
        return
    grew = np.allclose(dx_k, dx * k, rtol=1e-5, atol=0)
    fail(f"{FUNCTION[kind]}_backward: scaling x by {k:g} (and eps by {k * k:g}) leaves x_hat and "
         f"out unchanged, so dx must shrink by {k:g}; yours "
         + ("grew by that factor instead: you multiply by the standard deviation where the "
            "backward divides by it, dx = inv_std * (g - mean(g) - x_hat * mean(g * x_hat)) "
            "with inv_std = 1 / sqrt(var + eps)." if grew else
            "did not. dx carries one factor inv_std = 1 / sqrt(var + eps): dx = inv_std * "
            "(g - mean(g) - x_hat * mean(g * x_hat))."))
