"""Topic 12 reference: im2col, col2im, and a convolution that is one large matrix product.

im2col copies every receptive field into a row of a matrix:

    cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]

so that the convolution becomes `cols @ w.reshape(F, -1).T` (one BLAS call, on every core).
The price is memory: each input pixel is copied into up to KH*KW rows, so `cols` is about
KH*KW times the size of the input (9x for a 3x3 kernel at stride 1).

col2im is the adjoint (the transpose) of im2col: it sends every entry of a column matrix back to
the pixel it was copied from, and adds up the entries that came from the same pixel. That is
exactly what the backward pass needs: dx = col2im(dout_rows @ w_matrix).

The convolution itself (conv2d_forward / conv2d_backward) is tuned for speed, because the
CIFAR-10 milestone trains on it, and differs from the plain recipe in three ways (specs only see
the public functions, so a learner's plain im2col version passes the same specs):
- channels last (NHWC) inside: a window row is then KW*C contiguous numbers, so building the
  columns moves long runs of memory instead of 3-number pieces;
- "strips" instead of full columns: im2col along the width only (KW copies of the input instead
  of KH*KW); the kernel rows are reached by shifting the strip matrix by whole image rows, free;
- no col2im scatter in the backward pass: dx is a second convolution (dout, spread out by the
  stride and padded, with the flipped kernel). Scatter-adds and copies run on one core, matrix
  products on all of them, so the work belongs in the matrix products.
The large intermediates live in work buffers reused between calls (fresh 100 MB arrays cost
page faults); they are never returned and never cached.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided


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


def _geometry(x_shape, kernel_size, stride, padding, dilation):
    """Every size the column layout depends on, with all pairs unpacked."""
    N, C, H, W = x_shape
    (KH, KW), (sh, sw) = pair(kernel_size), pair(stride)
    (ph, pw), (dh, dw) = pair(padding), pair(dilation)
    Hout = output_size(H, KH, sh, ph, dh)
    Wout = output_size(W, KW, sw, pw, dw)
    return N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout


def _windows_nchw(xpad, KH, KW, sh, sw, dh, dw, Hout, Wout):
    """Read-only view (N, Hout, Wout, C, KH, KW) of every receptive field of an NCHW image.

    No copy: element [n, i, j, c, p, q] *is* xpad[n, c, i*sh + p*dh, j*sw + q*dw].
    """
    N, C = xpad.shape[:2]
    s_n, s_c, s_h, s_w = xpad.strides
    return as_strided(xpad, shape=(N, Hout, Wout, C, KH, KW),
                      strides=(s_n, s_h * sh, s_w * sw, s_c, s_h * dh, s_w * dw),
                      writeable=False)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Copy every receptive field of x into one row of a matrix.

    Inputs:
    - x: (N, C, H, W).
    - kernel_size, stride, padding, dilation: int or (h, w) pair.

    Returns cols: (N*Hout*Wout, C*KH*KW), rows ordered (n, i, j) row-major, columns (c, p, q),
    where Hout = (H + 2*ph - dh*(KH - 1) - 1) // sh + 1 and Wout likewise.
    """
    N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout = _geometry(
        x.shape, kernel_size, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = _windows_nchw(xpad, KH, KW, sh, sw, dh, dw, Hout, Wout)
    return windows.reshape(N * Hout * Wout, C * KH * KW)  # reshape of a strided view copies


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    """The adjoint of im2col: add every column entry back onto the pixel it was copied from.

    Inputs:
    - cols: (N*Hout*Wout, C*KH*KW), laid out as im2col returns.
    - x_shape: (N, C, H, W) of the image im2col was applied to.
    - kernel_size, stride, padding, dilation: as given to im2col.

    Returns x: (N, C, H, W). Pixels shared by overlapping windows receive the sum of their
    entries; pixels that only fall in the padding are dropped.
    """
    N, C, H, W, KH, KW, sh, sw, ph, pw, dh, dw, Hout, Wout = _geometry(
        x_shape, kernel_size, stride, padding, dilation)
    # (KH, KW, N, C, Hout, Wout): one contiguous (N, C, Hout, Wout) block per kernel offset.
    blocks = cols.reshape(N, Hout, Wout, C, KH, KW).transpose(4, 5, 0, 3, 1, 2)
    blocks = np.ascontiguousarray(blocks)
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    # One strided add per kernel offset (KH*KW steps), not one per output position.
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            columns = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            xpad[:, :, rows, columns] += blocks[p, q]
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


# ----------------------------------------------------------------------------------------------
# The convolution: channels last and row strips inside, NCHW at the interface.
# ----------------------------------------------------------------------------------------------

class _WorkBuffers:
    """Reusable scratch arrays for the large intermediates (about 100 MB each on the milestone).

    A fresh large array costs page faults on first touch (the OS hands out zeroed pages), so
    these are kept between calls. A work buffer is only ever an intermediate: it is never
    returned and never kept in a cache, so the next call may overwrite it. Not thread-safe.
    """

    def __init__(self):
        self._buffers = {}

    def get(self, name, shape, dtype):
        size = int(np.prod(shape))
        key = (name, np.dtype(dtype))
        buffer = self._buffers.get(key)
        if buffer is None or buffer.size < size:
            buffer = self._buffers[key] = np.empty(size, dtype=dtype)
        return buffer[:size].reshape(shape)

    def release(self):
        self._buffers.clear()


_work = _WorkBuffers()


def release_work_buffers():
    """Free the work buffers kept between calls (e.g. before measuring peak memory)."""
    _work.release()


def _pad_channels_last(x, pad_h, pad_w, dtype):
    """Fresh (N, H + 2*pad_h, W + 2*pad_w, C) zero-padded copy of an NCHW array, channels last."""
    N, C, H, W = x.shape
    xpad = np.zeros((N, H + 2 * pad_h, W + 2 * pad_w, C), dtype=dtype)
    xpad[:, pad_h:pad_h + H, pad_w:pad_w + W, :] = x.transpose(0, 2, 3, 1)
    return xpad


def _strips(xpad, KW, sw, Wout):
    """Row strips (N*Hp*Wout, KW*C) of an NHWC image: strip[(n, h, j), (q, c)] = xpad[n, h, j*sw + q, c].

    This is im2col along the width only (KW copies of the input, not KH*KW). The kernel rows are
    then reached by *shifting* the strip matrix by whole image rows, which costs nothing: the
    rows for kernel row p start Wout*p rows further down. Written into a work buffer.
    """
    N, Hp, _, C = xpad.shape
    s_n, s_h, s_w, s_c = xpad.strides
    windows = as_strided(xpad, shape=(N, Hp, Wout, KW, C),
                         strides=(s_n, s_h, s_w * sw, s_w, s_c), writeable=False)
    strips = _work.get("strips", windows.shape, xpad.dtype)
    np.copyto(strips, windows)
    return strips.reshape(N * Hp * Wout, KW * C)


def _correlate(xpad, w, stride, bias=None):
    """Fresh NCHW output of the cross-correlation of an NHWC padded image with w (F, C, KH, KW).

    One matrix product gives, for every strip row and every kernel row p, that row's partial
    sums: partial[(p, f), (n, h, j)]. The output row i adds up the partials of kernel row p
    taken at image row i*sh + p: KH shifted slices of long contiguous rows, cheap to add.
    """
    N, Hp, Wp, C = xpad.shape
    F, _, KH, KW = w.shape
    sh, sw = stride
    Hout, Wout = (Hp - KH) // sh + 1, (Wp - KW) // sw + 1
    strips = _strips(xpad, KW, sw, Wout)                          # (N*Hp*Wout, KW*C)
    w_rows = w.transpose(2, 0, 3, 1).reshape(KH * F, KW * C)       # (p, f) x (q, c)
    partial = _work.get("partial", (KH * F, strips.shape[0]), xpad.dtype)
    np.matmul(w_rows, strips.T, out=partial)
    # (N, F, rows, Wout) views of each kernel row's partial sums, already in NCHW order.
    partial = partial.reshape(KH, F, N, Hp, Wout).transpose(0, 2, 1, 3, 4)
    span = sh * (Hout - 1) + 1
    out = np.empty((N, F, Hout, Wout), dtype=xpad.dtype)
    if KH == 1:
        np.copyto(out, partial[0, :, :, 0:span:sh])
    else:
        np.add(partial[0, :, :, 0:span:sh], partial[1, :, :, 1:1 + span:sh], out=out)
    for p in range(2, KH):
        out += partial[p, :, :, p:p + span:sh]
    if bias is not None:
        out += bias.reshape(F, 1, 1).astype(xpad.dtype, copy=False)
    return out


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a 2-D convolution (cross-correlation) as one large matrix product.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C, KH, KW) filters.
    - b: (F,) biases.
    - stride, padding: int or (h, w) pair.

    Returns (out, cache):
    - out: (N, F, Hout, Wout), Hout = (H + 2*ph - KH) // sh + 1, Wout likewise.
    - cache: what conv2d_backward needs (the padded input, channels last, and the weights).
    """
    F, C_w, KH, KW = w.shape
    N, C, H, W, KH, KW, sh, sw, ph, pw, _, _, Hout, Wout = _geometry(
        x.shape, (KH, KW), stride, padding, 1)
    if C != C_w:
        raise ValueError(f"x has {C} channels but w expects {C_w}")
    dtype = np.result_type(x, w, b)
    w = w.astype(dtype, copy=False)
    xpad = _pad_channels_last(x, ph, pw, dtype)
    out = _correlate(xpad, w, (sh, sw), bias=b)
    return out, (xpad, w, x.shape, (sh, sw), (ph, pw))


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: from conv2d_forward.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, KH, KW) and b (F,).
    """
    xpad, w, x_shape, stride, padding = cache
    dout = dout.astype(xpad.dtype, copy=False)
    db = dout.sum(axis=(0, 2, 3))
    dw = _weight_gradient(dout, xpad, w.shape, stride)
    dx = _input_gradient(dout, w, x_shape, stride, padding)
    return dx, dw, db


