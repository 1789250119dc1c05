"""Specs for Topic 12: im2col, col2im, conv2d_forward, conv2d_backward and
conv2d_backward_weights.

Kinds (run one with -m): shape (sizes, strides, paddings, dilations, dtypes), fixture (values
against PyTorch's unfold, fold, conv2d and autograd), gradient (col2im is im2col's adjoint;
conv2d_backward against centred finite differences of your own forward).
"""

import numpy as np
import pytest

from specs.harness import (
    Kata,
    expect_close,
    expect_dtype,
    expect_shape,
    fail,
    numerical_gradient,
    records,
)
from specs.harness.cases import (
    case_id,
    conv_output_size,
    fixture_params,
    output_size_formula,
    pair,
    random_array,
    require_case,
)
from specs.harness.checks import (
    expect_backward_matches_finite_differences,
    expect_close_to_finite_differences,
    expect_conv_output_shape,
    expect_strided_dx_gaps,
)
from specs.harness.loops import expect_no_loop_over
from specs.harness.refusals import expect_refusal

TOPIC = "topic12_im2col_vectorization"
kata = Kata(TOPIC, "im2col")
LAYOUT = ("rows: one per output position, ordered (n, i, j) row-major; "
          "columns: ordered (c, p, q), i.e. channel first, then kernel row, then kernel column")

# (N, C, H, W), kernel_size, stride, padding, dilation
WINDOW_GRID = [
    ((2, 3, 5, 5), 3, 1, 0, 1),
    ((2, 3, 5, 5), 3, 1, 1, 1),
    ((2, 2, 7, 7), 3, 2, 1, 1),
    ((1, 3, 8, 8), 3, 3, 2, 1),              # batch 1; (8 + 4 - 3) not divisible by 3
    ((2, 1, 6, 9), (2, 4), 1, 0, 1),         # one channel, non-square input and kernel
    ((2, 2, 7, 5), (3, 2), (2, 1), (1, 0), 1),
    ((2, 2, 9, 8), 3, 1, 1, 2),              # dilation
    ((1, 3, 9, 10), (2, 3), (1, 2), (2, 1), (3, 2)),
    ((2, 4, 3, 5), 1, 1, 0, 1),              # 1x1 kernel: the columns are the channels
    ((2, 2, 4, 4), 6, 1, 1, 1),              # kernel as large as the padded input
]
# (N, C, H, W), (F, KH, KW), stride, padding
CONV_GRID = [
    ((2, 3, 5, 5), (4, 3, 3), 1, 1),
    ((2, 3, 7, 7), (2, 3, 3), 2, 1),
    ((1, 3, 8, 8), (2, 3, 3), 3, 2),
    ((2, 1, 6, 9), (1, 2, 4), 1, 0),
    ((2, 2, 7, 5), (3, 3, 2), (2, 1), (1, 0)),
    ((3, 2, 9, 4), (2, 5, 1), (3, 2), (0, 2)),
    ((2, 3, 4, 4), (2, 6, 6), 1, 1),
    ((2, 2, 4, 5), (3, 2, 2), 1, 3),         # padding wider than the kernel
]
CONV_GRADIENT_CASES = [
    ((2, 3, 5, 5), (2, 3, 3), 1, 1),         # overlapping windows
    ((2, 2, 7, 6), (3, 3, 2), (2, 1), (1, 0)),
    ((1, 2, 6, 6), (2, 3, 3), 2, 2),
    ((2, 1, 5, 4), (1, 2, 3), 3, (0, 1)),    # stride larger than the kernel: gaps
]


def _geometry(stride, padding, dilation):
    return {"stride": stride, "padding": padding, "dilation": dilation}


def _window_ids(cases):
    return [case_id(x=x, k=k, s=s, p=p, d=d) for x, k, s, p, d in cases]


def _conv_ids(cases):
    return [case_id(x=x, k=k, s=s, p=p) for x, k, s, p in cases]


def _expected_cols_shape(x_shape, kernel_size, stride, padding, dilation):
    N, C, H, W = x_shape
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel_size, stride, padding, dilation))
    Hout, Wout = conv_output_size(H, KH, sh, ph, dh), conv_output_size(W, KW, sw, pw, dw)
    return (N * Hout * Wout, C * KH * KW)


