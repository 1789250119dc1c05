"""Winograd's backward writes each patch's gradient where patches overlap instead of adding it."""

import numpy as np

from fastpath import winograd as ref
from fastpath.winograd import *  # noqa: F403

MODULE = "winograd"
EXPLANATION = """\
Neighbouring 4x4 patches overlap by two rows or columns (tiles are 2 apart), so an input pixel
feeds up to four patches and its gradient is the sum of what each patch sends back. Assigning
each patch's gradient with = keeps only the last one written: add the shifted parts with +=."""


def _overwriting(dv, dxp, dd):
    m, th, tw, _ = dv.shape[2:]
    np.matmul(ref.PATCH_T, dv.reshape(16, -1), out=dd.reshape(16, -1))
    d = dd.reshape(4, 4, m, th, tw, -1)
    dxp[...] = 0
    for i in range(4):
        for j in range(4):
            dxp[:, i:i + 2 * th:2, j:j + 2 * tw:2] = d[i, j]


ref.data_transform_transposed = _overwriting
