"""The tuned convolution: Topic 12's `conv2d_forward` / `conv2d_backward`, made fast.

Same public functions, same results as `solutions/topic12_im2col_vectorization/im2col.py` (the
textbook version: im2col, one matrix product, col2im), checked against it by `specs/fastpath/`.
It keeps the one-big-product idea and cuts what the Topic 12 benchmark shows the time goes into:
*moving memory* (building the column matrix, transposing it, col2im's scatter-adds), not the
multiply-adds. Measured on the milestone's layer (N=128, C=F=64, 32x32, 3x3, pad 1, float32,
forward + backward, one thread, `tox -e bench -- --threads 1`): textbook 3160 ms and 708 MB,
this file 569 ms and 99 MB, PyTorch 443 ms and 128 MB. Four changes, each marked where it is made:

1. **Strips, not full columns** (`_strips`): im2col along the width only, KW copies of the input
   instead of KH*KW (3x fewer bytes written for 3x3); the kernel rows are reached by *shifting* the
   strip matrix by whole image rows, which is free (a slice, not a copy).
2. **Channels last inside** (`_Grid`): the image is copied once into an NHWC grid, so a strip row
   (KW pixels x C channels) is one contiguous run: long copies instead of C short ones.
3. **dx as a second convolution** (`_input_gradient`): dout, spread out by the stride and padded,
   correlated with the flipped kernel. All the backward work is matrix products; no col2im
   scatter-add (which NumPy runs on one core, element block by element block).
4. **Cache-sized chunks over a thread pool** (`_chunks`, `_in_parallel`): about 1 MB of strips per
   chunk, so a chunk is copied and multiplied while it is in the CPU cache; the chunks are split
   between one thread per core, each running *single-threaded* OpenBLAS (NumPy's copies and adds
   use one core only; the threads put every core to work on them too, and on a busy machine this
   is far steadier than one multi-threaded BLAS call).

The memory drop (708 MB -> 99 MB) comes from 1 and 4: no full column matrix is ever held, and
the cache keeps x and w, not the columns. Without per-thread control of NumPy's BLAS (NumPy built
on MKL or Accelerate, or an OpenBLAS older than 0.3.27), the pool falls back to one thread, large
chunks and multi-threaded BLAS.

`KATA_THREADS` caps the pool's threads (the benchmark's and the milestone's `--threads` set it);
`set_threads(n)` changes it at run time (the specs check both paths).
"""

import ctypes
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import as_strided

from solutions.topic12_im2col_vectorization.im2col import output_size, pair

__all__ = ["conv2d_backward", "conv2d_forward", "set_threads"]


def _geometry(x_shape, kernel_size, stride, padding):
    """Every size the convolution depends on, with all pairs unpacked."""
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw) = pair(kernel_size), pair(stride), pair(padding)
    Hout, Wout = output_size(H, KH, sh, ph), output_size(W, KW, sw, pw)
    return N, C, H, W, KH, KW, sh, sw, ph, pw, Hout, Wout


# ----------------------------------------------------------------------------------------------
# 4. Threads: one per core, each with single-threaded BLAS.
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
# KATA_THREADS caps the threads (as in the milestone); the benchmark's --threads sets it.
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


def set_threads(count):
    """Use `count` threads from now on (1: no pool); returns the previous count.

    Without per-thread BLAS control the convolution always runs in one thread.
    """
    global _THREADS, _pool
    previous = _THREADS
    if _SET_BLAS_THREADS_HERE is not None:
        _THREADS = max(1, int(count))
    if _pool is not None:
        _pool.shutdown(wait=True)
        _pool = None  # the next call starts a pool of the new size
    return previous


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


# ----------------------------------------------------------------------------------------------
# 2. Channels last: the image is copied once into an NHWC grid.
# ----------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------
# 1. Strips: im2col along the width only; the kernel rows by shifting whole image rows.
# ----------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------
# The public functions (Topic 12's contract).
# ----------------------------------------------------------------------------------------------

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
    N, C, H, W, KH, KW, sh, sw, ph, pw, Hout, Wout = _geometry(x.shape, (KH, KW), stride, padding)
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


# ----------------------------------------------------------------------------------------------
# 3. dx as a second convolution: matrix products instead of col2im's scatter-adds.
# ----------------------------------------------------------------------------------------------

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
