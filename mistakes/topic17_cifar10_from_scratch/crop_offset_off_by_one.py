"""random_crop_flip never uses the largest offset (2 * pad)."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip never uses the largest offset, 2 * pad. rng.integers's upper bound is
exclusive: rng.integers(0, 2 * pad + 1, n) gives every offset 0..2*pad, each equally likely."""



def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy, dx = rng.integers(0, max(2 * pad, 1), n), rng.integers(0, max(2 * pad, 1), n)
    flip = rng.random(n) < 0.5
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    out = np.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    out[flip] = out[flip][..., ::-1]
    return out
