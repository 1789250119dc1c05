"""im2col sizes the output with the dilation but reads the taps next to each other (offset p, not p*d)."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your im2col reads the taps of a dilated kernel next to each other: tap (p, q) is read at offset
(p, q) of the window instead of (p*dh, q*dw). Dilation spreads the taps apart:
cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw], so each tap's slice starts at
row p*dh and column q*dw."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.im2col(x, kernel_size, stride, padding, dilation, mistake="taps_not_dilated")
