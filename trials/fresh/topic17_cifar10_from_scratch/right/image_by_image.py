"""Correct, unusual style: draws image by image (dy, dx, coin per image), per-channel np.std, max-shifted log-sum-exp with np.where targets, SGD storing fresh velocity arrays in the dict, a while loop in evaluate.
"""

MODULE = "pipeline"

import pickle

import numpy as np


class _CifarUnpickler(pickle.Unpickler):
    allowed = {("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
               ("numpy.core.multiarray", "_reconstruct"),
               ("numpy._core.multiarray", "_reconstruct")}

    def __init__(self, f, name):
        super().__init__(f, encoding="bytes")
        self.name = name

    def find_class(self, module, name):
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(
                f"{self.name} asks for {module}.{name}: refused; CIFAR-10 batch files only hold "
                f"arrays and lists")
        return super().find_class(module, name)


def load_batch(path):
    with open(path, "rb") as f:
        batch = _CifarUnpickler(f, str(path)).load()
    images = np.array(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    return images, np.fromiter(batch[b"labels"], dtype=np.int64)


def channel_stats(x_train):
    channels = range(x_train.shape[1])
    mean = [x_train[:, c].mean(dtype=np.float64) for c in channels]
    std = [x_train[:, c].std(dtype=np.float64) for c in channels]
    return np.array(mean, dtype=np.float32), np.array(std, dtype=np.float32)


def normalize(x, mean, std):
    shape = (1, len(mean), 1, 1)
    return ((x.astype(np.float32) - np.reshape(mean, shape).astype(np.float32))
            / np.reshape(std, shape).astype(np.float32))


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    out = np.empty_like(x)
    for i in range(n):
        dy, dx = rng.integers(0, 2 * pad + 1, size=2)
        mirror = rng.random() < 0.5
        img = np.pad(x[i], ((0, 0), (pad, pad), (pad, pad)), mode="reflect")
        img = img[:, dy:dy + h, dx:dx + w]
        out[i] = img[:, :, ::-1] if mirror else img
    return out


def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    n, k = logits.shape
    m = logits.max(axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    log_p = logits - lse
    is_label = np.arange(k)[None, :] == np.asarray(labels)[:, None]
    e = label_smoothing
    target = np.where(is_label, 1.0 - e + e / k, e / k).astype(logits.dtype)
    loss = -np.sum(target * log_p) / n
    return float(loss), (np.exp(log_p), target, n)


def softmax_cross_entropy_backward(dloss, cache):
    probs, target, n = cache
    grad = probs - target
    grad *= dloss / n
    return grad


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    for name, p in params.items():
        rate = lr.get(name) if isinstance(lr, dict) else lr
        decay = weight_decay.get(name) if isinstance(weight_decay, dict) else weight_decay
        g = grads[name] + decay * p
        old = velocity.get(name)
        v = g.copy() if old is None else momentum * old + g
        velocity[name] = v.astype(p.dtype, copy=False)
        p -= rate * (g + momentum * v) if nesterov else rate * v


def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    logits, cache = net.forward(params, state, x, True)
    loss, lc = softmax_cross_entropy_forward(logits, y, label_smoothing)
    accuracy = float(np.mean(np.argmax(logits, axis=1) == y))
    sgd_step(params, net.backward(softmax_cross_entropy_backward(1.0, lc), cache), velocity,
             lr, momentum, weight_decay, nesterov)
    return loss, accuracy


def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    predictions = np.zeros(len(x), dtype=np.int64)
    start = 0
    while start < len(x):
        stop = min(start + batch_size, len(x))
        batch = x[start:stop]
        logits = net.forward(params, state, batch, False)[0]
        if flip_tta:
            logits = logits + net.forward(params, state, batch[:, :, :, ::-1], False)[0]
        predictions[start:stop] = np.argmax(logits, axis=1)
        start = stop
    return float(np.mean(predictions == y)), predictions
