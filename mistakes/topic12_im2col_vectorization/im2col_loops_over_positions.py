"""im2col copies one window per Python step: a loop over every output position."""

import numpy as np

from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"

EXPLANATION = """\
Your im2col runs one Python step per window: N*Hout*Wout steps, 32,768 on a 32x32 layer of 32
images, each a tiny copy that the interpreter drives. Its results are right, but it is the slow
part the topic exists to remove. Loop over the KH*KW kernel offsets instead: for offset (p, q)
one strided slice of the padded input fills that column of every row at once."""


def _pair(value):
    return (int(value[0]), int(value[1])) if isinstance(value, (tuple, list)) else (int(value),) * 2


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    n, c, h, w = x.shape
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        raise ValueError(f"a {kh}x{kw} kernel does not fit a {h}x{w} input padded by {ph}x{pw}")
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((n * ho * wo, c * kh * kw), dtype=x.dtype)
    row = 0
    for i in range(n):
        for y in range(ho):
            for z in range(wo):
                window = xpad[i, :, y * sh:y * sh + dh * (kh - 1) + 1:dh,
                              z * sw:z * sw + dw * (kw - 1) + 1:dw]
                cols[row] = window.ravel()
                row += 1
    return cols
