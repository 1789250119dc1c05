"""layers: maxpool2d_forward/backward are bound to Topic 13's average pooling (avgpool2d_* imported under the maxpool names); import maxpool2d_forward and maxpool2d_backward themselves."""

MODULE = "layers"

from ..topic12_im2col_vectorization.im2col import conv2d_backward, conv2d_forward
from ..topic13_pooling_strides.pooling import avgpool2d_backward as maxpool2d_backward
from ..topic13_pooling_strides.pooling import avgpool2d_forward as maxpool2d_forward
from ..topic14_resnet_skip_connections.residual import (
    batchnorm2d_backward,
    batchnorm2d_forward,
    relu_backward,
    relu_forward,
)

__all__ = ["batchnorm2d_backward", "batchnorm2d_forward", "conv2d_backward", "conv2d_forward",
           "maxpool2d_backward", "maxpool2d_forward", "relu_backward", "relu_forward"]
