"""Topic 12: im2col vectorization. Brief: README.md beside this file.

im2col copies every receptive field into one row of a matrix, so that a convolution becomes one
matrix product:

    cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]
    out = cols @ w.reshape(F, -1).T          # then reshape (N, Hout, Wout, F) -> (N, F, Hout, Wout)

col2im is its adjoint: it adds every entry of a column matrix back onto the pixel it came from.

Run the specs with `tox -e topic12`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)


def _pair(value):
    """An int or an (h, w) pair, as an (h, w) tuple of ints."""
    if np.ndim(value) == 0:
        return int(value), int(value)
    h, w = value
    return int(h), int(w)


def _output_size(H, W, KH, KW, sh, sw, ph, pw, dh, dw):
    """Hout, Wout; ValueError naming the kernel's span and the input size if either is < 1."""
    Hout = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    for span, size, pad, n_out in ((dh * (KH - 1) + 1, H, ph, Hout),
                                   (dw * (KW - 1) + 1, W, pw, Wout)):
        if n_out < 1:
            raise ValueError(f"a kernel spanning {span} pixels does not fit an input of {size} "
                             f"padded by {pad}")
    return Hout, Wout


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Copy every receptive field of x into one row of a matrix.

    Inputs:
    - x: (N, C, H, W).
    - kernel_size, stride, padding, dilation: int or (h, w) pair. Zero padding on both sides.

    Returns cols: (N*Hout*Wout, C*KH*KW) with
      Hout = (H + 2*ph - dh*(KH - 1) - 1) // sh + 1   (Wout likewise),
    one row per output position, rows ordered (n, i, j) row-major, columns ordered (c, p, q):
    channel first, then kernel row p, then kernel column q.

    Keep x's dtype and never modify x. No Python loop over output positions (loop over the
    KH*KW kernel offsets). Raises ValueError, naming the kernel's span dh*(KH-1)+1 and the input
    size, when the kernel does not fit the padded input along either axis (Hout or Wout < 1: a
    kernel may fit the height and not the width; never return an empty matrix).
    """
    N, C, H, W = x.shape
    KH, KW = _pair(kernel_size)
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    Hout, Wout = _output_size(H, W, KH, KW, sh, sw, ph, pw, dh, dw)
    xpad = np.pad(x.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (ph, ph), (pw, pw)))  # (C, N, Hp, Wp)
    cols_t = np.empty((C, KH, KW, N, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            cols_t[:, p, q] = xpad[:, :, rows, cols_]              # (C, N, Hout, Wout)
    # (C*KH*KW, N*Hout*Wout), returned as its transpose (N*Hout*Wout, C*KH*KW): a view, no copy
    return cols_t.reshape(C * KH * KW, N * Hout * Wout).T


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    """The adjoint of im2col: add every entry of `cols` back onto the pixel it was copied from.

    Inputs:
    - cols: (N*Hout*Wout, C*KH*KW), laid out as im2col returns.
    - x_shape: (N, C, H, W), the shape of the image im2col was applied to.
    - kernel_size, stride, padding, dilation: as given to im2col.

    Returns an array of shape x_shape. A pixel covered by several windows receives the SUM of
    their entries; entries that fall in the padding are dropped. No Python loop over output
    positions (loop over the KH*KW kernel offsets).
    """
    N, C, H, W = x_shape
    KH, KW = _pair(kernel_size)
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    Hout, Wout = _output_size(H, W, KH, KW, sh, sw, ph, pw, dh, dw)
    blocks = cols.T.reshape(C, KH, KW, N, Hout, Wout)       # a view when cols is stored transposed
    xpad = np.zeros((C, N, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            cols_ = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            xpad[:, :, rows, cols_] += blocks[:, p, q]      # (C, N, Hout, Wout), contiguous runs
    return np.ascontiguousarray(xpad[:, :, ph:ph + H, pw:pw + W].transpose(1, 0, 2, 3))


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a 2-D convolution (cross-correlation) as one matrix product.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C, KH, KW) filters.
    - b: (F,) biases.
    - stride, padding: int or (h, w) pair.

    Returns (out, cache):
    - out: (N, F, Hout, Wout), Hout = (H + 2*ph - KH) // sh + 1, Wout likewise.
    - cache: whatever conv2d_backward needs (your choice; the specs never look inside).

    No Python loop over output positions: build the columns with im2col, multiply once.
    Raises ValueError, naming both channel counts, when w.shape[1] != C (and im2col's when the
    kernel does not fit).
    """
    N, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    if Cw != C:
        raise ValueError(f"w has {Cw} channels but x has {C}: they must match")
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    Hout, Wout = _output_size(H, W, KH, KW, sh, sw, ph, pw, 1, 1)
    cols = im2col(x, (KH, KW), stride, padding)                      # (N*Hout*Wout, C*KH*KW)
    out_t = w.reshape(F, -1) @ cols.T + b[:, None]                   # (F, N*Hout*Wout) = out_rows.T
    out = np.ascontiguousarray(out_t.reshape(F, N, Hout, Wout).transpose(1, 0, 2, 3))
    return out, (cols, w.copy(), x.shape, stride, padding)           # w copied: the caller may change it


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: what your conv2d_forward returned.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, KH, KW) and b (F,): new,
    writable arrays (never a view of dout). No Python loop over output positions.
    """
    cols, w, x_shape, stride, padding = cache
    F, _, KH, KW = w.shape
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)               # (F, N*Hout*Wout) = dout_rows.T
    db = dout_t.sum(axis=1)
    dw = (cols.T @ dout_t.T).T.reshape(w.shape)                      # = dout_rows.T @ cols
    dcols = (w.reshape(F, -1).T @ dout_t).T                          # = dout_rows @ w.reshape(F, -1)
    dx = col2im(dcols, x_shape, (KH, KW), stride, padding)
    return dx, dw, db
