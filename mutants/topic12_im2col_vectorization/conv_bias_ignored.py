"""conv2d_forward forgets to add the bias."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"


def conv2d_forward(x, w, b, stride=1, padding=0):
    return ref.conv2d_forward(x, w, np.zeros_like(b), stride, padding)