def _conv_inputs(x_shape, w_shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    F, KH, KW = w_shape
    return (random_array(rng, x_shape, dtype), random_array(rng, (F, x_shape[1], KH, KW), dtype),
            random_array(rng, (F,), dtype))


# ------------------------------------------------------------------------------------ shape


def _described(geometry: dict) -> str:
    """'stride=1, padding=0, dilation=1' for messages."""
    return ", ".join(f"{name}={value}" for name, value in geometry.items())

@pytest.mark.shape
@pytest.mark.parametrize("x_shape, kernel, stride, padding, dilation", WINDOW_GRID,
                         ids=_window_ids(WINDOW_GRID))
def test_im2col_shape(x_shape, kernel, stride, padding, dilation):
    x = random_array(np.random.default_rng(0), x_shape)
    cols = kata.call("im2col", x, kernel, **_geometry(stride, padding, dilation))
    expected = _expected_cols_shape(x_shape, kernel, stride, padding, dilation)
    N, C, H, W = x_shape
    expect_shape(cols, expected, f"im2col(kernel_size={kernel}, stride={stride}, "
                 f"padding={padding}, dilation={dilation})",
                 f"(N*Hout*Wout, C*KH*KW) = {expected}. "
                 + output_size_formula(H, W, kernel, stride, padding, dilation))


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, kernel, stride, padding, dilation", WINDOW_GRID[::2],
                         ids=_window_ids(WINDOW_GRID[::2]))
def test_col2im_shape(x_shape, kernel, stride, padding, dilation):
    cols_shape = _expected_cols_shape(x_shape, kernel, stride, padding, dilation)
    y = random_array(np.random.default_rng(0), cols_shape)
    back = kata.call("col2im", y, x_shape, kernel, **_geometry(stride, padding, dilation))
    expect_shape(back, x_shape, "col2im", "col2im returns an image shaped like x_shape.")


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_GRID, ids=_conv_ids(CONV_GRID))
def test_conv_shapes(x_shape, w_shape, stride, padding):
    x, w, b = _conv_inputs(x_shape, w_shape)
    out, cache = kata.forward("conv2d_forward", x, w, b, stride=stride, padding=padding)
    expect_conv_output_shape(out, x_shape, w_shape, stride, padding,
                             f"conv2d_forward(stride={stride}, padding={padding}): out")
    grads = kata.backward("conv2d_backward", np.ones_like(out), cache, grads=("dx", "dw", "db"))
    for name, grad, like in zip(("dx", "dw", "db"), grads, (x, w, b)):
        expect_shape(grad, like.shape, f"conv2d_backward: {name}",
                     f"A gradient has the shape of what it is the gradient of ({name[1:]}).")


@pytest.mark.rules
def test_float32_stays_float32():
    x, w, b = _conv_inputs((2, 3, 6, 5), (2, 3, 3), dtype=np.float32)
    cols = kata.call("im2col", x, 3, stride=1, padding=1, dilation=1)
    expect_dtype(cols, np.float32, "im2col")
    back = kata.call("col2im", cols, x.shape, 3, stride=1, padding=1, dilation=1)
    expect_dtype(back, np.float32, "col2im")
    for stride in (1, 2):
        out, cache = kata.forward("conv2d_forward", x, w, b, stride=stride, padding=1)
        expect_dtype(out, np.float32, f"conv2d_forward(stride={stride})")
        grads = kata.backward("conv2d_backward", np.ones_like(out), cache,
                              grads=("dx", "dw", "db"))
        for name, grad in zip(("dx", "dw", "db"), grads):
            expect_dtype(grad, np.float32, f"conv2d_backward(stride={stride}): {name}")
        grads = kata.backward("conv2d_backward_weights", np.ones_like(out), cache,
                              grads=("dw", "db"))
        for name, grad in zip(("dw", "db"), grads):
            expect_dtype(grad, np.float32, f"conv2d_backward_weights(stride={stride}): {name}")


