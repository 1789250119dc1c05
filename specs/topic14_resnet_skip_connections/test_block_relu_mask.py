"""The block's last step is a ReLU: where it output 0, dout must not reach anything.

out = relu(main + shortcut). Where out is 0 the ReLU blocked its input, so the gradient there is 0
and a dout that is non-zero only at those positions gives dx = 0 and every entry of grads = 0
(exactly: every later step multiplies or sums zeros). A backward that skips the final ReLU's mask
(sends dout itself into both branches) fails this with a message that says so.
"""

import numpy as np
import pytest

from specs.harness import fail

from .support import residual

C, SHAPE = 3, (2, 3, 5, 4)


def identity_block(rng):
    """Random params and state of an identity block with C channels."""
    params, state = {}, {}
    for conv, bn in (("conv1_w", "bn1"), ("conv2_w", "bn2")):
        params[conv] = rng.standard_normal((C, C, 3, 3)) / np.sqrt(9 * C)
        params[f"{bn}_gamma"], params[f"{bn}_beta"] = rng.uniform(0.5, 1.5, C), rng.standard_normal(C)
        state[bn] = {"running_mean": np.zeros(C), "running_var": np.ones(C)}
    return params, state


@pytest.mark.rules
@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
def test_dout_where_the_final_relu_output_zero_has_no_effect(train):
    rng = np.random.default_rng(141)
    params, state = identity_block(rng)
    x = rng.standard_normal(SHAPE)
    out, cache = residual.forward("residual_block_forward", x, params, state, stride=1,
                                  train=train)
    clipped = np.asarray(out) == 0
    if not clipped.any():
        return  # no ReLU after the addition: other specs say so
    dout = rng.standard_normal(SHAPE) * clipped
    result = residual.call("residual_block_backward", dout, cache)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict)):
        fail("residual_block_backward should return (dx, grads): dx an array, grads a dict.")
    dx, grads = result
    leaks = [name for name, g in [("dx", dx), *sorted(grads.items())]
             if np.max(np.abs(np.asarray(g)), initial=0.0) > 1e-12]
    if leaks:
        fail(f"residual_block_backward(train={train}): a dout that is non-zero only where out is "
             f"0 (where the final ReLU clipped main + shortcut) gave non-zero {', '.join(leaks)}. "
             f"The ReLU after the addition passes no gradient there: start the backward with "
             f"dsum = relu_backward(dout, <that ReLU's cache>) and send dsum, not dout, into the "
             f"main branch and the shortcut.")
