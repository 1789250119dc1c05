"""col2im sizes the output with the dilation but adds tap (p, q) at offset (p, q), not (p*dh, q*dw)."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im puts the taps of a dilated kernel back next to each other: tap (p, q) goes to offset
(p, q) of the window instead of (p*dh, q*dw). col2im must send every entry back to the pixel
im2col read it from, so it uses the same slices: rows start at p*dh, columns at q*dw."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="taps_not_dilated")
