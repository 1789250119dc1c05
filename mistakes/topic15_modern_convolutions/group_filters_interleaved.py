"""Filter f is applied to group f % groups instead of group f // (F // groups)."""
import numpy as np

from solutions.topic15_modern_convolutions import modern_conv as ref
from solutions.topic15_modern_convolutions.modern_conv import *

MODULE = "modern_conv"
EXPLANATION = """\
Your filter f works on group f % groups (interleaved). Filters are split into contiguous blocks
too: filters 0 to F/G - 1 belong to group 0, the next F/G to group 1, so filter f sees group
f // (F // G): w.reshape(G, F // G, K) splits them that way."""


def _order(filters, groups):
    """Position in w of the filter that the reference would treat as filter i."""
    return np.concatenate([np.arange(g, filters, groups) for g in range(groups)])


def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    order = _order(w.shape[0], groups)
    out_permuted, cache = ref.conv2d_forward(x, w[order], b[order], stride, padding, dilation,
                                             groups)
    out = np.empty_like(out_permuted)
    out[:, order] = out_permuted
    return out, (cache, order)


def conv2d_backward(dout, cache):
    inner, order = cache
    dx, dw_permuted, db_permuted = ref.conv2d_backward(dout[:, order], inner)
    dw, db = np.empty_like(dw_permuted), np.empty_like(db_permuted)
    dw[order], db[order] = dw_permuted, db_permuted
    return dx, dw, db
