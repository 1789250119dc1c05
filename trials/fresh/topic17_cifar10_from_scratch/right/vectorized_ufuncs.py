"""Correct, unusual style: fancy-indexed crops (flips drawn first), logaddexp.reduce for log-softmax, ufuncs with out= for SGD, array_split batches in evaluate, a per-call unpickler class.
"""

MODULE = "pipeline"

import pickle

import numpy as np

_NEEDED = frozenset({
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),
})


def load_batch(path):
    class _Only(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) in _NEEDED:
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"{path} asks for {module}.{name}: refused; CIFAR-10 "
                                         f"batch files only hold arrays and lists")

    with open(path, "rb") as f:
        d = _Only(f, encoding="bytes").load()
    data = np.asarray(d[b"data"], dtype=np.uint8)
    return data.reshape(len(data), 3, 32, 32), np.array(d[b"labels"], dtype=np.int64)


def channel_stats(x_train):
    n, c, h, w = x_train.shape
    count = n * h * w
    total = np.zeros(c)
    for chunk in np.array_split(x_train, max(1, n // 2048)):
        total += chunk.sum(axis=(0, 2, 3), dtype=np.float64)
    mean = total / count
    sq = np.zeros(c)
    for chunk in np.array_split(x_train, max(1, n // 2048)):
        d = chunk - mean[:, None, None]          # uint8 - float64 is float64
        sq += np.einsum("nchw,nchw->c", d, d)
    return mean.astype(np.float32), np.sqrt(sq / count).astype(np.float32)


def normalize(x, mean, std):
    m = np.asarray(mean, np.float32)[:, None, None]
    s = np.asarray(std, np.float32)[:, None, None]
    out = np.asarray(x, dtype=np.float32) - m
    out /= s
    return out


def random_crop_flip(x, pad, rng):
    n, c, h, w = x.shape
    flip = rng.random(n) < 0.5
    dx = rng.integers(0, 2 * pad + 1, size=n)
    dy = rng.integers(0, 2 * pad + 1, size=n)
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    rows = dy[:, None] + np.arange(h)
    cols = dx[:, None] + np.arange(w)
    cols = np.where(flip[:, None], cols[:, ::-1], cols)
    return padded[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None],
                  rows[:, None, :, None], cols[:, None, None, :]]


def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    n, k = logits.shape
    log_p = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    target = (np.eye(k, dtype=logits.dtype)[labels] * (1 - label_smoothing)
              + label_smoothing / k).astype(logits.dtype, copy=False)
    loss = -np.einsum("nk,nk->", target, log_p) / n
    return float(loss), {"p": np.exp(log_p), "t": target}


def softmax_cross_entropy_backward(dloss, cache):
    p, t = cache["p"], cache["t"]
    return np.subtract(p, t) * p.dtype.type(dloss / len(p))


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    def per_name(value, name):
        return value[name] if isinstance(value, dict) else value

    for name in params:
        p = params[name]
        g = np.add(grads[name], per_name(weight_decay, name) * p)   # a new array
        if name not in velocity:
            velocity[name] = np.zeros_like(p)
        v = velocity[name]
        np.multiply(v, momentum, out=v)
        np.add(v, g, out=v)
        step = np.add(g, momentum * v) if nesterov else v
        np.subtract(p, per_name(lr, name) * step, out=p, casting="same_kind")


def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    logits, cache = net.forward(params, state, x, True)
    correct = int(np.count_nonzero(np.argmax(logits, axis=1) == y))
    loss, lcache = softmax_cross_entropy_forward(logits, y, label_smoothing)
    grads = net.backward(softmax_cross_entropy_backward(1.0, lcache), cache)
    sgd_step(params, grads, velocity, lr, momentum, weight_decay, nesterov)
    return loss, correct / len(y)


def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    chunks = max(1, -(-len(x) // batch_size))
    preds = []
    for batch in np.array_split(x, chunks):
        z = net.forward(params, state, batch, False)[0]
        if flip_tta:
            z = z + net.forward(params, state, np.flip(batch, axis=-1), False)[0]
        preds.append(np.argmax(z, axis=1))
    predictions = np.concatenate(preds).astype(np.int64)
    return float((predictions == y).mean()), predictions
