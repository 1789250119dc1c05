"""Topic 15: dilated, grouped, depthwise and pointwise convolutions, and what they cost.

Brief: README.md beside this file. Convolution is cross-correlation, as in PyTorch; with
dilation (dh, dw), tap (p, q) of output (i, j) reads xpad[n, c, i*sh + p*dh, j*sw + q*dw].

Run the specs with `tox -e topic15`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)

# Your own Topic 12 im2col/col2im (they take dilation too): conv2d_forward builds on them.
from ..topic12_im2col_vectorization.im2col import col2im, im2col  # noqa: F401

TOPIC = "katas/topic15_modern_convolutions/README.md"


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
    raise NotImplementedError(f"conv2d_forward: see {TOPIC}")


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs: dout (N, F, Hout, Wout); cache from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C // groups, KH, KW) and b (F,).
    """
    raise NotImplementedError(f"conv2d_backward: see {TOPIC}")


def depthwise_conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    """Depthwise convolution: channel c is convolved with filter c alone (groups = C).

    Inputs: x (N, C, H, W), w (C, 1, KH, KW), b (C,); stride, padding, dilation as above.
    Returns (out, cache), out (N, C, Hout, Wout).

    No Python loop over channels or output positions: loop over the KH*KW kernel taps only.
    Raises ValueError naming C and w's shape when w is not (C, 1, KH, KW), and naming the span
    and the input size when the dilated kernel does not fit the padded input (Hout or Wout < 1).
    """
    raise NotImplementedError(f"depthwise_conv2d_forward: see {TOPIC}")


def depthwise_conv2d_backward(dout, cache):
    """Backward pass of depthwise_conv2d_forward: (dx, dw, db) shaped like x, w and b.

    Same rule: loop over the kernel taps only.
    """
    raise NotImplementedError(f"depthwise_conv2d_backward: see {TOPIC}")


def pointwise_conv2d_forward(x, w, b):
    """Pointwise (1x1) convolution: at every pixel, a matrix-vector product over channels.

    Inputs: x (N, C, H, W), w (F, C, 1, 1), b (F,).
    Returns (out, cache), out (N, F, H, W).
    Raises ValueError naming both channel counts when w.shape[1] != C.
    """
    raise NotImplementedError(f"pointwise_conv2d_forward: see {TOPIC}")


def pointwise_conv2d_backward(dout, cache):
    """Backward pass of pointwise_conv2d_forward: (dx, dw, db) shaped like x, w and b."""
    raise NotImplementedError(f"pointwise_conv2d_backward: see {TOPIC}")


def separable_block_forward(x, params, stride=1, padding=0, dilation=1):
    """Depthwise-separable block: depthwise conv -> ReLU -> pointwise conv (no final ReLU).

    Inputs:
    - x: (N, C, H, W).
    - params: {"depthwise_w": (C, 1, KH, KW), "depthwise_b": (C,),
               "pointwise_w": (F, C, 1, 1), "pointwise_b": (F,)}; never modified:
      afterwards it holds the same array objects, dtypes and values (cast into local
      variables, never assign into params).
    - stride, padding, dilation: of the depthwise convolution.

    Returns (out, cache), out (N, F, Hout, Wout).
    """
    raise NotImplementedError(f"separable_block_forward: see {TOPIC}")


def separable_block_backward(dout, cache):
    """Backward pass of separable_block_forward.

    Returns (dx, grads): dx shaped like x, grads a dict with the keys of params, each gradient
    shaped like its parameter.
    """
    raise NotImplementedError(f"separable_block_backward: see {TOPIC}")


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    """Parameters and multiply-adds (MACs) of one convolution layer, for one input image.

    kernel_size, input_hw, stride, padding, dilation: int or (h, w) pair.
    Returns {"params": int, "macs": int}. Bias additions are not multiply-adds: do not count them.
    Raises ValueError naming c_in, c_out and groups when groups does not divide both.
    """
    raise NotImplementedError(f"conv2d_cost: see {TOPIC}")


def receptive_field(layers):
    """Receptive field, in input pixels along one axis, of one output of a stack of layers.

    layers: a sequence of (kernel, stride) or (kernel, stride, dilation) tuples, first layer
    first (ints). Returns an int.
    """
    raise NotImplementedError(f"receptive_field: see {TOPIC}")
