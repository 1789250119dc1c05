"""random_crop_flip uses one random offset for both axes (dx = dy): only diagonal shifts."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip uses the same random offset for the rows and the columns, so every crop
shifts along the diagonal. Draw the vertical and the horizontal offset independently: two draws
per image, each uniform over 0..2*pad."""


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy = rng.integers(0, 2 * pad + 1, n)
    flip = rng.random(n) < 0.5
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    out = np.stack([padded[i, :, dy[i]:dy[i] + h, dy[i]:dy[i] + w] for i in range(n)])
    out[flip] = out[flip][..., ::-1]
    return out
