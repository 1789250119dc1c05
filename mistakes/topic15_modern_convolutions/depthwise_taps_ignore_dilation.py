"""The depthwise conv sizes its output with the dilation but reads tap (p, q) at (p, q), not (p*dh, q*dw)."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your depthwise output has the dilated size, but its taps sit next to each other: tap (p, q) reads
xpad[..., i*sh + p, j*sw + q] instead of xpad[..., i*sh + p*dh, j*sw + q*dw]. With dilation the
taps are spread apart: the slice for tap (p, q) starts at row p*dh and column q*dw (forward and
backward)."""


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    dilated, _ = ref.depthwise_conv2d_forward(x, w, b, stride, padding, dilation)
    packed, cache = ref.depthwise_conv2d_forward(x, w, b, stride, padding, 1)
    Hout, Wout = dilated.shape[2:]
    return packed[:, :, :Hout, :Wout].copy(), (cache, packed.shape)


def depthwise_conv2d_backward(dout, cache):
    inner, packed_shape = cache
    padded = np.zeros(packed_shape, dtype=dout.dtype)
    padded[:, :, :dout.shape[2], :dout.shape[3]] = dout
    return ref.depthwise_conv2d_backward(padded, inner)
