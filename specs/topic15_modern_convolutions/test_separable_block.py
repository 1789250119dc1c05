"""Specs for Topic 15: separable_block_forward / separable_block_backward.

The block is depthwise conv -> ReLU -> pointwise conv, with params
{"depthwise_w": (C, 1, KH, KW), "depthwise_b": (C,), "pointwise_w": (F, C, 1, 1),
 "pointwise_b": (F,)}; the backward returns (dx, grads) with grads keyed like params.
"""

import numpy as np
import pytest

from specs.harness import expect_close, expect_shape, fail, numerical_gradient
from specs.harness.cases import case_id, require_case
from specs.harness.checks import expect_close_to_finite_differences
from specs.harness.ownership import expect_owned_gradients
from specs.harness.params_rule import ParamsWatch
from specs.topic15_modern_convolutions.common import (
    arrays,
    expect_dtypes,
    fixture_cases,
    modern,
    out_hw,
    settings_label,
)

PARAMS = ("depthwise_w", "depthwise_b", "pointwise_w", "pointwise_b")

# (N, C, H, W), F, (KH, KW), stride, padding, dilation
SHAPE_GRID = [
    ((2, 3, 6, 6), 5, (3, 3), 1, 1, 1),
    ((1, 4, 9, 7), 2, (3, 3), 2, 1, 1),
    ((2, 2, 8, 10), 3, (3, 2), (1, 2), (2, 0), (2, 1)),
]
GRADIENT_CASES = [
    ((2, 3, 5, 5), 2, (3, 3), 1, 1, 1),
    ((1, 2, 7, 6), 3, (3, 2), 2, (1, 2), (2, 1)),
]


def _ids(cases):
    return [case_id(x=x, f=f, k=k, s=s, p=p, d=d) for x, f, k, s, p, d in cases]


def _inputs(x_shape, filters, kernel, dtype=np.float64, seed=0):
    C = x_shape[1]
    x, *values = arrays(seed, x_shape, (C, 1, *kernel), (C,), (filters, C, 1, 1), (filters,),
                        dtype=dtype)
    return x, dict(zip(PARAMS, values))


def _backward(dout, cache, params):
    """Call the backward and check it returns (dx, grads) with a gradient per parameter."""
    result = modern.call("separable_block_backward", dout, cache)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict)):
        fail("separable_block_backward should return (dx, grads) with grads a dict keyed like "
             "params.")
    dx, grads = result
    missing = [name for name in params if name not in grads]
    if not isinstance(dx, np.ndarray) or missing:
        fail(f"separable_block_backward: dx should be an array and grads should have the keys "
             f"{', '.join(params)}; missing: {', '.join(missing) or 'none'}.")
    expect_owned_gradients("separable_block_backward",
                           {"dx": dx, **{f"grads[{k!r}]": v for k, v in grads.items()}}, (dout,))
    return dx, grads


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, filters, kernel, stride, padding, dilation", SHAPE_GRID,
                         ids=_ids(SHAPE_GRID))
def test_shapes(x_shape, filters, kernel, stride, padding, dilation):
    x, params = _inputs(x_shape, filters, kernel)
    settings = dict(stride=stride, padding=padding, dilation=dilation)
    out, cache = modern.forward("separable_block_forward", x, params, **settings)
    N, _, H, W = x_shape
    expect_shape(out, (N, filters, *out_hw((H, W), kernel, stride, padding, dilation)),
                 f"separable_block_forward({settings_label(**settings)}): out",
                 "The depthwise conv sets Hout and Wout, the pointwise conv the channels (F).")
    dx, grads = _backward(np.ones_like(out), cache, params)
    expect_shape(dx, x.shape, "separable_block_backward: dx")
    for name, value in params.items():
        expect_shape(grads[name], value.shape, f"separable_block_backward: grads[{name!r}]")


@pytest.mark.rules
def test_float32_stays_float32_and_params_unchanged():
    x, params = _inputs((2, 3, 6, 5), 4, (3, 3), dtype=np.float32)
    watch = ParamsWatch(params)  # the same arrays, dtypes and values after the calls
    out, cache = modern.forward("separable_block_forward", x, params, padding=1)
    expect_dtypes([out], ["out"], np.float32, "separable_block_forward")
    dx, grads = _backward(np.ones_like(out), cache, params)
    expect_dtypes([dx, *(grads[name] for name in PARAMS)], ["dx", *PARAMS], np.float32,
                  "separable_block_backward")
    watch.expect_untouched(params, "separable_block_forward/backward")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("block"))
def test_matches_pytorch(case):
    c = require_case(case)
    settings = {k: c[k] for k in ("stride", "padding", "dilation")}
    label = f"({settings_label(**settings)})"
    params = {name: c[name] for name in PARAMS}
    out, cache = modern.forward("separable_block_forward", c["x"], params, **settings)
    expect_close(out, c["out"], f"separable_block_forward{label}: out",
                 reference="PyTorch (conv2d groups=C, relu, conv2d 1x1)")
    dx, grads = _backward(c["dout"], cache, params)
    expect_close(dx, c["dx"], f"separable_block_backward{label}: dx",
                 reference="PyTorch's autograd")
    for name in PARAMS:
        expect_close(grads[name], c[f"grad_{name}"],
                     f"separable_block_backward{label}: grads[{name!r}]",
                     reference="PyTorch's autograd")


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, filters, kernel, stride, padding, dilation", GRADIENT_CASES,
                         ids=_ids(GRADIENT_CASES))
@pytest.mark.parametrize("wrt", ["x", *PARAMS])
def test_gradient_matches_finite_differences(x_shape, filters, kernel, stride, padding,
                                             dilation, wrt):
    x, params = _inputs(x_shape, filters, kernel, seed=1)
    settings = dict(stride=stride, padding=padding, dilation=dilation)
    out, cache = modern.forward("separable_block_forward", x, params, **settings)
    dout = np.random.default_rng(7).standard_normal(out.shape)
    dx, grads = _backward(dout, cache, params)
    analytic = dx if wrt == "x" else grads[wrt]

    def forward_of(value):
        if wrt == "x":
            return modern.forward("separable_block_forward", value, params, **settings)[0]
        return modern.forward("separable_block_forward", x, {**params, wrt: value},
                              **settings)[0]

    numeric = numerical_gradient(forward_of, x if wrt == "x" else params[wrt], dout)
    what = "dx" if wrt == "x" else f"grads[{wrt!r}]"
    expect_close_to_finite_differences(
        analytic, numeric, f"separable_block_backward({settings_label(**settings)}): {what}")
