"""im2col puts all the padding before the image (2*pad top and left, none after): windows shift."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your im2col pads 2*ph rows above the image and none below (2*pw columns left, none right), so
every window is shifted by the padding. Padding is symmetric: ph rows above AND below,
np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.im2col(x, kernel_size, stride, padding, dilation, mistake="padding_on_one_side")
