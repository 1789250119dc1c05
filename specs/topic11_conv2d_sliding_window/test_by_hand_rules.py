"""Two rules of Topic 11 checked on inputs small enough to follow by hand.

- Samples are independent: out[n] depends on x[n] only, so changing sample 1 leaves sample 0's
  output as it was (a sum over every axis of window * w mixes the batch in);
- a single 1 in dout sends back exactly w[f], as it is, onto the window it came from (walking the
  same windows already does the "flip" that the convolution form of dx talks about).
"""

import numpy as np
import pytest

from specs.harness import Kata, expect_close, fail
from specs.harness.cases import random_array

TOPIC = "topic11_conv2d_sliding_window"
conv = Kata(TOPIC, "conv2d")


@pytest.mark.rules
def test_each_sample_has_its_own_output():
    rng = np.random.default_rng(21)
    x, w, b = (random_array(rng, shape) for shape in ((2, 2, 5, 5), (3, 2, 3, 3), (3,)))
    other = x.copy()
    other[1] = random_array(rng, other[1].shape)
    out, _ = conv.forward("conv2d_forward_naive", x, w, b, stride=1, padding=1)
    again, _ = conv.forward("conv2d_forward_naive", other, w, b, stride=1, padding=1)
    if out.shape == again.shape and out.shape[:1] == (2,) and not np.allclose(out[0], again[0]):
        fail("conv2d_forward_naive: sample 0's output changed when only sample 1 of x changed. "
             "Each sample is convolved on its own: at each (i, j), sum window * w over the "
             "channel and kernel axes (C, KH, KW) only, never over the batch axis N (np.sum "
             "without axis= sums over everything): np.tensordot(window, w, axes=([1, 2, 3], "
             "[1, 2, 3])) gives one value per sample and filter, (N, F).")


@pytest.mark.rules
def test_a_single_dout_sends_back_the_kernel_as_it_is():
    rng = np.random.default_rng(22)
    x, w, b = (random_array(rng, shape) for shape in ((1, 2, 5, 5), (3, 2, 3, 3), (3,)))
    out, cache = conv.forward("conv2d_forward_naive", x, w, b, stride=1, padding=0)
    window = x[0, :, 2:5, 2:5]                      # the window of output (2, 2), the last one
    if out.shape != (1, 3, 3, 3) or not np.isclose(out[0, 1, 2, 2], b[1] + np.sum(window * w[1])):
        return  # the forward is off: the forward specs name that first
    dout = np.zeros(out.shape)
    dout[0, 1, 2, 2] = 1.0
    dx, _, _ = conv.backward("conv2d_backward_naive", dout, cache, grads=("dx", "dw", "db"))
    want = np.zeros(x.shape)
    want[0, :, 2:5, 2:5] = w[1]
    if dx.shape == want.shape and np.allclose(dx[0, :, 2:5, 2:5], w[1, :, ::-1, ::-1]):
        fail("conv2d_backward_naive: a dout that is 1 at out[0, 1, 2, 2] (zero elsewhere) gave a "
             "dx holding filter 1 flipped upside down and left to right. Window (2, 2) met w[1] "
             "as it is, so it sends back dout * w[1] as it is, added into xpad where the window "
             "was: dxpad[:, :, rows, cols] += dout[:, :, i, j] contracted with w over F, no flip.")
    expect_close(dx, want, "conv2d_backward_naive with dout = 1 at out[0, 1, 2, 2] only: dx",
                 reference="w[1] placed on the window (rows 2-4, columns 2-4) that produced that "
                           "output")
