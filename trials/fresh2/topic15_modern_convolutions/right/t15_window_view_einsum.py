"""Depthwise via sliding_window_view + einsum (no loops), pointwise via einsum: correct."""

MODULE = "modern_conv"

"""Topic 15: dilated, grouped, depthwise and pointwise convolutions, and what they cost.

Brief: README.md beside this file. Convolution is cross-correlation, as in PyTorch; with
dilation (dh, dw), tap (p, q) of output (i, j) reads xpad[n, c, i*sh + p*dh, j*sw + q*dw].

Run the specs with `tox -e topic15`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)

# Your own Topic 12 im2col/col2im (they take dilation too): conv2d_forward builds on them.
from ..topic12_im2col_vectorization.im2col import col2im, im2col  # noqa: F401

TOPIC = "katas/topic15_modern_convolutions/README.md"


def _pair(v):
    """An int or an (h, w) pair, as an (h, w) tuple of ints."""
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise ValueError(f"expected an int or an (h, w) pair, got {v!r}")
        return int(v[0]), int(v[1])
    return int(v), int(v)


def _out_size(H, W, KH, KW, stride, padding, dilation):
    """Output size of a dilated convolution; ValueError when the kernel does not fit."""
    sh, sw = stride
    ph, pw = padding
    dh, dw = dilation
    span_h = dh * (KH - 1) + 1
    span_w = dw * (KW - 1) + 1
    if span_h > H + 2 * ph or span_w > W + 2 * pw:
        raise ValueError(
            f"the dilated kernel spans {span_h}x{span_w} (d*(K-1)+1) but the padded input is "
            f"only {H + 2 * ph}x{W + 2 * pw}")
    Hout = (H + 2 * ph - span_h) // sh + 1
    Wout = (W + 2 * pw - span_w) // sw + 1
    return Hout, Wout


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    """Forward pass of a 2-D convolution with dilation and groups.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C // groups, KH, KW) filters. Group g is input channels [g*C/G, (g+1)*C/G) and
      filters [g*F/G, (g+1)*F/G); a filter sees only its own group's channels.
    - b: (F,) biases.
    - stride, padding, dilation: int or (h, w) pair.
    - groups: an int dividing both C and F.

    Returns (out, cache):
    - out: (N, F, Hout, Wout), Hout = (H + 2*ph - dh*(KH-1) - 1) // sh + 1, Wout likewise.
    - cache: whatever conv2d_backward needs (your choice; the specs never look inside).

    Raises ValueError, from your own checks and naming the numbers, when groups does not divide
    C and F (name C, F and groups), when w.shape[1] != C // groups (name both), and when the
    dilated kernel does not fit the padded input (name its span and the input size).
    """
    N, C, H, W = x.shape
    F, Cg, KH, KW = w.shape
    G = groups
    if C % G != 0 or F % G != 0:
        raise ValueError(f"groups = {G} must divide both C = {C} and F = {F}")
    if Cg != C // G:
        raise ValueError(f"w.shape[1] = {Cg} but C // groups = {C} // {G} = {C // G}")
    stride, padding, dilation = _pair(stride), _pair(padding), _pair(dilation)
    Hout, Wout = _out_size(H, W, KH, KW, stride, padding, dilation)

    cols = im2col(x, (KH, KW), stride=stride, padding=padding, dilation=dilation)
    rows = cols.shape[0]
    K = Cg * KH * KW
    cols_g = cols.reshape(rows, G, K).transpose(1, 0, 2)          # (G, rows, K)
    w_g = w.reshape(G, F // G, K)                                  # (G, F/G, K)
    out_g = cols_g @ w_g.transpose(0, 2, 1)                        # (G, rows, F/G)
    out_rows = out_g.transpose(1, 0, 2).reshape(rows, F) + b       # (rows, F)
    out = out_rows.reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2)
    out = np.ascontiguousarray(out).astype(x.dtype, copy=False)
    cache = (x.shape, w, cols_g, stride, padding, dilation, G)
    return out, cache


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs: dout (N, F, Hout, Wout); cache from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C // groups, KH, KW) and b (F,).
    """
    x_shape, w, cols_g, stride, padding, dilation, G = cache
    F, Cg, KH, KW = w.shape
    K = Cg * KH * KW
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)            # (rows, F)
    rows = dout_rows.shape[0]
    db = dout_rows.sum(axis=0)
    dout_g = dout_rows.reshape(rows, G, F // G).transpose(1, 0, 2)   # (G, rows, F/G)
    dw = (dout_g.transpose(0, 2, 1) @ cols_g).reshape(w.shape)       # (G, F/G, K)
    w_g = w.reshape(G, F // G, K)
    dcols_g = dout_g @ w_g                                           # (G, rows, K)
    dcols = dcols_g.transpose(1, 0, 2).reshape(rows, G * K)
    dx = col2im(dcols, x_shape, (KH, KW), stride=stride, padding=padding, dilation=dilation)
    dt = dout.dtype
    return dx.astype(dt, copy=False), dw.astype(dt, copy=False), db.astype(dt, copy=False)


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    """Depthwise convolution: channel c is convolved with filter c alone (groups = C).

    Inputs: x (N, C, H, W), w (C, 1, KH, KW), b (C,); stride, padding, dilation as above.
    Returns (out, cache), out (N, C, Hout, Wout).

    No Python loop over channels or output positions: loop over the KH*KW kernel taps only.
    Raises ValueError naming C and w's shape when w is not (C, 1, KH, KW).
    """
    N, C, H, W = x.shape
    if w.ndim != 4 or w.shape[0] != C or w.shape[1] != 1:
        raise ValueError(
            f"depthwise w must be (C, 1, KH, KW) with C = {C}, got w.shape = {w.shape} "
            f"({w.shape[0]} filters)")
    KH, KW = w.shape[2], w.shape[3]
    (sh, sw), (ph, pw), (dh, dw) = _pair(stride), _pair(padding), _pair(dilation)
    Hout, Wout = _out_size(H, W, KH, KW, (sh, sw), (ph, pw), (dh, dw))

    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    view = np.lib.stride_tricks.sliding_window_view(
        xpad, (dh * (KH - 1) + 1, dw * (KW - 1) + 1), axis=(2, 3))[:, :, ::sh, ::sw, ::dh, ::dw]
    out = np.einsum("ncijpq,cpq->ncij", view, w[:, 0]) + b[None, :, None, None]
    out = out.astype(x.dtype, copy=False)
    cache = (xpad, w, x.shape, (sh, sw), (ph, pw), (dh, dw))
    return out, cache


def depthwise_conv2d_backward(dout, cache):
    """Backward pass of depthwise_conv2d_forward: (dx, dw, db) shaped like x, w and b.

    Same rule: loop over the kernel taps only.
    """
    xpad, w, x_shape, (sh, sw), (ph, pw), (dh, dw) = cache
    N, C, H, W = x_shape
    KH, KW = w.shape[2], w.shape[3]
    Hout, Wout = dout.shape[2], dout.shape[3]
    dxpad = np.zeros(xpad.shape, dtype=dout.dtype)
    dw_ = np.zeros(w.shape, dtype=dout.dtype)
    for p in range(KH):
        for q in range(KW):
            r0, c0 = p * dh, q * dw
            rs = slice(r0, r0 + sh * (Hout - 1) + 1, sh)
            cs = slice(c0, c0 + sw * (Wout - 1) + 1, sw)
            dw_[:, 0, p, q] = (dout * xpad[:, :, rs, cs]).sum(axis=(0, 2, 3))
            dxpad[:, :, rs, cs] += dout * w[:, 0, p, q].reshape(1, C, 1, 1)
    dx = dxpad[:, :, ph:ph + H, pw:pw + W].copy()
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw_, db.astype(dout.dtype, copy=False)


def pointwise_conv2d_forward(x, w, b):
    """Pointwise (1x1) convolution: at every pixel, a matrix-vector product over channels.

    Inputs: x (N, C, H, W), w (F, C, 1, 1), b (F,).
    Returns (out, cache), out (N, F, H, W).
    Raises ValueError naming both channel counts when w.shape[1] != C.
    """
    N, C, H, W = x.shape
    F = w.shape[0]
    if w.shape[1] != C:
        raise ValueError(f"pointwise w has {w.shape[1]} input channels but x has C = {C}")
    out = np.einsum("fc,nchw->nfhw", w[:, :, 0, 0], x) + b[None, :, None, None]
    out = out.astype(x.dtype, copy=False)
    cache = (x, w)
    return out, cache


def pointwise_conv2d_backward(dout, cache):
    """Backward pass of pointwise_conv2d_forward: (dx, dw, db) shaped like x, w and b."""
    x, w = cache
    N, C, H, W = x.shape
    F = w.shape[0]
    dx = np.einsum("fc,nfhw->nchw", w[:, :, 0, 0], dout)
    dw = np.einsum("nfhw,nchw->fc", dout, x)[:, :, None, None]
    db = np.einsum("nfhw->f", dout)
    dt = dout.dtype
    return dx.astype(dt, copy=False), dw.astype(dt, copy=False), db.astype(dt, copy=False)


def separable_block_forward(x, params, stride=1, padding=0, dilation=1):
    """Depthwise-separable block: depthwise conv -> ReLU -> pointwise conv (no final ReLU).

    Inputs:
    - x: (N, C, H, W).
    - params: {"depthwise_w": (C, 1, KH, KW), "depthwise_b": (C,),
               "pointwise_w": (F, C, 1, 1), "pointwise_b": (F,)}; never modified.
    - stride, padding, dilation: of the depthwise convolution.

    Returns (out, cache), out (N, F, Hout, Wout).
    """
    h, dcache = depthwise_conv2d_forward(x, params["depthwise_w"], params["depthwise_b"],
                                         stride=stride, padding=padding, dilation=dilation)
    mask = h > 0
    a = np.where(mask, h, 0).astype(h.dtype, copy=False)
    out, pcache = pointwise_conv2d_forward(a, params["pointwise_w"], params["pointwise_b"])
    return out, (dcache, mask, pcache)


def separable_block_backward(dout, cache):
    """Backward pass of separable_block_forward.

    Returns (dx, grads): dx shaped like x, grads a dict with the keys of params, each gradient
    shaped like its parameter.
    """
    dcache, mask, pcache = cache
    grads = {}
    da, grads["pointwise_w"], grads["pointwise_b"] = pointwise_conv2d_backward(dout, pcache)
    dh = np.where(mask, da, 0).astype(da.dtype, copy=False)
    dx, grads["depthwise_w"], grads["depthwise_b"] = depthwise_conv2d_backward(dh, dcache)
    return dx, grads


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    """Parameters and multiply-adds (MACs) of one convolution layer, for one input image.

    kernel_size, input_hw, stride, padding, dilation: int or (h, w) pair.
    Returns {"params": int, "macs": int}. Bias additions are not multiply-adds: do not count them.
    Raises ValueError naming c_in, c_out and groups when groups does not divide both.
    """
    if c_in % groups != 0 or c_out % groups != 0:
        raise ValueError(f"groups = {groups} must divide both c_in = {c_in} and c_out = {c_out}")
    KH, KW = _pair(kernel_size)
    H, W = _pair(input_hw)
    Hout, Wout = _out_size(H, W, KH, KW, _pair(stride), _pair(padding), _pair(dilation))
    per_output = (c_in // groups) * KH * KW
    params = c_out * per_output + (c_out if bias else 0)
    macs = c_out * Hout * Wout * per_output
    return {"params": int(params), "macs": int(macs)}


def receptive_field(layers):
    """Receptive field, in input pixels along one axis, of one output of a stack of layers.

    layers: a sequence of (kernel, stride) or (kernel, stride, dilation) tuples, first layer
    first (ints). Returns an int.
    """
    r = 1
    jump = 1
    for layer in layers:
        k, s = layer[0], layer[1]
        d = layer[2] if len(layer) > 2 else 1
        r += (k - 1) * d * jump
        jump *= s
    return int(r)
