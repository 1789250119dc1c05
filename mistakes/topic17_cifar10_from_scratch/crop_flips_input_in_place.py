"""random_crop_flip mirrors the chosen images in the caller's x (x[i] = x[i, ..., ::-1]) before cropping."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip mirrors images inside the caller's x (x[i] = x[i, ..., ::-1]) before
cropping, so the training set itself changes a little more at every epoch. Never modify an
input: crop from a padded copy (np.pad makes one) and mirror the crop you return."""


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
    flip = rng.random(n) < 0.5
    for i in np.flatnonzero(flip):
        x[i] = x[i, ..., ::-1].copy()
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    return np.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
