"""Topic 15 reference: dilated, grouped, depthwise and pointwise convolutions, and what they cost.

- `conv2d_forward/backward`: the general convolution, with `dilation` (gaps between the kernel's
  taps) and `groups` (channels split into independent groups), built on Topic 12's im2col: the
  columns of one group are a contiguous block, so a grouped convolution is one batched matmul.
- `depthwise_conv2d_*`: groups == channels, one filter per channel. Not through im2col (whose
  matrix would be KH*KW times the input for a matmul with almost nothing to do) but by looping
  over the KH*KW kernel taps, each one a broadcast multiply-add of a strided view of the input.
- `pointwise_conv2d_*`: a 1x1 convolution, i.e. a matmul over channels at every pixel.
- `separable_block_*`: depthwise -> ReLU -> pointwise, the MobileNet block (without batch norm).
- `conv2d_cost` and `receptive_field`: counting, no arrays.

Convolution here is cross-correlation, as in PyTorch. With dilation d, tap (p, q) of output
(i, j) reads xpad[i*sh + p*dh, j*sw + q*dw].
"""

import numpy as np

from ..topic12_im2col_vectorization.im2col import col2im, im2col


def pair(value):
    """An int or an (h, w) pair, as an (h, w) tuple of ints."""
    if isinstance(value, (tuple, list)):
        h, w = value  # a ValueError unless exactly two
        return int(h), int(w)
    return int(value), int(value)


def output_size(size, kernel, stride, padding, dilation):
    """(size + 2*padding - dilation*(kernel-1) - 1) // stride + 1, refusing windows that do not fit."""
    span = dilation * (kernel - 1) + 1  # the kernel's extent once its taps are spread apart
    out = (size + 2 * padding - span) // stride + 1
    if out < 1:
        raise ValueError(f"a kernel spanning {span} does not fit an input of {size} "
                         f"padded by {padding} on each side")
    return out


