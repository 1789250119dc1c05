"""random_crop_flip draws offsets in 0..pad instead of 0..2*pad (crops shift one way only)."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip draws each offset in 0..pad. In the padded image the original sits at
offset pad, so offsets 0..pad only shift the view up and left. Draw each of 0..2*pad, equally
likely: rng.integers(0, 2 * pad + 1, n) (the upper bound is exclusive)."""


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dy, dx = rng.integers(0, pad + 1, n), rng.integers(0, pad + 1, n)
    flip = rng.random(n) < 0.5
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    out = np.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    out[flip] = out[flip][..., ::-1]
    return out
