"""Correct, unusual style: conv2d runs one plain Topic-12 im2col matrix product per group (a loop over groups, outputs concatenated), depthwise multiplies into a reused scratch buffer with out=, pointwise uses tensordot.
"""

MODULE = "modern_conv"

import numpy as np

from ..topic12_im2col_vectorization.im2col import col2im, im2col

TOPIC = "katas/topic15_modern_convolutions/README.md"


def _pair(v):
    try:
        h, w = v
    except TypeError:
        h = w = v
    return int(h), int(w)


def _out_hw(H, W, KH, KW, stride, padding, dilation):
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    span = (dh * (KH - 1) + 1, dw * (KW - 1) + 1)
    room = (H + 2 * ph, W + 2 * pw)
    if span[0] > room[0] or span[1] > room[1]:
        raise ValueError(f"kernel span {span[0]}x{span[1]} (dilation*(K-1)+1) is larger than the "
                         f"padded input {room[0]}x{room[1]}")
    return (room[0] - span[0]) // sh + 1, (room[1] - span[1]) // sw + 1


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    N, C, H, W = x.shape
    F, Cg, KH, KW = w.shape
    if C % groups != 0 or F % groups != 0:
        raise ValueError(f"C={C} and F={F} must both be divisible by groups={groups}")
    if Cg * groups != C:
        raise ValueError(f"w has {Cg} input channels per filter, C // groups is {C // groups}")
    settings = dict(stride=_pair(stride), padding=_pair(padding), dilation=_pair(dilation))
    Hout, Wout = _out_hw(H, W, KH, KW, **settings)
    Fg = F // groups
    cols, pieces = [], []
    for g in range(groups):
        c = im2col(x[:, g * Cg:(g + 1) * Cg], (KH, KW), **settings)
        cols.append(c)
        pieces.append(c @ w[g * Fg:(g + 1) * Fg].reshape(Fg, -1).T)
    rows = np.concatenate(pieces, axis=1) + b
    out = np.ascontiguousarray(rows.reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2))
    return out.astype(x.dtype, copy=False), (cols, w, x.shape, settings)


def conv2d_backward(dout, cache):
    cols, w, (N, C, H, W), settings = cache
    F, Cg, KH, KW = w.shape
    groups = len(cols)
    Fg = F // groups
    drows = dout.transpose(0, 2, 3, 1).reshape(-1, F)
    dws, dxs = [], []
    for g, c in enumerate(cols):
        d = drows[:, g * Fg:(g + 1) * Fg]
        wmat = w[g * Fg:(g + 1) * Fg].reshape(Fg, -1)
        dws.append((d.T @ c).reshape(Fg, Cg, KH, KW))
        dxs.append(col2im(d @ wmat, (N, Cg, H, W), (KH, KW), **settings))
    dt = dout.dtype
    dx = np.concatenate(dxs, axis=1).astype(dt, copy=False)
    dw = np.concatenate(dws, axis=0).astype(dt, copy=False)
    return dx, dw, drows.sum(axis=0).astype(dt, copy=False)


def _views(xpad, KH, KW, Hout, Wout, stride, dilation):
    """((p, q), the (N, C, Hout, Wout) strided view tap (p, q) reads), tap by tap."""
    (sh, sw), (dh, dw) = stride, dilation
    for p in range(KH):
        for q in range(KW):
            yield (p, q), (slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh),
                           slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw))


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    if w.ndim != 4 or w.shape[0] != C or w.shape[1] != 1:
        raise ValueError(f"x has C={C} channels; depthwise w must be ({C}, 1, KH, KW), "
                         f"got {tuple(w.shape)}")
    stride, padding, dilation = _pair(stride), _pair(padding), _pair(dilation)
    KH, KW = w.shape[2:]
    Hout, Wout = _out_hw(H, W, KH, KW, stride, padding, dilation)
    ph, pw = padding
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, C, Hout, Wout), dtype=x.dtype)
    scratch = np.empty_like(out)
    for (p, q), (rs, cs) in _views(xpad, KH, KW, Hout, Wout, stride, dilation):
        np.multiply(xpad[:, :, rs, cs], w[:, 0, p, q].reshape(C, 1, 1), out=scratch,
                    casting="same_kind")
        out += scratch
    out += b.reshape(C, 1, 1).astype(x.dtype, copy=False)
    return out, (xpad, w, (H, W), (Hout, Wout), stride, padding, dilation)


