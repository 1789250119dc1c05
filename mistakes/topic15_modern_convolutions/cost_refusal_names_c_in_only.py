"""conv2d_cost refuses groups that do not divide c_in, but its message leaves c_out out."""

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"

EXPLANATION = """\
Your conv2d_cost refuses groups=4 for c_in=6, as it should, but its message names only c_in and
groups: a caller whose c_out is the one that does not divide cannot tell from it. Name all three,
c_in, c_out and groups (e.g. "groups=4 must divide c_in=6 and c_out=8")."""


def conv2d_cost(c_in, c_out, kernel_size, input_hw, stride=1, padding=0, dilation=1, groups=1,
                bias=True):
    if groups < 1 or c_in % groups or c_out % groups:
        raise ValueError(f"groups={groups} must divide c_in={c_in}")
    return ref.conv2d_cost(c_in, c_out, kernel_size, input_hw, stride, padding, dilation, groups,
                           bias)
