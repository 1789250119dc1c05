"""conv2d_backward computes dx by correlating dout with the kernel as is, not flipped in space."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your dx is what correlating the padded dout with the kernel as it is gives. Written as a
convolution, dx needs the kernel flipped in space (and filters and channels swapped); the brief's
recipe avoids the question: dcols = dout_rows @ w.reshape(F, -1), then dx = col2im(dcols, ...),
which sends every entry back to the pixel it came from."""


def conv2d_forward(x, w, b, stride=1, padding=0):
    return textbook.conv2d_forward(x, w, b, stride, padding)


def conv2d_backward(dout, cache):
    return textbook.conv2d_backward(dout, cache, mistake="dx_kernel_not_flipped")
