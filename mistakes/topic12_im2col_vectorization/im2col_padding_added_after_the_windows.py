"""im2col takes the windows of the unpadded image and pads the grid of windows with zero rows."""
from mistakes import topic12_im2col_vectorization as textbook
from solutions.topic12_im2col_vectorization.im2col import *

MODULE = "im2col"
EXPLANATION = """\
Your cols holds the windows of the image without padding, surrounded by rows of zeros: you padded
after cutting the windows. The padding belongs to the image: pad x first
(np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))), then every window, including those that
overlap the border, is cut from the padded image and holds real pixels next to the zeros."""


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    return textbook.im2col(x, kernel_size, stride, padding, dilation, mistake="padding_after_windows")
