"""The layers the milestone network is built from: Topics 12-14 (convolution, max pooling, batch
norm, ReLU), one function per layer, nothing more.

Relative imports, so `python -m milestone` (which uses `katas`) trains with the learner's
convolution, max pooling, batch norm and ReLU, and `--impl solutions` with the reference ones.

The reference milestone trains on the fast layer set in `fastpath/layers.py` instead (float32,
channels last, threaded, with fused conv + pool and BN + ReLU calls): the same functions, checked
against these by `specs/fastpath/`. `KATA_FAST_LAYERS=0` trains the reference on these.
"""

from ..topic12_im2col_vectorization.im2col import (
    conv2d_backward,
    conv2d_backward_weights,
    conv2d_forward,
)
from ..topic13_pooling_strides.pooling import maxpool2d_backward, maxpool2d_forward
from ..topic14_resnet_skip_connections.residual import (
    batchnorm2d_backward,
    batchnorm2d_forward,
    relu_backward,
    relu_forward,
)

__all__ = ["batchnorm2d_backward", "batchnorm2d_forward", "conv2d_backward",
           "conv2d_backward_weights", "conv2d_forward",
           "maxpool2d_backward", "maxpool2d_forward", "relu_backward", "relu_forward"]
