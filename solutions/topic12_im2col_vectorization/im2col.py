"""Topic 12 reference: im2col, col2im, and a convolution that is one matrix product.

im2col copies every receptive field into one row of a matrix:

    cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]

so that the convolution becomes `cols @ w.reshape(F, -1).T` (one BLAS call). The price is memory:
each input pixel is copied into up to KH*KW rows, so `cols` is about KH*KW times the input (9x for
a 3x3 kernel at stride 1).

col2im is the adjoint (the transpose) of im2col: it sends every entry of a column matrix back to
the pixel it was copied from and adds up the entries that came from the same pixel. That is what
the backward pass needs: dx = col2im(dout_rows @ w_matrix).

Memory layout is most of the cost (the brief's trade-off section has the figures), so every array
is laid out for the copies made into or out of it:
- im2col fills cols in memory as its transpose, (C*KH*KW, N*Hout*Wout) (6-D: (C, KH, KW, N, Hout,
  Wout)), from the input laid out channel-major (C, N, H, W): each tap's copy writes long
  contiguous runs, and returning `.T` of it is free (a 2-D transpose swaps two strides; BLAS reads
  either layout at full speed). The textbook alternative, an (N, C, KH, KW, Hout, Wout) array
  transposed and reshaped into rows, makes a second, badly strided copy of all 9x the input.
- the products are computed in the orientation that leaves their results contiguous where the
  next copy reads them: the output as (F, N*Hout*Wout), whole feature maps per row, and dcols
  transposed, so col2im's `+=` per tap reads contiguous blocks instead of a 6-D strided view.

This is the plain recipe of the brief, on purpose. The tuned convolution the CIFAR-10 milestone
trains on (the answer to the brief's "where does the time go, and how to cut that") is in
`fastpath/conv.py`; read it once your own version is green.
"""

import numpy as np


def pair(value):
    """An int or an (h, w) pair, as an (h, w) tuple of ints."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"expected an int or an (h, w) pair, got {value!r}")
        return int(value[0]), int(value[1])
    return int(value), int(value)


def output_size(size, kernel, stride, padding, dilation=1):
    """(size + 2*padding - dilation*(kernel - 1) - 1) // stride + 1, refusing empty outputs."""
    span = dilation * (kernel - 1) + 1
    out = (size + 2 * padding - span) // stride + 1
    if out < 1:
        raise ValueError(f"a kernel spanning {span} pixels does not fit an input of {size} "
                         f"padded by {padding} on each side")
    return out


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Copy every receptive field of x into one row of a matrix.

    Inputs:
    - x: (N, C, H, W).
    - kernel_size, stride, padding, dilation: int or (h, w) pair. Zero padding on both sides.

    Returns cols: (N*Hout*Wout, C*KH*KW) with
      Hout = (H + 2*ph - dh*(KH - 1) - 1) // sh + 1   (Wout likewise),
    one row per output position, rows ordered (n, i, j) row-major, columns ordered (c, p, q):
    channel first, then kernel row p, then kernel column q.
    Raises ValueError, naming the kernel's span and the input size, when the kernel does not fit
    the padded input along either axis (Hout or Wout < 1).
    """
    N, C, H, W = x.shape
    (KH, KW), (sh, sw) = pair(kernel_size), pair(stride)
    (ph, pw), (dh, dw) = pair(padding), pair(dilation)
    Hout, Wout = output_size(H, KH, sh, ph, dh), output_size(W, KW, sw, pw, dw)

    # Channel-major (C, N, H + 2*ph, W + 2*pw): one channel of every image is one block.
    xpad = np.pad(x.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    # cols built as its transpose: cols_t[c, p, q] is one contiguous run over (n, i, j).
    cols_t = np.empty((C, KH, KW, N, Hout, Wout), dtype=x.dtype)
    # One strided slice per kernel tap (p, q): the pixels that tap reads in every window.
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            columns = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            cols_t[:, p, q] = xpad[:, :, rows, columns]               # (C, N, Hout, Wout)
    # (C*KH*KW, N*Hout*Wout) -> its transpose (N*Hout*Wout, C*KH*KW): a view, no copy
    return cols_t.reshape(C * KH * KW, N * Hout * Wout).T


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    """The adjoint of im2col: add every entry of `cols` back onto the pixel it was copied from.

    Inputs:
    - cols: (N*Hout*Wout, C*KH*KW), laid out as im2col returns.
    - x_shape: (N, C, H, W), the shape of the image im2col was applied to.
    - kernel_size, stride, padding, dilation: as given to im2col.

    Returns an array of shape x_shape. A pixel covered by several windows receives the SUM of
    their entries; entries that fall in the padding are dropped.
    """
    N, C, H, W = x_shape
    (KH, KW), (sh, sw) = pair(kernel_size), pair(stride)
    (ph, pw), (dh, dw) = pair(padding), pair(dilation)
    Hout, Wout = output_size(H, KH, sh, ph, dh), output_size(W, KW, sw, pw, dw)

    # (C, KH, KW, N, Hout, Wout): a view when cols is stored as its transpose (as im2col and
    # conv2d_backward make it), one transposing copy otherwise.
    blocks = cols.T.reshape(C, KH, KW, N, Hout, Wout)
    xpad = np.zeros((C, N, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)  # channel-major, as im2col
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            columns = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            xpad[:, :, rows, columns] += blocks[:, p, q]   # += : overlapping windows add up
    # drop the padding, back to (N, C, H, W)
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
    - cache: (cols, w, x.shape, stride, padding) for conv2d_backward.
    """
    N, C, H, W = x.shape
    F, C_w, KH, KW = w.shape
    if C != C_w:
        raise ValueError(f"x has {C} channels but w expects {C_w}")
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    Hout, Wout = output_size(H, KH, sh, ph), output_size(W, KW, sw, pw)

    cols = im2col(x, (KH, KW), stride, padding)                      # (N*Hout*Wout, C*KH*KW)
    # out_rows = cols @ w.reshape(F, -1).T, computed as its transpose: one feature map per row.
    out_t = w.reshape(F, -1) @ cols.T + b[:, None]                  # (F, N*Hout*Wout)
    out = np.ascontiguousarray(out_t.reshape(F, N, Hout, Wout).transpose(1, 0, 2, 3))
    return out, (cols, w.copy(), x.shape, stride, padding)          # w copied: the caller may change it


