"""float32 in gives float32 out, even when the running statistics are float64.

init_residual_block makes its BN state with np.zeros / np.ones: float64. A float32 batch through
a fresh block then meets float64 running statistics, and in eval mode `(x - running_mean) /
sqrt(running_var + eps)` is float64 unless the result (or the statistics) is cast back to x's
dtype (HINTS, batchnorm2d_forward tier 2).
"""

import numpy as np
import pytest

from specs.harness import expect_dtype
from specs.harness.cases import random_array

from .support import bn_state, residual


@pytest.mark.shape
@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
def test_float32_batch_with_float64_running_statistics_stays_float32(train):
    rng = np.random.default_rng(140)
    x = random_array(rng, (2, 3, 4, 5), np.float32)
    gamma, beta = np.ones(3, np.float32), np.zeros(3, np.float32)
    state = bn_state(np.zeros(3), np.ones(3))  # float64, as init_residual_block makes it
    out, _ = residual.forward("batchnorm2d_forward", x, gamma, beta, state, train=train)
    expect_dtype(out, np.float32, f"batchnorm2d_forward(train={train}) of a float32 x with "
                 f"float64 running statistics (as init_residual_block makes them): out")
