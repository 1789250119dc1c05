"""The grouped conv2d_backward's dw comes from the first sample's columns only."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your dw only sees the first sample: you multiplied dout's rows by the columns of sample 0 (the
first Hout*Wout rows of cols). dw sums over every sample and position: with dout laid out as rows
(n, i, j) like cols, dw_g = dout_g^T @ cols_g over ALL N*Hout*Wout rows."""


def conv2d_backward(dout, cache):
    dx, _, db = ref.conv2d_backward(dout, cache)
    cols, w, x_shape, settings, groups = cache
    rows_per_sample = cols.shape[0] // x_shape[0]
    first = (cols[:rows_per_sample], w, (1, *x_shape[1:]), settings, groups)
    _, dw, _ = ref.conv2d_backward(dout[:1], first)
    return dx, dw, db