def _settings(stride, padding, dilation):
    """stride, padding and dilation as (h, w) pairs, in the keyword form im2col takes."""
    return {"stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation)}


def _output_hw(x_shape, kernel_hw, settings):
    (sh, sw), (ph, pw), (dh, dw) = settings["stride"], settings["padding"], settings["dilation"]
    return (output_size(x_shape[2], kernel_hw[0], sh, ph, dh),
            output_size(x_shape[3], kernel_hw[1], sw, pw, dw))


def _check_groups(channels, filters, w_channels, groups):
    if groups < 1 or channels % groups or filters % groups:
        raise ValueError(f"groups={groups} must divide both the input channels ({channels}) "
                         f"and the filters ({filters})")
    if w_channels != channels // groups:
        raise ValueError(f"w has {w_channels} input channels per filter, expected "
                         f"C // groups = {channels} // {groups} = {channels // groups}")


def _grouped(matrix, groups):
    """(rows, groups * k) -> (groups, rows, k): group g's columns are the g-th contiguous block."""
    return matrix.reshape(matrix.shape[0], groups, -1).transpose(1, 0, 2)


def _ungrouped(grouped):
    """Inverse of _grouped: (groups, rows, k) -> (rows, groups * k)."""
    return grouped.transpose(1, 0, 2).reshape(grouped.shape[1], -1)


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    """Forward pass of a 2-D convolution with dilation and groups.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C // groups, KH, KW) filters; filter f sees only the channels of group
      f // (F // groups), i.e. channels [g*C/G, (g+1)*C/G).
    - b: (F,) biases.
    - stride, padding, dilation: int or (h, w) pair.
    - groups: int dividing both C and F.

    Returns (out, cache) with out (N, F, Hout, Wout),
    Hout = (H + 2*ph - dh*(KH-1) - 1) // sh + 1, Wout likewise.
    Raises ValueError naming C, F and groups when groups does not divide both, naming both when
    w.shape[1] != C // groups, and naming the span and the input size when the dilated kernel
    does not fit the padded input.
    """
    N, C, _, _ = x.shape
    F, C_per_group, KH, KW = w.shape
    _check_groups(C, F, C_per_group, groups)
    settings = _settings(stride, padding, dilation)
    Hout, Wout = _output_hw(x.shape, (KH, KW), settings)

    cols = im2col(x, (KH, KW), **settings)                      # (N*Hout*Wout, C*KH*KW)
    w_grouped = w.reshape(groups, F // groups, -1)              # (G, F/G, C/G*KH*KW)
    out_grouped = _grouped(cols, groups) @ w_grouped.transpose(0, 2, 1)   # (G, N*L, F/G)
    out = _ungrouped(out_grouped).reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2)
    out = np.ascontiguousarray(out + b[:, None, None])
    return out, (cols, w, x.shape, settings, groups)


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: from conv2d_forward.

    Returns (dx, dw, db) shaped like x, w (F, C // groups, KH, KW) and b (F,).
    """
    cols, w, x_shape, settings, groups = cache
    F, _, KH, KW = w.shape
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)      # (N*L, F), rows like cols
    dout_grouped = _grouped(dout_rows, groups)                  # (G, N*L, F/G)
    w_grouped = w.reshape(groups, F // groups, -1)
    # Each group's filters only ever met that group's columns: no sum across groups.
    dw = (dout_grouped.transpose(0, 2, 1) @ _grouped(cols, groups)).reshape(w.shape)
    dcols = _ungrouped(dout_grouped @ w_grouped)                # (N*L, C*KH*KW)
    dx = col2im(dcols, x_shape, (KH, KW), **settings)
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db


def _taps(xpad, kernel_hw, out_hw, settings):
    """For each kernel tap (p, q): the (rows, cols) slices of xpad it reads for every output.

    The view xpad[:, :, rows, cols] is (N, C, Hout, Wout): tap (p, q) of all outputs at once.
    """
    (sh, sw), (dh, dw) = settings["stride"], settings["dilation"]
    Hout, Wout = out_hw
    for p in range(kernel_hw[0]):
        for q in range(kernel_hw[1]):
            rows = slice(p * dh, p * dh + sh * (Hout - 1) + 1, sh)
            cols = slice(q * dw, q * dw + sw * (Wout - 1) + 1, sw)
            yield p, q, (slice(None), slice(None), rows, cols)


def _pad(x, settings):
    ph, pw = settings["padding"]
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    """Forward pass of a depthwise convolution: channel c is convolved with filter c alone.

    Inputs:
    - x: (N, C, H, W); w: (C, 1, KH, KW); b: (C,).
    - stride, padding, dilation: int or (h, w) pair.

    Returns (out, cache) with out (N, C, Hout, Wout) (the same sizes as conv2d_forward).
    Equal to conv2d_forward(x, w, b, ..., groups=C), computed with one broadcast multiply-add
    per kernel tap instead of im2col. Raises ValueError when w is not (C, 1, KH, KW) and when
    the dilated kernel does not fit the padded input.
    """
    N, C, _, _ = x.shape
    if w.shape[:2] != (C, 1):
        raise ValueError(f"w should be (C, 1, KH, KW) = ({C}, 1, KH, KW), got {w.shape}")
    settings = _settings(stride, padding, dilation)
    out_hw = _output_hw(x.shape, w.shape[2:], settings)

    xpad = _pad(x, settings)
    out = np.empty((N, C, *out_hw), dtype=np.result_type(x, w, b))
    out[...] = b[:, None, None]
    scratch = np.empty_like(out)
    for p, q, tap in _taps(xpad, w.shape[2:], out_hw, settings):
        np.multiply(xpad[tap], w[:, 0, p, q, None, None], out=scratch)  # no temporary per tap
        out += scratch
    return out, (xpad, w, x.shape, settings)


def depthwise_conv2d_backward(dout, cache):
    """Backward pass of depthwise_conv2d_forward.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (C, 1, KH, KW) and b (C,).
    """
    xpad, w, (_, _, H, W), settings = cache
    dxpad = np.zeros_like(xpad)
    dw = np.zeros_like(w)
    for p, q, tap in _taps(xpad, w.shape[2:], dout.shape[2:], settings):
        # Taps overlap when the stride is smaller than the kernel's span: add, never assign.
        dxpad[tap] += dout * w[:, 0, p, q, None, None]
        dw[:, 0, p, q] = np.einsum("nchw,nchw->c", dout, xpad[tap])
    ph, pw = settings["padding"]
    dx = dxpad[:, :, ph:ph + H, pw:pw + W].copy()
    return dx, dw, dout.sum(axis=(0, 2, 3))


def pointwise_conv2d_forward(x, w, b):
    """Forward pass of a 1x1 convolution: at every pixel, out = W @ x + b over the channels.

    Inputs: x (N, C, H, W), w (F, C, 1, 1), b (F,).
    Returns (out, cache) with out (N, F, H, W).
    """
    N, C, H, W = x.shape
    F = w.shape[0]
    if w.shape != (F, C, 1, 1):
        raise ValueError(f"w should be (F, C, 1, 1) with C = {C}, got {w.shape}")
    pixels = x.reshape(N, C, H * W)
    out = (w.reshape(F, C) @ pixels).reshape(N, F, H, W) + b[:, None, None]
    return out, (pixels, w, x.shape)


def pointwise_conv2d_backward(dout, cache):
    """Backward pass of pointwise_conv2d_forward: (dx, dw, db) shaped like x, w and b."""
    pixels, w, x_shape = cache
    N, F, H, W = dout.shape
    dout_pixels = dout.reshape(N, F, H * W)
    dx = (w.reshape(F, -1).T @ dout_pixels).reshape(x_shape)
    dw = np.tensordot(dout_pixels, pixels, axes=([0, 2], [0, 2])).reshape(w.shape)
    return dx, dw, dout.sum(axis=(0, 2, 3))


SEPARABLE_PARAMS = ("depthwise_w", "depthwise_b", "pointwise_w", "pointwise_b")


def separable_block_forward(x, params, stride=1, padding=0, dilation=1):
    """Depthwise-separable block: depthwise conv -> ReLU -> pointwise (1x1) conv.

    Inputs:
    - x: (N, C, H, W).
    - params: {"depthwise_w": (C, 1, KH, KW), "depthwise_b": (C,),
               "pointwise_w": (F, C, 1, 1), "pointwise_b": (F,)}; never modified (the same
      array objects, dtypes and values afterwards).
    - stride, padding, dilation: of the depthwise convolution.

    Returns (out, cache) with out (N, F, Hout, Wout): no ReLU after the pointwise conv, so the
    block replaces a convolution layer and the caller chooses what follows.
    """
    hidden, depthwise_cache = depthwise_conv2d_forward(
        x, params["depthwise_w"], params["depthwise_b"], stride, padding, dilation)
    active = hidden > 0
    out, pointwise_cache = pointwise_conv2d_forward(
        hidden * active, params["pointwise_w"], params["pointwise_b"])
    return out, (depthwise_cache, active, pointwise_cache)


def separable_block_backward(dout, cache):
    """Backward pass of separable_block_forward: (dx, grads) with grads keyed like params."""
    depthwise_cache, active, pointwise_cache = cache
    dhidden, dpw_w, dpw_b = pointwise_conv2d_backward(dout, pointwise_cache)
    dx, ddw_w, ddw_b = depthwise_conv2d_backward(dhidden * active, depthwise_cache)
    return dx, dict(zip(SEPARABLE_PARAMS, (ddw_w, ddw_b, dpw_w, dpw_b)))


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    """Parameters and multiply-adds (per sample) of one convolution layer.

    Each of the c_out * Hout * Wout outputs is a dot product of (c_in // groups) * KH * KW
    weights with as many inputs (padded zeros included: the hardware multiplies them too).
    Bias additions are not multiply-adds and are not counted.

    Returns {"params": int, "macs": int}.
    """
    if groups < 1 or c_in % groups or c_out % groups:
        raise ValueError(f"groups={groups} must divide c_in={c_in} and c_out={c_out}")
    (KH, KW), (H, W) = pair(kernel_size), pair(input_hw)
    Hout, Wout = _output_hw((1, c_in, H, W), (KH, KW), _settings(stride, padding, dilation))
    weights_per_output = (c_in // groups) * KH * KW
    params = c_out * weights_per_output + (c_out if bias else 0)
    return {"params": int(params), "macs": int(c_out * Hout * Wout * weights_per_output)}


def receptive_field(layers):
    """Receptive field (in input pixels, along one axis) of one output of a stack of layers.

    layers: a sequence of (kernel, stride) or (kernel, stride, dilation), first layer first.
    Each layer widens the field by (kernel - 1) * dilation steps of its input grid, and one step
    of its input grid is the product of the strides of the layers below it ("jump").
    An empty stack sees 1 pixel.
    """
    field, jump = 1, 1
    for layer in layers:
        kernel, stride, dilation = (*layer, 1) if len(layer) == 2 else layer
        field += (kernel - 1) * dilation * jump
        jump *= stride
    return int(field)
