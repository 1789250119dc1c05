"""Max pooling backward places window (i, j) at (i*KH, j*KW): it steps by the kernel, not the stride."""
import numpy as np

from solutions.topic13_pooling_strides import pooling as ref
from solutions.topic13_pooling_strides.pooling import *

MODULE = "pooling"
EXPLANATION = """\
Your max-pooling backward puts window (i, j) back at row i*KH, column j*KW: it steps by the
kernel size, as in 2x2/stride-2 pooling, whatever the stride was. Use the forward's stride (kept
in your cache) and the very same slices as the forward:
p : p + sh*(Hout-1) + 1 : sh and q : q + sw*(Wout-1) + 1 : sw."""


def maxpool2d_backward(dout, cache):
    argmax, (n, c, h, w), dtype, kernel, stride, (ph, pw) = cache
    kh, kw = kernel
    hout, wout = dout.shape[2:]
    # big enough for windows placed kernel-size apart
    dxpad = np.zeros((n, c, max(h + 2 * ph, kh * hout), max(w + 2 * pw, kw * wout)), dtype=dtype)
    for offset, target in enumerate(ref.window_slices(dxpad, kernel, kernel, (hout, wout))):
        target += dout * (argmax == offset)
    return dxpad[:, :, ph:ph + h, pw:pw + w].copy()
