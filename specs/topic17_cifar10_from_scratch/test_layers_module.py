"""The milestone's `layers` module binds YOUR Topics 12-14 under their own names (given code, as
the brief says): each name must do what its topic's function does, on inputs small enough to
check by hand."""

import numpy as np
import pytest

from specs.harness import Kata, expect_close

layers = Kata("topic17_cifar10_from_scratch", "layers")


@pytest.mark.rules
def test_maxpool_and_relu_are_what_their_names_say():
    x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4) * np.array([1, -1, 1, -1])
    out, _ = layers.forward("maxpool2d_forward", x, 2)
    expect_close(out, np.array([[[[4.0, 6.0], [12.0, 14.0]]]]), "layers.maxpool2d_forward(x, 2)",
                 reference="each 2x2 window's maximum (layers.py binds Topic 13's "
                           "maxpool2d_forward under this name)")
    out, _ = layers.forward("relu_forward", x)
    expect_close(out, np.maximum(x, 0), "layers.relu_forward(x)",
                 reference="max(x, 0) (layers.py binds Topic 14's relu_forward under this name)")