def _dout_columns(dout):
    """dout (N, F, Hout, Wout) -> (F, N*Hout*Wout) = dout_rows.T, copied in runs of Hout*Wout:
    the layout of out_t, which both gradients' products read."""
    return dout.transpose(1, 0, 2, 3).reshape(dout.shape[1], -1)


def _weight_gradients(dout_t, cols, w):
    """(dw, db) from dout_t (F, N*Hout*Wout) and the cached columns."""
    # dw = dout_rows.T @ cols, computed as its (C*KH*KW, F) transpose: the same numbers, and on
    # two threads OpenBLAS ran this orientation several times faster (the brief's figures).
    return (cols.T @ dout_t.T).T.reshape(w.shape), dout_t.sum(axis=1)


def conv2d_backward_weights(dout, cache):
    """The weight and bias gradients of conv2d_forward, without dx.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: from conv2d_forward.

    Returns (dw, db) shaped like w (F, C, KH, KW) and b (F,). For a layer whose input needs no
    gradient (the milestone's first conv once the whitening layer before it stops training):
    dcols and col2im, about three quarters of conv2d_backward's time there, are skipped.
    """
    cols, w = cache[:2]
    return _weight_gradients(_dout_columns(dout), cols, w)


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: from conv2d_forward.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, KH, KW) and b (F,).
    """
    cols, w, x_shape, stride, padding = cache
    F, _, KH, KW = w.shape
    dout_t = _dout_columns(dout)                                     # one copy for all three
    dw, db = _weight_gradients(dout_t, cols, w)
    # dcols = dout_rows @ w_rows, stored as its transpose: col2im then reads contiguous blocks.
    dcols = (w.reshape(F, -1).T @ dout_t).T                          # (N*Hout*Wout, C*KH*KW)
    dx = col2im(dcols, x_shape, (KH, KW), stride, padding)
    return dx, dw, db
