"""Specs for Topic 15: conv2d_forward / conv2d_backward with dilation and groups.

Kinds (run one with -m): shape (a grid of strides, paddings, dilations, groups in {1, 2, C}),
fixture (values against PyTorch), gradient (backward against finite differences of your forward).
"""

import numpy as np
import pytest

from specs.harness import expect_close, expect_shape
from specs.harness.cases import case_id, output_size_formula, require_case
from specs.topic15_modern_convolutions.common import (
    arrays,
    expect_dtypes,
    expect_grad_shapes,
    expect_value_error,
    fixture_cases,
    gradient_check,
    modern,
    out_hw,
    settings_label,
)

GRADS = ("dx", "dw", "db")

# (N, C, H, W), (F, KH, KW), stride, padding, dilation, groups
SHAPE_GRID = [
    ((2, 4, 7, 7), (4, 3, 3), 1, 0, 1, 1),
    ((2, 4, 7, 7), (4, 3, 3), 1, 2, 2, 1),                 # dilation 2: a 5x5 span
    ((2, 4, 9, 8), (6, 3, 3), 2, 1, 2, 2),                 # two groups, stride and dilation
    ((1, 6, 8, 8), (6, 3, 3), 1, 1, 1, 6),                 # batch 1, groups = C (depthwise)
    ((2, 4, 10, 7), (8, 3, 2), (2, 1), (1, 0), (2, 3), 4),  # (h, w) pairs, two filters per group
    ((2, 3, 9, 11), (3, 2, 4), (3, 2), (0, 2), (1, 2), 3),
    ((2, 2, 5, 5), (2, 3, 3), 1, 0, 2, 1),                 # dilated kernel spans the whole input
    ((2, 4, 12, 12), (4, 3, 3), 3, 1, (3, 2), 2),          # (12 + 2 - 7) not divisible by 3
]
GRADIENT_CASES = [
    ((2, 4, 6, 6), (4, 3, 3), 1, 2, 2, 2),                 # dilation and two groups
    ((1, 3, 7, 6), (6, 2, 3), (2, 1), (1, 0), (1, 2), 3),  # groups = C, pairs, batch 1
    ((2, 2, 6, 5), (2, 3, 2), 2, 1, (2, 1), 1),
]


def _ids(cases):
    return [case_id(x=x, k=k, s=s, p=p, d=d, g=g) for x, k, s, p, d, g in cases]


def _inputs(x_shape, w_shape, groups, dtype=np.float64, seed=0):
    F, KH, KW = w_shape
    return arrays(seed, x_shape, (F, x_shape[1] // groups, KH, KW), (F,), dtype=dtype)


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation, groups", SHAPE_GRID,
                         ids=_ids(SHAPE_GRID))
def test_output_shape(x_shape, w_shape, stride, padding, dilation, groups):
    x, w, b = _inputs(x_shape, w_shape, groups)
    settings = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    out, _ = modern.forward("conv2d_forward", x, w, b, **settings)
    N, _, H, W = x_shape
    F, KH, KW = w_shape
    expected = (N, F, *out_hw((H, W), (KH, KW), stride, padding, dilation))
    expect_shape(out, expected, f"conv2d_forward({settings_label(**settings)}): out",
                 output_size_formula(H, W, (KH, KW), stride, padding, dilation))


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation, groups", SHAPE_GRID[::2],
                         ids=_ids(SHAPE_GRID[::2]))
def test_gradient_shapes(x_shape, w_shape, stride, padding, dilation, groups):
    x, w, b = _inputs(x_shape, w_shape, groups)
    out, cache = modern.forward("conv2d_forward", x, w, b, stride=stride, padding=padding,
                                dilation=dilation, groups=groups)
    grads = modern.backward("conv2d_backward", np.ones_like(out), cache, grads=GRADS)
    expect_grad_shapes(grads, GRADS, (x, w, b), "conv2d_backward")


@pytest.mark.rules
def test_float32_stays_float32():
    x, w, b = _inputs((2, 4, 7, 6), (4, 3, 3), 2, dtype=np.float32)
    out, cache = modern.forward("conv2d_forward", x, w, b, stride=2, padding=1, dilation=2,
                                groups=2)
    expect_dtypes([out], ["out"], np.float32, "conv2d_forward")
    grads = modern.backward("conv2d_backward", np.ones_like(out), cache, grads=GRADS)
    expect_dtypes(grads, GRADS, np.float32, "conv2d_backward")


