"""The whitening covariance sums whole chunks only: the last, partial chunk of images is dropped."""
import numpy as np

from milestone import network

MODULE = "network"
EXPLANATION = """\
5,000 images in chunks of 100 divide evenly, but another count leaves a partial last chunk:
range(0, n - chunk + 1, chunk) skips it, and the covariance then describes fewer patches than it
divides by. Step with range(0, n, chunk) and divide by the number of patches summed."""


def patch_covariance(x, chunk=network.COVARIANCE_CHUNK):
    n, c, h, w = x.shape
    cov = np.zeros((c * 4, c * 4))
    for start in range(0, n - chunk + 1, chunk):
        part = np.asarray(x[start:start + chunk], np.float64)
        patches = np.stack([part[:, :, i:h - 1 + i, j:w - 1 + j]
                            for i in range(2) for j in range(2)], axis=2)
        flat = patches.transpose(0, 3, 4, 1, 2).reshape(-1, c * 4)
        cov += flat.T @ flat
    return cov / max(1, n * (h - 1) * (w - 1))


network.patch_covariance = patch_covariance
