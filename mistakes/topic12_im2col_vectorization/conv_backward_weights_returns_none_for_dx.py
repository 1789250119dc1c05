"""conv2d_backward_weights returns (None, dw, db), conv2d_backward's shape, instead of (dw, db)."""
from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your conv2d_backward_weights returns three things with None in dx's place; the contract is the
pair (dw, db)."""


def conv2d_backward_weights(dout, cache):
    return (None, *ref.conv2d_backward_weights(dout, cache))
