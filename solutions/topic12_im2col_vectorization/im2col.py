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
CIFAR-10 milestone trains on it, and differs from the plain recipe in four ways (specs only see
the public functions, so a learner's plain im2col version passes the same specs):
- "strips" instead of full columns: im2col along the width only (KW copies of the input instead
  of KH*KW); the kernel rows are reached by shifting the strip matrix by whole image rows, free;
- channels last (NHWC) inside, so a strip row is KW*C contiguous numbers: long copies;
- no col2im scatter in the backward pass: dx is a second convolution (of dout, spread out by the
  stride and padded, with the flipped kernel), so all the work is in matrix products;
- the batch is cut into chunks of about 1 MB of strips, so each chunk's copy and product stay in
  the CPU cache, and the chunks are shared between one thread per core, each running
  single-threaded BLAS (copies and adds are single-threaded in NumPy, so this is what puts every
  core to work on them; on a busy machine it is also far steadier than multi-threaded BLAS).
  Without per-thread control of NumPy's BLAS (see _blas_per_thread_control), it falls back to
  one thread, large chunks and multi-threaded BLAS.
"""

import ctypes
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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

def _blas_per_thread_control():
    """OpenBLAS's openblas_set_num_threads_local(n) from NumPy's own copy, or None.

    It sets the BLAS thread count of the calling thread only (OpenBLAS >= 0.3.27), which lets
    our worker threads run single-threaded matrix products side by side without touching anyone
    else's BLAS settings. NumPy built on another BLAS (MKL, Accelerate), or an older OpenBLAS:
    None, and the convolution runs in one thread with multi-threaded BLAS instead.
    """
    numpy_dir = Path(np.__file__).resolve().parent
    candidates = [*numpy_dir.parent.glob("numpy.libs/*openblas*"),
                  *numpy_dir.glob(".dylibs/*openblas*"), *numpy_dir.glob("*.libs/*openblas*")]
    for library in candidates:
        try:
            return ctypes.CDLL(str(library)).openblas_set_num_threads_local
        except (OSError, AttributeError):  # pragma: no cover (depends on NumPy's build)
            continue
    return None  # pragma: no cover (depends on NumPy's build)


_SET_BLAS_THREADS_HERE = _blas_per_thread_control()
# KATA_THREADS caps the threads (as in Topic 17); the benchmark's --threads sets it.
_THREADS = min(os.cpu_count() or 1, int(os.environ.get("KATA_THREADS", os.cpu_count() or 1)))
_THREADS = max(1, _THREADS) if _SET_BLAS_THREADS_HERE is not None else 1
# Images per chunk: small enough that a chunk's strips and partial sums stay in the cache while
# they are used (single-threaded BLAS), or large enough for multi-threaded BLAS to pay off.
_CHUNK_BYTES = 1 << 20 if _SET_BLAS_THREADS_HERE is not None else 64 << 20
_pool = None


def _forget_pool():  # pragma: no cover (runs in a forked child)
    global _pool
    _pool = None  # threads do not survive a fork: a child process starts its own pool


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _in_parallel(task, count):
    """task(start, stop) over contiguous parts of range(count), one per thread; their results."""
    global _pool
    if _SET_BLAS_THREADS_HERE is None:  # pragma: no cover (depends on NumPy's build)
        return [task(0, count)]
    if _THREADS < 2 or count < 2:
        previous = _SET_BLAS_THREADS_HERE(1)  # small chunks want single-threaded BLAS ...
        try:
            return [task(0, count)]
        finally:
            _SET_BLAS_THREADS_HERE(previous)  # ... but only while they run: the caller's again
    if _pool is None:
        _pool = ThreadPoolExecutor(_THREADS, thread_name_prefix="conv")
    parts = min(_THREADS, count)
    bounds = [count * k // parts for k in range(parts + 1)]

    def single_threaded_blas(start, stop):
        _SET_BLAS_THREADS_HERE(1)  # this worker thread only: the threads are the parallelism
        return task(start, stop)

    return list(_pool.map(single_threaded_blas, bounds[:-1], bounds[1:]))


def _chunks(start, stop, bytes_per_image):
    """(first, count) pieces of range(start, stop) of about _CHUNK_BYTES each."""
    per = max(1, min(stop - start, _CHUNK_BYTES // max(1, bytes_per_image)))
    return [(first, min(per, stop - first)) for first in range(start, stop, per)]


class _Grid:
    """Where each chunk of an NCHW array goes in a zero-filled channels-last (NHWC) grid.

    Item i along the height lands at row offset_h + i*step_h (columns likewise); items that
    would land outside the grid only ever met zero padding and are dropped. The forward pass
    pads x (step 1, offset = padding); the input gradient spreads dout out (step = stride).
    """

    def __init__(self, src_hw, grid_hw, offsets, steps):
        self.shape_hw = grid_hw
        self.src_rows, self.rows = _spread_slices(src_hw[0], steps[0], offsets[0], grid_hw[0])
        self.src_cols, self.cols = _spread_slices(src_hw[1], steps[1], offsets[1], grid_hw[1])

    def buffer(self, count, channels, dtype):
        return np.zeros((count, *self.shape_hw, channels), dtype=dtype)

    def place(self, src, buffer):
        """buffer (n, GH, GW, C) <- src (n, C, h, w), at the grid positions (borders stay 0)."""
        region = buffer[:, self.rows, self.cols]
        region[...] = src[:, :, self.src_rows, self.src_cols].transpose(0, 2, 3, 1)
        return buffer


def _strips(grid, KW, sw, Wout):
    """Row strips (n*GH*Wout, KW*C) of an NHWC grid: strip[(m, h, j), (q, c)] = grid[m, h, j*sw + q, c].

    im2col along the width only (KW copies of the input, not KH*KW): the kernel rows are then
    reached by *shifting* the strip matrix by whole image rows (Wout rows per image row), free.
    """
    n, GH, _, C = grid.shape
    s_n, s_h, s_w, s_c = grid.strides
    windows = as_strided(grid, shape=(n, GH, Wout, KW, C),
                         strides=(s_n, s_h, s_w * sw, s_w, s_c), writeable=False)
    return np.ascontiguousarray(windows).reshape(n * GH * Wout, KW * C)


def _correlate(src, grid, w, stride, bias=None):
    """Fresh NCHW cross-correlation of the gridded src (N, C, h, w) with w (F, C, KH, KW).

    Per chunk of images, one matrix product gives every kernel row's partial sums,
    partial[(p, f), (m, h, j)]; output row i adds kernel row p's partials taken at grid row
    i*sh + p: KH shifted slices, already in NCHW order.
    """
    N, C = src.shape[:2]
    F, _, KH, KW = w.shape
    (GH, GW), (sh, sw) = grid.shape_hw, stride
    Hout, Wout = (GH - KH) // sh + 1, (GW - KW) // sw + 1
    span = sh * (Hout - 1) + 1
    w_rows = w.transpose(2, 0, 3, 1).reshape(KH * F, KW * C)        # (p, f) x (q, c)
    out = np.empty((N, F, Hout, Wout), dtype=w.dtype)

    def task(start, stop):
        images = None
        for first, n in _chunks(start, stop, GH * Wout * KW * C * w.itemsize):
            if images is None or len(images) != n:
                images = grid.buffer(n, C, w.dtype)
            strips = _strips(grid.place(src[first:first + n], images), KW, sw, Wout)
            partial = (w_rows @ strips.T).reshape(KH, F, n, GH, Wout).transpose(0, 2, 1, 3, 4)
            block = out[first:first + n]
            if bias is None:
                np.copyto(block, partial[0, :, :, 0:span:sh])
            else:
                np.add(partial[0, :, :, 0:span:sh], bias.reshape(F, 1, 1), out=block)
            for p in range(1, KH):
                block += partial[p, :, :, p:p + span:sh]

    _in_parallel(task, N)
    return out


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a 2-D convolution (cross-correlation) as large matrix products.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C, KH, KW) filters.
    - b: (F,) biases.
    - stride, padding: int or (h, w) pair.

    Returns (out, cache):
    - out: (N, F, Hout, Wout), Hout = (H + 2*ph - KH) // sh + 1, Wout likewise.
    - cache: what conv2d_backward needs (copies of x and w, the stride and the padding).
    """
    F, C_w, KH, KW = w.shape
    N, C, H, W, KH, KW, sh, sw, ph, pw, _, _, Hout, Wout = _geometry(
        x.shape, (KH, KW), stride, padding, 1)
    if C != C_w:
        raise ValueError(f"x has {C} channels but w expects {C_w}")
    dtype = np.result_type(x, w, b)
    x, w, b = (a.astype(dtype, copy=False) for a in (x, w, b))
    grid = _Grid((H, W), (H + 2 * ph, W + 2 * pw), (ph, pw), (1, 1))
    out = _correlate(x, grid, w, (sh, sw), bias=b)
    return out, (x.copy(), w.copy(), (sh, sw), (ph, pw))  # copies: the caller may change x later


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: from conv2d_forward.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, KH, KW) and b (F,).
    """
    x, w, stride, padding = cache
    dout = dout.astype(w.dtype, copy=False)
    db = dout.sum(axis=(0, 2, 3))
    dw = _weight_gradient(dout, x, w.shape, stride, padding)
    dx = _input_gradient(dout, w, x.shape, stride, padding)
    return dx, dw, db


def _weight_gradient(dout, x, w_shape, stride, padding):
    """dw[f, c, p, q] = sum over (n, i, j) of dout[n, f, i, j] * xpad[n, c, i*sh + p, j*sw + q].

    Per chunk: dout laid out on the strips' grid (at rows i*sh, zeros elsewhere), times the strips
    shifted down by p image rows, for each kernel row p: KH matrix products.
    """
    F, C, KH, KW = w_shape
    N, _, H, W = x.shape
    (sh, sw), (ph, pw), (Hout, Wout) = stride, padding, dout.shape[2:]
    grid = _Grid((H, W), (H + 2 * ph, W + 2 * pw), (ph, pw), (1, 1))
    GH = grid.shape_hw[0]
    span = sh * (Hout - 1) + 1

    def task(start, stop):
        dw = np.zeros((KH, KW * C, F), dtype=dout.dtype)
        images = None
        for first, n in _chunks(start, stop, GH * Wout * KW * C * dout.itemsize):
            if images is None or len(images) != n:
                images = grid.buffer(n, C, dout.dtype)
            strips = _strips(grid.place(x[first:first + n], images), KW, sw, Wout)
            placed = np.zeros((F, n, GH, Wout), dtype=dout.dtype)
            placed[:, :, 0:span:sh] = dout[first:first + n].transpose(1, 0, 2, 3)
            placed = placed.reshape(F, n * GH * Wout)
            used = placed.shape[1] - (KH - 1) * Wout  # past it: zeros of the last image
            for p in range(KH):
                dw[p] += strips[p * Wout:p * Wout + used].T @ placed[:, :used].T
        return dw

    dw = sum(_in_parallel(task, N))                    # (KH, KW*C, F), columns (q, c)
    return np.ascontiguousarray(dw.reshape(KH, KW, C, F).transpose(3, 2, 0, 1))


def _input_gradient(dout, w, x_shape, stride, padding):
    """dx as a convolution: dout, spread out by the stride and padded, with the flipped kernel.

    Input pixel x[h, v] met weight w[p, q] at every output (i, j) with i*sh + p = h + ph (and
    likewise for the columns). Placing dout[i] at row i*sh + KH - 1 - ph of a zero grid makes
    that a plain stride-1 correlation with w flipped in space and transposed in (f, c): more
    large matrix products, and no scatter-add (which would run on one core only).
    At stride s the spread-out grid is mostly zeros: s*s times the work of the forward pass.
    """
    _, _, H, W = x_shape
    _, _, KH, KW = w.shape
    (sh, sw), (ph, pw) = stride, padding
    grid = _Grid(dout.shape[2:], (H + KH - 1, W + KW - 1), (KH - 1 - ph, KW - 1 - pw), (sh, sw))
    w_flipped = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)         # (C, F, KH, KW)
    return _correlate(dout, grid, w_flipped, (1, 1))


def _spread_slices(count, step, offset, limit):
    """Source and destination slices placing item i at offset + i*step, keeping 0 <= it < limit.

    Items that would land outside only ever met the zero padding: they are dropped.
    """
    first = 0 if offset >= 0 else (-offset + step - 1) // step
    stop = max(first, min(count, (limit - offset + step - 1) // step))
    start = offset + first * step
    return slice(first, stop), slice(start, start + step * (stop - first), step)
