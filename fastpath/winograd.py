"""Winograd's minimal filtering F(2x2, 3x3): a 3x3 convolution with 16 multiplies per 2x2 block of
outputs instead of 36 (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016).

Why: in the milestone step the convolutions' matrix products already run at OpenBLAS's peak, and
PyTorch's run at the CPU's; the one way left to be faster is to do fewer multiplies.

How: each 2x2 block of outputs (a *tile*) reads a 4x4 patch d of the padded input. For one input
channel and one filter g (3x3), with the constant matrices BT, G and AT below,

    Y (2x2) = AT [ (G g GT) * (BT d B) ] A           (* multiplies elementwise, 4x4)

Summed over input channels, the elementwise product becomes 16 matrix products, one per position
k of the 4x4 patch: with V[k] (T, C) the transformed patches of T tiles and U[k] (C, F) the
transformed filters, M[k] = V[k] @ U[k] (T, F). That is 16*C*F multiply-adds per tile against
im2col's 4 outputs * 9 taps * C*F = 36*C*F: 2.25x fewer. The transforms are small products over
the 16 patch positions: BT d B on every patch at once is one strided copy (the patches, 4 values
per output where im2col copies 9) and one (16, 16) @ (16, T*C) product; AT M A is one (4, 16) @
(16, T*F) product. They cost memory passes, not multiplies, so Winograd pays where C*F is large
next to C + F and no output is wasted.

Backward is the transpose of each linear step, on the same tiles:

    dM[k] = (A dY AT)[k]               the output tiles' gradient, (16, T, F)
    dU[k] += V[k].T @ dM[k]            summed over tiles; dw = GT dU G
    dV[k] = dM[k] @ U[k].T             then d patch = B dV BT, overlap-added into dx

Measured: see the table in fastpath/README.md (the milestone's three conv + pool layers, two
threads, batch 512). For the plain 3x3 convs, whose tiles overhang odd maps (64 outputs computed
for 49 on 7x7, 16 for 9 on 3x3), it was no faster than im2col: `fastpath.layers` uses it for
conv + 2x2 max pool only, where the tiles are the pooling windows.

Numerics: the matrices hold 0, +-1 and +-1/2, so float32 results differ from im2col's by rounding
only (relative 1e-7 here). Arrays are channels last (NHWC), float32, as in `fastpath.layers`.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

BT = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], np.float32)
G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])
AT = np.array([[1, 1, 1, 0], [0, 1, -1, -1]], np.float32)
# Y = AT M A on every tile at once: Y[2a + b] = sum over k = 4i + j of AT[a, i] AT[b, j] M[k]
OUTPUT = np.kron(AT, AT)                      # (4, 16)
OUTPUT_T = np.ascontiguousarray(OUTPUT.T)     # (16, 4): dM = A dY AT
PATCH = np.kron(BT, BT)                       # (16, 16): V = BT d B on every patch at once
PATCH_T = np.ascontiguousarray(PATCH.T)       # d patch = B dV BT
CHUNK_BYTES = 3 << 19  # a chunk's transformed patches and products: 1.5 MB (L2 is 1 MB a core)


def tiles(out_h: int, out_w: int) -> tuple[int, int]:
    """Tile rows and columns covering an out_h x out_w output (the last ones may overhang)."""
    return (out_h + 1) // 2, (out_w + 1) // 2


def filter_transform(w: np.ndarray) -> np.ndarray:
    """w (F, C, 3, 3) -> U (16, C, F) float32, U[4i + j] = (G w GT)[i, j] (in float64)."""
    u = np.einsum("ia,fcab,jb->ijcf", G, w.astype(np.float64), G)
    return np.ascontiguousarray(u.reshape(16, *u.shape[2:]), dtype=np.float32)


def filter_gradient(du: np.ndarray) -> np.ndarray:
    """dU (16, C, F) -> dw (F, C, 3, 3) float32: the transpose of filter_transform."""
    du = du.astype(np.float64).reshape(4, 4, *du.shape[1:])
    return np.einsum("ia,ijcf,jb->fcab", G, du, G).astype(np.float32)


def data_transform(xp: np.ndarray, v: np.ndarray, patches: np.ndarray) -> None:
    """v (4, 4, m, th, tw, C) = BT d B for every 4x4 patch d of xp (m, 2th+2, >= 2tw+2, C),
    patches at stride 2: one strided copy gathers the patches (like im2col, 4 values per output
    instead of 9), then one (16, 16) product transforms them all. patches, shaped as v, is
    scratch. (Separable, 20 elementwise passes over strided halves: 25.2 ms where this takes
    19.7, 24 channels on 31x31, 256 images; 11.2 against 9.3 for 64 channels on 15x15.)"""
    m, th, tw, c = v.shape[2:]
    s = xp.strides
    patches[...] = as_strided(xp, (4, 4, m, th, tw, c), (s[1], s[2], s[0], 2 * s[1], 2 * s[2], s[3]),
                              writeable=False)
    np.matmul(PATCH, patches.reshape(16, -1), out=v.reshape(16, -1))


def data_transform_transposed(dv: np.ndarray, dxp: np.ndarray, dd: np.ndarray) -> None:
    """dxp (m, 2th+2, 2tw+2, C) = the transpose of data_transform applied to dv (4, 4, m, th,
    tw, C): each patch's gradient B dV BT (one (16, 16) product), overlap-added where patches
    share pixels. dd, shaped as dv, is scratch. (The separable way, 50 elementwise passes over
    strided halves, took 19.7 ms where this takes 14.4: 64 channels, 15x15, 256 images.)"""
    m, th, tw, _ = dv.shape[2:]
    np.matmul(PATCH_T, dv.reshape(16, -1), out=dd.reshape(16, -1))
    d = dd.reshape(4, 4, m, th, tw, -1)
    # Pixels of one row parity and one column parity: patch position (a, b) of tile (r, s) and
    # (a + 2, b) of tile (r - 1, s) land on the same pixel, and so on: four shifted sums each.
    for a in range(2):
        for b in range(2):
            grid = dxp[:, a::2, b::2]                 # (m, th + 1, tw + 1, C)
            grid[:, :th, :tw] = d[a, b]
            grid[:, th] = 0
            grid[:, :th, tw] = 0
            grid[:, 1:, :tw] += d[a + 2, b]
            grid[:, :th, 1:] += d[a, b + 2]
            grid[:, 1:, 1:] += d[a + 2, b + 2]


class Plan:
    """Buffers and geometry for running F(2x2, 3x3) over images start:stop of one batch.

    xh (N, H, W, C) float32 NHWC, zero padding `pad` (0, 1 or 2), tiles (th, tw) covering the
    outputs wanted. Chunks of `per` images keep a chunk's patches and products in cache.
    """

    def __init__(self, xh: np.ndarray, f: int, pad: int, th: int, tw: int, start: int, stop: int):
        _, h, w, c = xh.shape
        self.xh, self.pad, self.th, self.tw = xh, pad, th, tw
        self.c, self.f = c, f
        self.start, self.stop = start, stop
        # input rows and columns a tile grid reads: padded 0 .. 2*th+1, i.e. x's -pad .. 2*th+1-pad
        self.hh, self.ww = min(h, 2 * th + 2 - pad), min(w, 2 * tw + 2 - pad)
        per_image = 16 * th * tw * (c + f) * 4
        self.per = max(1, min(stop - start, CHUNK_BYTES // per_image))
        p = self.per
        self.xp = np.zeros((p, 2 * th + 2, 2 * tw + 2, c), np.float32)
        self.v = np.empty((4, 4, p, th, tw, c), np.float32)
        self.patches = np.empty((4, 4, p, th, tw, c), np.float32)
        self.m = np.empty((16, p * th * tw, f), np.float32)

    def chunks(self, kept: dict | None = None):
        """Yield (s, m, v): each chunk's first image, its size and its transformed patches
        v (4, 4, m, th, tw, C). With `kept` (a dict), each chunk's v is kept there under s, and
        a chunk already there is not transformed again (backward reuses forward's)."""
        pad, hh, ww = self.pad, self.hh, self.ww
        for s in range(self.start, self.stop, self.per):
            m = min(self.stop, s + self.per) - s
            v = None if kept is None else kept.get(s)
            if v is not None and v.shape[2] == m:
                yield s, m, v
                continue
            self.xp[:m, pad:pad + hh, pad:pad + ww] = self.xh[s:s + m, :hh, :ww]
            v = self.v[:, :, :m] if kept is None else np.empty(self.v[:, :, :m].shape, np.float32)
            data_transform(self.xp[:m], v, self.patches[:, :, :m])
            if kept is not None:
                kept[s] = v
            yield s, m, v

    def products(self, v: np.ndarray, u: np.ndarray) -> np.ndarray:
        """M (16, T, F) = V[k] @ U[k] for one chunk's patches v (4, 4, m, th, tw, C)."""
        t = v.shape[2] * self.th * self.tw
        out = self.m[:, :t]
        np.matmul(v.reshape(16, t, self.c), u, out=out)
        return out


def forward_tiles(plan: Plan, u: np.ndarray, emit, kept: dict | None = None) -> None:
    """Run the forward pass over plan's images; emit(s, m, y) gets each chunk's outputs y
    (4, m, th, tw, F), y[2a + b] the output at offset (a, b) of every tile. With `kept`, the
    transformed patches are kept there for backward_tiles (memory for time)."""
    th, tw, f = plan.th, plan.tw, plan.f
    y = np.empty((4, plan.per * th * tw * f), np.float32)
    for s, m, v in plan.chunks(kept):
        mk = plan.products(v, u)
        ym = y[:, :mk.shape[1] * f]
        np.matmul(OUTPUT, mk.reshape(16, -1), out=ym)
        emit(s, m, ym.reshape(4, m, th, tw, f))


def backward_tiles(plan: Plan, u: np.ndarray, tile_grads, dx: np.ndarray | None,
                   kept: dict | None = None) -> np.ndarray:
    """Run the backward pass over plan's images: tile_grads(s, m, dy) fills dy (4, m, th, tw, F)
    with the gradient of each tile's outputs; dx (N, H, W, C) gets the input gradient of those
    images when given. Returns this part's filter gradient in the transformed domain, dU
    (16, C, F); filter_gradient turns the sum of the parts into dw."""
    th, tw, c, f, pad, hh, ww = plan.th, plan.tw, plan.c, plan.f, plan.pad, plan.hh, plan.ww
    per = plan.per
    du = np.zeros((16, c, f), np.float32)
    dy = np.zeros((4, per, th, tw, f), np.float32)
    dm = np.empty((16, per * th * tw * f), np.float32)
    if dx is not None:
        u_t = np.ascontiguousarray(u.transpose(0, 2, 1))                # (16, F, C)
        dv = np.empty((4, 4, per, th, tw, c), np.float32)
        dxp = np.empty((per, 2 * th + 2, 2 * tw + 2, c), np.float32)
        dd = np.empty_like(dv)
        dx[plan.start:plan.stop, hh:] = 0     # rows and columns no tile reads
        dx[plan.start:plan.stop, :, ww:] = 0
    for s, m, v in plan.chunks(kept):
        t = m * th * tw
        tile_grads(s, m, dy[:, :m])
        dmk = dm[:, :t * f]
        np.matmul(OUTPUT_T, dy[:, :m].reshape(4, -1), out=dmk)
        dmk = dmk.reshape(16, t, f)
        du += np.matmul(v.reshape(16, t, c).transpose(0, 2, 1), dmk)
        if dx is not None:
            dvk = dv[:, :, :m]
            np.matmul(dmk, u_t, out=dvk.reshape(16, t, c))
            data_transform_transposed(dvk, dxp[:m], dd[:, :, :m])
            dx[s:s + m, :hh, :ww] = dxp[:m, pad:pad + hh, pad:pad + ww]
    return du
