"""dw of each group collects dout x columns of every group, not just its own."""
from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your grouped dw gives every group the columns of all the groups. A group's filters only ever met
that group's columns, so dw_g = dout_g^T @ cols_g with cols_g the g-th block only: no sum across
groups."""


def conv2d_backward(dout, cache):
    dx, _, db = ref.conv2d_backward(dout, cache)
    cols, w, _, _, groups = cache
    F = w.shape[0]
    dout_grouped = ref._grouped(dout.transpose(0, 2, 3, 1).reshape(-1, F), groups)
    cols_all_groups = ref._grouped(cols, groups).sum(axis=0)        # (N*L, C/G*KH*KW)
    dw = (dout_grouped.transpose(0, 2, 1) @ cols_all_groups).reshape(w.shape)
    return dx, dw, db
