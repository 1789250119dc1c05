"""Topic 13 reference: max, average and global average pooling, vectorized.

A pooling window of KH x KW slides over the padded input with stride (sh, sw). Instead of a
Python loop over the output positions, we loop over the KH*KW offsets (p, q) inside the window:
for a fixed offset, the element every window sees there is one strided slice of the padded input,

    xpad[:, :, p : p + sh*(Hout-1) + 1 : sh, q : q + sw*(Wout-1) + 1 : sw]    # (N, C, Hout, Wout)

so each step is one NumPy operation over all windows at once (9 steps for a 3x3 window, however
large the image). The backward pass walks the same slices of a zero gradient buffer and adds into
them: where windows overlap (stride < kernel), one input element is in several windows and its
gradient is the sum of what each window sends it.

Max pooling pads with -inf (padding never wins a max) and sends each window's gradient to ONE
element: the first maximum in row-major window order, which is what PyTorch's CPU kernel does.
Average pooling pads with zeros and divides by KH*KW, padding included (PyTorch's default,
count_include_pad=True).
"""

import numpy as np


def pair(value):
    """An int or an (h, w) pair, as an (h, w) tuple of ints."""
    h, w = value if isinstance(value, (tuple, list)) else (value, value)
    return int(h), int(w)


def pool_geometry(x_shape, kernel_size, stride, padding):
    """(kernel, stride, padding, out_hw) as (h, w) pairs; stride None means the kernel size.

    Refuses what PyTorch refuses: padding wider than half the kernel (a window could then hold
    padding only), and windows that do not fit the padded input.
    """
    kernel = pair(kernel_size)
    stride = kernel if stride is None else pair(stride)
    padding = pair(padding)
    allowed = min(kernel + stride) >= 1 and all(0 <= 2 * p <= k for p, k in zip(padding, kernel))
    out_hw = tuple((n + 2 * p - k) // s + 1
                   for n, k, s, p in zip(x_shape[2:], kernel, stride, padding)) if allowed else (0,)
    if min(out_hw) < 1:
        raise ValueError(f"pooling geometry not allowed: kernel {kernel} and stride {stride} must "
                         f"be positive, padding {padding} between 0 and half the kernel, and the "
                         f"window must fit the input {tuple(x_shape[2:])} once padded")
    return kernel, stride, padding, out_hw


def pad_spatial(x, padding, value):
    """x padded on both sides of H and W with `value` (x itself when there is no padding)."""
    ph, pw = padding
    if ph == pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def window_slices(xpad, kernel, stride, out_hw):
    """For each offset (p, q) of the window, row-major: the (N, C, Hout, Wout) view of `xpad`
    holding the element at that offset of every window. Views, so `+=` on them writes through."""
    (kh, kw), (sh, sw), (hout, wout) = kernel, stride, out_hw
    for p in range(kh):
        for q in range(kw):
            yield xpad[:, :, p:p + sh * (hout - 1) + 1:sh, q:q + sw * (wout - 1) + 1:sw]


def unpad_spatial(xpad, padding):
    """The inverse of pad_spatial: the interior of `xpad`, as a contiguous array."""
    ph, pw = padding
    return np.ascontiguousarray(xpad[:, :, ph:xpad.shape[2] - ph, pw:xpad.shape[3] - pw])


def maxpool2d_forward(x, kernel_size, stride=None, padding=0):
    """Forward pass of 2-D max pooling.

    Inputs:
    - x: (N, C, H, W).
    - kernel_size: int or (KH, KW), the window.
    - stride: int or (sh, sw); None (the default) means the kernel size.
    - padding: int or (ph, pw), at most half the kernel; pads with -inf.

    Returns (out, cache):
    - out: (N, C, Hout, Wout), Hout = (H + 2*ph - KH) // sh + 1, Wout likewise.
    - cache: for maxpool2d_backward: which offset of each window held its maximum.
    """
    kernel, stride, padding, out_hw = pool_geometry(x.shape, kernel_size, stride, padding)
    xpad = pad_spatial(x, padding, -np.inf)
    # argmax[n, c, i, j] = row-major index p*KW + q of the first maximum of window (i, j).
    index_type = np.min_scalar_type(kernel[0] * kernel[1])
    argmax = np.zeros(x.shape[:2] + out_hw, dtype=index_type)
    better = np.empty(argmax.shape, dtype=bool)
    out = None
    for offset, candidate in enumerate(window_slices(xpad, kernel, stride, out_hw)):
        if out is None:
            out = candidate.copy()
            continue
        # Strictly greater: a later element equal to the maximum so far does not take over.
        np.greater(candidate, out, out=better)
        np.maximum(out, candidate, out=out)
        # "argmax = offset where better": offsets come in increasing order, so that is a running
        # maximum, and np.maximum is several times faster than a masked copy.
        np.maximum(argmax, better.view(np.uint8) * index_type.type(offset), out=argmax)
    return out, (argmax, x.shape, x.dtype, kernel, stride, padding)


