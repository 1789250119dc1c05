"""col2im sends each entry of a column matrix back to the pixel im2col copied it from.

One entry at a time (a column matrix with a single 1), so a failure can say which entry went
where: row r of cols is output position (n, i, j) row-major, column k is (c, p, q), and the pixel
is xpad[n, c, i*sh + p*dh, j*sw + q*dw], dropped when it lies in the padding. A col2im that reads
cols in another layout than im2col writes, or with other slices, puts the 1 elsewhere. When the
learner's im2col itself misplaces the pixel, im2col's own specs speak first and this one stays quiet.
"""

import numpy as np
import pytest

from specs.harness import Kata, fail

TOPIC = "topic12_im2col_vectorization"
kata = Kata(TOPIC, "im2col")

X_SHAPE = (2, 3, 5, 6)
KERNEL, STRIDE, PADDING, DILATION = (2, 3), (2, 1), (1, 0), (1, 2)
HOUT, WOUT = 3, 2            # (5 + 2 - 1*(2-1) - 1) // 2 + 1 and (6 + 0 - 2*(3-1) - 1) // 1 + 1
# (n, i, j), (c, p, q): an inner pixel, one in the padding, and one more inner pixel
ENTRIES = [((1, 2, 1), (2, 1, 2)), ((0, 0, 0), (0, 0, 1)), ((0, 1, 0), (1, 0, 1))]


def _pixel(position, tap):
    """The pixel of x that im2col copies to (position, tap), or None if it is padding."""
    (n, i, j), (c, p, q) = position, tap
    h = i * STRIDE[0] + p * DILATION[0] - PADDING[0]
    w = j * STRIDE[1] + q * DILATION[1] - PADDING[1]
    inside = 0 <= h < X_SHAPE[2] and 0 <= w < X_SHAPE[3]
    return (n, c, h, w) if inside else None


def _im2col_reads(pixel, row, column) -> bool:
    """Whether the learner's im2col has the contract's shape and copies `pixel` to [row, column]."""
    x = np.zeros(X_SHAPE)
    if pixel is not None:
        x[pixel] = 1.0
    cols = kata.call("im2col", x, KERNEL, stride=STRIDE, padding=PADDING, dilation=DILATION)
    rows, columns = X_SHAPE[0] * HOUT * WOUT, X_SHAPE[1] * KERNEL[0] * KERNEL[1]
    if getattr(cols, "shape", None) != (rows, columns):
        return False
    return pixel is None or cols[row, column] == 1.0


@pytest.mark.rules
@pytest.mark.parametrize("position, tap", ENTRIES, ids=["inner", "padding", "inner2"])
def test_col2im_puts_each_entry_back_where_im2col_read_it(position, tap):
    N, C = X_SHAPE[:2]
    KH, KW = KERNEL
    row = np.ravel_multi_index(position, (N, HOUT, WOUT))
    column = np.ravel_multi_index(tap, (C, KH, KW))
    pixel = _pixel(position, tap)
    if not _im2col_reads(pixel, row, column):
        return  # im2col's own layout is off: its specs name that first
    cols = np.zeros((N * HOUT * WOUT, C * KH * KW))
    cols[row, column] = 1.0
    back = kata.call("col2im", cols, X_SHAPE, KERNEL, stride=STRIDE, padding=PADDING,
                     dilation=DILATION)
    if getattr(back, "shape", None) != X_SHAPE:
        return  # the shape specs name that
    want = np.zeros(X_SHAPE)
    if pixel is not None:
        want[pixel] = 1.0
    if np.array_equal(back, want):
        return
    landed = [tuple(int(v) for v in where) for where in np.argwhere(back != 0)]
    goes = (f"belongs to x{list(pixel)}" if pixel is not None
            else "was copied from the padding, so col2im drops it")
    fail(f"col2im(kernel_size={KERNEL}, stride={STRIDE}, padding={PADDING}, dilation={DILATION}) "
         f"of a column matrix whose only non-zero entry is cols[{row}, {column}] = 1: that entry "
         f"is output position (n, i, j) = {position} (rows row-major over (N, Hout, Wout) = "
         f"{(N, HOUT, WOUT)}) and tap (c, p, q) = {tap} (columns over (C, KH, KW)), read by "
         f"im2col from xpad[n, c, i*sh + p*dh, j*sw + q*dw]; it {goes}. Yours is non-zero at "
         f"{landed or 'no pixel'}. col2im must read cols in the layout im2col writes and use "
         f"im2col's own slices (stride, dilation), then cut the padding off.")
