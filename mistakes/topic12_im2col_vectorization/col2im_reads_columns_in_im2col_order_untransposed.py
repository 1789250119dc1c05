"""col2im reads cols as (N, C, KH, KW, Hout, Wout) by a plain reshape: not the layout im2col wrote."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your col2im adds every entry to some pixel, but not to the pixel im2col copied it from: you
reshaped cols straight to (N, C, KH, KW, Hout, Wout). im2col wrote rows (n, i, j) and columns
(c, p, q), so undo exactly that: cols.reshape(N, Hout, Wout, C, KH, KW), then transpose to
(N, C, KH, KW, Hout, Wout). The adjoint identity fails because of this layout, not because of
a missing +=."""


def col2im(cols, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.col2im(cols, x_shape, kernel_size, stride, padding, dilation,
                           mistake="reshaped_without_transpose")
