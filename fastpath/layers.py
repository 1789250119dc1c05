"""The milestone's fast layer set: Topics 12-14's layers in float32, channels last, threaded,
plus fused calls for the layer pairs the milestone network repeats.

`solutions/topic17_cifar10_from_scratch/layers.py` is the plain layer set a learner writes (the
Topic 12-14 functions, one call per layer). The reference milestone (`python -m milestone --impl
solutions`) trains on *this* module instead (`milestone/network.py` swaps it in; set
`KATA_FAST_LAYERS=0` to train the reference on the plain layers). `specs/fastpath/` checks every
function here against the plain layers.

Where the time went and what each change bought (64/128/256 or 32/64/128 network, batch 512, a
2-core machine; whole training step unless said otherwise):

- **float32, channels last** (`_nhwc`): arrays are NCHW *views* of NHWC memory, as PyTorch's
  `channels_last`; the im2col rows and the BN/ReLU passes are then long contiguous runs.
- **threads over the batch** (`_parallel`): one thread per core, OpenBLAS single-threaded
  (the milestone sets OPENBLAS_NUM_THREADS=1). Many small single-threaded GEMMs in two Python
  threads beat one big two-threaded GEMM by 3-7x when the machine is busy, and NumPy's copies
  and elementwise passes (single-threaded) run on both cores too.
- **cache-sized im2col chunks** (`_im2col_chunks`, CHUNK_BYTES = 1 MB per thread): each chunk's
  columns are built and multiplied while they are in L2; no full column matrix is ever held.
- **a 0.5 ms GIL switch interval** while the pool runs: two threads' GEMMs scaled 1.9x instead of
  1.6x in isolation; the step got 2-3% faster.
- **column sums by BLAS** (`_column_sums`): `ones @ a` instead of `a.sum(0)`, which took 17 ms on
  a (491k, 32) array.
- **conv + 2x2 max pool fused** (`conv2d_maxpool2d_forward` / `_backward`): im2col rows in
  pooling-window order, pooling done while the chunk is in cache, only the conv outputs a window
  reads computed (6-27% of those convs' work), three boolean masks kept instead of the conv
  output. The first group's dw plus pool backward: 76.6 ms -> 59-67 ms; the 32/64/128 step with
  the whitening bias frozen: 452 ms -> 405-420 ms.
- **the whitening layer** (`conv2d_relu_forward`, `conv2d_maxpool2d_relu_bias_backward`): conv +
  bias + ReLU in one pass from whole channel planes, and the whitening-bias gradient as one
  weight-gradient-sized GEMM instead of the first group's full input gradient. The step with the
  whitening bias still training: 498 ms -> 450-462 ms (32/64/128).
- **BN + ReLU fused** (`batchnorm2d_relu_forward` / `_backward`): 1 MB blocks, a few passes each
  while the block is in cache, sums of products as a gemv on the in-cache product instead of the
  diagonal of a C x C GEMM (5 GFLOP a step saved at 64/128/256): 1,022 ms -> 981 ms a step.
- **conv + pool by Winograd F(2x2, 3x3)** (`fastpath/winograd.py`, `_winograd_pool`): once
  the GEMMs ran at OpenBLAS's peak, only fewer multiplies could help. Winograd's 2x2 output tiles
  are exactly the pooling windows, so every tile's outputs are used; 16 products per window
  instead of 36; the transformed patches are kept from forward for backward (about 320 MB at
  batch 512); the whitening bias gradient is dx's masked sum (dx is cheap here). The 64/128/256
  step with the whitening bias frozen: 1,190 -> 986 ms, median of 8 steps each interleaved in
  one process (`tox -e bench-milestone` ratio to PyTorch 0.79 -> 1.00, the same day).
- **tried and dropped**: Topic 12's strips (`fastpath/conv.py`) here were 10-60% slower than
  plain chunked im2col on these shapes; 9 shifted GEMMs for dw (faster only for 24 channels);
  larger chunks (no change); Winograd for the plain 3x3 convs (the second of each group): even
  on 15x15 maps no faster than im2col with two threads (869 vs 883 ms a step), slower on 7x7
  (the tiles overhang: 64 outputs computed for 49) and 3x3 (16 for 9); transforms as 20
  separable elementwise passes instead of one strided copy and a (16, 16) product (25% slower).
  Choosing im2col or Winograd per layer shape by timing both at start-up (2026-12-07, 2-core
  Zen 3, AVX2): Winograd won every milestone layer there too, forward + backward at batch 512,
  median of 6 interleaved pairs: 24->32 on 31x31 211 vs 219 ms, 32->64 on 15x15 148 vs 173,
  64->128 on 7x7 76 vs 116, 24->64 on 31x31 214 vs 237, 64->128 on 15x15 330 vs 487, 128->256
  on 7x7 239 vs 302. A whole-step profile had suggested the opposite for the first two: single
  steps on that machine vary by 10-15%, so compare layers interleaved, not steps.

The fast paths cover the milestone's exact cases (float32, 4-D, stride 1, square kernels, padding
< kernel); any other call falls through to the tuned general convolution (`fastpath/conv.py`) or
the plain Topic 13-14 layers, so every function accepts what the plain layer set accepts.
With the whole step profiled (64/128/256, frozen whitening bias, after Winograd), convolutions are
about 90% of it; the im2col ones at about 80 GFLOP/s per core of this machine's 96-100 (AMD EPYC,
AVX-512 on 256-bit units: OpenBLAS's Haswell and SkylakeX kernels run sgemm equally fast here).
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.lib.stride_tricks import as_strided

from solutions.topic13_pooling_strides import pooling as _t13
from solutions.topic14_resnet_skip_connections import residual as _t14

from . import conv as _conv  # the tuned general convolution, for calls the fast paths skip
from . import winograd as _wg

# Our threads only where BLAS is single-threaded: two threads each calling a multi-threaded
# OpenBLAS oversubscribe the cores and wait on each other (10-50x slower).
THREADS = (max(1, int(os.environ.get("KATA_THREADS", os.cpu_count() or 1)))
           if os.environ.get("OPENBLAS_NUM_THREADS") == "1" else 1)
CHUNK_BYTES = 1 << 20  # im2col rows built and multiplied at a time, per thread (cache-sized)
_POOL = None


def set_threads(count: int) -> int:
    """Split the batch over `count` threads from now on (1: no pool); returns the previous count.

    Only worth it with single-threaded BLAS (the milestone and the benchmark set
    OPENBLAS_NUM_THREADS=1, and then KATA_THREADS gives the count at import); with multi-threaded
    BLAS it is still correct, just oversubscribed. The specs run both settings.
    """
    global THREADS, _POOL
    previous, THREADS = THREADS, max(1, int(count))
    if _POOL is not None:
        _POOL.shutdown(wait=True)
    _POOL = ThreadPoolExecutor(THREADS) if THREADS > 1 else None
    if _POOL is not None:
        # Our threads take the GIL between NumPy calls thousands of times a step. A thread back
        # from a BLAS call can wait for Python's 5 ms switch interval before it gets the GIL
        # again; 0.5 ms made two threads' GEMMs scale 1.9x instead of 1.6x in isolation, and the
        # milestone's step 2-3% faster.
        sys.setswitchinterval(5e-4)
    return previous


set_threads(THREADS)


# ----------------------------------------------------------------------------- helpers
def _parallel(fn, n: int) -> list:
    """Run fn(start, stop) over THREADS contiguous parts of range(n); results in order."""
    parts = min(THREADS, n)
    bounds = [n * i // parts for i in range(parts + 1)]
    if _POOL is None or parts == 1:
        return [fn(bounds[0], bounds[-1])]
    return list(_POOL.map(fn, bounds[:-1], bounds[1:]))


def _nhwc(x: np.ndarray) -> np.ndarray:
    """NCHW-semantics array -> C-contiguous NHWC array (free when x is channels-last)."""
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1))


def _pair(v) -> tuple[int, int]:
    return (v, v) if np.isscalar(v) else tuple(v)


def _column_sums(a2: np.ndarray) -> np.ndarray:
    """a2 (M, C) float32 -> (C,) sums over rows, by BLAS in both threads (a2.sum(0) is several
    times slower on the tall, narrow arrays of a channels-last batch)."""
    parts = _parallel(lambda s, z: np.ones(z - s, np.float32) @ a2[s:z], len(a2))
    return sum(parts[1:], parts[0])


def _fast_ok(*arrays) -> bool:
    return all(a.dtype == np.float32 and a.ndim == 4 for a in arrays)


class _Fast:
    """Marks a cache made by a fast path (backward dispatches on it)."""

    __slots__ = ("data",)

    def __init__(self, *data):
        self.data = data


# ----------------------------------------------------------------------------- convolution
def _windows(src, ho, wo, k):
    """(n, ho, wo, k, k*C) view of NHWC src: for each output pixel and kernel row, the k*C
    contiguous values under the kernel (adjacent pixels are adjacent in memory)."""
    s = src.strides
    return as_strided(src, (src.shape[0], ho, wo, k, k * src.shape[3]), (s[0], s[1], s[2], s[1], s[3]),
                      writeable=False)


def _im2col_chunks(xh, start, stop, k, pad, ho, wo):
    """Yield (s, n, cols (n*ho*wo, k*k*C)) for images start:stop, a cache-sized chunk at a time."""
    _, h, w, c = xh.shape
    per = max(1, min(stop - start, CHUNK_BYTES // (ho * wo * k * k * c * 4)))
    xp = np.zeros((per, h + 2 * pad, w + 2 * pad, c), np.float32) if pad else None
    cols = np.empty((per, ho, wo, k, k * c), np.float32)
    for s in range(start, stop, per):
        n = min(stop, s + per) - s
        if pad:
            xp[:n, pad:pad + h, pad:pad + w] = xh[s:s + n]
            src = xp[:n]
        else:
            src = xh[s:s + n]
        cols[:n] = _windows(src, ho, wo, k)
        yield s, n, cols[:n].reshape(-1, k * k * c)


def _conv_rows(xh, wm, out, start, stop, k, pad):
    """out[start:stop] = stride-1 convolution of NHWC xh[start:stop] (weights as rows wm)."""
    ho, wo, f = out.shape[1:]
    for s, n, cols in _im2col_chunks(xh, start, stop, k, pad, ho, wo):
        np.matmul(cols, wm, out=out[s:s + n].reshape(-1, f))


def _conv_dw_rows(xh, dh, k, pad, start, stop):
    """Partial weight gradient (k*k*C, F) from images start:stop."""
    ho, wo, f = dh.shape[1:]
    dw = np.zeros((k * k * xh.shape[3], f), np.float32)
    for s, n, cols in _im2col_chunks(xh, start, stop, k, pad, ho, wo):
        dw += cols.T @ dh[s:s + n].reshape(-1, f)
    return dw


def conv2d_forward(x, w, b, stride=1, padding=0):
    k, kw = w.shape[2:]
    pad = _pair(padding)
    if not (_fast_ok(x, w) and _pair(stride) == (1, 1) and k == kw and pad[0] == pad[1] < k):
        return _conv.conv2d_forward(x, w, b, stride, padding)
    xh = _nhwc(x)
    n, h, wd, c = xh.shape
    f, p = w.shape[0], pad[0]
    ho, wo = h + 2 * p - k + 1, wd + 2 * p - k + 1
    wm = np.ascontiguousarray(w.transpose(2, 3, 1, 0)).reshape(k * k * c, f)
    out = np.empty((n, ho, wo, f), np.float32)
    _parallel(lambda a, z: _conv_rows(xh, wm, out, a, z, k, p), n)
    if b is not None and np.any(b):
        out += b.astype(np.float32)
    return out.transpose(0, 3, 1, 2), _Fast(xh, w, p)


def conv2d_relu_forward(x, w, b, stride=1, padding=0):
    """relu(conv2d_forward(x, w, b, stride, padding)), the bias and ReLU applied to each chunk
    while it is in cache. The cache is relu_forward's: the network needs no gradient w.r.t. these
    (frozen) weights, only the ReLU's mask.

    The network's whitening layer (2x2 filters over 3 channels, no padding) takes this path with
    an NCHW batch of images: im2col from whole planes (one shifted copy of each channel plane per
    kernel tap) rather than from pixels (a copy of k*C = 6 values per pixel and row)."""
    k, kw = w.shape[2:]
    planar = x.ndim == 4 and x.flags.c_contiguous and _pair(padding) == (0, 0)
    if not (_fast_ok(x, w) and _pair(stride) == (1, 1) and k == kw and planar):
        return relu_forward(conv2d_forward(x, w, b, stride, padding)[0])
    n, c, h, wd = x.shape
    f, ho, wo = w.shape[0], h - k + 1, wd - k + 1
    wt = np.ascontiguousarray(w.reshape(f, -1).T)            # (C*k*k, F), rows (c, i, j)
    b32 = np.zeros(f, np.float32) if b is None else b.astype(np.float32)
    out = np.empty((n, ho, wo, f), np.float32)
    per = max(1, CHUNK_BYTES // (c * k * k * ho * wo * 4))

    def part(a, z):
        planes = np.empty((c, k, k, per, ho, wo), np.float32)
        for s in range(a, z, per):
            m = min(z, s + per) - s
            chunk = planes[:, :, :, :m]
            for i in range(k):
                for j in range(k):
                    chunk[:, i, j] = x[s:s + m, :, i:i + ho, j:j + wo].transpose(1, 0, 2, 3)
            y = out[s:s + m].reshape(-1, f)
            np.matmul(chunk.reshape(c * k * k, -1).T, wt, out=y)
            y += b32
            np.maximum(y, 0, out=y)

    _parallel(part, n)
    return out.transpose(0, 3, 1, 2), _Fast(out)


def conv2d_backward(dout, cache):
    if not isinstance(cache, _Fast):
        return _conv.conv2d_backward(dout, cache)
    xh, w, p = cache.data
    k = w.shape[2]
    dh = _nhwc(dout.astype(np.float32, copy=False))
    dw, db = conv2d_backward_weights(dout, cache)
    # dx is the full convolution of dout with the flipped, transposed kernel
    f, c = w.shape[:2]
    wflip = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(2, 3, 0, 1)).reshape(k * k * f, c)
    dx = np.empty(xh.shape, np.float32)
    _parallel(lambda a, z: _conv_rows(dh, wflip, dx, a, z, k, k - 1 - p), len(xh))
    return dx.transpose(0, 3, 1, 2), dw, db


def conv2d_backward_weights(dout, cache):
    """(dw, db): conv2d_backward without dx, for a layer whose input needs no gradient (the
    network's first trained conv once the whitening bias is frozen), as Topic 12's."""
    if not isinstance(cache, _Fast):
        return _conv.conv2d_backward(dout, cache)[1:]
    xh, w, p = cache.data
    f, c, k, _ = w.shape
    dh = _nhwc(dout.astype(np.float32, copy=False))
    dw = sum(_parallel(lambda a, z: _conv_dw_rows(xh, dh, k, p, a, z), len(xh)))
    dw = np.ascontiguousarray(dw.reshape(k, k, c, f).transpose(3, 2, 0, 1))
    return dw, _column_sums(dh.reshape(-1, f))


# ----------------------------------------------------------------------------- max pooling
def _window_slices(arr, k, ho, wo):
    """The k*k strided views arr[:, i::k, j::k] cropped to (ho, wo), in row-major window order."""
    return [arr[:, i:i + ho * k[0]:k[0], j:j + wo * k[1]:k[1]]
            for i in range(k[0]) for j in range(k[1])]


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    k = _pair(kernel_size)
    if not (_fast_ok(x) and (stride is None or _pair(stride) == k) and _pair(padding) == (0, 0)):
        return _t13.maxpool2d_forward(x, kernel_size, stride, padding)
    xh = _nhwc(x)
    n, h, w, c = xh.shape
    ho, wo = h // k[0], w // k[1]
    out = np.empty((n, ho, wo, c), np.float32)

    def part(a, z):
        first, *rest = _window_slices(xh[a:z], k, ho, wo)
        np.maximum(first, rest[0], out=out[a:z]) if rest else np.copyto(out[a:z], first)
        for other in rest[1:]:
            np.maximum(out[a:z], other, out=out[a:z])

    _parallel(part, n)
    return out.transpose(0, 3, 1, 2), _Fast(xh, out, k)


def maxpool2d_backward(dout, cache):
    if not isinstance(cache, _Fast):
        return _t13.maxpool2d_backward(dout, cache)
    xh, out, k = cache.data
    n, h, w, c = xh.shape
    ho, wo = out.shape[1:3]
    dh = _nhwc(dout.astype(np.float32, copy=False))
    dx = np.empty_like(xh)
    dx[:, ho * k[0]:] = 0   # rows and columns no window covers
    dx[:, :, wo * k[1]:] = 0

    def part(a, z):
        win = xh[a:z, :ho * k[0], :wo * k[1]].reshape(z - a, ho, k[0], wo, k[1], c)
        dwin = dx[a:z, :ho * k[0], :wo * k[1]].reshape(z - a, ho, k[0], wo, k[1], c)
        pooled = out[a:z, :, None, :, None]
        hit = win == pooled
        if np.count_nonzero(hit) != pooled.size:  # ties: the first maximum in row-major order
            taken = np.zeros(out[a:z].shape, bool)
            for i in range(k[0]):
                for j in range(k[1]):
                    hit[:, :, i, :, j] &= ~taken
                    taken |= hit[:, :, i, :, j]
        np.multiply(hit, dh[a:z, :, None, :, None], out=dwin)

    _parallel(part, n)
    return dx.transpose(0, 3, 1, 2)


# ----------------------------------------------------------------------------- batch norm
def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    if not _fast_ok(x):
        return _t14.batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
    xh = _nhwc(x)
    n, h, w, c = xh.shape
    m = n * h * w
    x2 = xh.reshape(m, c)
    if train:
        mean = sum(_parallel(lambda a, z: x2[a:z].sum(0, dtype=np.float64), m)) / m
        xhat = np.empty_like(x2)
        mean32 = mean.astype(np.float32)

        def centre(a, z):
            np.subtract(x2[a:z], mean32, out=xhat[a:z])
            return np.einsum("ij,ij->j", xhat[a:z], xhat[a:z], dtype=np.float64)

        var = sum(_parallel(centre, m)) / m
        inv_std = (1.0 / np.sqrt(var + eps)).astype(np.float32)
        old_mean, old_var = state["running_mean"], state["running_var"]
        state["running_mean"] = ((1 - momentum) * old_mean + momentum * mean).astype(old_mean.dtype)
        state["running_var"] = ((1 - momentum) * old_var
                                + momentum * var * (m / max(m - 1, 1))).astype(old_var.dtype)
    else:
        mean32 = np.asarray(state["running_mean"], np.float32)
        inv_std = (1.0 / np.sqrt(np.asarray(state["running_var"], np.float64) + eps)
                   ).astype(np.float32)
        xhat = np.empty_like(x2)
        _parallel(lambda a, z: np.subtract(x2[a:z], mean32, out=xhat[a:z]), m)
    out = np.empty_like(x2)
    g32, b32 = gamma.astype(np.float32), beta.astype(np.float32)

    def scale(a, z):
        np.multiply(xhat[a:z], inv_std, out=xhat[a:z])
        np.multiply(xhat[a:z], g32, out=out[a:z])
        out[a:z] += b32

    _parallel(scale, m)
    cache = _Fast(xhat, g32, inv_std, (n, h, w, c), train)
    return out.reshape(n, h, w, c).transpose(0, 3, 1, 2), cache


def batchnorm2d_backward(dout, cache):
    if not isinstance(cache, _Fast):
        return _t14.batchnorm2d_backward(dout, cache)
    xhat, g32, inv_std, shape, train = cache.data
    m, c = xhat.shape
    d2 = _nhwc(dout.astype(np.float32, copy=False)).reshape(m, c)
    sums = _parallel(lambda a, z: (d2[a:z].sum(0, dtype=np.float64),
                                   np.einsum("ij,ij->j", d2[a:z], xhat[a:z], dtype=np.float64)), m)
    dbeta = sum(s[0] for s in sums)
    dgamma = sum(s[1] for s in sums)
    dx = np.empty_like(d2)
    shift, slope, k = (dbeta / m).astype(np.float32), (dgamma / m).astype(np.float32), g32 * inv_std
    if not train:  # running statistics are constants: no terms through the batch mean/variance
        shift, slope = np.zeros_like(shift), np.zeros_like(slope)

    def part(a, z):
        np.multiply(xhat[a:z], slope, out=dx[a:z])
        np.subtract(d2[a:z], dx[a:z], out=dx[a:z])
        dx[a:z] -= shift
        dx[a:z] *= k

    _parallel(part, m)
    return (dx.reshape(shape).transpose(0, 3, 1, 2), dgamma.astype(np.float32),
            dbeta.astype(np.float32))


# ----------------------------------------------------------------------------- BN + ReLU
BLOCK_BYTES = 1 << 20   # rows per elementwise block: several passes over one block stay in L2


def _blocks(a2, start, stop):
    """Row ranges of a2 (M, C) covering start:stop, about BLOCK_BYTES each."""
    step = max(1, BLOCK_BYTES // (a2.shape[1] * a2.itemsize))
    return [(s, min(stop, s + step)) for s in range(start, stop, step)]


def _sums(a, b, ones):
    """Per-channel sums of one block a (rows, C) and of a * b, float64 (C,) each: BLAS gemv on
    the block and on the product (in cache), rather than the diagonal of a.T @ b (C times the
    work: 5 GFLOP a step for the 64/128/256 network)."""
    return (ones @ a).astype(np.float64), (ones @ (a * b)).astype(np.float64)


def _channel_sums(a2):
    """Per-channel sums of a2 (M, C) and of a2 * a2, float64 (C,) each, block by block."""
    def part(start, stop):
        sums = [_sums(a2[s:z], a2[s:z], np.ones(z - s, np.float32))
                for s, z in _blocks(a2, start, stop)]
        return sum(t for t, _ in sums), sum(q for _, q in sums)
    parts = _parallel(part, len(a2))
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def batchnorm2d_relu_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    """relu(batchnorm2d_forward(x, ...)) in a few passes: the network uses it when the layer set
    has it (the reference does; the learner's Topics 14 layers are used one by one)."""
    if not _fast_ok(x):
        out, bn_cache = batchnorm2d_forward(x, gamma, beta, state, train, momentum, eps)
        out, relu_cache = relu_forward(out)
        return out, ("split", bn_cache, relu_cache)
    xh = _nhwc(x)
    n, h, w, c = xh.shape
    m = n * h * w
    x2 = xh.reshape(m, c)
    if train:
        total, squares = _channel_sums(x2)
        mean = total / m
        var = np.maximum(squares / m - mean * mean, 0.0)
        old_mean, old_var = state["running_mean"], state["running_var"]
        state["running_mean"] = ((1 - momentum) * old_mean + momentum * mean).astype(old_mean.dtype)
        state["running_var"] = ((1 - momentum) * old_var
                                + momentum * var * (m / max(m - 1, 1))).astype(old_var.dtype)
    else:
        mean = np.asarray(state["running_mean"], np.float64)
        var = np.asarray(state["running_var"], np.float64)
    inv_std = 1.0 / np.sqrt(var + eps)
    scale = gamma.astype(np.float64) * inv_std
    a32, b32 = scale.astype(np.float32), (beta - mean * scale).astype(np.float32)
    out = np.empty_like(x2)

    def part(start, stop):
        for s, z in _blocks(x2, start, stop):
            np.multiply(x2[s:z], a32, out=out[s:z])
            out[s:z] += b32
            np.maximum(out[s:z], 0, out=out[s:z])

    _parallel(part, m)
    cache = _Fast(x2, out, mean, inv_std, scale, train, (n, h, w, c))
    return out.reshape(n, h, w, c).transpose(0, 3, 1, 2), cache


def batchnorm2d_relu_backward(dout, cache):
    """(dx, dgamma, dbeta) of batchnorm2d_relu_forward."""
    if not isinstance(cache, _Fast):
        _, bn_cache, relu_cache = cache
        return batchnorm2d_backward(relu_backward(dout, relu_cache), bn_cache)
    x2, out, mean, inv_std, scale, train, shape = cache.data
    m, c = x2.shape
    d2 = _nhwc(dout.astype(np.float32, copy=False)).reshape(m, c)
    dy = np.empty_like(d2)

    def masked_sums(start, stop):
        """dy = d2 where the output was positive, and its sums: dy and dy * x per channel."""
        sums = []
        for s, z in _blocks(x2, start, stop):
            np.multiply(d2[s:z], out[s:z] > 0, out=dy[s:z])
            sums.append(_sums(dy[s:z], x2[s:z], np.ones(z - s, np.float32)))
        return sum(t for t, _ in sums), sum(q for _, q in sums)

    parts = _parallel(masked_sums, m)
    dbeta, dy_x = sum(p[0] for p in parts), sum(p[1] for p in parts)
    dgamma = inv_std * (dy_x - mean * dbeta)           # sum(dy * xhat)
    if train:  # dx = scale * (dy - mean(dy) - xhat * mean(dy * xhat)) = a*dy + p*x + q
        p = -scale * dgamma * inv_std / m
        q = -scale * dbeta / m - p * mean
    else:
        p = q = np.zeros(c)
    a32, p32, q32 = scale.astype(np.float32), p.astype(np.float32), q.astype(np.float32)
    dx = np.empty_like(d2)

    def part(start, stop):
        for s, z in _blocks(x2, start, stop):
            np.multiply(dy[s:z], a32, out=dx[s:z])
            if train:
                dx[s:z] += x2[s:z] * p32
                dx[s:z] += q32

    _parallel(part, m)
    return (dx.reshape(shape).transpose(0, 3, 1, 2), dgamma.astype(np.float32),
            dbeta.astype(np.float32))


# ----------------------------------------------------------------------------- ReLU
def relu_forward(x):
    if not _fast_ok(x):
        return _t14.relu_forward(x)
    xh = _nhwc(x)
    out = np.empty_like(xh)
    _parallel(lambda a, z: np.maximum(xh[a:z], 0, out=out[a:z]), len(xh))
    return out.transpose(0, 3, 1, 2), _Fast(out)


def relu_backward(dout, cache):
    if not isinstance(cache, _Fast):
        return _t14.relu_backward(dout, cache)
    (oh,) = cache.data
    dh = _nhwc(dout.astype(np.float32, copy=False))
    dx = np.empty_like(oh)
    _parallel(lambda a, z: np.multiply(dh[a:z], oh[a:z] > 0, out=dx[a:z]), len(oh))
    return dx.transpose(0, 3, 1, 2)



# ----------------------------------------------------------------------------- conv + 2x2 max pool
# Rows of the im2col matrix go in window-offset order: all top-left pixels of the 2x2 pooling
# windows, then all top-right, bottom-left, bottom-right. The conv output then comes in four
# contiguous blocks, and pooling, its masks and its backward are long contiguous passes.
_POOL_OFFSETS = ((0, 0), (0, 1), (1, 0), (1, 1))


def conv2d_maxpool2d_forward(x, w, b, padding=1):
    """maxpool2d_forward(conv2d_forward(x, w, b, 1, padding)[0], 2) in one pass over the batch.

    x (N, C, H, W), w (F, C, k, k) -> out (N, F, Hc // 2, Wc // 2), where Hc x Wc is the conv
    output. The fast path computes only the conv outputs a pooling window covers (the last row
    and column of an odd-sized output never reach the pool: 6-27% of the milestone's conv1 work),
    pools each chunk while it is still in cache, and keeps for backward not the conv output but
    three boolean masks per pooled output: where each window's maximum was.
    """
    k, kw = w.shape[2:]
    pad = _pair(padding)
    if not (_fast_ok(x, w) and k == kw and pad[0] == pad[1] < k):
        out, conv_cache = conv2d_forward(x, w, b, 1, padding)
        out, pool_cache = maxpool2d_forward(out, 2)
        return out, ("split", conv_cache, pool_cache, x)
    xh = _nhwc(x)
    n, h, wd, c = xh.shape
    f, p = w.shape[0], pad[0]
    ho, wo = (h + 2 * p - k + 1) // 2, (wd + 2 * p - k + 1) // 2       # pooled size
    out = np.empty((n, ho * wo, f), np.float32)
    masks = np.empty((3, n, ho * wo, f), bool)   # right in top row, right in bottom, bottom row
    kept = None
    if _winograd_pool(k, ho, wo):   # Winograd: its 2x2 tiles are the pooling windows
        u = _wg.filter_transform(w)
        kept = {}   # each chunk's transformed patches, for backward (memory for time)

        def pool(s, m, y):
            _pool_blocks(y.reshape(4, m, ho * wo, f), out[s:s + m], masks[:, s:s + m])
        _parallel(lambda a, z: _wg.forward_tiles(_wg.Plan(xh, f, p, ho, wo, a, z), u, pool,
                                                 kept), n)
    else:
        _parallel(lambda a, z: _conv_pool_rows(xh, w, p, out, masks, a, z), n)
    if b is not None and np.any(b):
        out += b.astype(np.float32)   # the same bias under every window: add it after the max
    out = out.reshape(n, ho, wo, f)
    return out.transpose(0, 3, 1, 2), _Fast(xh, w, p, masks, (h, wd), kept)


WINOGRAD_POOL = True   # False: the im2col path below (specs run both)


def _winograd_pool(k, ho, wo) -> bool:
    """3x3 conv + 2x2 max pool by Winograd F(2x2, 3x3) (fastpath/winograd.py): its 2x2 output
    tiles are the pooling windows, so no output is computed in vain."""
    return WINOGRAD_POOL and k == 3 and ho > 0 and wo > 0


def _conv_pool_rows(xh, w, p, out, masks, a, z):
    """out and masks of images a:z by im2col rows in pooling-window order (kernels other than
    3x3; the milestone's take the Winograd path)."""
    f, c, k, _ = w.shape
    h, wd = xh.shape[1:3]
    ho, wo = (h + 2 * p - k + 1) // 2, (wd + 2 * p - k + 1) // 2
    wm = np.ascontiguousarray(w.transpose(2, 3, 1, 0)).reshape(k * k * c, f)
    y = None
    for s, m, cols in _pool_ordered_cols(xh, a, z, k, p, ho, wo):
        if y is None:
            y = np.empty((len(cols), f), np.float32)   # the first chunk is the largest
        block = y[:len(cols)]
        np.matmul(cols, wm, out=block)
        _pool_blocks(block.reshape(4, m, ho * wo, f), out[s:s + m], masks[:, s:s + m])


def _pool_ordered_cols(xh, start, stop, k, pad, ho, wo):
    """Yield (s, m, cols (4*m*ho*wo, k*k*C)) for images start:stop, a cache-sized chunk at a
    time, rows in _POOL_OFFSETS order, then image, pooled row, pooled column."""
    _, h, w, c = xh.shape
    per = max(1, min(stop - start, CHUNK_BYTES // (4 * ho * wo * k * k * c * 4)))
    xp = np.zeros((per, h + 2 * pad, w + 2 * pad, c), np.float32)
    cols = np.empty((4, per, ho, wo, k, k * c), np.float32)
    st = xp.strides
    for s in range(start, stop, per):
        m = min(stop, s + per) - s
        xp[:m, pad:pad + h, pad:pad + w] = xh[s:s + m]
        block = cols.reshape(-1)[:4 * m * ho * wo * k * k * c].reshape(2, 2, m, ho, wo, k, k * c)
        block[:] = as_strided(xp, (2, 2, m, ho, wo, k, k * c),  # one copy: fewer, longer loops
                              (st[1], st[2], st[0], 2 * st[1], 2 * st[2], st[1], st[3]),
                              writeable=False)
        yield s, m, block.reshape(-1, k * k * c)


def _pool_blocks(y, out, masks):
    """Max over the four window offsets of y (4, m, P, F) into out (m, P, F); masks (3, m, P, F)
    are True where the top row's maximum is on the right, the bottom row's too, and where the
    window's maximum is in the bottom row. Ties go to the first maximum in row-major order."""
    np.greater(y[1], y[0], out=masks[0])
    np.greater(y[3], y[2], out=masks[1])
    top = np.maximum(y[0], y[1])
    np.maximum(y[2], y[3], out=out)
    np.greater(out, top, out=masks[2])
    np.maximum(out, top, out=out)


def conv2d_maxpool2d_backward(dout, cache, need_dx=True):
    """(dx or None, dw, db) of conv2d_maxpool2d_forward; dx is skipped when need_dx is False."""
    if not isinstance(cache, _Fast):
        _, conv_cache, pool_cache, _ = cache
        d = maxpool2d_backward(dout, pool_cache)
        if need_dx:
            return conv2d_backward(d, conv_cache)
        return (None, *conv2d_backward_weights(d, conv_cache))
    xh, w, p, masks, (h, wd), kept = cache.data
    f, c, k, _ = w.shape
    dp = _nhwc(dout.astype(np.float32, copy=False))
    n, ho, wo, _ = dp.shape
    dp = dp.reshape(n, ho * wo, f)
    db = _column_sums(dp.reshape(-1, f))
    dx = np.empty(xh.shape, np.float32) if need_dx else None
    if kept is not None:   # forward took the Winograd path: the pooling windows are the tiles
        def unpool(s, m, dy):
            _unpool_blocks(dp[s:s + m], masks[:, s:s + m], dy.reshape(4, m, ho * wo, f))
        u = _wg.filter_transform(w)
        parts = _parallel(lambda a, z: _wg.backward_tiles(
            _wg.Plan(xh, f, p, ho, wo, a, z), u, unpool, dx, kept), n)
        dw = _wg.filter_gradient(sum(parts[1:], parts[0]))
        return (None if dx is None else dx.transpose(0, 3, 1, 2)), dw, db
    q = k - 1 - p
    wflip = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(2, 3, 0, 1)).reshape(k * k * f, c)

    def part(a, z):
        dw = np.zeros((k * k * c, f), np.float32)
        dh = padded = None
        for s, m, cols in _pool_ordered_cols(xh, a, z, k, p, ho, wo):
            if dh is None:
                dh = np.empty((len(cols), f), np.float32)
                # the conv output's gradient, zero beyond the pooled rows and in the dx padding
                padded = np.zeros((m, h + k - 1, wd + k - 1, f), np.float32) if need_dx else None
            g = dh[:len(cols)]
            _unpool_blocks(dp[s:s + m], masks[:, s:s + m], g.reshape(4, m, ho * wo, f))
            dw += cols.T @ g
            if need_dx:
                blocks = g.reshape(4, m, ho, wo, f)
                for i, (dy, dx_) in enumerate(_POOL_OFFSETS):
                    padded[:m, q + dy:q + 2 * ho:2, q + dx_:q + 2 * wo:2] = blocks[i]
                np.matmul(_windows(padded[:m], h, wd, k).reshape(-1, k * k * f), wflip,
                          out=dx[s:s + m].reshape(-1, c))
        return dw

    dw = sum(_parallel(part, n))
    dw = np.ascontiguousarray(dw.reshape(k, k, c, f).transpose(3, 2, 0, 1))
    return (None if dx is None else dx.transpose(0, 3, 1, 2)), dw, db


def conv2d_maxpool2d_relu_bias_backward(dout, cache):
    """(dbias, dw) of conv2d_maxpool2d_forward when its input x is relu(z + bias): dbias (C,) is
    the gradient w.r.t. that bias, sum over (N, H, W) of dx where x > 0, without dx itself.

    dx[p, c] = sum over taps t and filters f of dh[p - t, f] w[f, c, t], so
    dbias[c] = sum over t, f of w[f, c, t] * Z[t, c, f], where Z = cols(x > 0).T @ dh is a weight
    gradient with the ReLU's mask in place of x: one GEMM the size of dw's, against dx's two
    (its im2col and its GEMM) and a pass over the full-size dx. After a Winograd forward, dx
    costs less than that GEMM (one (16, T, F) @ (F, C) product on kept patches): there dbias is
    simply dx's sum where x > 0 (the 64/128/256 step with the bias training: 1,027 -> 984 ms).
    """
    if not isinstance(cache, _Fast):
        dx, dw, _ = conv2d_maxpool2d_backward(dout, cache)
        x = cache[3]
        return (dx * (x > 0)).sum(axis=(0, 2, 3)), dw
    xh, w, p, masks, _, kept = cache.data
    if kept is not None:   # a Winograd forward: its dx is cheap, take its masked sum
        dx, dw, _ = conv2d_maxpool2d_backward(dout, cache, True)
        d2, on2 = _nhwc(dx).reshape(-1, xh.shape[3]), xh.reshape(-1, xh.shape[3])

        def masked_sum(a, z):
            return sum(np.ones(e - s, np.float32) @ (d2[s:e] * (on2[s:e] > 0))
                       for s, e in _blocks(d2, a, z))
        parts = _parallel(masked_sum, len(d2))
        return sum(parts[1:], parts[0]), dw
    f, c, k, _ = w.shape
    dp = _nhwc(dout.astype(np.float32, copy=False))
    n, ho, wo, _ = dp.shape
    dp = dp.reshape(n, ho * wo, f)

    def part(a, z):
        dw, on_w = np.zeros((k * k * c, f), np.float32), np.zeros((k * k * c, f), np.float32)
        dh = on = None
        for s, m, cols in _pool_ordered_cols(xh, a, z, k, p, ho, wo):
            if dh is None:
                dh, on = np.empty((len(cols), f), np.float32), np.empty(cols.shape, np.float32)
            g = dh[:len(cols)]
            _unpool_blocks(dp[s:s + m], masks[:, s:s + m], g.reshape(4, m, ho * wo, f))
            dw += cols.T @ g
            np.greater(cols, 0, out=on[:len(cols)])
            on_w += on[:len(cols)].T @ g
        return dw, on_w

    parts = _parallel(part, n)
    dw = sum(q[0] for q in parts)
    z = sum(q[1] for q in parts)
    wm = w.transpose(2, 3, 1, 0).reshape(k * k * c, f)
    dbias = (z * wm).reshape(k * k, c, f).sum(axis=(0, 2))
    dw = np.ascontiguousarray(dw.reshape(k, k, c, f).transpose(3, 2, 0, 1))
    return dbias, dw


def _unpool_blocks(dp, masks, g):
    """g (4, m, P, F) = dp (m, P, F) routed to each window's maximum (see _pool_blocks)."""
    np.multiply(dp, masks[2], out=g[2])       # bottom row's share
    np.subtract(dp, g[2], out=g[0])           # top row's share
    np.multiply(g[0], masks[0], out=g[1])
    g[0] -= g[1]
    np.multiply(g[2], masks[1], out=g[3])
    g[2] -= g[3]
