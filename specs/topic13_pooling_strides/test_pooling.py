"""Specs for Topic 13: max, average and global average pooling, forward and backward.

Kinds (run one with -m): shape (a grid of windows, strides, paddings, dtypes), fixture (values
against PyTorch, ties included), gradient (backward against centred finite differences of your
own forward). The unmarked specs pin the rules a grid can miss, on inputs small enough to check
by hand: ties, -inf padding for max, zero padding counted in the average's divisor.

Unlike many pooling tests (2x2 windows, stride 2, nothing else), these use overlapping windows,
strides different from the kernel, padding and non-square (h, w) pairs throughout.
"""

import numpy as np
import pytest

from specs.harness import Kata, expect_close, expect_dtype, expect_shape, fail, numerical_gradient
from specs.harness.cases import (
    case_id,
    conv_output_size,
    fixture_params,
    output_size_formula,
    pair,
    random_array,
    require_case,
)
from specs.harness.checks import expect_close_to_finite_differences
from specs.harness.loops import expect_no_loop_over

TOPIC = "topic13_pooling_strides"
pool = Kata(TOPIC, "pooling")
WINDOWED = ["maxpool2d", "avgpool2d"]

# (N, C, H, W), kernel_size, stride (None: the kernel size), padding
SHAPE_GRID = [
    ((2, 3, 4, 4), 2, None, 0),                # the classic 2x2 window, default stride
    ((2, 3, 5, 5), 2, None, 0),                # default stride, the last row/column is left over
    ((1, 3, 8, 8), 2, 1, 0),                   # batch 1; stride 1 is not the kernel: overlapping
    ((2, 2, 7, 7), 3, 2, 0),                   # overlapping windows
    ((2, 2, 5, 6), 3, 1, 1),                   # overlapping and padded
    ((2, 2, 9, 8), 2, 3, 1),                   # stride larger than the kernel: gaps
    ((2, 2, 7, 9), (3, 2), (2, 1), (1, 0)),    # (h, w) pairs everywhere
    ((1, 2, 8, 6), (2, 4), (1, 3), (0, 2)),
    ((2, 1, 6, 10), (2, 3), None, (1, 1)),     # default stride taken from a non-square kernel
    ((3, 2, 5, 5), 5, 1, 2),                   # kernel as large as the input, padding half of it
    ((2, 2, 4, 4), 1, 2, 0),                   # a 1x1 window: plain subsampling
]
GRADIENT_CASES = [
    ((2, 2, 6, 6), 2, None, 0),                # default stride
    ((2, 2, 5, 6), 3, 1, 1),                   # overlapping and padded
    ((1, 2, 7, 6), (3, 2), (2, 1), (1, 1)),    # (h, w) pairs, overlapping along H
    ((2, 1, 8, 7), 2, 3, 1),                   # gaps between windows
]


def _ids(cases):
    return [case_id(x=x, k=k, s=s, p=p) for x, k, s, p in cases]


def _expected_out_shape(x_shape, kernel_size, stride, padding):
    (kh, kw), (ph, pw) = pair(kernel_size), pair(padding)
    sh, sw = (kh, kw) if stride is None else pair(stride)
    N, C, H, W = x_shape
    why = output_size_formula(H, W, (kh, kw), (sh, sw), (ph, pw))
    if stride is None:
        why = f"stride=None means a stride equal to the kernel size, {(kh, kw)}. {why}"
    return (N, C, conv_output_size(H, kh, sh, ph), conv_output_size(W, kw, sw, pw)), why


