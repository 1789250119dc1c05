"""Winograd's output transform has a sign wrong: a tile's second output adds m3, not subtracts it."""

import numpy as np

from fastpath import winograd as ref
from fastpath.winograd import *  # noqa: F403

MODULE = "winograd"
EXPLANATION = """\
F(2x2, 3x3) turns the 16 products of a tile into its 2x2 outputs with AT = [[1, 1, 1, 0],
[0, 1, -1, -1]] on both sides. With +1 for the last entry, every odd row and column of the output
is wrong (and the backward, its transpose, too). Check AT against the minimal-filtering
construction: its rows evaluate at the points 0, 1, -1 and infinity."""

_AT = np.array([[1, 1, 1, 0], [0, 1, -1, 1]], np.float32)
ref.OUTPUT = np.kron(_AT, _AT)
ref.OUTPUT_T = np.ascontiguousarray(ref.OUTPUT.T)
