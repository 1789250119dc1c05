"""The backward cuts dx out of the padded gradient at [0:H, 0:W] instead of [ph:ph+H, pw:pw+W]."""
from solutions.topic11_conv2d_sliding_window import conv2d as ref
from solutions.topic11_conv2d_sliding_window.conv2d import *

MODULE = "conv2d"
EXPLANATION = """\
Your dx has the right shape but is shifted by the padding: you cut dxpad[:, :, :H, :W], the
top-left corner, which keeps the padding above and to the left and drops real rows and columns
at the bottom and right. The real pixels sit in the middle of the padded array:
dx = dxpad[:, :, ph:ph + H, pw:pw + W]."""


def conv2d_backward_naive(dout, cache):
    xpad, w, stride, padding, (N, C, H, W) = cache
    _, dw, db = ref.conv2d_backward_naive(dout, cache)
    dxpad, _, _ = ref.conv2d_backward_naive(dout, (xpad, w, stride, (0, 0), xpad.shape))
    return dxpad[:, :, :H, :W].copy(), dw, db
