"""random_crop_flip mirrors images top-bottom instead of left-right."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your random_crop_flip mirrors images top-bottom. The augmentation mirrors left-right (a car
facing the other way is still a car; an upside-down one is rare): reverse the width, the last
axis, [..., ::-1]."""



def random_crop_flip(x, pad, rng):
    out = ref.random_crop_flip(x, pad, rng)
    return out[:, :, ::-1, ::-1].copy()
