"""Max pooling rounds the output size up (ceil mode): a last, partial window is added at the border."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your max pooling has one row or column too many when (H + 2*ph - KH) is not a multiple of the
stride: you rounded the number of windows up, adding a last window that hangs over the border.
The windows must fit the padded input: Hout = (H + 2*ph - KH) // sh + 1, rounded down (floor);
leftover rows and columns are simply not pooled."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    kernel, stride, padding, _ = ref.pool_geometry(x.shape, kernel_size, stride, padding)
    extra = [-(-(n + 2 * p - k) // s) * s - (n + 2 * p - k)
             for n, k, s, p in zip(x.shape[2:], kernel, stride, padding)]
    (ph, pw), (eh, ew) = padding, extra
    wide = np.pad(x, ((0, 0), (0, 0), (ph, ph + eh), (pw, pw + ew)), constant_values=-np.inf)
    out, cache = ref.maxpool2d_forward(wide, kernel, stride, 0)
    return out, (cache, x.shape, padding)


def maxpool2d_backward(dout, cache):
    inner, (_, _, h, w), (ph, pw) = cache
    return ref.maxpool2d_backward(dout, inner)[:, :, ph:ph + h, pw:pw + w].copy()