@pytest.mark.rules
def test_results_are_fresh_arrays():
    """A result must not share memory with a buffer that a later call overwrites."""
    x1, w, b = _conv_inputs((2, 3, 6, 6), (4, 3, 3), seed=3)
    x2 = random_array(np.random.default_rng(4), x1.shape)
    out1, cache1 = kata.forward("conv2d_forward", x1, w, b, stride=1, padding=1)
    grads1 = kata.backward("conv2d_backward", np.ones_like(out1), cache1, grads=("dx", "dw", "db"))
    kept = [a.copy() for a in (out1, *grads1)]
    # the same cache again, before any other forward: a backward must leave its cache as it was
    repeat = kata.backward("conv2d_backward", np.ones_like(out1), cache1, grads=("dx", "dw", "db"))
    for name, now, then in zip(("dx", "dw", "db"), repeat, kept[1:]):
        if not np.allclose(now, then, rtol=1e-12, atol=1e-12):
            fail(f"conv2d_backward: called twice on the same cache, with no forward call between, "
                 f"it gave a different `{name}` the second time. Your backward changes its own "
                 f"cache (for example by writing dcols into the cached cols, or by `+=` on an "
                 f"array the cache holds): leave what the cache holds as the forward left it, "
                 f"and write results into new arrays.")
    out2, cache2 = kata.forward("conv2d_forward", x2, w, b, stride=1, padding=1)
    kata.backward("conv2d_backward", 2 * np.ones_like(out2), cache2, grads=("dx", "dw", "db"))
    for name, now, then in zip(("out", "dx", "dw", "db"), (out1, *grads1), kept):
        if not np.array_equal(now, then):
            fail(f"conv2d: the `{name}` returned by one call changed during the next call. Return "
                 f"a fresh array (np.empty/np.zeros inside the call, or .copy()), never a buffer "
                 f"you reuse between calls.")
    # the first cache must still be good after a second forward pass
    again = kata.backward("conv2d_backward", np.ones_like(out1), cache1, grads=("dx", "dw", "db"))
    for name, now, then in zip(("dx", "dw", "db"), again, kept[1:]):
        if not np.allclose(now, then, rtol=1e-12, atol=1e-12):
            fail(f"conv2d_backward: `{name}` from a cache changed after another forward call. "
                 f"The cache must own what it keeps (a buffer reused by the next forward call "
                 f"gets overwritten).")


# The loop rule: grow the output from 3x3 to 15x15 positions (2 samples, 2 channels, a 3x3
# kernel, padding 1); a loop over the 9 kernel offsets runs the same lines at both sizes.
LOOP_SMALL, LOOP_GROWN = 3, 15
WHY_NO_POSITION_LOOP = (
    "Why it matters: a Python step per window costs interpreter time before any arithmetic, and "
    "there are N*Hout*Wout windows (32,768 on the brief's 32x32 bench layer of 32 images); on "
    "that bench Topic 11's loops over positions take 202 ms where the im2col reference takes 45 "
    "ms (PyTorch 30 ms). Loop over the KH*KW kernel offsets instead: for each offset one strided "
    "slice covers every sample, channel and position (see the brief's paragraph on col2im).")


def _loop_call(function, size):
    """The call to count for `function` on a (2, 2, size, size) input, 3x3 kernel, padding 1."""
    x, w, b = _conv_inputs((2, 2, size, size), (3, 3, 3), seed=size)
    if function == "im2col":
        return lambda: kata.call("im2col", x, 3, padding=1)
    if function == "col2im":
        cols = random_array(np.random.default_rng(size), (2 * size * size, 2 * 9))
        return lambda: kata.call("col2im", cols, x.shape, 3, padding=1)
    if function == "conv2d_forward":
        return lambda: kata.forward("conv2d_forward", x, w, b, padding=1)
    out, cache = kata.forward("conv2d_forward", x, w, b, padding=1)
    grads = ("dw", "db") if function == "conv2d_backward_weights" else ("dx", "dw", "db")
    return lambda: kata.backward(function, np.ones_like(out), cache, grads=grads)


@pytest.mark.rules
@pytest.mark.parametrize("function", ["im2col", "col2im", "conv2d_forward", "conv2d_backward",
                                      "conv2d_backward_weights"])
def test_no_python_loop_over_output_positions(function):
    expect_no_loop_over(function, lambda size: _loop_call(function, size), LOOP_SMALL,
                        [(LOOP_GROWN, f"the output grew from {LOOP_SMALL}x{LOOP_SMALL} to "
                                      f"{LOOP_GROWN}x{LOOP_GROWN} positions", "output positions "
                                      "(or rows of them)")],
                        WHY_NO_POSITION_LOOP)


