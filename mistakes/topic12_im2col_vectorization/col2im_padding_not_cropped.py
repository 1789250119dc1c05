"""col2im cuts the first H x W pixels of the padded image instead of removing the padding on every side."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im cuts the first H x W pixels of the padded image, xpad[:, :, :H, :W], which keeps the
padding above and to the left and drops real pixels. The image sits in the middle of the padded
array: return xpad[:, :, ph:ph + H, pw:pw + W]."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    _, _, H, W = x_shape
    (ph, pw) = _pair(padding)
    padded_shape = (*x_shape[:2], H + 2 * ph, W + 2 * pw)
    full = ref.col2im(cols, padded_shape, kernel_size, stride, 0, dilation)
    return np.ascontiguousarray(full[:, :, :H, :W])


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)
