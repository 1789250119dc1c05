"""Topic 13: max, average and global average pooling, with strides. Brief: README.md beside this file.

Max pooling keeps the largest element of each KH x KW window; padding is -inf (it never wins).
Average pooling keeps the mean of each window; padding is 0 and counts in the divisor KH*KW.

    out[n, c, i, j] = max / mean over p < KH, q < KW of xpad[n, c, i*sh + p, j*sw + q]

Vectorize: no Python loop over the output positions (a loop over the KH*KW window offsets is fine).
Run the specs with `tox -e topic13`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)


def _pair(value):
    """An int or an (h, w) pair, as an (h, w) tuple of ints."""
    if np.ndim(value) == 0:
        return int(value), int(value)
    h, w = value
    return int(h), int(w)


def _geometry(x, kernel_size, stride, padding):
    """(N, C, H, W), (KH, KW), (sh, sw), (ph, pw), (Hout, Wout); stride=None means the kernel."""
    N, C, H, W = x.shape
    KH, KW = _pair(kernel_size)
    sh, sw = (KH, KW) if stride is None else _pair(stride)
    ph, pw = _pair(padding)
    Hout = (H + 2 * ph - KH) // sh + 1
    Wout = (W + 2 * pw - KW) // sw + 1
    return (N, C, H, W), (KH, KW), (sh, sw), (ph, pw), (Hout, Wout)


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    """Forward pass of 2-D max pooling.

    Inputs:
    - x: (N, C, H, W).
    - kernel_size: int or (KH, KW), the window.
    - stride: int or (sh, sw); None (the default) means the kernel size.
    - padding: int or (ph, pw), at most half the kernel; pads with -inf.

    Returns (out, cache):
    - out: (N, C, Hout, Wout) with Hout = (H + 2*ph - KH) // sh + 1, Wout likewise.
    - cache: whatever maxpool2d_backward needs (your choice; the specs never look inside).

    Keep x's dtype (float32 in, float32 out) and never modify x.
    """
    (N, C, H, W), (KH, KW), (sh, sw), (ph, pw), (Hout, Wout) = _geometry(
        x, kernel_size, stride, padding)
    xpad = x
    if ph or pw:                                           # np.pad copies even with nothing to add
        xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    out = xpad[:, :, 0:sh*(Hout - 1) + 1:sh, 0:sw*(Wout - 1) + 1:sw].copy()   # offset (0, 0)
    offsets = np.min_scalar_type(KH * KW)                  # uint8 up to 15x15
    argmax = np.zeros((N, C, Hout, Wout), dtype=offsets)
    better = np.empty((N, C, Hout, Wout), dtype=bool)
    for p in range(KH):
        for q in range(KW):
            candidate = xpad[:, :, p:p + sh*(Hout - 1) + 1:sh, q:q + sw*(Wout - 1) + 1:sw]
            np.greater(candidate, out, out=better)         # strictly: the first maximum stays
            np.maximum(out, candidate, out=out)            # in place: no new array per offset
            # "argmax = p*KW + q where better": offsets only grow, so a running maximum
            np.maximum(argmax, better * offsets.type(p*KW + q), out=argmax)
    cache = (argmax, x.shape, (KH, KW), (sh, sw), (ph, pw))
    return out, cache


def maxpool2d_backward(dout, cache):
    """Backward pass of maxpool2d_forward.

    Inputs:
    - dout: (N, C, Hout, Wout) upstream gradient.
    - cache: what your maxpool2d_forward returned.

    Returns dx (N, C, H, W). Each window sends its dout to ONE element: its maximum, and on a
    tie the first maximum in row-major window order. Overlapping windows add up.
    """
    argmax, (N, C, H, W), (KH, KW), (sh, sw), (ph, pw) = cache
    Hout, Wout = dout.shape[2:]
    dxpad = np.zeros((N, C, H + 2*ph, W + 2*pw), dtype=dout.dtype)
    overlapping = sh < KH or sw < KW
    for p in range(KH):
        for q in range(KW):
            chosen = argmax == p*KW + q                                  # (N, C, Hout, Wout)
            target = dxpad[:, :, p:p + sh*(Hout - 1) + 1:sh, q:q + sw*(Wout - 1) + 1:sw]  # a view
            if overlapping:
                target += dout * chosen            # an element may be the maximum of several windows
            else:
                np.multiply(dout, chosen, out=target)          # each element written once
    dx = dxpad[:, :, ph:ph + H, pw:pw + W]
    return dx


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    """Forward pass of 2-D average pooling.

    Inputs:
    - x: (N, C, H, W).
    - kernel_size: int or (KH, KW), the window.
    - stride: int or (sh, sw); None (the default) means the kernel size.
    - padding: int or (ph, pw), at most half the kernel; pads with zeros, which count in the
      divisor: every window is divided by KH*KW (PyTorch's default, count_include_pad=True).

    Returns (out, cache):
    - out: (N, C, Hout, Wout), sizes as for max pooling.
    - cache: whatever avgpool2d_backward needs.
    """
    (N, C, H, W), (KH, KW), (sh, sw), (ph, pw), (Hout, Wout) = _geometry(
        x, kernel_size, stride, padding)
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, C, Hout, Wout), dtype=x.dtype)
    for p in range(KH):
        for q in range(KW):
            out += xpad[:, :, p:p + sh*(Hout - 1) + 1:sh, q:q + sw*(Wout - 1) + 1:sw]
    out /= KH * KW
    cache = (x.shape, (KH, KW), (sh, sw), (ph, pw))
    return out, cache


def avgpool2d_backward(dout, cache):
    """Backward pass of avgpool2d_forward.

    Inputs:
    - dout: (N, C, Hout, Wout) upstream gradient.
    - cache: what your avgpool2d_forward returned.

    Returns dx (N, C, H, W).
    """
    (N, C, H, W), (KH, KW), (sh, sw), (ph, pw) = cache
    Hout, Wout = dout.shape[2:]
    dxpad = np.zeros((N, C, H + 2*ph, W + 2*pw), dtype=dout.dtype)
    share = dout / (KH * KW)
    for p in range(KH):
        for q in range(KW):
            dxpad[:, :, p:p + sh*(Hout - 1) + 1:sh, q:q + sw*(Wout - 1) + 1:sw] += share
    dx = dxpad[:, :, ph:ph + H, pw:pw + W]
    return dx


def global_avgpool_forward(x):
    """Mean over the spatial axes.

    Inputs:
    - x: (N, C, H, W).

    Returns (out, cache): out is (N, C), out[n, c] = mean of x[n, c, :, :].
    """
    return x.mean(axis=(2, 3)), x.shape


def global_avgpool_backward(dout, cache):
    """Backward pass of global_avgpool_forward.

    Inputs:
    - dout: (N, C) upstream gradient.
    - cache: what your global_avgpool_forward returned.

    Returns dx (N, C, H, W), an array of its own (np.broadcast_to's read-only view is not:
    copy it).
    """
    N, C, H, W = cache
    share = dout[:, :, None, None] / (H * W)                 # (N, C, 1, 1)
    dx = np.broadcast_to(share, (N, C, H, W)).copy()
    return dx
