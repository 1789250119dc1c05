"""im2col puts all the padding before the image (2*pad top and left, none after): windows shift."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    (ph, pw) = ref.pair(padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (2 * ph, 0), (2 * pw, 0)))
    return ref.im2col(xpad, kernel_size, stride, 0, dilation)
