"""Topic 12's mutants share this: the brief's im2col, col2im and convolution, one switch per mistake.

`im2col`, `col2im`, `conv2d_forward` and `conv2d_backward` take the public functions' arguments
plus `mistake=NAME` (None: the textbook recipe of katas/topic12_im2col_vectorization/README.md)
and are self-contained, written the way a learner writes them: no reference helper and no
reference cache (`conv2d_forward`'s cache is the brief's (cols, w, x.shape, stride, padding)).
Each mistake changes one step of the recipe; IM2COL_MISTAKES, COL2IM_MISTAKES and CONV_MISTAKES
list them (the convolution's forward and backward share one list).
"""

import numpy as np

IM2COL_MISTAKES = (None, "taps_not_dilated", "padding_on_one_side", "reshaped_without_transpose",
                   "padding_after_windows")
COL2IM_MISTAKES = (None, "taps_not_dilated", "stride_ignored", "reshaped_without_transpose",
                   "overwrites", "averages_overlaps", "promotes_to_float64",
                   "crop_with_negative_slice")
CONV_MISTAKES = (None, "out_reshaped_without_transpose", "dout_reshaped_without_transpose",
                 "dw_from_transposed_product", "dx_kernel_not_flipped")


def pair(value):
    """An int or an (h, w) pair, as an (h, w) tuple."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def sizes(x_shape, kernel_size, stride, padding, dilation):
    """Every argument as an (h, w) pair, and Hout, Wout (a learner's im2col starts so)."""
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel_size, stride, padding, dilation))
    Hout = (x_shape[2] + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wout = (x_shape[3] + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    if min(Hout, Wout) < 1:
        raise ValueError(f"a {KH}x{KW} kernel (dilation {dh}x{dw}) does not fit an input of "
                         f"{x_shape[2]}x{x_shape[3]} padded by {ph}x{pw}: Hout = {Hout}, Wout = {Wout}")
    return (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout


def taps(kernel, steps, gaps, grid):
    """(p, q, rows, columns) per kernel tap: the strided slices of the padded image it reads.

    kernel (KH, KW), steps = the stride (sh, sw), gaps = the dilation (dh, dw), grid (Hout, Wout).
    """
    (KH, KW), (sh, sw), (dh, dw), (Hout, Wout) = kernel, steps, gaps, grid
    for p in range(KH):
        rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
        for q in range(KW):
            yield p, q, rows, slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1, mistake=None):
    assert mistake in IM2COL_MISTAKES
    N, C = x.shape[:2]
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout = sizes(
        x.shape, kernel_size, stride, padding, dilation)
    if mistake == "padding_after_windows":
        cols6 = _windows_then_padding(x, (KH, KW), (sh, sw), (ph, pw), (dh, dw), (Hout, Wout))
        return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * KH * KW)
    if mistake == "padding_on_one_side":  # 2*pad before the image, none after
        xpad = np.pad(x, ((0, 0), (0, 0), (2 * ph, 0), (2 * pw, 0)))
    else:
        xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    gaps = (1, 1) if mistake == "taps_not_dilated" else (dh, dw)  # tap (p, q) at offset (p, q)
    cols6 = np.empty((N, C, KH, KW, Hout, Wout), dtype=x.dtype)
    for p, q, rows, cols_ in taps((KH, KW), (sh, sw), gaps, (Hout, Wout)):
        cols6[:, :, p, q] = xpad[:, :, rows, cols_]
    if mistake == "reshaped_without_transpose":
        return cols6.reshape(N * Hout * Wout, C * KH * KW)
    return cols6.transpose(0, 4, 5, 1, 2, 3).reshape(N * Hout * Wout, C * KH * KW)


def _windows_then_padding(x, kernel, steps, pads, gaps, grid):
    """(N, C, KH, KW, Hout, Wout): the windows of the unpadded x, in a grid padded by zero rows."""
    N, C, H, W = x.shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), (Hout, Wout) = kernel, steps, pads, gaps, grid
    # the windows that fit the image itself...
    Hin = max((H - dh * (KH - 1) - 1) // sh + 1, 0)
    Win = max((W - dw * (KW - 1) - 1) // sw + 1, 0)
    cols6 = np.zeros((N, C, KH, KW, Hout, Wout), dtype=x.dtype)
    top, left = min(ph, Hout - min(Hin, Hout)), min(pw, Wout - min(Win, Wout))
    Hin, Win = min(Hin, Hout - top), min(Win, Wout - left)
    for p, q, rows, cols_ in taps(kernel, steps, gaps, (Hin, Win)):
        if Hin > 0 and Win > 0:
            # ...and the padding added afterwards, as rows of zeros around them
            cols6[:, :, p, q, top:top + Hin, left:left + Win] = x[:, :, rows, cols_]
    return cols6


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1, mistake=None):
    assert mistake in COL2IM_MISTAKES
    if mistake == "averages_overlaps":  # undoes im2col (an inverse) instead of its adjoint
        sums = col2im(cols, x_shape, kernel_size, stride, padding, dilation)
        copies = col2im(np.ones_like(cols), x_shape, kernel_size, stride, padding, dilation)
        return np.where(copies > 0, sums / np.maximum(copies, 1), 0).astype(cols.dtype)
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw), Hout, Wout = sizes(
        x_shape, kernel_size, stride, padding, dilation)
    if mistake == "reshaped_without_transpose":
        blocks = cols.reshape(N, C, KH, KW, Hout, Wout)
    else:
        blocks = cols.reshape(N, Hout, Wout, C, KH, KW).transpose(0, 3, 4, 5, 1, 2)
    dtype = None if mistake == "promotes_to_float64" else cols.dtype  # None: np.zeros' float64
    xpad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=dtype)
    steps = (1, 1) if mistake == "stride_ignored" else (sh, sw)
    gaps = (1, 1) if mistake == "taps_not_dilated" else (dh, dw)
    for p, q, rows, cols_ in taps((KH, KW), steps, gaps, (Hout, Wout)):
        if mistake == "overwrites":
            xpad[:, :, rows, cols_] = blocks[:, :, p, q]
        else:
            xpad[:, :, rows, cols_] += blocks[:, :, p, q]
    if mistake == "crop_with_negative_slice":  # -0 is 0: empty when the padding is 0
        return xpad[:, :, ph:-ph, pw:-pw].copy()
    return xpad[:, :, ph:ph + H, pw:pw + W].copy()


