"""Topic 14 reference: ReLU, batch normalization with running statistics, and the residual block.

The block (He et al. 2016, "basic block"):

    x --conv3x3(stride)--BN--ReLU--conv3x3--BN--(+)--ReLU--> out
    |                                          |
    +------ identity, or conv1x1(stride)--BN --+

Batch normalization keeps its running statistics exactly as torch.nn.functional.batch_norm does:
the batch is normalized with the biased variance (divide by m = N*H*W), the running variance
receives the unbiased one (divide by m - 1), and running = (1 - momentum) * running
+ momentum * batch. Eval mode normalizes with the running statistics and leaves them alone.

The convolutions come from Topic 12 (a relative import: in kata mode the learner's own).
"""

import numpy as np

from ..topic12_im2col_vectorization.im2col import conv2d_backward, conv2d_forward

CHANNEL_AXES = (0, 2, 3)  # BN statistics are per channel, over the batch and both spatial axes
BN_MOMENTUM, BN_EPS = 0.1, 1e-5


# ----------------------------------------------------------------------------------------- ReLU

def relu_forward(x):
    """max(x, 0) elementwise. Returns (out, cache), out shaped like x."""
    return np.maximum(x, 0), x > 0


def relu_backward(dout, cache):
    """The gradient passes where the input was > 0 (at exactly 0 it is 0, as in PyTorch)."""
    return np.where(cache, dout, 0).astype(dout.dtype, copy=False)


# ----------------------------------------------------------------------------- batch normalization

def _per_channel(v):
    """A (C,) vector shaped (1, C, 1, 1) so that it broadcasts over NCHW."""
    return v.reshape(1, -1, 1, 1)


def batchnorm2d_forward(x, gamma, beta, state, train=True, momentum=BN_MOMENTUM, eps=BN_EPS):
    """Batch normalization over (N, H, W) for each channel, then a per-channel affine map.

    Inputs:
    - x: (N, C, H, W).
    - gamma, beta: (C,) scale and shift.
    - state: dict with running_mean and running_var, both (C,). In train mode this function
      assigns NEW arrays to both keys (the arrays the caller passed in are left unchanged);
      in eval mode it does not touch state.
    - train: normalize with this batch's statistics (True) or the running ones (False).
    - momentum, eps: as in PyTorch.

    Returns (out, cache), out (N, C, H, W) with x's dtype (float64 running statistics with a
    float32 x give float32 too).
    """
    if train:
        m = x.shape[0] * x.shape[2] * x.shape[3]
        if m < 2:
            raise ValueError(f"batch normalization in train mode needs more than one value "
                             f"per channel: N*H*W = {m} for x of shape {x.shape}")
        mean = x.mean(axis=CHANNEL_AXES)
        var = x.var(axis=CHANNEL_AXES)  # biased: this is what normalizes the batch
        state["running_mean"] = (1 - momentum) * state["running_mean"] + momentum * mean
        state["running_var"] = (1 - momentum) * state["running_var"] + momentum * var * m / (m - 1)
    else:
        mean, var = state["running_mean"], state["running_var"]
    inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
    x_hat = (x - _per_channel(mean).astype(x.dtype, copy=False)) * _per_channel(inv_std)
    out = _per_channel(gamma) * x_hat + _per_channel(beta)
    return out.astype(x.dtype, copy=False), (x_hat, gamma, inv_std, train)


def batchnorm2d_backward(dout, cache):
    """Backward pass of batchnorm2d_forward. Returns (dx, dgamma, dbeta): (N, C, H, W), (C,), (C,).

    In train mode the mean and variance depend on x, which adds two terms to dx:

        dx = gamma * inv_std / m * (m * dout - sum(dout) - x_hat * sum(dout * x_hat))

    with the sums per channel over (N, H, W). In eval mode they are constants: dx = gamma *
    inv_std * dout.
    """
    x_hat, gamma, inv_std, train = cache
    dbeta = dout.sum(axis=CHANNEL_AXES)
    dgamma = (dout * x_hat).sum(axis=CHANNEL_AXES)
    scale = _per_channel(gamma * inv_std)
    if not train:
        return (scale * dout).astype(dout.dtype, copy=False), dgamma, dbeta
    m = dout.size // dout.shape[1]
    dx = scale / m * (m * dout - _per_channel(dbeta) - x_hat * _per_channel(dgamma))
    return dx.astype(dout.dtype, copy=False), dgamma, dbeta


# -------------------------------------------------------------------------------- residual block

def _conv_bn_forward(x, w, gamma, beta, bn_state, stride, padding, train):
    """conv (no bias) then batch norm; returns (out, cache)."""
    no_bias = np.zeros(w.shape[0], dtype=x.dtype)
    h, conv_cache = conv2d_forward(x, w, no_bias, stride=stride, padding=padding)
    out, bn_cache = batchnorm2d_forward(h, gamma, beta, bn_state, train=train)
    return out, (conv_cache, bn_cache)


