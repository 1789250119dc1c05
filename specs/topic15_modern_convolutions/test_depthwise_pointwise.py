"""Specs for Topic 15: depthwise_conv2d_* and pointwise_conv2d_*.

Kinds (run one with -m): shape (sizes, strides, paddings, dilations; no Python loop over channels
or positions), fixture (values against PyTorch), gradient (finite differences of your forward).
"""

import numpy as np
import pytest

from specs.harness import expect_close, expect_shape
from specs.harness.cases import case_id, output_size_formula, require_case
from specs.harness.loops import expect_no_loop_over
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

# (N, C, H, W), (KH, KW), stride, padding, dilation
DEPTHWISE_GRID = [
    ((2, 3, 6, 6), (3, 3), 1, 1, 1),
    ((1, 4, 7, 7), (3, 3), 2, 0, 1),                  # batch 1
    ((2, 2, 9, 8), (3, 3), 1, 2, 2),
    ((2, 3, 8, 11), (2, 4), (2, 3), (1, 0), (3, 2)),  # everything non-square
    ((2, 1, 5, 5), (5, 5), 1, 0, 1),                  # kernel as large as the input
    ((1, 5, 10, 10), (3, 3), 3, 1, (2, 1)),           # (10 + 2 - 5) not divisible by 3
]
DEPTHWISE_GRADIENT_CASES = [
    ((2, 3, 5, 5), (3, 3), 1, 1, 1),
    ((2, 2, 7, 6), (3, 2), (2, 1), (1, 2), (2, 1)),
    ((1, 3, 6, 7), (2, 2), 3, 0, 2),                  # stride beyond the span: gaps
]
# (N, C, H, W), F
POINTWISE_GRID = [((2, 3, 5, 5), 4), ((1, 4, 3, 7), 1), ((3, 1, 4, 2), 6)]
POINTWISE_GRADIENT_CASES = [((2, 3, 4, 3), 2), ((1, 2, 3, 5), 3)]


def _depthwise_ids(cases):
    return [case_id(x=x, k=k, s=s, p=p, d=d) for x, k, s, p, d in cases]


def _depthwise_inputs(x_shape, kernel, dtype=np.float64, seed=0):
    C = x_shape[1]
    return arrays(seed, x_shape, (C, 1, *kernel), (C,), dtype=dtype)


def _pointwise_inputs(x_shape, filters, dtype=np.float64, seed=0):
    return arrays(seed, x_shape, (filters, x_shape[1], 1, 1), (filters,), dtype=dtype)


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, kernel, stride, padding, dilation", DEPTHWISE_GRID,
                         ids=_depthwise_ids(DEPTHWISE_GRID))
def test_depthwise_shapes(x_shape, kernel, stride, padding, dilation):
    x, w, b = _depthwise_inputs(x_shape, kernel)
    settings = dict(stride=stride, padding=padding, dilation=dilation)
    out, cache = modern.forward("depthwise_conv2d_forward", x, w, b, **settings)
    N, C, H, W = x_shape
    expect_shape(out, (N, C, *out_hw((H, W), kernel, stride, padding, dilation)),
                 f"depthwise_conv2d_forward({settings_label(**settings)}): out",
                 "One output channel per input channel. "
                 + output_size_formula(H, W, kernel, stride, padding, dilation))
    grads = modern.backward("depthwise_conv2d_backward", np.ones_like(out), cache, grads=GRADS)
    expect_grad_shapes(grads, GRADS, (x, w, b), "depthwise_conv2d_backward")


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, filters", POINTWISE_GRID,
                         ids=[case_id(x=x, f=f) for x, f in POINTWISE_GRID])
def test_pointwise_shapes(x_shape, filters):
    x, w, b = _pointwise_inputs(x_shape, filters)
    out, cache = modern.forward("pointwise_conv2d_forward", x, w, b)
    N, _, H, W = x_shape
    expect_shape(out, (N, filters, H, W), "pointwise_conv2d_forward: out",
                 "A 1x1 convolution keeps H and W and maps C channels to F.")
    grads = modern.backward("pointwise_conv2d_backward", np.ones_like(out), cache, grads=GRADS)
    expect_grad_shapes(grads, GRADS, (x, w, b), "pointwise_conv2d_backward")


@pytest.mark.rules
def test_float32_stays_float32():
    x, w, b = _depthwise_inputs((2, 3, 7, 6), (3, 3), dtype=np.float32)
    out, cache = modern.forward("depthwise_conv2d_forward", x, w, b, stride=2, padding=1,
                                dilation=2)
    expect_dtypes([out], ["out"], np.float32, "depthwise_conv2d_forward")
    grads = modern.backward("depthwise_conv2d_backward", np.ones_like(out), cache, grads=GRADS)
    expect_dtypes(grads, GRADS, np.float32, "depthwise_conv2d_backward")

    x, w, b = _pointwise_inputs((2, 3, 4, 5), 2, dtype=np.float32)
    out, cache = modern.forward("pointwise_conv2d_forward", x, w, b)
    expect_dtypes([out], ["out"], np.float32, "pointwise_conv2d_forward")
    grads = modern.backward("pointwise_conv2d_backward", np.ones_like(out), cache, grads=GRADS)
    expect_dtypes(grads, GRADS, np.float32, "pointwise_conv2d_backward")


