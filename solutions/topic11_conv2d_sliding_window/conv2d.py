"""Topic 11 reference: 2-D convolution by sliding a window over the padded input.

"Naive" means one step per output position: the loop visits every (i, j) of the output and
computes all samples and all filters there at once with one tensordot. It is slow (Topic 12 makes
it fast) but every line maps to the definition:

    out[n, f, i, j] = b[f] + sum_{c, p, q} xpad[n, c, i*sh + p, j*sw + q] * w[f, c, p, q]

Convolution here is cross-correlation, as in PyTorch: the kernel is not flipped.
"""

import numpy as np


def pair(value):
    """An int or an (h, w) pair, as an (h, w) tuple of ints."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"expected an int or an (h, w) pair, got {value!r}")
        return int(value[0]), int(value[1])
    return int(value), int(value)


def output_size(size, kernel, stride, padding):
    """(size + 2*padding - kernel) // stride + 1, refusing windows that do not fit."""
    out = (size + 2 * padding - kernel) // stride + 1
    if out < 1:
        raise ValueError(f"a kernel of {kernel} does not fit an input of {size} "
                         f"padded by {padding} on each side")
    return out


def conv2d_forward_naive(x, w, b, stride=1, padding=0):
    """Forward pass of a 2-D convolution (cross-correlation), one output position at a time.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C, KH, KW) filters.
    - b: (F,) biases.
    - stride: int or (sh, sw), the step between windows.
    - padding: int or (ph, pw), zeros added on both sides of H and W.

    Returns (out, cache):
    - out: (N, F, Hout, Wout) with Hout = (H + 2*ph - KH) // sh + 1, Wout likewise.
    - cache: what conv2d_backward_naive needs.
    """
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    N, C, H, W = x.shape
    F, C_w, KH, KW = w.shape
    if C != C_w:
        raise ValueError(f"x has {C} channels but w expects {C_w}")
    Hout, Wout = output_size(H, KH, sh, ph), output_size(W, KW, sw, pw)

    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.empty((N, F, Hout, Wout), dtype=np.result_type(x, w, b))
    for i in range(Hout):
        for j in range(Wout):
            window = xpad[:, :, i * sh:i * sh + KH, j * sw:j * sw + KW]  # (N, C, KH, KW)
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (xpad, w, (sh, sw), (ph, pw), x.shape)


def conv2d_backward_naive(dout, cache):
    """Backward pass of conv2d_forward_naive.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: from conv2d_forward_naive.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, KH, KW) and b (F,).
    """
    xpad, w, (sh, sw), (ph, pw), (N, C, H, W) = cache
    _, _, KH, KW = w.shape
    _, _, Hout, Wout = dout.shape

    dxpad = np.zeros_like(xpad)
    dw = np.zeros_like(w)
    for i in range(Hout):
        for j in range(Wout):
            rows, cols = slice(i * sh, i * sh + KH), slice(j * sw, j * sw + KW)
            g = dout[:, :, i, j]  # (N, F)
            dw += np.tensordot(g, xpad[:, :, rows, cols], axes=([0], [0]))
            # Windows overlap when stride < kernel: contributions add up.
            dxpad[:, :, rows, cols] += np.tensordot(g, w, axes=([1], [0]))
    dx = dxpad[:, :, ph:ph + H, pw:pw + W].copy()
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db
