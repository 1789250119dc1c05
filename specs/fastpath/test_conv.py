"""fastpath.conv (the tuned convolution) against Topic 12's textbook solution: the same out, dx,
dw and db in float64 and float32, for odd sizes, strides, paddings, non-square kernels, batches
split into several cache-sized chunks, and with the thread pool off and on."""

import numpy as np
import pytest

from specs.harness import expect_close, fail

from .support import call_unchanged, expect_dtype_kept, fast_module, smooth_dout, textbook

CASES = [  # x shape (N, C, H, W), w shape (F, C, KH, KW), stride, padding
    ((2, 3, 7, 5), (4, 3, 3, 3), 1, 1),
    ((3, 2, 9, 8), (5, 2, 3, 2), 2, 0),               # stride 2, non-square kernel
    ((1, 4, 6, 7), (3, 4, 2, 3), (2, 1), (1, 2)),     # (h, w) pairs, padding wider than needed
    ((2, 3, 5, 5), (2, 3, 5, 5), 1, 0),               # a kernel as large as the image
    ((3, 2, 8, 9), (4, 2, 1, 1), 3, 0),               # 1x1 at stride 3: dx has gaps
    ((2, 3, 6, 6), (4, 3, 3, 3), 1, 2),               # padding 2 > kernel - 1
    ((9, 16, 31, 31), (8, 16, 3, 3), 1, 1),           # several ~1 MB chunks per thread, odd batch
]
IDS = [f"x{'x'.join(map(str, x))}-w{'x'.join(map(str, w))}-s{s}-p{p}".replace(" ", "")
       for x, w, s, p in CASES]
TOLERANCE = {np.float64: (1e-10, 1e-10), np.float32: (2e-4, 2e-3)}   # forward, backward


def _inputs(x_shape, w_shape, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(x_shape), rng.standard_normal(w_shape),
            rng.standard_normal(w_shape[0]))


def _conv(module, x, w, b, stride, padding, label):
    out, cache = call_unchanged(f"{label}.conv2d_forward", module.conv2d_forward, x, w, b,
                                stride, padding)
    dout = smooth_dout(out)
    grads = call_unchanged(f"{label}.conv2d_backward", module.conv2d_backward, dout, cache)
    return out, grads


@pytest.mark.fixture
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("x_shape, w_shape, stride, padding", CASES, ids=IDS)
def test_fast_conv_matches_textbook(x_shape, w_shape, stride, padding, dtype, threads):
    x, w, b = _inputs(x_shape, w_shape)
    want_out, want_grads = _conv(textbook("topic12_im2col_vectorization", "im2col"),
                                 x, w, b, stride, padding, "textbook")
    fast = fast_module("conv")
    out, grads = _conv(fast, x.astype(dtype), w.astype(dtype), b.astype(dtype), stride, padding,
                       "fastpath.conv")
    expect_dtype_kept((out, *grads), dtype, "fastpath.conv")
    rtol_out, rtol_grads = TOLERANCE[dtype]
    where = f"(stride={stride}, padding={padding}, {np.dtype(dtype)}, {threads} thread(s))"
    expect_close(out, want_out, f"fastpath.conv.conv2d_forward {where}", rtol=rtol_out,
                 reference="Topic 12's textbook conv2d_forward in float64")
    for name, got, want in zip(("dx", "dw", "db"), grads, want_grads, strict=True):
        expect_close(got, want, f"fastpath.conv.conv2d_backward {name} {where}", rtol=rtol_grads,
                     reference="Topic 12's textbook conv2d_backward in float64")


@pytest.mark.shape
def test_fast_conv_results_are_fresh(threads):
    """Buffers kept between calls must never be returned or kept in a cache."""
    fast = fast_module("conv")
    x1, w, b = _inputs((3, 4, 9, 9), (5, 4, 3, 3), seed=1)
    x2, _, _ = _inputs((3, 4, 9, 9), (5, 4, 3, 3), seed=2)
    out1, cache1 = fast.conv2d_forward(x1, w, b, 1, 1)
    grads1 = fast.conv2d_backward(smooth_dout(out1), cache1)
    kept = [a.copy() for a in (out1, *grads1)]
    out2, cache2 = fast.conv2d_forward(x2, w, b, 1, 1)
    fast.conv2d_backward(2 * smooth_dout(out2), cache2)
    again = fast.conv2d_backward(smooth_dout(out1), cache1)
    for name, now, then, redo in zip(("out", "dx", "dw", "db"), (out1, *grads1), kept,
                                     (out1, *again), strict=True):
        if not (np.array_equal(now, then) and np.allclose(redo, then, rtol=1e-12, atol=1e-12)):
            fail(f"fastpath.conv: {name} of one call changed during the next call: a reused "
                 f"buffer was returned or kept in a cache.")


@pytest.mark.shape
def test_fast_conv_refuses_what_the_textbook_refuses():
    fast = fast_module("conv")
    x, w, b = _inputs((1, 3, 3, 3), (2, 3, 3, 3))
    for args, situation in (((x, w[:, :2], b, 1, 0), "x of 3 channels and w of 2"),
                            ((x, np.zeros((2, 3, 6, 6)), b, 1, 0), "a 6x6 kernel on a 3x3 image")):
        try:
            fast.conv2d_forward(*args)
        except ValueError:
            continue
        fail(f"fastpath.conv.conv2d_forward with {situation} should raise ValueError, as the "
             f"textbook does.")
