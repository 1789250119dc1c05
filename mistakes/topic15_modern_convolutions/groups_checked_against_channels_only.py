"""conv2d_forward checks that groups divides C but not F: 4 filters in 3 groups reach NumPy."""

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"

EXPLANATION = """\
Your grouped convolution checks that groups divides the input channels, but not the filters:
with 6 channels, 4 filters and groups=3, w (4, 2, 3, 3) passes your checks (6 // 3 = 2), and
w.reshape(groups, F // groups, -1) quietly makes 3 groups of 24 weights, which NumPy's matmul
then refuses with a message about arrays the caller never made (with other sizes it may not
refuse at all). Each group owns F // groups filters: check F % groups too, and raise ValueError
naming C, F and groups."""


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    N, C = x.shape[:2]
    F, C_per_group, KH, KW = w.shape
    if groups < 1 or C % groups:  # F is never checked
        raise ValueError(f"groups={groups} must divide the {C} input channels")
    if C_per_group != C // groups:
        raise ValueError(f"w has {C_per_group} input channels per filter, expected "
                         f"C // groups = {C} // {groups} = {C // groups}")
    settings = ref._settings(stride, padding, dilation)
    Hout, Wout = ref._output_hw(x.shape, (KH, KW), settings)
    cols = im2col(x, (KH, KW), **settings)
    w_grouped = w.reshape(groups, F // groups, -1)
    out_grouped = ref._grouped(cols, groups) @ w_grouped.transpose(0, 2, 1)
    out = ref._ungrouped(out_grouped).reshape(N, Hout, Wout, F).transpose(0, 3, 1, 2)
    return out + b[:, None, None], (cols, w, x.shape, settings, groups)
