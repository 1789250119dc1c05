"""Winograd's filter gradient comes out with the kernel's rows and columns swapped."""

import numpy as np

from fastpath import winograd as ref
from fastpath.winograd import *  # noqa: F403

MODULE = "winograd"
EXPLANATION = """\
dw = GT dU G per (C, F) pair: the first G contracts the tile's row index i into the kernel's row
a, the second the column index j into the kernel's column b. Pairing i with b (or writing the
result as fcba) transposes every 3x3 gradient: right for symmetric kernels only."""


def _filter_gradient_swapped(du):
    du = du.astype(np.float64).reshape(4, 4, *du.shape[1:])
    return np.einsum("ia,ijcf,jb->fcba", ref.G, du, ref.G).astype(np.float32)


ref.filter_gradient = _filter_gradient_swapped
