"""dw is accumulated from the first sample of the batch only."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your dw only sees the first sample of the batch. The same weights produced every sample's
outputs, so dw sums over the batch too: at each (i, j), contract dout[:, :, i, j] (N, F) with the
window (N, C, KH, KW) over the batch axis N."""


def conv2d_backward_naive(dout, cache):
    dx, _, db = ref.conv2d_backward_naive(dout, cache)
    xpad, w, stride, padding, (_, C, H, W) = cache
    _, dw, _ = ref.conv2d_backward_naive(dout[:1], (xpad[:1], w, stride, padding, (1, C, H, W)))
    return dx, dw, db
