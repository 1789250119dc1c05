"""Max pooling numbers the offset (p, q) as p*KH + q instead of p*KW + q: numbers collide when KH < KW."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your backward sends some windows' dout to two elements: you numbered offset (p, q) of the window
p*KH + q, and when KH < KW two offsets get the same number (for a 2x3 window, (0, 2) and (1, 0)
are both 2). Number the offsets row-major, p*KW + q: KW offsets per row, in the forward's argmax
and in the backward's "argmax == offset"."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    kernel, stride, padding, out_hw = ref.pool_geometry(x.shape, kernel_size, stride, padding)
    kh, kw = kernel
    xpad = ref.pad_spatial(x, padding, -np.inf)
    out = np.full(x.shape[:2] + out_hw, -np.inf, dtype=x.dtype)
    argmax = np.zeros(out.shape, dtype=np.intp)
    slices = ref.window_slices(xpad, kernel, stride, out_hw)
    for p in range(kh):
        for q in range(kw):
            candidate = next(slices)
            better = candidate > out
            out = np.where(better, candidate, out)
            argmax = np.where(better, p * kh + q, argmax)
    return out, (argmax, x.shape, x.dtype, kernel, stride, padding)


def maxpool2d_backward(dout, cache):
    argmax, (n, c, h, w), dtype, (kh, kw), stride, (ph, pw) = cache
    dxpad = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dtype)
    slices = ref.window_slices(dxpad, (kh, kw), stride, dout.shape[2:])
    for p in range(kh):
        for q in range(kw):
            next(slices)[...] += dout * (argmax == p * kh + q)
    return dxpad[:, :, ph:ph + h, pw:pw + w].copy()