def _conv_bn_backward(dout, cache):
    """Returns (dx, dw, dgamma, dbeta) of _conv_bn_forward."""
    conv_cache, bn_cache = cache
    dh, dgamma, dbeta = batchnorm2d_backward(dout, bn_cache)
    dx, dw, _ = conv2d_backward(dh, conv_cache)
    return dx, dw, dgamma, dbeta


def needs_projection(c_in, c_out, stride):
    """The identity cannot be added when the block changes the shape."""
    return stride != 1 or c_in != c_out


def residual_block_forward(x, params, state, stride=1, train=True):
    """relu(BN(conv3x3(relu(BN(conv3x3(x, stride))))) + shortcut(x)).

    Inputs:
    - x: (N, C_in, H, W).
    - params: conv1_w (C_out, C_in, 3, 3), bn1_gamma, bn1_beta (C_out,), conv2_w
      (C_out, C_out, 3, 3), bn2_gamma, bn2_beta (C_out,) and, for a projection shortcut, proj_w
      (C_out, C_in, 1, 1), proj_bn_gamma, proj_bn_beta (C_out,). Never modified: the same
      array objects, dtypes and values afterwards.
    - state: {"bn1": {...}, "bn2": {...}} (and "proj_bn") running statistics, updated in train mode.
    - stride: of the first 3x3 conv and of the projection.

    Returns (out, cache), out (N, C_out, Hout, Wout) with Hout = (H - 1) // stride + 1.
    """
    c_out = params["conv1_w"].shape[0]
    projection = "proj_w" in params
    if needs_projection(x.shape[1], c_out, stride) and not projection:
        raise ValueError(f"a block from {x.shape[1]} to {c_out} channels with stride {stride} "
                         f"needs a projection shortcut (proj_w, proj_bn_gamma, proj_bn_beta)")

    h, cache1 = _conv_bn_forward(x, params["conv1_w"], params["bn1_gamma"], params["bn1_beta"],
                                 state["bn1"], stride, 1, train)
    h, relu1 = relu_forward(h)
    h, cache2 = _conv_bn_forward(h, params["conv2_w"], params["bn2_gamma"], params["bn2_beta"],
                                 state["bn2"], 1, 1, train)
    if projection:
        shortcut, proj_cache = _conv_bn_forward(x, params["proj_w"], params["proj_bn_gamma"],
                                                params["proj_bn_beta"], state["proj_bn"],
                                                stride, 0, train)
    else:
        shortcut, proj_cache = x, None
    out, relu2 = relu_forward(h + shortcut)  # the ReLU comes after the addition
    return out, (cache1, relu1, cache2, proj_cache, relu2)


def residual_block_backward(dout, cache):
    """Backward pass of residual_block_forward. Returns (dx, grads), grads keyed like params."""
    cache1, relu1, cache2, proj_cache, relu2 = cache
    dsum = relu_backward(dout, relu2)  # reaches both the residual branch and the shortcut
    dh, dw2, dgamma2, dbeta2 = _conv_bn_backward(dsum, cache2)
    dh = relu_backward(dh, relu1)
    dx, dw1, dgamma1, dbeta1 = _conv_bn_backward(dh, cache1)
    grads = {"conv1_w": dw1, "bn1_gamma": dgamma1, "bn1_beta": dbeta1,
             "conv2_w": dw2, "bn2_gamma": dgamma2, "bn2_beta": dbeta2}
    if proj_cache is None:
        dx = dx + dsum
    else:
        dx_short, dwp, dgammap, dbetap = _conv_bn_backward(dsum, proj_cache)
        dx = dx + dx_short
        grads.update(proj_w=dwp, proj_bn_gamma=dgammap, proj_bn_beta=dbetap)
    return dx, grads


def he_normal(shape, rng):
    """N(0, 2 / fan_in) with fan_in = C_in * KH * KW: keeps the activations' scale through ReLUs."""
    fan_in = int(np.prod(shape[1:]))
    return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)


def _bn_params_and_state(c):
    return (np.ones(c), np.zeros(c)), {"running_mean": np.zeros(c), "running_var": np.ones(c)}


def init_residual_block(c_in, c_out, stride, rng):
    """He-initialized params and fresh BN state for a block from c_in to c_out channels.

    gamma = 1, beta = 0, running_mean = 0, running_var = 1 (PyTorch's defaults). A projection
    shortcut (proj_w, proj_bn_*, state proj_bn) is created when stride != 1 or c_in != c_out.
    Returns (params, state), float64.
    """
    params, state = {}, {}
    convs = [("conv1_w", "bn1", (c_out, c_in, 3, 3)), ("conv2_w", "bn2", (c_out, c_out, 3, 3))]
    if needs_projection(c_in, c_out, stride):
        convs.append(("proj_w", "proj_bn", (c_out, c_in, 1, 1)))
    for w_name, bn_name, shape in convs:
        params[w_name] = he_normal(shape, rng)
        (params[f"{bn_name}_gamma"], params[f"{bn_name}_beta"]), state[bn_name] = \
            _bn_params_and_state(c_out)
    return params, state