def depthwise_conv2d_backward(dout, cache):
    xpad, w, (H, W), (Hout, Wout), stride, padding, dilation = cache
    C, _, KH, KW = w.shape
    dxpad = np.zeros(xpad.shape, dtype=dout.dtype)
    dw = np.zeros(w.shape, dtype=dout.dtype)
    for (p, q), (rs, cs) in _views(xpad, KH, KW, Hout, Wout, stride, dilation):
        dw[:, 0, p, q] = np.tensordot(dout, xpad[:, :, rs, cs], axes=([0, 2, 3], [0, 2, 3])
                                      ).diagonal()
        dxpad[:, :, rs, cs] += dout * w[:, 0, p, q].reshape(C, 1, 1)
    ph, pw = padding
    return (dxpad[:, :, ph:ph + H, pw:pw + W].copy(), dw,
            dout.sum(axis=(0, 2, 3)).astype(dout.dtype, copy=False))


def pointwise_conv2d_forward(x, w, b):
    C = x.shape[1]
    if w.shape[1] != C:
        raise ValueError(f"x has {C} channels but pointwise w has {w.shape[1]}")
    out = np.tensordot(w[:, :, 0, 0], x, axes=([1], [1])).transpose(1, 0, 2, 3)
    out = out + b.reshape(-1, 1, 1)
    return np.ascontiguousarray(out, dtype=x.dtype), (x, w)


def pointwise_conv2d_backward(dout, cache):
    x, w = cache
    dx = np.tensordot(w[:, :, 0, 0], dout, axes=([0], [1])).transpose(1, 0, 2, 3)
    dw = np.tensordot(dout, x, axes=([0, 2, 3], [0, 2, 3])).reshape(w.shape)
    dt = dout.dtype
    return (np.ascontiguousarray(dx, dtype=dt), dw.astype(dt),
            dout.sum(axis=(0, 2, 3)).astype(dt, copy=False))


def separable_block_forward(x, params, stride=1, padding=0, dilation=1):
    p = dict(params)  # a shallow copy: the caller's dict is never touched
    hidden, first = depthwise_conv2d_forward(x, p["depthwise_w"], p["depthwise_b"], stride,
                                             padding, dilation)
    active = hidden > 0
    out, second = pointwise_conv2d_forward(hidden * active, p["pointwise_w"], p["pointwise_b"])
    return out, {"depthwise": first, "active": active, "pointwise": second}


def separable_block_backward(dout, cache):
    dh, dpw, dpb = pointwise_conv2d_backward(dout, cache["pointwise"])
    dx, ddw, ddb = depthwise_conv2d_backward(dh * cache["active"], cache["depthwise"])
    grads = {"pointwise_w": dpw, "pointwise_b": dpb, "depthwise_w": ddw, "depthwise_b": ddb}
    return dx, grads


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    if c_in % groups != 0 or c_out % groups != 0:
        raise ValueError(f"c_in={c_in} and c_out={c_out} must both be divisible by "
                         f"groups={groups}")
    KH, KW = _pair(kernel_size)
    Hout, Wout = _out_hw(*_pair(input_hw), KH, KW, _pair(stride), _pair(padding),
                         _pair(dilation))
    weights = c_out * (c_in // groups) * KH * KW
    return {"params": int(weights + (c_out if bias else 0)), "macs": int(weights * Hout * Wout)}


def receptive_field(layers):
    field, jump, i = 1, 1, 0
    while i < len(layers):
        k, s, *rest = layers[i]
        field += (k - 1) * (rest[0] if rest else 1) * jump
        jump *= s
        i += 1
    return field