def conv2d_forward(x, w, b, stride=1, padding=0, mistake=None):
    assert mistake in CONV_MISTAKES
    N, F = x.shape[0], w.shape[0]
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels but w expects {w.shape[1]}")
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    Hout = (x.shape[2] + 2 * ph - w.shape[2]) // sh + 1
    Wout = (x.shape[3] + 2 * pw - w.shape[3]) // sw + 1
    cols = im2col(x, w.shape[2:], stride, padding)                  # (N*Hout*Wout, C*KH*KW)
    out_rows = cols @ w.reshape(F, -1).T + b                         # (N*Hout*Wout, F)
    if mistake == "out_reshaped_without_transpose":
        out = out_rows.reshape(N, F, Hout, Wout)
    else:
        out = np.ascontiguousarray(out_rows.reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2))
    return out, (cols, w.copy(), x.shape, stride, padding)


def conv2d_backward(dout, cache, mistake=None):
    assert mistake in CONV_MISTAKES
    cols, w, x_shape, stride, padding = cache
    F = w.shape[0]
    if mistake == "dout_reshaped_without_transpose":
        dout_rows = dout.reshape(-1, F)
    else:
        dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)        # (N*Hout*Wout, F)
    db = dout_rows.sum(axis=0)
    if mistake == "dw_from_transposed_product":
        dw = (cols.T @ dout_rows).reshape(w.shape)
    else:
        dw = (dout_rows.T @ cols).reshape(w.shape)
    flip = mistake == "dx_kernel_not_flipped"  # a learner's attempt at the transposed convolution
    w_rows = (w[:, :, ::-1, ::-1] if flip else w).reshape(F, -1)
    dx = col2im(dout_rows @ w_rows, x_shape, w.shape[2:], stride, padding)
    return dx, dw, db
