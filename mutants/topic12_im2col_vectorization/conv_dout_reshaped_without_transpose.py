"""conv2d_backward lays dout out with dout.reshape(-1, F), without moving the filter axis last."""
import numpy as np

from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your gradients use dout in the wrong layout: dout.reshape(-1, F) cuts the (N, F, Hout, Wout)
numbers into rows of F in memory order, which mixes filters and positions. dout_rows must be laid
out like out_rows (rows (n, i, j), columns f): dout.transpose(0, 2, 3, 1).reshape(-1, F)."""


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, F = x.shape[0], w.shape[0]
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels but w expects {w.shape[1]}")
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    Hout = (x.shape[2] + 2 * ph - w.shape[2]) // sh + 1
    Wout = (x.shape[3] + 2 * pw - w.shape[3]) // sw + 1
    cols = ref.im2col(x, w.shape[2:], stride, padding)              # (N*Hout*Wout, C*KH*KW)
    out_rows = cols @ w.reshape(F, -1).T + b                         # (N*Hout*Wout, F)
    out = np.ascontiguousarray(out_rows.reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2))
    return out, (cols, w.copy(), x.shape, stride, padding)


def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F = w.shape[0]
    dout_rows = dout.reshape(-1, F)            # (N*Hout*Wout, F)
    db = dout_rows.sum(axis=0)
    dw = (dout_rows.T @ cols).reshape(w.shape)
    dx = ref.col2im(dout_rows @ w.reshape(F, -1), x_shape, w.shape[2:], stride, padding)
    return dx, dw, db
