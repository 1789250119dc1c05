"""conv2d_forward reshapes out_rows (N*Hout*Wout, F) straight to (N, F, Hout, Wout), without the transpose."""
from solutions.topic12_im2col_vectorization import im2col as ref
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your out has the right shape but its numbers are in the wrong places: you reshaped out_rows, whose
rows are positions (n, i, j) and columns filters f, straight to (N, F, Hout, Wout). A reshape
cannot move the filter axis in front of the positions: reshape to (N, Hout, Wout, F) first, then
transpose(0, 3, 1, 2)."""


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
    out = out_rows.reshape(N, F, Hout, Wout)
    return out, (cols, w.copy(), x.shape, stride, padding)


def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F = w.shape[0]
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)            # (N*Hout*Wout, F)
    db = dout_rows.sum(axis=0)
    dw = (dout_rows.T @ cols).reshape(w.shape)
    dx = ref.col2im(dout_rows @ w.reshape(F, -1), x_shape, w.shape[2:], stride, padding)
    return dx, dw, db