def _well_separated(shape, seed=0):
    """Distinct values at least 0.1 apart, positive and negative: no near-ties, so the max of
    each window stays the max under a finite-difference nudge."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape))
    return (rng.permutation(size) - size / 2).reshape(shape) * 0.1


def _signature(kernel_size, stride, padding):
    return f"kernel_size={kernel_size}, stride={stride}, padding={padding}"


# ---------------------------------------------------------------------------------- shapes --


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, kernel_size, stride, padding", SHAPE_GRID, ids=_ids(SHAPE_GRID))
@pytest.mark.parametrize("op", WINDOWED)
def test_output_shape(op, x_shape, kernel_size, stride, padding):
    x = random_array(np.random.default_rng(0), x_shape)
    kwargs = {} if stride is None else {"stride": stride}  # stride=None must be the default
    out, _ = pool.forward(f"{op}_forward", x, kernel_size, padding=padding, **kwargs)
    expected, why = _expected_out_shape(x_shape, kernel_size, stride, padding)
    expect_shape(out, expected,
                 f"{op}_forward({_signature(kernel_size, stride, padding)}): out", why)


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, kernel_size, stride, padding", SHAPE_GRID[::2],
                         ids=_ids(SHAPE_GRID[::2]))
@pytest.mark.parametrize("op", WINDOWED)
def test_gradient_shape(op, x_shape, kernel_size, stride, padding):
    x = random_array(np.random.default_rng(0), x_shape)
    out, cache = pool.forward(f"{op}_forward", x, kernel_size, stride, padding)
    (dx,) = pool.backward(f"{op}_backward", np.ones_like(out), cache, grads=("dx",))
    expect_shape(dx, x.shape, f"{op}_backward({_signature(kernel_size, stride, padding)}): dx",
                 "A gradient has the shape of what it is the gradient of (x).")


@pytest.mark.shape
@pytest.mark.parametrize("x_shape", [(2, 3, 4, 4), (1, 2, 5, 7), (3, 4, 1, 1)],
                         ids=lambda s: case_id(x=s))
def test_global_avgpool_shapes(x_shape):
    x = random_array(np.random.default_rng(0), x_shape)
    out, cache = pool.forward("global_avgpool_forward", x)
    expect_shape(out, x_shape[:2], "global_avgpool_forward: out",
                 "One mean per sample and channel: (N, C), no trailing 1x1 axes.")
    (dx,) = pool.backward("global_avgpool_backward", np.ones_like(out), cache, grads=("dx",))
    expect_shape(dx, x_shape, "global_avgpool_backward: dx",
                 "A gradient has the shape of what it is the gradient of (x).")


@pytest.mark.rules
@pytest.mark.parametrize("op", WINDOWED)
def test_float32_stays_float32(op):
    x = random_array(np.random.default_rng(0), (2, 3, 7, 6), np.float32)
    out, cache = pool.forward(f"{op}_forward", x, 3, 2, 1)
    expect_dtype(out, np.float32, f"{op}_forward: out")
    (dx,) = pool.backward(f"{op}_backward", np.ones_like(out), cache, grads=("dx",))
    expect_dtype(dx, np.float32, f"{op}_backward: dx")


@pytest.mark.rules
def test_global_avgpool_float32_stays_float32():
    x = random_array(np.random.default_rng(0), (2, 3, 5, 4), np.float32)
    out, cache = pool.forward("global_avgpool_forward", x)
    expect_dtype(out, np.float32, "global_avgpool_forward: out")
    (dx,) = pool.backward("global_avgpool_backward", np.ones_like(out), cache, grads=("dx",))
    expect_dtype(dx, np.float32, "global_avgpool_backward: dx")


# --------------------------------------------------------------------- rules, by hand --

# x, kernel_size, stride, padding, dout, expected out, expected dx: one (1, 1, H, W) plane each.
TIE_CASES = {
    "k2-default-stride": (
        [[1, 1, 0, 2],
         [1, 0, 2, 2]], 2, None, 0,
        [[10, 20]],
        [[1, 2]],
        [[10, 0, 0, 20],      # window 1: maxima at (0,0), (0,1), (1,0): the first is (0,0)
         [0, 0, 0, 0]]),      # window 2: maxima at (0,3), (1,2), (1,3): the first is (0,3)
    "k2-s1-overlapping": (
        [[5, 5, 5],
         [5, 5, 5],
         [5, 5, 5]], 2, 1, 0,
        [[1, 2],
         [3, 4]],
        [[5, 5],
         [5, 5]],
        [[1, 2, 0],           # each window's first maximum is its own top-left element
         [3, 4, 0],
         [0, 0, 0]]),
    "k3-s1-overlapping-shared": (
        [[0, 3, 3, 0],
         [3, 3, 0, 0],
         [0, 0, 0, 3]], 3, 1, 0,
        [[1, 10]],
        [[3, 3]],
        [[0, 11, 0, 0],       # (0,1) is the first maximum of both windows: it gets 1 + 10
         [0, 0, 0, 0],
         [0, 0, 0, 0]]),
    "k3-s2-p1-negative": (
        [[-1, -1, -1],
         [-1, -1, -1],
         [-1, -1, -1]], 3, 2, 1,
        [[1, 2],
         [3, 4]],
        [[-1, -1],            # padding is -inf: it never wins, not even over -1
         [-1, -1]],
        [[1, 2, 0],           # the first real element of each window: padding is no maximum
         [3, 4, 0],
         [0, 0, 0]]),
}


# The loop rule: grow the output from 3x3 to 15x15 positions (3x3 windows, stride 2, padding
# 1); a loop over the window's 9 offsets runs the same lines at both sizes.
WHY_NO_POSITION_LOOP = (
    "Why it matters: Topic 17 trains with your pooling on batches of 512x64x32x32: with a loop "
    "over the window's offsets a call takes a fraction of a second, with a loop over output "
    "positions minutes (see the brief's \"Vectorizing\" section; on Topic 12's bench a loop "
    "over positions took 202 ms where the vectorized reference took 45 ms). Loop over the KH*KW "
    "offsets (p, q): each is one strided slice covering every window at once.")


def _loop_call(function, size):
    """The call to count for `function` on (2, 2, H, H) with H giving a size x size output."""
    h = 2 * size - 1            # 3x3 windows, stride 2, padding 1: Hout = (h + 2 - 3) // 2 + 1
    x = _well_separated((2, 2, h, h), seed=size)
    op = function.split("_")[0]
    if function.endswith("forward"):
        return lambda: pool.forward(function, x, 3, 2, 1)
    out, cache = pool.forward(f"{op}_forward", x, 3, 2, 1)
    dout = random_array(np.random.default_rng(size), out.shape)
    return lambda: pool.backward(function, dout, cache, grads=("dx",))


@pytest.mark.rules
@pytest.mark.parametrize("function", [f"{op}_{way}" for op in WINDOWED
                                      for way in ("forward", "backward")])
def test_no_python_loop_over_output_positions(function):
    expect_no_loop_over(function, lambda size: _loop_call(function, size), 3,
                        [(15, "the output grew from 3x3 to 15x15 positions",
                          "output positions (or rows of them)")], WHY_NO_POSITION_LOOP)


def _plane(rows):
    return np.array(rows, dtype=np.float64)[None, None]


@pytest.mark.parametrize("name", TIE_CASES)
def test_maxpool_ties_go_to_the_first_maximum(name):
    x, kernel_size, stride, padding, dout, out_expected, dx_expected = (
        _plane(v) if isinstance(v, list) else v for v in TIE_CASES[name])
    call = f"maxpool2d_forward({_signature(kernel_size, stride, padding)})"
    out, cache = pool.forward("maxpool2d_forward", x, kernel_size, stride, padding)
    expect_close(out, out_expected, f"{call} on x = {x[0, 0].tolist()}: out",
                 reference="the maxima by hand")
    (dx,) = pool.backward("maxpool2d_backward", dout, cache, grads=("dx",))
    if not np.isclose(dx.sum(), dout.sum()):
        fail(f"maxpool2d_backward after {call} on x = {x[0, 0].tolist()}: dx sums to "
             f"{dx.sum():g} but dout sums to {dout.sum():g}. " + _lost_or_duplicated(dx, dout))
    expect_close(dx, dx_expected,
                 f"maxpool2d_backward after {call} on x = {x[0, 0].tolist()}, "
                 f"dout = {dout[0, 0].tolist()}: dx",
                 reference="the tie rule (each window's dout goes to its FIRST maximum, "
                           "scanning the window's rows top to bottom, each left to right; "
                           "overlapping windows add up)")


def _lost_or_duplicated(dx, dout) -> str:
    """Why dx does not sum to dout's sum: gradient lost (assigned where windows overlap) or
    sent more than once (to every tied maximum)."""
    if dx.sum() < dout.sum():
        return ("Gradient was lost: where windows overlap, two windows can send their dout to "
                "the same element, and the second must be ADDED to the first (dx[...] += ...), "
                "not assigned over it.")
    return ("Gradient was sent more than once: each window sends its dout to exactly ONE "
            "element; on a tie, to the first maximum in row-major window order (a mask "
            "`window == window.max()` sends it to every tied maximum).")


def test_maxpool_padding_never_wins():
    x = -np.abs(random_array(np.random.default_rng(3), (2, 2, 5, 6))) - 0.5
    out, _ = pool.forward("maxpool2d_forward", x, 3, 1, 1)
    if (out >= 0).any():
        fail(f"maxpool2d_forward(kernel_size=3, stride=1, padding=1) on an all-negative x "
             f"returned {int((out >= 0).sum())} values >= 0: the padding won the max. Max "
             f"pooling pads with -inf (np.pad(..., constant_values=-np.inf)), not with zeros.")


def test_avgpool_padding_counts_in_the_divisor():
    x = np.ones((1, 1, 3, 3))
    out, _ = pool.forward("avgpool2d_forward", x, 3, 1, 1)
    expected = _plane([[4, 6, 4], [6, 9, 6], [4, 6, 4]]) / 9
    expect_close(out, expected, "avgpool2d_forward(kernel_size=3, stride=1, padding=1) on ones",
                 reference="the expected averages, (real elements in the window) / 9, e.g. 4/9 "
                           "at a corner: the zero padding counts in the divisor KH*KW, as in "
                           "PyTorch's default")


# ---------------------------------------------------------------------- against PyTorch --

FIXTURE_OPS = {"max": "maxpool2d", "avg": "avgpool2d", "global": "global_avgpool"}


def _forward_of(case):
    """(function name, positional arguments after x, readable call) for a fixture case."""
    op = FIXTURE_OPS[case["__name__"].split("_", 1)[0]]
    if op == "global_avgpool":
        return op, (), f"{op}_forward"
    params = (case["kernel_size"], case["stride"], case["padding"])
    return op, params, f"{op}_forward({_signature(*params)})"


def _fixture_cases():
    """fixture_params, each case also given its name (whose prefix says which pooling it is)."""
    return [pytest.param({**param.values[0], "__name__": param.id}, id=param.id)
            for param in fixture_params(TOPIC)]


@pytest.mark.fixture
@pytest.mark.parametrize("case", _fixture_cases())
def test_forward_matches_pytorch(case):
    c = require_case(case)
    op, params, call = _forward_of(c)
    out, _ = pool.forward(f"{op}_forward", c["x"], *params)
    expect_close(out, c["out"], f"{call}: out", reference="PyTorch")


@pytest.mark.fixture
@pytest.mark.parametrize("case", _fixture_cases())
def test_backward_matches_pytorch(case):
    c = require_case(case)
    op, params, call = _forward_of(c)
    _, cache = pool.forward(f"{op}_forward", c["x"], *params)
    (dx,) = pool.backward(f"{op}_backward", c["dout"], cache, grads=("dx",))
    expect_close(dx, c["dx"], f"{op}_backward after {call}: dx", reference="PyTorch's autograd")


# ---------------------------------------------------------------- finite differences --


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, kernel_size, stride, padding", GRADIENT_CASES,
                         ids=_ids(GRADIENT_CASES))
@pytest.mark.parametrize("op", WINDOWED)
def test_gradient_matches_finite_differences(op, x_shape, kernel_size, stride, padding):
    x = _well_separated(x_shape, seed=1)
    out, cache = pool.forward(f"{op}_forward", x, kernel_size, stride, padding)
    dout = np.random.default_rng(2).standard_normal(out.shape)
    (analytic,) = pool.backward(f"{op}_backward", dout, cache, grads=("dx",))

    def forward_of(value):
        return pool.forward(f"{op}_forward", value, kernel_size, stride, padding)[0]

    numeric = numerical_gradient(forward_of, x, dout)
    expect_close_to_finite_differences(
        analytic, numeric, f"{op}_backward({_signature(kernel_size, stride, padding)}): dx")


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape", [(2, 3, 4, 5), (1, 2, 3, 1)], ids=lambda s: case_id(x=s))
def test_global_avgpool_gradient_matches_finite_differences(x_shape):
    x = random_array(np.random.default_rng(1), x_shape)
    out, cache = pool.forward("global_avgpool_forward", x)
    dout = np.random.default_rng(2).standard_normal(out.shape)
    (analytic,) = pool.backward("global_avgpool_backward", dout, cache, grads=("dx",))
    numeric = numerical_gradient(lambda v: pool.forward("global_avgpool_forward", v)[0], x, dout)
    expect_close_to_finite_differences(analytic, numeric, "global_avgpool_backward: dx")