def _weight_gradient(dout, xpad, w_shape, stride):
    """dw[f, c, p, q] = sum over (n, i, j) of dout[n, f, i, j] * xpad[n, i*sh + p, j*sw + q, c].

    dout is laid out on the strips' grid (at image rows i*sh, zeros elsewhere); kernel row p is
    then the product with the strips shifted down by p image rows: KH matrix products.
    """
    F, C, KH, KW = w_shape
    N, Hp, _, _ = xpad.shape
    (sh, sw), (_, _, Hout, Wout) = stride, dout.shape
    strips = _strips(xpad, KW, sw, Wout)                           # (N*Hp*Wout, KW*C)
    placed = _work.get("placed", (F, N, Hp, Wout), dout.dtype)
    placed.fill(0)
    placed[:, :, 0:sh * (Hout - 1) + 1:sh] = dout.transpose(1, 0, 2, 3)
    placed = placed.reshape(F, N * Hp * Wout)
    used = placed.shape[1] - (KH - 1) * Wout  # the rows past it are zeros of the last image
    dw = np.empty((KH, KW, C, F), dtype=dout.dtype)
    for p in range(KH):
        shifted = strips[p * Wout:p * Wout + used]
        # (KW*C, F) = strips^T @ dout^T: OpenBLAS splits this orientation well across cores.
        np.matmul(shifted.T, placed[:, :used].T, out=dw[p].reshape(KW * C, F))
    return np.ascontiguousarray(dw.transpose(3, 2, 0, 1))


