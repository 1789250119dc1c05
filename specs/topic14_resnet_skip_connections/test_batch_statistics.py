"""Batch norm's statistics run over each channel's N * H * W values: checked by name.

The input gives every sample, channel and row a large offset of its own, so statistics over the
wrong axes (per pixel over the batch alone, per sample, over everything) give a clearly different
output, and the message names the axes the learner's output matches. Details (eps, biased or
unbiased variance) are left to test_batchnorm.py: the comparison here is loose
(specs/harness/norm_sets.py).
"""

import numpy as np
import pytest

from specs.harness import expect_shape, fail
from specs.harness.norm_sets import expect_sets, normalize_over, offset_input

from .support import bn_state, residual

SHAPE, EPS = (4, 3, 4, 5), 1e-5
RIGHT = ((0, 2, 3), "per channel over all N * H * W values of that channel: axes (0, 2, 3)")
WRONG = {
    "per pixel": ((0,), "over the batch axis alone, one mean and variance per channel and pixel "
                  "(axis 0)"),
    "per sample": ((2, 3), "over H and W of each sample on its own (axes (2, 3)): that is "
                   "InstanceNorm, each image normalized by itself"),
    "per sample, all channels": ((1, 2, 3), "over C, H and W of each sample (axes (1, 2, 3)): "
                                 "that is LayerNorm"),
    "everything": ((0, 1, 2, 3), "over the whole array, all channels together"),
}


@pytest.mark.rules
def test_train_statistics_run_over_each_channels_batch_and_positions():
    x = offset_input(SHAPE, seed=14)
    c = SHAPE[1]
    result = residual.call("batchnorm2d_forward", x, np.ones(c), np.zeros(c),
                           bn_state(np.zeros(c), np.ones(c)), True, 0.1, EPS)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("batchnorm2d_forward should return a pair (out, cache).")
    out = result[0]
    expect_shape(out, SHAPE, "batchnorm2d_forward: out")
    right = (normalize_over(x, SHAPE, RIGHT[0], EPS), RIGHT[1])
    wrong = {name: (normalize_over(x, SHAPE, axes, EPS), text)
             for name, (axes, text) in WRONG.items()}
    expect_sets(out, right, wrong, "batchnorm2d_forward(train=True) with gamma=1, beta=0",
                "x.mean(axis=(0, 2, 3)) and x.var(axis=(0, 2, 3)), reshaped to (1, C, 1, 1)")
