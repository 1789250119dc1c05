"""Train mode updates state['running_mean'] and ['running_var'] in place (*=, +=), changing the caller's arrays; fix: assign new arrays to the keys."""

MODULE = "residual"

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
    out = np.maximum(x, 0)
    mask = x > 0
    return out, mask


def relu_backward(dout, cache):
    """Backward pass of relu_forward: dout where the input was > 0, else 0 (also at exactly 0).

    Returns dx, shaped like dout, with dout's dtype.
    """
    mask = cache
    dx = np.where(mask, dout, 0).astype(dout.dtype, copy=False)
    return dx


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

    Returns (out, cache): out (N, C, H, W) with x's dtype; cache for batchnorm2d_backward.
    Raises ValueError, saying what m = N*H*W is, in train mode when m == 1 (no batch variance).
    """
    N, C, H, W = x.shape
    m = N * H * W
    if train:
        if m <= 1:
            raise ValueError(
                f"batchnorm2d_forward in train mode needs more than one value per channel, "
                f"got m = N*H*W = {N}*{H}*{W} = {m}")
        mean = x.mean(axis=(0, 2, 3))
        var = x.var(axis=(0, 2, 3))
        state["running_mean"] *= (1 - momentum)
        state["running_mean"] += momentum * mean
        state["running_var"] *= (1 - momentum)
        state["running_var"] += momentum * var * m / (m - 1)
    else:
        mean = state["running_mean"]
        var = state["running_var"]

    mean4 = mean.reshape(1, C, 1, 1)
    std4 = np.sqrt(var + eps).reshape(1, C, 1, 1)
    x_hat = (x - mean4) / std4
    out = gamma.reshape(1, C, 1, 1) * x_hat + beta.reshape(1, C, 1, 1)
    out = out.astype(x.dtype, copy=False)
    cache = (x_hat, gamma, std4, train)
    return out, cache


def batchnorm2d_backward(dout, cache):
    """Backward pass of batchnorm2d_forward, in the mode the forward ran in.

    Inputs:
    - dout: (N, C, H, W) upstream gradient.
    - cache: what your batchnorm2d_forward returned.

    Returns (dx, dgamma, dbeta): (N, C, H, W), (C,), (C,).
    """
    x_hat, gamma, std4, train = cache
    N, C, H, W = dout.shape
    m = N * H * W
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    g4 = gamma.reshape(1, C, 1, 1)
    if train:
        dx = g4 / std4 / m * (m * dout - dbeta.reshape(1, C, 1, 1)
                              - x_hat * dgamma.reshape(1, C, 1, 1))
    else:
        dx = dout * g4 / std4
    dx = dx.astype(dout.dtype, copy=False)
    dgamma = dgamma.astype(dout.dtype, copy=False)
    dbeta = dbeta.astype(dout.dtype, copy=False)
    return dx, dgamma, dbeta


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
    - state: {"bn1": {...}, "bn2": {...}} (and "proj_bn"), each BN's running statistics.
    - stride: of conv1 (3x3, padding 1) and of the projection (1x1, padding 0); conv2 has
      stride 1, padding 1. No convolution has a bias. BN uses momentum 0.1 and eps 1e-5.
    - train: passed to every batch normalization.

    Returns (out, cache): out (N, C_out, Hout, Wout), Hout = (H - 1) // stride + 1, likewise Wout.
    Raises ValueError when the shape changes (stride != 1 or C_in != C_out, C_out =
    conv1_w.shape[0]) and params has no proj_w: your own check, before the addition, its message
    naming what changes (C_in and C_out, the stride). NumPy's broadcasting does not count.
    """
    C_in = x.shape[1]
    C_out = params["conv1_w"].shape[0]
    has_proj = "proj_w" in params
    if (stride != 1 or C_in != C_out) and not has_proj:
        raise ValueError(
            f"residual block changes the shape (C_in = {C_in}, C_out = {C_out}, "
            f"stride = {stride}) but params has no projection shortcut (proj_w)")

    zeros = np.zeros(C_out, dtype=x.dtype)
    h1, conv1_cache = conv2d_forward(x, params["conv1_w"], zeros, stride=stride, padding=1)
    h2, bn1_cache = batchnorm2d_forward(h1, params["bn1_gamma"], params["bn1_beta"],
                                        state["bn1"], train=train)
    h3, relu1_cache = relu_forward(h2)
    h4, conv2_cache = conv2d_forward(h3, params["conv2_w"], zeros, stride=1, padding=1)
    h5, bn2_cache = batchnorm2d_forward(h4, params["bn2_gamma"], params["bn2_beta"],
                                        state["bn2"], train=train)

    if has_proj:
        s1, proj_cache = conv2d_forward(x, params["proj_w"], zeros, stride=stride, padding=0)
        shortcut, proj_bn_cache = batchnorm2d_forward(
            s1, params["proj_bn_gamma"], params["proj_bn_beta"], state["proj_bn"], train=train)
    else:
        shortcut = x
        proj_cache = proj_bn_cache = None

    out, relu2_cache = relu_forward(h5 + shortcut)
    cache = (conv1_cache, bn1_cache, relu1_cache, conv2_cache, bn2_cache,
             proj_cache, proj_bn_cache, relu2_cache, has_proj)
    return out, cache


