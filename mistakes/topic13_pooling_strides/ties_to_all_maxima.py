"""Sends each window's gradient to every element equal to its maximum (a mask x == max)."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your backward sends a window's dout to every element equal to its maximum (a mask
window == max), so a tie counts the gradient twice or more. Each window's dout goes, whole, to ONE
element: the first maximum in row-major window order (keep its offset in the forward)."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    out, _ = ref.maxpool2d_forward(x, kernel_size, stride, padding)
    kernel, stride, padding, out_hw = ref.pool_geometry(x.shape, kernel_size, stride, padding)
    return out, (ref.pad_spatial(x, padding, -np.inf), out, kernel, stride, padding)


def maxpool2d_backward(dout, cache):
    xpad, out, kernel, stride, padding = cache
    dxpad = np.zeros_like(xpad)
    for window, target in zip(ref.window_slices(xpad, kernel, stride, out.shape[2:]),
                              ref.window_slices(dxpad, kernel, stride, out.shape[2:])):
        target += np.where(window == out, dout, 0)
    return ref.unpad_spatial(dxpad, padding)
