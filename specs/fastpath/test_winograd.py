"""fastpath.winograd (F(2x2, 3x3)) against Topic 12's textbook convolution: out, dx and dw for odd
and non-square sizes, paddings 0-2, batch 1, chunks of two images ending on a partial one, with the
transformed patches recomputed or kept from forward; its transforms against their transposes; and
that the milestone's conv + pool layers really take it."""

import sys

import numpy as np
import pytest

from specs.harness import expect_close, fail

from .support import channels_last, fast_module, textbook

CASES = [  # N, C, H, W, F, padding
    (2, 3, 5, 7, 4, 1),      # odd conv output: the last tiles overhang
    (3, 5, 9, 8, 6, 1),
    (2, 4, 7, 6, 3, 0),      # no padding
    (1, 3, 6, 6, 2, 2),      # batch 1, padding 2
    (5, 6, 10, 12, 7, 1),    # even output: exact tiles
]
IDS = [f"n{n}-c{c}-{h}x{w}-f{f}-p{p}" for n, c, h, w, f, p in CASES]


def _textbook_conv(x, w, pad):
    conv = textbook("topic12_im2col_vectorization", "im2col")
    out, cache = conv.conv2d_forward(x, w, np.zeros(len(w)), 1, pad)
    dout = np.cos(np.arange(out.size)).reshape(out.shape)
    dx, dw, _ = conv.conv2d_backward(dout, cache)
    return out, dout, dx, dw


def _winograd_conv(wg, x, w, pad, dout, kept):
    """out, dx, dw of a stride-1 conv by forward_tiles / backward_tiles, NCHW float64 in/out."""
    xh = np.ascontiguousarray(x.transpose(0, 2, 3, 1), dtype=np.float32)
    n, ho, wo, f = len(x), *dout.shape[2:], len(w)
    th, tw = wg.tiles(ho, wo)
    u = wg.filter_transform(w.astype(np.float32))
    out = np.empty((n, ho, wo, f), np.float32)

    def emit(s, m, y):
        for a in range(2):
            for b in range(2):
                out[s:s + m, a::2, b::2] = y[2 * a + b, :, :(ho - a + 1) // 2, :(wo - b + 1) // 2]
    dh = np.ascontiguousarray(dout.transpose(0, 2, 3, 1), dtype=np.float32)

    def grads(s, m, dy):
        for a in range(2):
            for b in range(2):
                dy[2 * a + b, :, :(ho - a + 1) // 2, :(wo - b + 1) // 2] = dh[s:s + m, a::2, b::2]
    wg.forward_tiles(wg.Plan(xh, f, pad, th, tw, 0, n), u, emit, kept)
    dx = np.full(xh.shape, np.nan, np.float32)      # every element must be written
    du = wg.backward_tiles(wg.Plan(xh, f, pad, th, tw, 0, n), u, grads, dx, kept)
    return out.transpose(0, 3, 1, 2), dx.transpose(0, 3, 1, 2), wg.filter_gradient(du)


@pytest.mark.fixture
@pytest.mark.parametrize("kept", ["recomputed", "kept"])
@pytest.mark.parametrize("chunk", ["default", "two_images"])
@pytest.mark.parametrize("n, c, h, w, f, pad", CASES, ids=IDS)
def test_winograd_conv_matches_textbook(n, c, h, w, f, pad, chunk, kept, monkeypatch):
    wg = fast_module("winograd")
    if chunk == "two_images":   # chunks of two images: odd batches end on a partial chunk
        th, tw = wg.tiles(h + 2 * pad - 2, w + 2 * pad - 2)
        home = sys.modules[wg.Plan.__module__]   # fastpath.winograd, also under a mutant
        monkeypatch.setattr(home, "CHUNK_BYTES", 2 * 16 * th * tw * (c + f) * 4)
    rng = np.random.default_rng(11)
    x, wt = rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, 3, 3))
    want_out, dout, want_dx, want_dw = _textbook_conv(x, wt, pad)
    out, dx, dw = _winograd_conv(wg, x, wt, pad, dout, {} if kept == "kept" else None)
    where = f"(F(2x2, 3x3), {chunk} chunks, patches {kept})"
    expect_close(out, want_out, f"winograd forward {where}", rtol=2e-4,
                 reference="Topic 12's conv2d_forward in float64")
    expect_close(dx, want_dx, f"winograd dx {where}", rtol=2e-3,
                 reference="Topic 12's conv2d_backward in float64")
    expect_close(dw, want_dw, f"winograd dw {where}", rtol=2e-3,
                 reference="Topic 12's conv2d_backward in float64")


def test_transforms_are_each_others_transposes():
    """Backward is right only if each backward transform is the exact transpose of its forward
    one: <T(a), b> == <a, T'(b)> for random a and b."""
    wg = fast_module("winograd")
    rng = np.random.default_rng(12)
    m, th, tw, c, f = 2, 3, 4, 5, 6
    xp = rng.standard_normal((m, 2 * th + 2, 2 * tw + 2, c))
    dv = rng.standard_normal((4, 4, m, th, tw, c))
    v, scratch = np.empty_like(dv), np.empty_like(dv)
    wg.data_transform(xp, v, scratch)
    dxp = np.empty_like(xp)
    wg.data_transform_transposed(dv, dxp, np.empty_like(dv))
    _expect_adjoint(np.vdot(v, dv), np.vdot(xp, dxp), "data_transform_transposed",
                    "data_transform")
    w, du = rng.standard_normal((f, c, 3, 3)), rng.standard_normal((16, c, f))
    _expect_adjoint(np.vdot(wg.filter_transform(w), du), np.vdot(w, wg.filter_gradient(du)),
                    "filter_gradient", "filter_transform")


def _expect_adjoint(forward_side, backward_side, name, of):
    if not np.isclose(forward_side, backward_side, rtol=1e-4):
        fail(f"{name} is not the transpose of {of}: <{of}(a), b> = {forward_side:.6g} but "
             f"<a, {name}(b)> = {backward_side:.6g}. Each gradient transform must apply the "
             f"transposed matrices, and add (not overwrite) where patches overlap.")


def test_milestone_conv_pool_takes_the_winograd_path():
    """The milestone's 3x3 conv + 2x2 pool layers run on F(2x2, 3x3) (what makes the reference
    faster than im2col); its cache keeps the transformed patches for backward."""
    layers = fast_module("layers")
    rng = np.random.default_rng(13)
    x = channels_last(rng.standard_normal((4, 8, 15, 15)))
    w = rng.standard_normal((16, 8, 3, 3)).astype(np.float32)
    _, cache = layers.conv2d_maxpool2d_forward(x, w, np.zeros(16, np.float32), 1)
    kept = cache.data[-1]
    if not kept:
        fail("conv2d_maxpool2d_forward (3x3, float32) did not take the Winograd path: the "
             "milestone's first convolution of each group should run on fastpath.winograd")