@pytest.mark.rules
def test_impossible_inputs_are_refused():
    x, w, b = _conv_inputs((1, 3, 3, 3), (2, 3, 3))
    expect_refusal(kata, "im2col", (x, 6), {}, "a 6x6 kernel on a 3x3 image without padding",
                   "Hout = (3 + 0 - 6) // 1 + 1 is negative: no window fits. Compare the "
                   "kernel's span with the padded input before building anything, and name both "
                   "sizes.", numbers=(6, 3))
    tall = np.zeros((1, 2, 5, 3))
    expect_refusal(kata, "im2col", (tall, (2, 4)), {}, "a 2x4 kernel on a 5x3 image without "
                   "padding", "the kernel fits the height (Hout = 4) but not the width: Wout = "
                   "(3 + 0 - 4) // 1 + 1 = 0, so no window fits. Check Hout and Wout both, and "
                   "name the kernel's span and the input size.", numbers=(4, 3))
    expect_refusal(kata, "conv2d_forward", (x, w[:, :2], b), {}, "x of 3 channels and w of 2",
                   "w must have x's number of channels; name both counts.", numbers=(3, 2))


# ---------------------------------------------------------------------------------- fixture

def _fixture_cases(kind):
    return [p for p in fixture_params(TOPIC)
            if "__missing__" in p.values[0] or kind in p.values[0]]


@pytest.mark.fixture
@pytest.mark.parametrize("case", _fixture_cases("cols"))
def test_im2col_matches_unfold(case):
    c = require_case(case)
    geometry = _geometry(c["stride"], c["padding"], c["dilation"])
    cols = kata.call("im2col", c["x"], c["kernel_size"], **geometry)
    expect_shape(cols, c["cols"].shape, "im2col", LAYOUT)
    expect_close(cols, c["cols"], f"im2col(kernel_size={c['kernel_size']}, {_described(geometry)})",
                 reference=f"PyTorch's unfold in our layout ({LAYOUT})")


@pytest.mark.fixture
@pytest.mark.parametrize("case", _fixture_cases("cols"))
def test_col2im_matches_fold(case):
    c = require_case(case)
    geometry = _geometry(c["stride"], c["padding"], c["dilation"])
    back = kata.call("col2im", c["y"], c["x"].shape, c["kernel_size"], **geometry)
    expect_shape(back, c["x"].shape, "col2im")
    expect_close(back, c["col2im"], f"col2im(kernel_size={c['kernel_size']}, {_described(geometry)})",
                 reference="PyTorch's fold (overlapping entries are summed)")


@pytest.mark.fixture
@pytest.mark.parametrize("case", _fixture_cases("dout"))
def test_conv_forward_matches_pytorch(case):
    c = require_case(case)
    out, _ = kata.forward("conv2d_forward", c["x"], c["w"], c["b"],
                          stride=c["stride"], padding=c["padding"])
    expect_shape(out, c["out"].shape, "conv2d_forward: out")
    expect_close(out, c["out"], f"conv2d_forward(stride={c['stride']}, padding={c['padding']}): "
                 f"out", reference="PyTorch's conv2d")


@pytest.mark.fixture
@pytest.mark.parametrize("case", _fixture_cases("dout"))
@pytest.mark.parametrize("function, names", [("conv2d_backward", ("dx", "dw", "db")),
                                             ("conv2d_backward_weights", ("dw", "db"))])
def test_conv_backward_matches_pytorch(case, function, names):
    c = require_case(case)
    _, cache = kata.forward("conv2d_forward", c["x"], c["w"], c["b"],
                            stride=c["stride"], padding=c["padding"])
    grads = kata.backward(function, c["dout"], cache, grads=names)
    for name, grad in zip(names, grads):
        expect_shape(grad, c[name].shape, f"{function}: {name}")
        expect_close(grad, c[name], f"{function}(stride={c['stride']}, "
                     f"padding={c['padding']}): {name}", reference="PyTorch's autograd")


PRODUCTS = {"matmul", "dot", "vdot", "inner", "tensordot", "einsum", "outer", "multiply"}