@pytest.mark.rules
def test_mismatched_weights_are_refused():
    x, w, b = _depthwise_inputs((2, 3, 5, 5), (3, 3))
    expect_value_error("depthwise_conv2d_forward", (x, w[:2], b[:2]), {},
                       "x with 3 channels and w of shape (2, 1, 3, 3)",
                       "w must be (C, 1, KH, KW): one filter per channel. Name C and w's "
                       "filter count.", numbers=(3, 2))
    x, w, b = _depthwise_inputs((2, 3, 5, 5), (3, 3))
    w2 = np.concatenate([w, w], axis=1)  # (3, 2, 3, 3): the right count, two inputs per filter
    expect_value_error("depthwise_conv2d_forward", (x, w2, b), {},
                       "x with 3 channels and w of shape (3, 2, 3, 3)",
                       "w must be (C, 1, KH, KW): each filter reads one channel, so its second "
                       "axis is 1. Name C and w's shape.", numbers=(3, 2))
    x, w, b = _pointwise_inputs((2, 3, 4, 4), 2)
    expect_value_error("pointwise_conv2d_forward", (x[:, :2], w, b), {},
                       "x with 2 channels and w of shape (2, 3, 1, 1)",
                       "w must be (F, C, 1, 1) with C the channels of x. Name both "
                       "channel counts.", numbers=(2, 3))


@pytest.mark.rules
def test_depthwise_kernel_that_does_not_fit_is_refused():
    """A 2x2 kernel with dilation 5 spans 6 pixels: on a 5x5 input Hout = Wout = 0, an empty
    output that NumPy builds without complaint."""
    x, w, b = _depthwise_inputs((2, 3, 5, 5), (2, 2))
    expect_value_error("depthwise_conv2d_forward", (x, w, b), {"dilation": 5},
                       "a 2x2 kernel with dilation 5 (span 6) on a 5x5 input",
                       "the dilated kernel does not fit the padded input: Hout = (5 + 0 - 6) "
                       "// 1 + 1 = 0, no output at all. Check it before building anything, and "
                       "name the span and the input size.", numbers=(6, 5))


def _depthwise_call(direction, x_shape):
    """The call to count: one depthwise forward, or one backward after an untraced forward."""
    x, w, b = _depthwise_inputs(x_shape, (3, 3))
    if direction == "forward":
        return lambda: modern.forward("depthwise_conv2d_forward", x, w, b, padding=1)
    out, cache = modern.forward("depthwise_conv2d_forward", x, w, b, padding=1)
    dout = np.ones_like(out)
    return lambda: modern.backward("depthwise_conv2d_backward", dout, cache, grads=GRADS)


@pytest.mark.rules
@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_depthwise_has_no_python_loop_over_channels_or_positions(direction):
    """Only the KH*KW kernel taps may be looped over: the work per tap is one array operation."""
    expect_no_loop_over(
        f"depthwise_conv2d_{direction}", lambda shape: _depthwise_call(direction, shape),
        (2, 2, 4, 4),
        [((2, 24, 4, 4), "the channels grew from 2 to 24", "channels"),
         ((2, 2, 12, 12), "the output positions grew from 16 to 144", "output positions")],
        "Loop over the KH*KW kernel taps only, and let one broadcast array operation per tap "
        "cover every sample, channel and position (see HINTS.md).")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("depthwise"))
def test_depthwise_matches_pytorch(case):
    c = require_case(case)
    settings = {k: c[k] for k in ("stride", "padding", "dilation")}
    label = f"({settings_label(**settings)})"
    out, cache = modern.forward("depthwise_conv2d_forward", c["x"], c["w"], c["b"], **settings)
    expect_close(out, c["out"], f"depthwise_conv2d_forward{label}: out",
                 reference="PyTorch's conv2d with groups=C")
    grads = modern.backward("depthwise_conv2d_backward", c["dout"], cache, grads=GRADS)
    for name, grad in zip(GRADS, grads):
        expect_close(grad, c[name], f"depthwise_conv2d_backward{label}: {name}",
                     reference="PyTorch's autograd")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("pointwise"))
def test_pointwise_matches_pytorch(case):
    c = require_case(case)
    out, cache = modern.forward("pointwise_conv2d_forward", c["x"], c["w"], c["b"])
    expect_close(out, c["out"], "pointwise_conv2d_forward: out",
                 reference="PyTorch's conv2d with a 1x1 kernel")
    grads = modern.backward("pointwise_conv2d_backward", c["dout"], cache, grads=GRADS)
    for name, grad in zip(GRADS, grads):
        expect_close(grad, c[name], f"pointwise_conv2d_backward: {name}",
                     reference="PyTorch's autograd")


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, kernel, stride, padding, dilation", DEPTHWISE_GRADIENT_CASES,
                         ids=_depthwise_ids(DEPTHWISE_GRADIENT_CASES))
@pytest.mark.parametrize("wrt", ["x", "w", "b"])
def test_depthwise_gradient(x_shape, kernel, stride, padding, dilation, wrt):
    inputs = dict(zip("xwb", _depthwise_inputs(x_shape, kernel, seed=1)))
    gradient_check("depthwise_conv2d_forward", "depthwise_conv2d_backward", inputs, wrt,
                   dict(stride=stride, padding=padding, dilation=dilation))


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, filters", POINTWISE_GRADIENT_CASES,
                         ids=[case_id(x=x, f=f) for x, f in POINTWISE_GRADIENT_CASES])
@pytest.mark.parametrize("wrt", ["x", "w", "b"])
def test_pointwise_gradient(x_shape, filters, wrt):
    inputs = dict(zip("xwb", _pointwise_inputs(x_shape, filters, seed=1)))
    gradient_check("pointwise_conv2d_forward", "pointwise_conv2d_backward", inputs, wrt, {})
