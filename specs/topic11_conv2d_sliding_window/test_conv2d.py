"""Specs for Topic 11: conv2d_forward_naive and conv2d_backward_naive.

Kinds (run one with -m): shape (a grid of sizes, strides, paddings), fixture (values against
PyTorch), gradient (backward against centred finite differences of your own forward).
"""

import numpy as np
import pytest

from specs.harness import Kata, expect_close, expect_dtype, expect_shape, fail
from specs.harness.cases import (
    case_id,
    fixture_params,
    random_array,
    require_case,
)
from specs.harness.checks import (
    expect_backward_matches_finite_differences,
    expect_conv_output_shape,
    expect_strided_dx_gaps,
)

TOPIC = "topic11_conv2d_sliding_window"
conv = Kata(TOPIC, "conv2d")

# (N, C, H, W), (F, KH, KW), stride, padding
SHAPE_GRID = [
    ((2, 3, 5, 5), (4, 3, 3), 1, 0),
    ((2, 3, 5, 5), (4, 3, 3), 1, 1),
    ((2, 3, 7, 7), (2, 3, 3), 2, 1),
    ((1, 3, 8, 8), (2, 3, 3), 3, 2),            # batch 1; (8 + 4 - 3) not divisible by 3
    ((2, 1, 6, 9), (1, 2, 4), 1, 0),            # one channel, one filter, non-square everything
    ((2, 2, 7, 5), (3, 3, 2), (2, 1), (1, 0)),  # (h, w) pairs for stride and padding
    ((1, 2, 6, 6), (2, 3, 3), (1, 3), (2, 1)),
    ((3, 2, 9, 4), (2, 5, 1), (3, 2), (0, 2)),
    ((2, 3, 4, 4), (2, 6, 6), 1, 1),            # kernel as large as the padded input
    ((1, 1, 5, 7), (1, 7, 9), 2, 1),            # kernel as large as the padded input, stride 2
    ((2, 2, 10, 10), (2, 3, 3), 3, 0),          # 10 - 3 not divisible by 3
]
GRADIENT_CASES = [
    ((2, 3, 5, 5), (2, 3, 3), 1, 1),            # overlapping windows
    ((2, 2, 7, 6), (3, 3, 2), (2, 1), (1, 0)),  # (h, w) pairs
    ((1, 2, 6, 6), (2, 3, 3), 2, 2),            # batch 1, stride 2, wide padding
    ((2, 1, 5, 4), (1, 2, 3), 3, (0, 1)),       # stride larger than the kernel: gaps
]


def _inputs(x_shape, w_shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    N, C, H, W = x_shape
    F, KH, KW = w_shape
    return (random_array(rng, x_shape, dtype), random_array(rng, (F, C, KH, KW), dtype),
            random_array(rng, (F,), dtype))


def _ids(cases):
    return [case_id(x=x, k=k, s=s, p=p) for x, k, s, p in cases]


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, w_shape, stride, padding", SHAPE_GRID, ids=_ids(SHAPE_GRID))
def test_output_shape(x_shape, w_shape, stride, padding):
    x, w, b = _inputs(x_shape, w_shape)
    out, _ = conv.forward("conv2d_forward_naive", x, w, b, stride=stride, padding=padding)
    expect_conv_output_shape(out, x_shape, w_shape, stride, padding,
                             f"conv2d_forward_naive(stride={stride}, padding={padding}): out")


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, w_shape, stride, padding", SHAPE_GRID[::3],
                         ids=_ids(SHAPE_GRID[::3]))
def test_gradient_shapes(x_shape, w_shape, stride, padding):
    x, w, b = _inputs(x_shape, w_shape)
    out, cache = conv.forward("conv2d_forward_naive", x, w, b, stride=stride, padding=padding)
    dout = np.ones_like(out)
    grads = conv.backward("conv2d_backward_naive", dout, cache, grads=("dx", "dw", "db"))
    for name, grad, like in zip(("dx", "dw", "db"), grads, (x, w, b)):
        expect_shape(grad, like.shape, f"conv2d_backward_naive: {name}",
                     f"A gradient has the shape of what it is the gradient of ({name[1:]}).")