def maxpool2d_backward(dout, cache):
    """Backward pass of maxpool2d_forward.

    Inputs:
    - dout: (N, C, Hout, Wout) upstream gradient.
    - cache: from maxpool2d_forward.

    Returns dx (N, C, H, W): each window's dout goes to the first maximum of that window; an
    element that is the chosen maximum of several overlapping windows receives their sum.
    """
    argmax, x_shape, dtype, kernel, stride, padding = cache
    dxpad = np.zeros(_padded_shape(x_shape, padding), dtype=dtype)
    overlapping = stride[0] < kernel[0] or stride[1] < kernel[1]
    chosen = np.empty(argmax.shape, dtype=bool)
    for offset, target in enumerate(window_slices(dxpad, kernel, stride, dout.shape[2:])):
        np.equal(argmax, offset, out=chosen)
        if overlapping:
            target += dout * chosen  # an element may be the maximum of several windows
        else:
            np.multiply(dout, chosen, out=target)  # each element is written once: no read needed
    return unpad_spatial(dxpad, padding)


def avgpool2d_forward(x, kernel_size, stride=None, padding=0):
    """Forward pass of 2-D average pooling (zero padding counted in the divisor, as PyTorch).

    Inputs:
    - x: (N, C, H, W).
    - kernel_size: int or (KH, KW), the window.
    - stride: int or (sh, sw); None (the default) means the kernel size.
    - padding: int or (ph, pw), at most half the kernel; pads with zeros.

    Returns (out, cache):
    - out: (N, C, Hout, Wout), each the sum of its window divided by KH*KW.
    - cache: for avgpool2d_backward.
    """
    kernel, stride, padding, out_hw = pool_geometry(x.shape, kernel_size, stride, padding)
    xpad = pad_spatial(x, padding, 0)
    out = np.zeros(x.shape[:2] + out_hw, dtype=x.dtype)
    for candidate in window_slices(xpad, kernel, stride, out_hw):
        out += candidate
    out /= kernel[0] * kernel[1]
    return out, (x.shape, x.dtype, kernel, stride, padding)


def avgpool2d_backward(dout, cache):
    """Backward pass of avgpool2d_forward.

    Returns dx (N, C, H, W): every element of a window gets dout / (KH*KW) from that window,
    summed over the windows it belongs to.
    """
    x_shape, dtype, kernel, stride, padding = cache
    share = (dout / (kernel[0] * kernel[1])).astype(dtype, copy=False)
    dxpad = np.zeros(_padded_shape(x_shape, padding), dtype=dtype)
    for target in window_slices(dxpad, kernel, stride, dout.shape[2:]):
        target += share
    return unpad_spatial(dxpad, padding)


def global_avgpool_forward(x):
    """Mean over H and W: (N, C, H, W) -> ((N, C), cache)."""
    return x.mean(axis=(2, 3)), (x.shape, x.dtype)


def global_avgpool_backward(dout, cache):
    """Backward pass of global_avgpool_forward: dout (N, C) -> dx (N, C, H, W).

    Every one of the H*W elements of a channel gets an equal share dout / (H*W).
    """
    (n, c, h, w), dtype = cache
    share = (dout / (h * w)).astype(dtype, copy=False)
    return np.broadcast_to(share[:, :, None, None], (n, c, h, w)).copy()


def _padded_shape(x_shape, padding):
    n, c, h, w = x_shape
    return n, c, h + 2 * padding[0], w + 2 * padding[1]