def _holds_filters(values) -> bool:
    return any(isinstance(v, _WatchedFilters) for v in values)


class _WatchedFilters(np.ndarray):
    """The filters w inside a cache, noting every product they enter as an operand: dw and db
    need none (dw = dout_rows.T @ cols, db a sum), so a product with w is dx's dcols = dout_rows
    @ w_rows. An array made like w (np.empty_like(w)) is a plain array: writing dw into it is
    not a product with w."""

    products: list = []

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc.__name__ in PRODUCTS and _holds_filters(inputs):
            _WatchedFilters.products.append(ufunc.__name__)

        def plain(arrays):
            return tuple(np.asarray(a) if isinstance(a, _WatchedFilters) else a for a in arrays)
        if "out" in kwargs:
            kwargs["out"] = plain(kwargs["out"])
        return getattr(ufunc, method)(*plain(inputs), **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if func.__name__ in PRODUCTS and _holds_filters(args):
            _WatchedFilters.products.append(func.__name__)
        result = super().__array_function__(func, types, args, kwargs)
        if func.__name__.endswith("_like") and isinstance(result, _WatchedFilters):
            return result.view(np.ndarray)   # a new array shaped like w, not w
        return result


def _watch_filters(cache, w):
    """cache with every array equal to w (at the top level of a tuple, list or dict) watched,
    and whether one was found (a cache of another kind is left as it is)."""
    def swap(value):
        if isinstance(value, np.ndarray) and value.shape == w.shape and np.array_equal(value, w):
            return value.view(_WatchedFilters), True
        return value, False
    if isinstance(cache, (tuple, list)):
        swapped = [swap(v) for v in cache]
        return type(cache)(v for v, _ in swapped), any(f for _, f in swapped)
    if isinstance(cache, dict):
        swapped = {k: swap(v) for k, v in cache.items()}
        return {k: v for k, (v, _) in swapped.items()}, any(f for _, f in swapped.values())
    return cache, False


@pytest.mark.rules
def test_conv_backward_weights_skips_dx():
    """The brief's rule: conv2d_backward_weights never calls col2im and never multiplies by w
    (dcols = dout_rows @ w_rows and col2im are dx's work, which it exists to skip)."""
    module = kata.module()
    original = getattr(module, "col2im", None)
    calls = []

    def counted_col2im(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)
    x, w, b = _conv_inputs((2, 3, 6, 5), (4, 3, 3), seed=5)
    out, cache = kata.forward("conv2d_forward", x, w, b, stride=1, padding=1)
    watched, found = _watch_filters(cache, w)
    records.replace_cache(cache, watched)
    _WatchedFilters.products = []
    if original is not None:
        module.col2im = counted_col2im
    try:
        kata.backward("conv2d_backward_weights", np.ones_like(out), watched, grads=("dw", "db"))
    finally:
        if original is not None:
            module.col2im = original
    if calls:
        fail("conv2d_backward_weights called col2im: that is dx's work (dcols = dout_rows @ "
             "w.reshape(F, -1), then col2im), and dx is what this function exists to skip. "
             "Compute only db = dout_rows.sum(axis=0) and dw = dout_rows.T @ cols; let "
             "conv2d_backward call conv2d_backward_weights for those two and add dx itself.")
    if found and _WatchedFilters.products:
        fail(f"conv2d_backward_weights multiplied by the filters w ({_WatchedFilters.products[0]} "
             f"with the w your forward kept): dw and db need no product with w (dw = "
             f"dout_rows.T @ cols, db a sum over dout), so that product is dx's dcols = dout_rows "
             f"@ w.reshape(F, -1), the largest array of the backward, computed for nothing. "
             f"Delete it; dx's lines belong in conv2d_backward only.")


@pytest.mark.rules
def test_conv_stride_leaves_gaps_in_dx():
    expect_strided_dx_gaps(kata, "conv2d_forward", "conv2d_backward")


# --------------------------------------------------------------------------------- gradient

@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, kernel, stride, padding, dilation", WINDOW_GRID,
                         ids=_window_ids(WINDOW_GRID))
