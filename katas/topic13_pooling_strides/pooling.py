"""Topic 13: max, average and global average pooling, with strides. Brief: README.md beside this file.

Max pooling keeps the largest element of each KH x KW window; padding is -inf (it never wins).
Average pooling keeps the mean of each window; padding is 0 and counts in the divisor KH*KW.

    out[n, c, i, j] = max / mean over p < KH, q < KW of xpad[n, c, i*sh + p, j*sw + q]

Vectorize: no Python loop over the output positions (a loop over the KH*KW window offsets is fine).
Run the specs with `tox -e topic13`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)


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
    raise NotImplementedError("maxpool2d_forward: see katas/topic13_pooling_strides/README.md")


def maxpool2d_backward(dout, cache):
    """Backward pass of maxpool2d_forward.

    Inputs:
    - dout: (N, C, Hout, Wout) upstream gradient.
    - cache: what your maxpool2d_forward returned.

    Returns dx (N, C, H, W). Each window sends its dout to ONE element: its maximum, and on a
    tie the first maximum in row-major window order. Overlapping windows add up.
    """
    raise NotImplementedError("maxpool2d_backward: see katas/topic13_pooling_strides/README.md")


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
    raise NotImplementedError("avgpool2d_forward: see katas/topic13_pooling_strides/README.md")


def avgpool2d_backward(dout, cache):
    """Backward pass of avgpool2d_forward.

    Inputs:
    - dout: (N, C, Hout, Wout) upstream gradient.
    - cache: what your avgpool2d_forward returned.

    Returns dx (N, C, H, W).
    """
    raise NotImplementedError("avgpool2d_backward: see katas/topic13_pooling_strides/README.md")


def global_avgpool_forward(x):
    """Mean over the spatial axes.

    Inputs:
    - x: (N, C, H, W).

    Returns (out, cache): out is (N, C), out[n, c] = mean of x[n, c, :, :].
    """
    raise NotImplementedError("global_avgpool_forward: see katas/topic13_pooling_strides/README.md")


def global_avgpool_backward(dout, cache):
    """Backward pass of global_avgpool_forward.

    Inputs:
    - dout: (N, C) upstream gradient.
    - cache: what your global_avgpool_forward returned.

    Returns dx (N, C, H, W), an array of its own (np.broadcast_to's read-only view is not:
    copy it).
    """
    raise NotImplementedError("global_avgpool_backward: see katas/topic13_pooling_strides/README.md")
