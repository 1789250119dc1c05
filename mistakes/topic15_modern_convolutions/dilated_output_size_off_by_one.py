"""Takes the dilated kernel's span as dilation*KH (not dilation*(KH-1)+1): drops last outputs."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your dilated output misses its last rows or columns: you took the dilated kernel's span as
dh*KH. It spans dh*(KH-1) + 1 pixels (taps dh apart, KH of them):
Hout = (H + 2*ph - dh*(KH-1) - 1) // sh + 1."""


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    out, cache = ref.conv2d_forward(x, w, b, stride, padding, dilation, groups)
    (sh, sw), (ph, pw), (dh, dw) = map(ref.pair, (stride, padding, dilation))
    hout = (x.shape[2] + 2 * ph - dh * w.shape[2]) // sh + 1
    wout = (x.shape[3] + 2 * pw - dw * w.shape[3]) // sw + 1
    return out[:, :, :hout, :wout].copy(), (cache, out.shape)


def conv2d_backward(dout, cache):
    inner, full_shape = cache
    padded = np.zeros(full_shape, dtype=dout.dtype)
    padded[:, :, :dout.shape[2], :dout.shape[3]] = dout
    return ref.conv2d_backward(padded, inner)
