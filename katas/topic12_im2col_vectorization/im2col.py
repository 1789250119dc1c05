"""Topic 12: im2col vectorization. Brief: README.md beside this file.

im2col copies every receptive field into one row of a matrix, so that a convolution becomes one
matrix product:

    cols[(n, i, j), (c, p, q)] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]
    out = cols @ w.reshape(F, -1).T          # then reshape (N, Hout, Wout, F) -> (N, F, Hout, Wout)

col2im is its adjoint: it adds every entry of a column matrix back onto the pixel it came from.

Run the specs with `tox -e topic12`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Copy every receptive field of x into one row of a matrix.

    Inputs:
    - x: (N, C, H, W).
    - kernel_size, stride, padding, dilation: int or (h, w) pair. Zero padding on both sides.

    Returns cols: (N*Hout*Wout, C*KH*KW) with
      Hout = (H + 2*ph - dh*(KH - 1) - 1) // sh + 1   (Wout likewise),
    one row per output position, rows ordered (n, i, j) row-major, columns ordered (c, p, q):
    channel first, then kernel row p, then kernel column q.

    Keep x's dtype and never modify x. No Python loop over output positions (loop over the
    KH*KW kernel offsets). Raises ValueError, naming the kernel's span dh*(KH-1)+1 and the input
    size, when the kernel does not fit the padded input along either axis (Hout or Wout < 1: a
    kernel may fit the height and not the width; never return an empty matrix).
    """
    raise NotImplementedError("im2col: see katas/topic12_im2col_vectorization/README.md")


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    """The adjoint of im2col: add every entry of `cols` back onto the pixel it was copied from.

    Inputs:
    - cols: (N*Hout*Wout, C*KH*KW), laid out as im2col returns.
    - x_shape: (N, C, H, W), the shape of the image im2col was applied to.
    - kernel_size, stride, padding, dilation: as given to im2col.

    Returns an array of shape x_shape. A pixel covered by several windows receives the SUM of
    their entries; entries that fall in the padding are dropped. No Python loop over output
    positions (loop over the KH*KW kernel offsets).
    """
    raise NotImplementedError("col2im: see katas/topic12_im2col_vectorization/README.md")


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a 2-D convolution (cross-correlation) as one matrix product.

    Inputs:
    - x: (N, C, H, W) input images.
    - w: (F, C, KH, KW) filters.
    - b: (F,) biases.
    - stride, padding: int or (h, w) pair.

    Returns (out, cache):
    - out: (N, F, Hout, Wout), Hout = (H + 2*ph - KH) // sh + 1, Wout likewise.
    - cache: whatever conv2d_backward needs (your choice; the specs never look inside).

    No Python loop over output positions: build the columns with im2col, multiply once.
    Raises ValueError, naming both channel counts, when w.shape[1] != C (and im2col's when the
    kernel does not fit).
    """
    raise NotImplementedError("conv2d_forward: see katas/topic12_im2col_vectorization/README.md")


def conv2d_backward(dout, cache):
    """Backward pass of conv2d_forward.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: what your conv2d_forward returned.

    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, KH, KW) and b (F,): new,
    writable arrays (never a view of dout). No Python loop over output positions.
    """
    raise NotImplementedError("conv2d_backward: see katas/topic12_im2col_vectorization/README.md")


def conv2d_backward_weights(dout, cache):
    """The weight and bias gradients of conv2d_forward, without dx.

    Inputs:
    - dout: (N, F, Hout, Wout) upstream gradient.
    - cache: what your conv2d_forward returned.

    Returns (dw, db) shaped like w (F, C, KH, KW) and b (F,): the same values as
    conv2d_backward's dw and db. It serves a layer whose input needs no gradient, so it neither
    calls col2im nor multiplies by w (dcols = dout_rows @ w_rows): dx is the work it exists to
    skip. No Python loop over output positions.
    """
    raise NotImplementedError(
        "conv2d_backward_weights: see katas/topic12_im2col_vectorization/README.md")
