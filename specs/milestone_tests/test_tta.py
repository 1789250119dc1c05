"""The milestone's flip + translate test-time augmentation against its definition, written out view
by view on a stand-in network whose logits depend on where each pixel is (so a wrong flip, shift
or weight changes them)."""

import numpy as np

from milestone.train import flip_translate_logits
from specs.harness import expect_close


class PositionNet:
    """forward(params, state, x, train) -> (logits (N, 10), None): fixed weights per pixel."""

    def __init__(self, shape):
        self.weights = np.random.default_rng(0).standard_normal((10, *shape[1:]))

    def forward(self, params, state, x, train):
        return np.einsum("nchw,kchw->nk", x, self.weights), None


def test_flip_translate_tta_is_airbench_mean_of_six_views():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((7, 3, 6, 5))
    net = PositionNet(x.shape)

    def logits(views):
        return net.forward(None, None, views, False)[0]

    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="reflect")
    up_left, down_right = padded[:, :, :6, :5], padded[:, :, 2:, 2:]   # content moved 1 pixel
    views = [x, up_left, down_right]
    mirrored = [logits(v) + logits(v[..., ::-1]) for v in views]
    want = mirrored[0] / 4 + mirrored[1] / 8 + mirrored[2] / 8
    got = flip_translate_logits(net, None, None, x, batch=3)   # batches: 3 + 3 + 1 images
    expect_close(got, want, "flip_translate_logits", rtol=1e-12,
                 reference="1/2 flip TTA of x + 1/4 flip TTA of each 1-pixel shift (reflect pad)")
