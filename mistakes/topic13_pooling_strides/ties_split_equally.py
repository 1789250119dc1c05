"""On a tie, each window's gradient is split equally among its tied maxima (mask / count)."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your backward splits a window's dout equally among its tied maxima. It keeps the total right, but
the contract (and PyTorch's CPU kernel) sends the whole dout to ONE element: the first maximum in
row-major window order. Record, in the forward, the offset of the first maximum (update only where
a new slice is strictly greater) and route each dout there."""


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    out, _ = ref.maxpool2d_forward(x, kernel_size, stride, padding)
    kernel, stride, padding, out_hw = ref.pool_geometry(x.shape, kernel_size, stride, padding)
    return out, (ref.pad_spatial(x, padding, -np.inf), out, kernel, stride, padding)


def maxpool2d_backward(dout, cache):
    xpad, out, kernel, stride, padding = cache
    hout_wout = out.shape[2:]
    ties = sum((window == out).astype(dout.dtype)
               for window in ref.window_slices(xpad, kernel, stride, hout_wout))
    dxpad = np.zeros(xpad.shape, dtype=dout.dtype)
    for window, target in zip(ref.window_slices(xpad, kernel, stride, hout_wout),
                              ref.window_slices(dxpad, kernel, stride, hout_wout)):
        target += np.where(window == out, dout / ties, 0)
    return ref.unpad_spatial(dxpad, padding)