def _input_gradient(dout, w, x_shape, stride, padding):
    """dx as a convolution: dout, spread out by the stride and padded, with the flipped kernel.

    Input pixel x[h, v] met weight w[p, q] at every output (i, j) with i*sh + p = h + ph (and
    likewise for the columns). Placing dout[i] at row i*sh + KH - 1 - ph of a zero grid makes
    that a plain stride-1 correlation with w flipped in space and transposed in (f, c): one more
    large matrix product, and no scatter-add (which would run on one core only).
    At stride s the spread-out grid is mostly zeros: s*s times the work of the forward pass.
    """
    N, C, H, W = x_shape
    F, _, KH, KW = w.shape
    (sh, sw), (ph, pw) = stride, padding
    spread = np.zeros((N, H + KH - 1, W + KW - 1, F), dtype=dout.dtype)
    src_rows, dst_rows = _spread_slices(dout.shape[2], sh, KH - 1 - ph, H + KH - 1)
    src_cols, dst_cols = _spread_slices(dout.shape[3], sw, KW - 1 - pw, W + KW - 1)
    spread[:, dst_rows, dst_cols] = dout[:, :, src_rows, src_cols].transpose(0, 2, 3, 1)
    w_flipped = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)         # (C, F, KH, KW)
    return _correlate(spread, w_flipped, (1, 1))


def _spread_slices(count, step, offset, limit):
    """Source and destination slices placing item i at offset + i*step, keeping 0 <= it < limit.

    Items that would land outside only ever met the zero padding: they are dropped.
    """
    first = 0 if offset >= 0 else (-offset + step - 1) // step
    stop = max(first, min(count, (limit - offset + step - 1) // step))
    start = offset + first * step
    return slice(first, stop), slice(start, start + step * (stop - first), step)
