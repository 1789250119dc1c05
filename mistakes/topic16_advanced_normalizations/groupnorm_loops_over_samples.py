"""groupnorm_forward normalizes the batch one sample at a time, in a Python loop over samples."""

import numpy as np

from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"

EXPLANATION = """\
Your groupnorm_forward handles one sample per Python step. Each sample is normalized correctly,
but the work grows with the batch in Python rather than in NumPy's C loops, and the brief asks
for none. Reshape x to (N, G, C // G, H, W) once and take the mean and the variance over axes
(2, 3, 4): every sample and group at once."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    out, cache = ref.groupnorm_forward(x, gamma, beta, num_groups, eps)  # the backward's cache
    looped = np.empty_like(out)
    for i in range(len(x)):
        looped[i:i + 1] = ref.groupnorm_forward(x[i:i + 1], gamma, beta, num_groups, eps)[0]
    return looped, cache
