"""sgd_step folds lr into the velocity (v = m*v + lr*g; p -= v), which differs from PyTorch once lr changes between steps; fix: v = m*v + g, p -= lr*v."""

MODULE = "pipeline"

"""Topic 17: the CIFAR-10 training pipeline, piece by piece. Brief: README.md beside this file.

Images are NCHW. The network is any object with
    net.forward(params, state, x, train) -> (logits (N, 10), cache)
    net.backward(dlogits, cache) -> grads (a dict keyed like params)
(the milestone's is milestone/network.py, built from your Topics 12-14 layers).

Run the specs with `tox -e topic17`; stuck? `HINTS.md` has three tiers per function.
"""

import pickle  # noqa: F401  (you will need these)

import numpy as np  # noqa: F401


ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),   # NumPy 1.x
    ("numpy._core.multiarray", "_reconstruct"),  # NumPy 2.x
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),                       # how Python 3 writes bytes
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that only rebuilds the few globals a CIFAR-10 batch file needs."""

    path = "<file>"

    def find_class(self, module, name):
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(
                f"{self.path} asks for {module}.{name}: refused; "
                "CIFAR-10 batch files only hold arrays and lists")
        return super().find_class(module, name)


def load_batch(path):
    """One CIFAR-10 batch file (official python pickle) -> (images uint8 (N, 3, 32, 32),
    labels int64 (N,)), read with a restricted unpickler."""
    with open(path, "rb") as f:
        unpickler = RestrictedUnpickler(f, encoding="bytes")
        unpickler.path = path
        batch = unpickler.load()
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    return images, labels


def channel_stats(x_train):
    """Per-channel mean and population std of uint8 (N, 3, H, W) images, float32 (3,) each."""
    mean = x_train.mean(axis=(0, 2, 3), dtype=np.float64)
    sq = np.zeros(x_train.shape[1], dtype=np.float64)
    for start in range(0, len(x_train), 1000):
        chunk = x_train[start:start + 1000].astype(np.float64)
        sq += ((chunk - mean.reshape(1, -1, 1, 1)) ** 2).sum(axis=(0, 2, 3))
    count = x_train.shape[0] * x_train.shape[2] * x_train.shape[3]
    std = np.sqrt(sq / count)
    return mean.astype(np.float32), std.astype(np.float32)


def normalize(x, mean, std):
    """(x - mean) / std per channel; x (N, 3, H, W) of any dtype; returns float32."""
    mean = np.asarray(mean, dtype=np.float32).reshape(1, -1, 1, 1)
    std = np.asarray(std, dtype=np.float32).reshape(1, -1, 1, 1)
    return (x.astype(np.float32) - mean) / std


def random_crop_flip(x, pad, rng):
    """Reflect-pad by `pad`, crop a random HxW window per image, flip left-right half the time."""
    N, C, H, W = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    dy = rng.integers(0, 2 * pad + 1, size=N)
    dx = rng.integers(0, 2 * pad + 1, size=N)
    flip = rng.random(N) < 0.5
    out = np.empty_like(x)
    for i in range(N):
        crop = padded[i, :, dy[i]:dy[i] + H, dx[i]:dx[i] + W]
        if flip[i]:
            crop = crop[:, :, ::-1]
        out[i] = crop
    return out


def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    """Mean softmax cross-entropy with label smoothing, as F.cross_entropy. Returns (loss, cache)."""
    N, K = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    target = np.full(logits.shape, label_smoothing / K, dtype=logits.dtype)
    target[np.arange(N), labels] += 1.0 - label_smoothing
    loss = -(target * log_p).sum() / N
    cache = (np.exp(log_p), target)
    return float(loss), cache


def softmax_cross_entropy_backward(dloss, cache):
    """dL/dlogits (N, K) = (p - t) / N * dloss."""
    probs, target = cache
    N = probs.shape[0]
    return (probs - target) * (dloss / N)


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    """One step of torch.optim.SGD (momentum, Nesterov, L2 weight decay); params in place."""
    for name, p in params.items():
        rate = lr[name] if isinstance(lr, dict) else lr
        wd = weight_decay[name] if isinstance(weight_decay, dict) else weight_decay
        g = grads[name] + wd * p
        if name not in velocity:
            velocity[name] = np.zeros_like(p)
        v = velocity[name]
        v *= momentum
        v += rate * g
        if nesterov:
            p -= rate * g + momentum * v
        else:
            p -= v


def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    """Forward (train mode), loss, backward, SGD. Returns (loss, accuracy) before the update."""
    logits, cache = net.forward(params, state, x, True)
    loss, loss_cache = softmax_cross_entropy_forward(logits, y, label_smoothing)
    dlogits = softmax_cross_entropy_backward(1.0, loss_cache)
    grads = net.backward(dlogits, cache)
    accuracy = float(np.mean(logits.argmax(axis=1) == y))
    sgd_step(params, grads, velocity, lr, momentum, weight_decay, nesterov)
    return loss, accuracy


def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    """Accuracy in eval mode, in batches of at most batch_size; optional flip TTA.
    Returns (accuracy, predictions int64 (N,))."""
    predictions = np.empty(len(x), dtype=np.int64)
    for start in range(0, len(x), batch_size):
        batch = x[start:start + batch_size]
        logits, _ = net.forward(params, state, batch, False)
        if flip_tta:
            flipped, _ = net.forward(params, state, batch[..., ::-1], False)
            logits = logits + flipped
        predictions[start:start + batch_size] = logits.argmax(axis=1)
    return float(np.mean(predictions == y)), predictions