def test_col2im_is_the_adjoint_of_im2col(x_shape, kernel, stride, padding, dilation):
    """<im2col(x), y> == <x, col2im(y)> for every x and y: col2im is im2col transposed."""
    rng = np.random.default_rng(5)
    geometry = _geometry(stride, padding, dilation)
    x = random_array(rng, x_shape)
    cols = kata.call("im2col", x, kernel, **geometry)
    y = random_array(rng, cols.shape)
    back = kata.call("col2im", y, x_shape, kernel, **geometry)
    expect_shape(back, x_shape, "col2im")
    left, right = float(np.sum(cols * y)), float(np.sum(x * back))
    if not np.isclose(left, right, rtol=1e-9, atol=1e-9):
        fail(f"col2im is not the adjoint of im2col for kernel_size={kernel}, {_described(geometry)}: "
             f"<im2col(x), y> = {left:.10g} but <x, col2im(y)> = {right:.10g}. "
             + _adjoint_cause(x_shape, kernel, geometry, cols.shape))


def _window_counts(x_shape, kernel, stride, padding, dilation):
    """How many (window, kernel offset) pairs read each pixel of x: col2im of all ones."""
    (KH, KW), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel, stride, padding, dilation))
    H, W = x_shape[2:]
    counts = np.zeros((H + 2 * ph, W + 2 * pw))
    for i in range(conv_output_size(H, KH, sh, ph, dh)):
        for j in range(conv_output_size(W, KW, sw, pw, dw)):
            for p in range(KH):
                for q in range(KW):
                    counts[i * sh + p * dh, j * sw + q * dw] += 1
    return np.broadcast_to(counts[ph:ph + H, pw:pw + W], x_shape)


def _adjoint_cause(x_shape, kernel, geometry, cols_shape):
    """Whether col2im adds overlapping entries (col2im of all ones counts the windows that read
    each pixel, whatever the layout) or adds them right but in another layout than im2col's."""
    ones = kata.call("col2im", np.ones(cols_shape), x_shape, kernel, **geometry)
    counts = _window_counts(x_shape, kernel, **geometry)
    if np.array_equal(ones, counts):
        return (f"Your col2im adds every entry where it belongs (col2im of all ones counts the "
                f"windows reading each pixel, as it should), so the layouts differ: col2im must "
                f"read rows and columns in exactly im2col's order ({LAYOUT}).")
    if np.all(ones <= np.minimum(counts, 1)) and np.any(counts > 1):
        return ("col2im of all ones should count the windows that read each pixel, yours is at "
                "most 1: where windows overlap, entries must be ADDED (+=), not assigned.")
    return ("col2im of all ones should count the windows that read each pixel, and yours does "
            "not: each entry of y is added to the pixel of x that im2col copied into that "
            "position (windows overlap: +=), with the same stride, dilation and padding as im2col.")


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, kernel, stride, padding, dilation",
                         [((1, 2, 4, 5), (2, 3), (1, 2), 1, 1), ((1, 2, 6, 6), 2, 1, 1, 2)],
                         ids=["overlap-pairs", "dilated"])
def test_col2im_is_the_gradient_of_im2col(x_shape, kernel, stride, padding, dilation):
    """d<im2col(x), y>/dx by finite differences equals col2im(y)."""
    rng = np.random.default_rng(6)
    geometry = _geometry(stride, padding, dilation)
    x = random_array(rng, x_shape)
    y = random_array(rng, _expected_cols_shape(x_shape, kernel, stride, padding, dilation))
    numeric = numerical_gradient(lambda v: kata.call("im2col", v, kernel, **geometry), x, y)
    back = kata.call("col2im", y, x_shape, kernel, **geometry)
    expect_close_to_finite_differences(back, numeric,
                                       f"col2im(kernel_size={kernel}, {_described(geometry)})",
                                       reference="finite differences of your im2col")


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CONV_GRADIENT_CASES,
                         ids=_conv_ids(CONV_GRADIENT_CASES))
@pytest.mark.parametrize("wrt", ["x", "w", "b"])
def test_conv_gradient_matches_finite_differences(x_shape, w_shape, stride, padding, wrt):
    expect_backward_matches_finite_differences(
        kata, "conv2d_forward", "conv2d_backward",
        dict(zip("xwb", _conv_inputs(x_shape, w_shape, seed=1))), wrt,
        dict(stride=stride, padding=padding))
