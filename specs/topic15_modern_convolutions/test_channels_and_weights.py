"""Rules of Topic 15 about which channel meets which weight, on hand-made inputs.

- depthwise: filter c only ever meets channel c, so a dout that is zero outside channel 0 leaves
  the other filters' dw (and db) at zero;
- pointwise: filter f's weights are w[f, :, 0, 0], so a single weight w[f, c] = 1 copies input
  channel c into output channel f.

Each names the mistake its rule catches; shapes and values in general are the other specs' work.
"""

import numpy as np
import pytest

from specs.harness import fail

from .common import arrays, modern


@pytest.mark.rules
def test_depthwise_filters_only_see_their_own_channel():
    x, w = arrays(11, (2, 3, 5, 5), (3, 1, 3, 3))
    out, cache = modern.forward("depthwise_conv2d_forward", x, w, np.zeros(3), 1, 1, 1)
    dout = np.zeros(out.shape)
    dout[:, 0] = np.random.default_rng(12).standard_normal(dout[:, 0].shape)
    dx, dw, db = modern.backward("depthwise_conv2d_backward", dout, cache, grads=("dx", "dw", "db"))
    if dw.shape != w.shape or db.shape != (3,):
        return  # the shape specs name that
    leaked = [c for c in (1, 2) if np.abs(dw[c]).max() > 1e-12 or abs(db[c]) > 1e-12]
    if leaked:
        fail(f"depthwise_conv2d_backward with a dout that is zero outside channel 0 gave filter(s) "
             f"{leaked} a non-zero dw or db. Filter c only ever met channel c, so its gradient "
             f"sums dout * (what its taps read) over n, h and w only, never over the channels: "
             f"dw[:, 0, p, q] = np.einsum('nchw,nchw->c', dout, view).")


@pytest.mark.rules
def test_pointwise_weight_f_c_connects_input_c_to_output_f():
    (x,) = arrays(13, (2, 3, 4, 5))
    w = np.zeros((4, 3, 1, 1))
    w[1, 2, 0, 0] = 1.0
    out, _ = modern.forward("pointwise_conv2d_forward", x, w, np.zeros(4))
    if out.shape != (2, 4, 4, 5):
        return  # the shape specs name that
    want = np.zeros_like(out)
    want[:, 1] = x[:, 2]
    if np.allclose(out, want, rtol=1e-12, atol=1e-12):
        return
    copies = [(f, c) for f in range(4) for c in range(3) if np.allclose(out[:, f], x[:, c])]
    seen = (f" Your output channel {copies[0][0]} is input channel {copies[0][1]}."
            if len(copies) == 1 else "")
    fail(f"pointwise_conv2d_forward with w (4, 3, 1, 1) all zero but w[1, 2, 0, 0] = 1 must copy "
         f"input channel 2 into output channel 1 and leave the others zero.{seen} Filter f's "
         f"weights are w[f, :, 0, 0]: the (F, C) matrix is w.reshape(F, C) (w.reshape(C, F) "
         f"keeps memory order and scrambles filters and channels), and out = W @ x per pixel.")
