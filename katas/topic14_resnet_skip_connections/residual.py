"""Topic 14: ReLU, batch normalization and the residual block. Brief: README.md beside this file.

    x --conv3x3(stride)--BN--ReLU--conv3x3--BN--(+)--ReLU--> out
    |                                          |
    +------ identity, or conv1x1(stride)--BN --+

Run the specs with `tox -e topic14`; stuck? `HINTS.md` has three tiers per function.
"""

import numpy as np  # noqa: F401  (you will need it)

# Your own Topic 12 convolution: conv2d_forward(x, w, b, stride=1, padding=0) -> (out, cache),
# conv2d_backward(dout, cache) -> (dx, dw, db). The block's convolutions have no bias: pass zeros.
from ..topic12_im2col_vectorization.im2col import conv2d_backward, conv2d_forward  # noqa: F401


def relu_forward(x):
    """max(x, 0) elementwise.

    Returns (out, cache): out shaped like x, with x's dtype; cache is whatever relu_backward needs.
    """
    raise NotImplementedError("relu_forward: see katas/topic14_resnet_skip_connections/README.md")


def relu_backward(dout, cache):
    """Backward pass of relu_forward: dout where the input was > 0, else 0 (also at exactly 0).

    Returns dx, shaped like dout, with dout's dtype.
    """
    raise NotImplementedError("relu_backward: see katas/topic14_resnet_skip_connections/README.md")


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    """Batch normalization per channel over (N, H, W), then out = gamma * x_hat + beta.

    Inputs:
    - x: (N, C, H, W).
    - gamma, beta: (C,) per-channel scale and shift.
    - state: dict with "running_mean" and "running_var", both (C,).
    - train: True normalizes with this batch's mean and BIASED variance (divide by m = N*H*W)
      and then ASSIGNS new arrays to the state's keys, as PyTorch updates them:
          state["running_mean"] = (1 - momentum) * running_mean + momentum * batch_mean
          state["running_var"]  = (1 - momentum) * running_var + momentum * UNBIASED batch_var
      (never modify the arrays the caller passed in). False normalizes with the running
      statistics and leaves state alone.
    - momentum, eps: as in torch.nn.functional.batch_norm.

    Returns (out, cache): out (N, C, H, W) with x's dtype, also when x is float32 and the running
    statistics are float64 (as init_residual_block makes them), in eval mode too; cache for
    batchnorm2d_backward.
    Raises ValueError, saying what m = N*H*W is, in train mode when m == 1 (no batch variance).
    """
    raise NotImplementedError(
        "batchnorm2d_forward: see katas/topic14_resnet_skip_connections/README.md")


def batchnorm2d_backward(dout, cache):
    """Backward pass of batchnorm2d_forward, in the mode the forward ran in.

    Inputs:
    - dout: (N, C, H, W) upstream gradient.
    - cache: what your batchnorm2d_forward returned.

    Returns (dx, dgamma, dbeta): (N, C, H, W), (C,), (C,).
    """
    raise NotImplementedError(
        "batchnorm2d_backward: see katas/topic14_resnet_skip_connections/README.md")


def residual_block_forward(x, params, state, stride=1, train=True):
    """relu(BN2(conv2(relu(BN1(conv1(x))))) + shortcut(x)).

    Inputs:
    - x: (N, C_in, H, W).
    - params: dict with
        conv1_w (C_out, C_in, 3, 3), bn1_gamma, bn1_beta (C_out,),
        conv2_w (C_out, C_out, 3, 3), bn2_gamma, bn2_beta (C_out,),
      and, when stride != 1 or C_in != C_out, the projection shortcut
        proj_w (C_out, C_in, 1, 1), proj_bn_gamma, proj_bn_beta (C_out,).
      Without a projection the shortcut is x itself (the identity).
      Never modified: afterwards params holds the same array objects, dtypes and values (cast
      into local variables, never assign into params).
    - state: {"bn1": {...}, "bn2": {...}} (and "proj_bn"), each BN's running statistics.
    - stride: of conv1 (3x3, padding 1) and of the projection (1x1, padding 0); conv2 has
      stride 1, padding 1. No convolution has a bias. BN uses momentum 0.1 and eps 1e-5.
    - train: passed to every batch normalization.

    Returns (out, cache): out (N, C_out, Hout, Wout), Hout = (H - 1) // stride + 1, likewise Wout.
    Raises ValueError when the shape changes (stride != 1 or C_in != C_out, C_out =
    conv1_w.shape[0]) and params has no proj_w: your own check, before the addition, its message
    naming what changes (C_in and C_out, the stride). NumPy's broadcasting does not count.
    """
    raise NotImplementedError(
        "residual_block_forward: see katas/topic14_resnet_skip_connections/README.md")


def residual_block_backward(dout, cache):
    """Backward pass of residual_block_forward.

    Returns (dx, grads): dx (N, C_in, H, W); grads a dict with the same keys as params, each
    gradient shaped like its parameter.
    """
    raise NotImplementedError(
        "residual_block_backward: see katas/topic14_resnet_skip_connections/README.md")


def init_residual_block(c_in, c_out, stride, rng):
    """Parameters and BN state for a block from c_in to c_out channels.

    - Conv weights He-normal: rng.standard_normal(shape) * sqrt(2 / fan_in), fan_in = C_in*KH*KW.
    - gamma ones, beta zeros; state running_mean zeros, running_var ones (PyTorch's defaults).
    - A projection shortcut (proj_w, proj_bn_gamma, proj_bn_beta; state "proj_bn") exactly
      when stride != 1 or c_in != c_out.
    - rng: a np.random.Generator; draw every random number from it.

    Returns (params, state) with the keys listed in residual_block_forward.
    """
    raise NotImplementedError(
        "init_residual_block: see katas/topic14_resnet_skip_connections/README.md")
