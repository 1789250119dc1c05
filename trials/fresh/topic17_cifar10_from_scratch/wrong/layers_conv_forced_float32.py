"""layers.py wraps conv2d_forward to cast x, w and b to float32 'for speed', so the layer silently computes in float32 even for float64 inputs; fix: import conv2d_forward unchanged (keep the caller's dtype).
"""

MODULE = "layers"

"""The layers the milestone network is built from: YOUR Topics 12-14 (given code, nothing to do).

Relative imports, so `python -m milestone` (which uses `katas`) trains with your convolution,
max pooling, batch norm and ReLU, and `--impl solutions` with the reference ones.
"""

import numpy as np

from ..topic12_im2col_vectorization.im2col import conv2d_backward
from ..topic12_im2col_vectorization.im2col import conv2d_forward as _conv2d_forward
from ..topic13_pooling_strides.pooling import maxpool2d_backward, maxpool2d_forward
from ..topic14_resnet_skip_connections.residual import (
    batchnorm2d_backward,
    batchnorm2d_forward,
    relu_backward,
    relu_forward,
)

def conv2d_forward(x, w, b, stride=1, padding=0):
    """float32 everywhere: twice as fast as float64."""
    return _conv2d_forward(x.astype(np.float32), w.astype(np.float32), b.astype(np.float32),
                           stride, padding)


__all__ = ["batchnorm2d_backward", "batchnorm2d_forward", "conv2d_backward", "conv2d_forward",
           "maxpool2d_backward", "maxpool2d_forward", "relu_backward", "relu_forward"]
