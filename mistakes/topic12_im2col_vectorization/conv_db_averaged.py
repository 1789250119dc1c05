"""conv2d_backward averages db over the batch instead of summing it."""
from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your db is averaged over the batch instead of summed. Every output adds the bias once, so db is
the sum of dout over the batch and every position: dout_rows.sum(axis=0)."""


def conv2d_backward(dout, cache):
    dx, dw, db = ref.conv2d_backward(dout, cache)
    return dx, dw, db / dout.shape[0]
