"""Topic 17: the CIFAR-10 training pipeline, piece by piece (reference solution).

Images are NCHW. The network is any object with
    net.forward(params, state, x, train) -> (logits (N, 10), cache)
    net.backward(dlogits, cache) -> grads (a dict keyed like params)
(the milestone's is milestone/network.py, built from your Topics 12-14 layers).
"""

from __future__ import annotations

import numpy as np

# The restricted unpickler is data/safe_pickle.py, shared with data/cifar10.py: one list of allowed
# names for both loaders. It lives in data/ because data/ is in every learner's clone (they run
# `python -m data.cifar10`) and must work without solutions/ (the milestone uses it with
# --impl katas): the reference may import data/, never the other way round.
from data.safe_pickle import load_pickle

IMAGE_SHAPE = (3, 32, 32)
NUM_CLASSES = 10


# ----------------------------------------------------------------------------- data
def load_batch(path):
    """One CIFAR-10 batch file (official python pickle) -> (images, labels).

    images: uint8 (N, 3, 32, 32); labels: int64 (N,). The pickle is a dict with bytes keys:
    b'data' a uint8 (N, 3072) array (the red plane row by row, then green, then blue) and
    b'labels' a list of N ints in 0..9.

    Read with a restricted unpickler (data/safe_pickle.py) whose find_class answers only for the
    few globals an official file needs (NumPy 1.x and 2.x names). Any other global, e.g.
    os.system, raises pickle.UnpicklingError before anything runs, with a message naming the file
    and the global: "data_batch_1 asks for os.system: refused; CIFAR-10 batch files only hold
    arrays and lists".
    """
    batch = load_pickle(path)
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, *IMAGE_SHAPE)
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    return images, labels


