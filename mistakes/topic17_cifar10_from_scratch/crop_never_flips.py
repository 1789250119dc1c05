"""random_crop_flip crops but never mirrors."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip crops but never mirrors. After the crop, mirror each image left-right
([..., ::-1]) with probability 1/2, one coin per image from rng (rng.random(n) < 0.5): half of
the augmentation's variety comes from the flip."""


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy, dx = rng.integers(0, 2 * pad + 1, n), rng.integers(0, 2 * pad + 1, n)
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    return np.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
