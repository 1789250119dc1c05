"""random_crop_flip, another valid draw order: column offsets first, the flip as random >= 0.5.

Every random choice the brief fixes is kept (offsets uniform over 0..2*pad per image and axis,
an independent fair flip, all drawn from rng); only the order of the draws differs, which the
brief leaves free: every spec must accept it."""

import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"


def random_crop_flip(x, pad, rng):
    n, _, h, w = x.shape
    dx = rng.integers(0, 2 * pad + 1, n)      # columns first: the brief leaves the order free
    dy = rng.integers(0, 2 * pad + 1, n)
    flip = rng.random(n) >= 0.5               # a fair coin all the same
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    out = np.empty_like(x)
    for i in range(n):
        crop = padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w]
        out[i] = crop[:, :, ::-1] if flip[i] else crop
    return out