def residual_block_backward(dout, cache):
    """Backward pass of residual_block_forward.

    Returns (dx, grads): dx (N, C_in, H, W); grads a dict with the same keys as params, each
    gradient shaped like its parameter.
    """
    (conv1_cache, bn1_cache, relu1_cache, conv2_cache, bn2_cache,
     proj_cache, proj_bn_cache, relu2_cache, has_proj) = cache
    grads = {}
    dsum = relu_backward(dout, relu2_cache)

    # main path
    dh4, grads["bn2_gamma"], grads["bn2_beta"] = batchnorm2d_backward(dsum, bn2_cache)
    dh3, grads["conv2_w"], _ = conv2d_backward(dh4, conv2_cache)
    dh2 = relu_backward(dh3, relu1_cache)
    dh1, grads["bn1_gamma"], grads["bn1_beta"] = batchnorm2d_backward(dh2, bn1_cache)
    dx, grads["conv1_w"], _ = conv2d_backward(dh1, conv1_cache)

    # shortcut
    if has_proj:
        ds1, grads["proj_bn_gamma"], grads["proj_bn_beta"] = batchnorm2d_backward(
            dsum, proj_bn_cache)
        dx_short, grads["proj_w"], _ = conv2d_backward(ds1, proj_cache)
        dx = dx + dx_short
    else:
        dx = dx + dsum
    return dx, grads


def init_residual_block(c_in, c_out, stride, rng):
    """Parameters and BN state for a block from c_in to c_out channels.

    - Conv weights He-normal: rng.standard_normal(shape) * sqrt(2 / fan_in), fan_in = C_in*KH*KW.
    - gamma ones, beta zeros; state running_mean zeros, running_var ones (PyTorch's defaults).
    - A projection shortcut (proj_w, proj_bn_gamma, proj_bn_beta; state "proj_bn") exactly
      when stride != 1 or c_in != c_out.
    - rng: a np.random.Generator; draw every random number from it.

    Returns (params, state) with the keys listed in residual_block_forward.
    """
    def bn_state():
        return {"running_mean": np.zeros(c_out), "running_var": np.ones(c_out)}

    params = {
        "conv1_w": rng.standard_normal((c_out, c_in, 3, 3)) * np.sqrt(2 / (c_in * 9)),
        "bn1_gamma": np.ones(c_out),
        "bn1_beta": np.zeros(c_out),
        "conv2_w": rng.standard_normal((c_out, c_out, 3, 3)) * np.sqrt(2 / (c_out * 9)),
        "bn2_gamma": np.ones(c_out),
        "bn2_beta": np.zeros(c_out),
    }
    state = {"bn1": bn_state(), "bn2": bn_state()}
    if stride != 1 or c_in != c_out:
        params["proj_w"] = rng.standard_normal((c_out, c_in, 1, 1)) * np.sqrt(2 / c_in)
        params["proj_bn_gamma"] = np.ones(c_out)
        params["proj_bn_beta"] = np.zeros(c_out)
        state["proj_bn"] = bn_state()
    return params, state
