"""Topic 11: 2-D convolution by sliding a window. Brief: README.md beside this file.

Convolution here is cross-correlation, as in PyTorch (the kernel is not flipped):

    out[n, f, i, j] = b[f] + sum_{c, p, q} xpad[n, c, i*sh + p, j*sw + q] * w[f, c, p, q]

Run the specs with `tox -e topic11`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)


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
    - cache: whatever conv2d_backward_naive needs (your choice; the specs never look inside).

    Keep x's dtype (float32 in, float32 out) and never modify x, w or b.
    """
    raise NotImplementedError("conv2d_forward_naive: see katas/topic11_conv2d_sliding_window/README.md")


def conv2d_backward_naive(dout, cache):
    """Backward pass of conv2d_forward_naive.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: what your conv2d_forward_naive returned.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, KH, KW) and b (F,).
    """
    raise NotImplementedError("conv2d_backward_naive: see katas/topic11_conv2d_sliding_window/README.md")
