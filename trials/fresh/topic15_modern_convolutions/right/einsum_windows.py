"""Correct, unusual style: every convolution is an einsum over sliding_window_view windows (no im2col at all; the depthwise forward has no Python loop whatsoever); backward dx scattered tap by tap.
"""

MODULE = "modern_conv"

import math
from functools import reduce

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..topic12_im2col_vectorization.im2col import col2im, im2col  # noqa: F401  (not needed here)

TOPIC = "katas/topic15_modern_convolutions/README.md"


def _pair(v):
    t = tuple(v) if isinstance(v, (tuple, list)) else (v, v)
    if len(t) != 2:
        raise ValueError(f"expected an int or an (h, w) pair, got {v!r}")
    return tuple(int(i) for i in t)


def _geometry(hw, khw, stride, padding, dilation):
    """((Hout, Wout), (span_h, span_w)), refusing a dilated kernel that does not fit."""
    sizes, spans = [], []
    for n, k, s, p, d in zip(hw, khw, stride, padding, dilation):
        span = d * (k - 1) + 1
        if span > n + 2 * p:
            raise ValueError(f"dilated kernel span d*(K-1)+1 = {span} does not fit the padded "
                             f"input of size {n + 2 * p}")
        sizes.append((n + 2 * p - span) // s + 1)
        spans.append(span)
    return tuple(sizes), tuple(spans)


def _windows(x, khw, stride, padding, dilation):
    """(xpad, windows (N, C, Hout, Wout, KH, KW) reading exactly the dilated taps, sizes)."""
    (ph, pw), (sh, sw), (dh, dw) = padding, stride, dilation
    (Hout, Wout), spans = _geometry(x.shape[2:], khw, stride, padding, dilation)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = sliding_window_view(xpad, spans, axis=(2, 3))[:, :, ::sh, ::sw, ::dh, ::dw]
    return xpad, win[:, :, :Hout, :Wout], (Hout, Wout)


def _tap_slices(p, q, sizes, stride, dilation):
    (Hout, Wout), (sh, sw), (dh, dw) = sizes, stride, dilation
    return (slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh),
            slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw))


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    N, C, H, W = x.shape
    F, Cg, KH, KW = w.shape
    G = int(groups)
    if C % G or F % G:
        raise ValueError(f"groups={G} must divide C={C} and F={F}")
    if Cg != C // G:
        raise ValueError(f"w.shape[1]={Cg} differs from C // groups = {C // G}")
    settings = (_pair(stride), _pair(padding), _pair(dilation))
    xpad, win, (Hout, Wout) = _windows(x, (KH, KW), *settings)
    win_g = win.reshape(N, G, Cg, Hout, Wout, KH, KW)
    w_g = w.reshape(G, F // G, Cg, KH, KW)
    out = np.einsum("ngcijpq,gfcpq->ngfij", win_g, w_g, optimize=True).reshape(N, F, Hout, Wout)
    out = (out + b.reshape(1, F, 1, 1)).astype(x.dtype, copy=False)
    return out, (xpad.shape, x.shape, w, win_g, settings, G)


def conv2d_backward(dout, cache):
    xpad_shape, x_shape, w, win_g, (stride, padding, dilation), G = cache
    N, F, Hout, Wout = dout.shape
    _, Cg, KH, KW = w.shape
    dout_g = dout.reshape(N, G, F // G, Hout, Wout)
    w_g = w.reshape(G, F // G, Cg, KH, KW)
    dw = np.einsum("ngfij,ngcijpq->gfcpq", dout_g, win_g, optimize=True).reshape(w.shape)
    dxpad = np.zeros(xpad_shape, dtype=dout.dtype)
    for p in range(KH):
        for q in range(KW):
            rs, cs = _tap_slices(p, q, (Hout, Wout), stride, dilation)
            dxpad[:, :, rs, cs] += np.einsum("ngfij,gfc->ngcij", dout_g, w_g[..., p, q]
                                             ).reshape(N, G * Cg, Hout, Wout)
    (ph, pw), H, W = padding, x_shape[2], x_shape[3]
    dx = dxpad[:, :, ph:ph + H, pw:pw + W].copy()
    db = dout.sum(axis=(0, 2, 3))
    dt = dout.dtype
    return dx.astype(dt, copy=False), dw.astype(dt, copy=False), db.astype(dt, copy=False)


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    if w.ndim != 4 or w.shape[:2] != (C, 1):
        raise ValueError(f"depthwise w must be (C={C}, 1, KH, KW); got {w.shape} "
                         f"({w.shape[0]} filters of {w.shape[1] if w.ndim > 1 else '?'} channels)")
    settings = (_pair(stride), _pair(padding), _pair(dilation))
    xpad, win, sizes = _windows(x, w.shape[2:], *settings)
    out = np.einsum("ncijpq,cpq->ncij", win, w[:, 0], optimize=True) + b.reshape(1, C, 1, 1)
    return out.astype(x.dtype, copy=False), (xpad, w, x.shape, settings, sizes)


def depthwise_conv2d_backward(dout, cache):
    xpad, w, x_shape, (stride, padding, dilation), sizes = cache
    C, _, KH, KW = w.shape
    dxpad = np.zeros(xpad.shape, dtype=dout.dtype)
    dw = np.empty(w.shape, dtype=dout.dtype)
    for p in range(KH):
        for q in range(KW):
            rs, cs = _tap_slices(p, q, sizes, stride, dilation)
            dw[:, 0, p, q] = np.einsum("nchw,nchw->c", dout, xpad[:, :, rs, cs])
            dxpad[:, :, rs, cs] += dout * w[:, 0, p, q][None, :, None, None]
    (ph, pw), H, W = padding, x_shape[2], x_shape[3]
    dx = dxpad[:, :, ph:ph + H, pw:pw + W].copy()
    return dx, dw, dout.sum(axis=(0, 2, 3)).astype(dout.dtype, copy=False)


def pointwise_conv2d_forward(x, w, b):
    N, C, H, W = x.shape
    if w.shape[1] != C:
        raise ValueError(f"pointwise w expects {w.shape[1]} channels, x has {C}")
    out = np.einsum("fc,nchw->nfhw", w[:, :, 0, 0], x, optimize=True) + b[None, :, None, None]
    return out.astype(x.dtype, copy=False), (x, w)


def pointwise_conv2d_backward(dout, cache):
    x, w = cache
    dx = np.einsum("fc,nfhw->nchw", w[:, :, 0, 0], dout, optimize=True)
    dw = np.einsum("nfhw,nchw->fc", dout, x, optimize=True)[:, :, None, None]
    db = dout.sum(axis=(0, 2, 3))
    dt = dout.dtype
    return dx.astype(dt, copy=False), dw.astype(dt), db.astype(dt, copy=False)


def separable_block_forward(x, params, stride=1, padding=0, dilation=1):
    hidden, c1 = depthwise_conv2d_forward(x, params["depthwise_w"], params["depthwise_b"],
                                          stride, padding, dilation)
    relu = np.maximum(hidden, 0)
    out, c2 = pointwise_conv2d_forward(relu, params["pointwise_w"], params["pointwise_b"])
    return out, (c1, hidden > 0, c2)


def separable_block_backward(dout, cache):
    c1, positive, c2 = cache
    dr, dpw, dpb = pointwise_conv2d_backward(dout, c2)
    dx, ddw, ddb = depthwise_conv2d_backward(dr * positive, c1)
    return dx, dict(depthwise_w=ddw, depthwise_b=ddb, pointwise_w=dpw, pointwise_b=dpb)


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    if c_in % groups or c_out % groups:
        raise ValueError(f"groups={groups} must divide c_in={c_in} and c_out={c_out}")
    khw = _pair(kernel_size)
    sizes, _ = _geometry(_pair(input_hw), khw, _pair(stride), _pair(padding), _pair(dilation))
    per_output = (c_in // groups) * math.prod(khw)
    return {"params": c_out * per_output + c_out * bool(bias),
            "macs": c_out * math.prod(sizes) * per_output}


def receptive_field(layers):
    def step(acc, layer):
        field, jump = acc
        k, s, d = (tuple(layer) + (1,))[:3]
        return field + (k - 1) * d * jump, jump * s
    return reduce(step, layers, (1, 1))[0]
