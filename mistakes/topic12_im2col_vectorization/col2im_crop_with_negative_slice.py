"""col2im cuts the padding off with xpad[:, :, ph:-ph, pw:-pw], which is empty when the padding is 0."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im returns an empty (or too small) image when the padding is 0: you cut it with
xpad[:, :, ph:-ph, pw:-pw], and -0 is 0, so ph:-ph is the empty slice 0:0. Cut with explicit
ends instead: xpad[:, :, ph:ph + H, pw:pw + W]."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="crop_with_negative_slice")
