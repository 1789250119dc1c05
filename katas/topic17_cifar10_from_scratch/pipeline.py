"""Topic 17: the CIFAR-10 training pipeline, piece by piece. Brief: README.md beside this file.

Images are NCHW. The network is any object with
    net.forward(params, state, x, train) -> (logits (N, 10), cache)
    net.backward(dlogits, cache) -> grads (a dict keyed like params)
(the milestone's is milestone/network.py, built from your Topics 12-14 layers).

Run the specs with `tox -e topic17`; stuck? `HINTS.md` has three tiers per function.
"""

import pickle  # noqa: F401  (you will need these)

import numpy as np  # noqa: F401


def load_batch(path):
    """One CIFAR-10 batch file (official python pickle) -> (images, labels).

    images: uint8 (N, 3, 32, 32); labels: int64 (N,). The pickle is a dict with bytes keys:
    b'data' a uint8 (N, 3072) array (the red plane row by row, then green, then blue) and
    b'labels' a list of N ints in 0..9.

    Never plain pickle.load (it calls any function a file names): read the file with a restricted
    unpickler, a pickle.Unpickler subclass whose find_class answers only for the few globals an
    official file needs (NumPy 1.x and 2.x names). For any other global, e.g. os.system, raise
    pickle.UnpicklingError before anything runs, with a message naming the file and the global:
    "data_batch_1 asks for os.system: refused; CIFAR-10 batch files only hold arrays and lists".
    """
    raise NotImplementedError("load_batch: see katas/topic17_cifar10_from_scratch/README.md")


def channel_stats(x_train):
    """Per-channel mean and standard deviation (population, ddof=0) of uint8 (N, 3, H, W) images.

    Returns (mean, std), each float32 (3,), in pixel units (0..255). Compute them on the training
    set only: statistics taken from the test set would leak it into training.
    """
    raise NotImplementedError("channel_stats: see katas/topic17_cifar10_from_scratch/README.md")


def normalize(x, mean, std):
    """(x - mean) / std per channel; x (N, 3, H, W) of any dtype; returns float32."""
    raise NotImplementedError("normalize: see katas/topic17_cifar10_from_scratch/README.md")


def random_crop_flip(x, pad, rng):
    """Augment a batch: each image is reflect-padded by `pad` pixels on every side, a random
    window of the original size (H x W) is taken (each offset 0..2*pad equally likely), and the
    window is mirrored left-right with probability 1/2.

    x: (N, C, H, W); pad: int >= 0; rng: np.random.Generator, the only source of randomness
    (same generator state -> same output). Draw from rng itself, never a copy: each call
    advances it, so two calls on one generator differ. Returns a new array, same shape and
    dtype as x.
    Fixed: per image, a row and a column offset each uniform over 0..2*pad and a fair flip, all
    independent. Free: the order of the draws (no spec compares batches with the reference's).
    """
    raise NotImplementedError("random_crop_flip: see katas/topic17_cifar10_from_scratch/README.md")


def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    """Mean softmax cross-entropy over the batch, as torch.nn.functional.cross_entropy.

    logits (N, K) float; labels int (N,) in 0..K-1. With label smoothing e the target of each row
    is (1 - e) * one_hot(label) + e / K. Returns (loss as a Python float, cache).
    """
    raise NotImplementedError(
        "softmax_cross_entropy_forward: see katas/topic17_cifar10_from_scratch/README.md")


def softmax_cross_entropy_backward(dloss, cache):
    """dL/dlogits (N, K), given dloss (the upstream gradient of the scalar loss, usually 1.0).

    Returns a new array and leaves the cache as the forward made it: a second call on the same
    cache gives the same result.
    """
    raise NotImplementedError(
        "softmax_cross_entropy_backward: see katas/topic17_cifar10_from_scratch/README.md")


def sgd_step(params, grads, velocity, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    """One SGD step with momentum and L2 weight decay, as torch.optim.SGD: params IN PLACE.

    params, grads, velocity: dicts of arrays with the same keys (velocity starts as zeros, or
    empty: a missing entry counts as zeros, and a velocity you create has p's dtype,
    np.zeros_like(p)). `lr` and `weight_decay` are floats, or dicts giving
    a value per parameter name. For each parameter p with gradient g and velocity v:
        g = g + weight_decay * p;  v = momentum * v + g
        p -= lr * (g + momentum * v) if nesterov else lr * v
    Updates params[k] in place (the same array objects: the caller and the checkpoints hold
    them); afterwards velocity[k] holds the new velocity (updated in place or a new array: the
    caller reads it from the dict). Never modifies grads.
    """
    raise NotImplementedError("sgd_step: see katas/topic17_cifar10_from_scratch/README.md")


def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    """One step on the batch (x, y): forward in train mode, loss, backward, SGD update in place.

    Returns (loss, accuracy) of this batch, as measured before the update (Python floats).
    """
    raise NotImplementedError("train_step: see katas/topic17_cifar10_from_scratch/README.md")


def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    """Accuracy of the network (eval mode) on (x, y), in batches of at most batch_size.

    With flip_tta, each image's logits are the logits for it plus those for its left-right
    mirror (their mean gives the same argmax).
    Returns (accuracy as a Python float, predicted labels (N,) of an integer dtype).
    """
    raise NotImplementedError("evaluate: see katas/topic17_cifar10_from_scratch/README.md")
