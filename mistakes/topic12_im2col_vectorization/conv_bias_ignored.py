"""conv2d_forward forgets to add the bias."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your conv2d_forward never adds the bias: every value of filter f is off by b[f]. Add it to the
matrix product: out_rows = cols @ w.reshape(F, -1).T + b (b broadcasts over the rows)."""


def conv2d_forward(x, w, b, stride=1, padding=0):
    return ref.conv2d_forward(x, w, np.zeros_like(b), stride, padding)