@pytest.mark.rules
def test_float32_stays_float32():
    x, w, b = _inputs((2, 3, 6, 5), (2, 3, 3), dtype=np.float32)
    out, cache = conv.forward("conv2d_forward_naive", x, w, b, stride=2, padding=1)
    expect_dtype(out, np.float32, "conv2d_forward_naive: out")
    grads = conv.backward("conv2d_backward_naive", np.ones_like(out), cache,
                          grads=("dx", "dw", "db"))
    for name, grad in zip(("dx", "dw", "db"), grads):
        expect_dtype(grad, np.float32, f"conv2d_backward_naive: {name}")


@pytest.mark.rules
def test_impulse_shows_the_kernel_mirrored():
    """A single 1 in a zero image: a conv layer (cross-correlation) puts the kernel around it
    upside down and left-right mirrored. The kernel as it is means it was flipped first (a
    textbook convolution, not what conv layers compute)."""
    x = np.zeros((1, 1, 5, 5))
    x[0, 0, 2, 2] = 1.0
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)     # no symmetry: every mirror differs
    out, _ = conv.forward("conv2d_forward_naive", x, w, np.zeros(1), stride=1, padding=1)
    expect_shape(out, (1, 1, 5, 5), "conv2d_forward_naive(impulse, padding=1): out")
    around = out[0, 0, 1:4, 1:4]
    if np.allclose(around, w[0, 0]):
        fail("conv2d_forward_naive flips the kernel: around a single 1 in a zero image your output "
             "shows the kernel as it is, where a conv layer shows it mirrored both ways. A conv "
             "layer computes out[y, x] = sum of w[i, j] * x[y + i, x + j] (cross-correlation), "
             "with no flip of w.")
    want = np.zeros((1, 1, 5, 5))
    want[0, 0, 1:4, 1:4] = w[0, 0, ::-1, ::-1]
    expect_close(out, want, "conv2d_forward_naive(impulse, padding=1): out",
                 reference="the kernel mirrored both ways around the impulse")


@pytest.mark.rules
def test_stride_leaves_gaps_in_dx():
    expect_strided_dx_gaps(conv, "conv2d_forward_naive", "conv2d_backward_naive")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_params(TOPIC))
def test_forward_matches_pytorch(case):
    c = require_case(case)
    out, _ = conv.forward("conv2d_forward_naive", c["x"], c["w"], c["b"],
                          stride=c["stride"], padding=c["padding"])
    expect_close(out, c["out"], f"conv2d_forward_naive(stride={c['stride']}, "
                 f"padding={c['padding']}): out", reference="PyTorch's conv2d")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_params(TOPIC))
def test_backward_matches_pytorch(case):
    c = require_case(case)
    _, cache = conv.forward("conv2d_forward_naive", c["x"], c["w"], c["b"],
                            stride=c["stride"], padding=c["padding"])
    grads = conv.backward("conv2d_backward_naive", c["dout"], cache, grads=("dx", "dw", "db"))
    for name, grad in zip(("dx", "dw", "db"), grads):
        expect_close(grad, c[name], f"conv2d_backward_naive(stride={c['stride']}, "
                     f"padding={c['padding']}): {name}", reference="PyTorch's autograd")


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, w_shape, stride, padding", GRADIENT_CASES,
                         ids=_ids(GRADIENT_CASES))
@pytest.mark.parametrize("wrt", ["x", "w", "b"])
def test_gradient_matches_finite_differences(x_shape, w_shape, stride, padding, wrt):
    expect_backward_matches_finite_differences(
        conv, "conv2d_forward_naive", "conv2d_backward_naive",
        dict(zip("xwb", _inputs(x_shape, w_shape, seed=1))), wrt,
        dict(stride=stride, padding=padding))