@pytest.mark.rules
def test_groups_are_independent_convolutions():
    """groups=G is G separate convolutions, each over its own contiguous block of channels."""
    x, w, b = _inputs((2, 6, 6, 5), (4, 3, 3), 2, seed=3)
    grouped, _ = modern.forward("conv2d_forward", x, w, b, padding=1, groups=2)
    for g, (channels, filters) in enumerate(((slice(0, 3), slice(0, 2)),
                                             (slice(3, 6), slice(2, 4)))):
        alone, _ = modern.forward("conv2d_forward", x[:, channels], w[filters], b[filters],
                                  padding=1)
        expect_close(grouped[:, filters], alone,
                     f"conv2d_forward(groups=2): output channels {filters.start}-"
                     f"{filters.stop - 1}", reference=(
                         f"conv2d_forward(groups=1) of group {g} alone (input channels "
                         f"{channels.start}-{channels.stop - 1}, filters {filters.start}-"
                         f"{filters.stop - 1}): group g owns the g-th contiguous block of "
                         f"channels and of filters"))


@pytest.mark.rules
def test_impossible_settings_are_refused():
    x, w, b = _inputs((2, 6, 5, 5), (4, 3, 3), 2)
    expect_value_error("conv2d_forward", (x, w[:, :1], b), {"groups": 4},
                       "6 channels and groups=4", "groups must divide C and F; name C, F "
                       "and groups.", numbers=(6, 4))
    x6, w4, b4 = _inputs((2, 6, 5, 5), (4, 3, 3), 3)  # w (4, 2, 3, 3): C // groups fits, F not
    expect_value_error("conv2d_forward", (x6, w4, b4), {"groups": 3},
                       "6 channels, 4 filters and groups=3",
                       "groups divides C (6 = 3 x 2) but not F: 4 filters cannot be split into "
                       "3 groups. Check F % groups too, and name C, F and groups.",
                       numbers=(6, 4, 3))
    expect_value_error("conv2d_forward", (x, w, b), {"groups": 1},
                       "w of shape (4, 3, 3, 3) for 6 channels and groups=1",
                       "w.shape[1] must be C // groups; name both.", numbers=(3, 6))
    expect_value_error("conv2d_forward", (x, w, b), {"groups": 2, "dilation": 3},
                       "a 3x3 kernel with dilation 3 (span 7) on a 5x5 input",
                       "the dilated kernel does not fit the padded input: no output at all. "
                       "Name its span and the input size.", numbers=(7, 5))


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("conv"))
def test_forward_matches_pytorch(case):
    c = require_case(case)
    settings = {k: c[k] for k in ("stride", "padding", "dilation", "groups")}
    out, _ = modern.forward("conv2d_forward", c["x"], c["w"], c["b"], **settings)
    expect_close(out, c["out"], f"conv2d_forward({settings_label(**settings)}): out",
                 reference="PyTorch's conv2d")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("conv"))
def test_backward_matches_pytorch(case):
    c = require_case(case)
    settings = {k: c[k] for k in ("stride", "padding", "dilation", "groups")}
    _, cache = modern.forward("conv2d_forward", c["x"], c["w"], c["b"], **settings)
    grads = modern.backward("conv2d_backward", c["dout"], cache, grads=GRADS)
    for name, grad in zip(GRADS, grads):
        expect_close(grad, c[name], f"conv2d_backward({settings_label(**settings)}): {name}",
                     reference="PyTorch's autograd")


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation, groups", GRADIENT_CASES,
                         ids=_ids(GRADIENT_CASES))
@pytest.mark.parametrize("wrt", ["x", "w", "b"])
def test_gradient_matches_finite_differences(x_shape, w_shape, stride, padding, dilation,
                                             groups, wrt):
    inputs = dict(zip("xwb", _inputs(x_shape, w_shape, groups, seed=1)))
    gradient_check("conv2d_forward", "conv2d_backward", inputs, wrt,
                   dict(stride=stride, padding=padding, dilation=dilation, groups=groups))
