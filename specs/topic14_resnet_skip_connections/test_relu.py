"""Specs for Topic 14's ReLU: relu_forward and relu_backward (used twice in every block)."""

import numpy as np
import pytest

from specs.harness import expect_close, expect_dtype, expect_shape, numerical_gradient
from specs.harness.cases import random_array, require_case
from specs.harness.checks import expect_close_to_finite_differences

from .support import fixture_cases, residual


@pytest.mark.shape
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (1, 1, 3, 7), (5,)], ids=str)
def test_relu_shapes(shape):
    x = random_array(np.random.default_rng(0), shape)
    out, cache = residual.forward("relu_forward", x)
    expect_shape(out, shape, "relu_forward: out", "ReLU works elementwise.")
    (dx,) = residual.backward("relu_backward", np.ones_like(out), cache, grads=("dx",))
    expect_shape(dx, shape, "relu_backward: dx", "A gradient has the shape of x.")


@pytest.mark.rules
def test_relu_float32_stays_float32():
    x = random_array(np.random.default_rng(0), (2, 3, 4, 4), np.float32)
    out, cache = residual.forward("relu_forward", x)
    expect_dtype(out, np.float32, "relu_forward: out")
    (dx,) = residual.backward("relu_backward", np.ones_like(out), cache, grads=("dx",))
    expect_dtype(dx, np.float32, "relu_backward: dx")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("relu"))
def test_relu_matches_pytorch(case):
    """The input holds exact zeros: there PyTorch's ReLU passes no gradient."""
    c = require_case(case)
    out, cache = residual.forward("relu_forward", c["x"])
    expect_close(out, c["out"], "relu_forward: out", reference="PyTorch's relu")
    (dx,) = residual.backward("relu_backward", c["dout"], cache, grads=("dx",))
    expect_close(dx, c["dx"], "relu_backward: dx (x holds exact zeros: the gradient there is 0)",
                 reference="PyTorch's autograd")


@pytest.mark.gradient
def test_relu_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 2, 3, 4))
    x[np.abs(x) < 1e-3] = 0.5  # stay away from the kink, where finite differences mean nothing
    out, cache = residual.forward("relu_forward", x)
    dout = rng.standard_normal(out.shape)
    (dx,) = residual.backward("relu_backward", dout, cache, grads=("dx",))
    numeric = numerical_gradient(lambda v: residual.forward("relu_forward", v)[0], x, dout)
    expect_close_to_finite_differences(dx, numeric, "relu_backward: dx",
                                       reference="finite differences of your relu_forward")