def channel_stats(x_train):
    """Per-channel mean and standard deviation (population, ddof=0) of uint8 (N, 3, H, W) images.

    Returns (mean, std), each float32 (3,), in pixel units (0..255). Compute them on the training
    set only: statistics taken from the test set would leak it into training.
    """
    mean = x_train.mean(axis=(0, 2, 3), dtype=np.float64)
    var = np.zeros(x_train.shape[1])
    for start in range(0, len(x_train), 5000):  # in slices: a float64 copy of 50k images is 1.2 GB
        part = x_train[start:start + 5000].astype(np.float64)
        var += ((part - mean[:, None, None]) ** 2).sum(axis=(0, 2, 3))
    std = np.sqrt(var / (x_train.size // x_train.shape[1]))
    return mean.astype(np.float32), std.astype(np.float32)


def normalize(x, mean, std):
    """(x - mean) / std per channel; x (N, 3, H, W) of any dtype; returns float32."""
    mean = np.asarray(mean, np.float32).reshape(1, -1, 1, 1)
    scale = (1 / np.asarray(std, np.float32)).reshape(1, -1, 1, 1)
    out = x.astype(np.float32)
    out -= mean
    out *= scale
    return out


def random_crop_flip(x, pad, rng):
    """Augment a batch: each image is reflect-padded by `pad` pixels on every side, a random
    window of the original size (H x W) is taken (each offset 0..2*pad equally likely), and the
    window is mirrored left-right with probability 1/2.

    x: (N, C, H, W); pad: int >= 0; rng: np.random.Generator, the only source of randomness
    (same generator state -> same output), drawn from directly: each call advances it.
    Returns a new array, same shape and dtype as x.
    Fixed: per image, a row and a column offset each uniform over 0..2*pad and a fair flip, all
    independent. Free: the order of the draws (no spec compares batches with the reference's).
    """
    n, _, h, w = x.shape
    dy = rng.integers(0, 2 * pad + 1, n)
    dx = rng.integers(0, 2 * pad + 1, n)
    flip = rng.random(n) < 0.5
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect") if pad else x
    rows = dy[:, None] + np.arange(h)                              # (N, H)
    cols = dx[:, None] + np.arange(w)                              # (N, W)
    cols = np.where(flip[:, None], cols[:, ::-1], cols)
    idx_n = np.arange(n)[:, None, None, None]
    idx_c = np.arange(x.shape[1])[None, :, None, None]
    return padded[idx_n, idx_c, rows[:, None, :, None], cols[:, None, None, :]]


# ----------------------------------------------------------------------------- loss
def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    """Mean softmax cross-entropy over the batch, as torch.nn.functional.cross_entropy.

    logits (N, K) float; labels int (N,) in 0..K-1. With label smoothing e the target of each row
    is (1 - e) * one_hot(label) + e / K. Returns (loss as a Python float, cache).
    """
    n, k = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)       # exp never overflows
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    target = np.full(logits.shape, label_smoothing / k, dtype=logits.dtype)
    target[np.arange(n), labels] += 1 - label_smoothing
    loss = -(target * log_probs).sum() / n
    return float(loss), (np.exp(log_probs), target)


def softmax_cross_entropy_backward(dloss, cache):
    """dL/dlogits (N, K), given dloss (the upstream gradient of the scalar loss, usually 1.0).

    A new array; the cache is left as it was, so a second call gives the same result.
    """
    probs, target = cache
    return (probs - target) * (dloss / len(probs))


# ----------------------------------------------------------------------------- optimizer
def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    """One SGD step with momentum and L2 weight decay, as torch.optim.SGD: params IN PLACE.

    params, grads, velocity: dicts of arrays with the same keys (velocity starts as zeros, or
    empty: a missing entry counts as zeros, created with p's dtype). `lr` and `weight_decay` are
    floats, or dicts giving a value per parameter name. For each parameter p with gradient g and velocity v:
        g = g + weight_decay * p;  v = momentum * v + g
        p -= lr * (g + momentum * v) if nesterov else lr * v
    Updates params[k] in place (the same array objects: the caller and the checkpoints hold
    them); afterwards velocity[k] holds the new velocity (updated in place or a new array: the
    caller reads it from the dict). Never modifies grads.
    """
    for name, p in params.items():
        rate = lr[name] if isinstance(lr, dict) else lr
        decay = weight_decay[name] if isinstance(weight_decay, dict) else weight_decay
        g = grads[name] + decay * p if decay else grads[name].copy()
        v = velocity.setdefault(name, np.zeros_like(p))
        v *= momentum
        v += g
        if nesterov:
            g += momentum * v
            p -= (rate * g).astype(p.dtype, copy=False)
        else:
            p -= (rate * v).astype(p.dtype, copy=False)


# ----------------------------------------------------------------------------- training
def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    """One step on the batch (x, y): forward in train mode, loss, backward, SGD update in place.

    Returns (loss, accuracy) of this batch, as measured before the update (Python floats).
    """
    logits, cache = net.forward(params, state, x, True)
    loss, loss_cache = softmax_cross_entropy_forward(logits, y, label_smoothing)
    grads = net.backward(softmax_cross_entropy_backward(1.0, loss_cache), cache)
    sgd_step(params, grads, velocity, lr, momentum, weight_decay, nesterov)
    return loss, float(np.mean(logits.argmax(axis=1) == y))


def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    """Accuracy of the network (eval mode) on (x, y), in batches of at most batch_size.

    With flip_tta, each image's logits are the logits for it plus those for its left-right
    mirror (their mean gives the same argmax).
    Returns (accuracy as a Python float, predicted labels int64 (N,)).
    """
    predictions = np.empty(len(x), np.int64)
    for start in range(0, len(x), batch_size):
        batch = x[start:start + batch_size]
        logits, _ = net.forward(params, state, batch, False)
        if flip_tta:
            logits = logits + net.forward(params, state, batch[..., ::-1], False)[0]
        predictions[start:start + batch_size] = logits.argmax(axis=1)
    return float(np.mean(predictions == y)), predictions
