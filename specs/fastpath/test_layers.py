"""fastpath.layers (the reference milestone's layer set) against the textbook layers of Topics
12-14 (`solutions/topic17_cifar10_from_scratch/layers.py`): each layer on its fast path (float32,
NCHW and channels-last memory) and on its fallbacks (float64, strides, other kernels), each fused
call against the separate layers it replaces (odd sizes, ties, train and eval), and the whole
milestone network with and without the fused calls, with the thread pool off and on."""

from types import SimpleNamespace

import numpy as np
import pytest

from milestone.network import Network
from specs.harness import expect_close, fail

from .support import (
    call_unchanged,
    channels_last,
    expect_dtype_kept,
    fast_module,
    smooth_dout,
    textbook,
)

TOPIC = "topic17_cifar10_from_scratch"
BASE_LAYERS = ("conv2d_forward", "conv2d_backward", "maxpool2d_forward", "maxpool2d_backward",
               "batchnorm2d_forward", "batchnorm2d_backward", "relu_forward", "relu_backward")
RTOL = {"float64": (1e-10, 1e-10), "float32": (2e-4, 2e-3)}   # forward, backward vs float64


def plain():
    return textbook(TOPIC, "layers")


def fast():
    return fast_module("layers")


# ----------------------------------------------------------------------------- each layer
LAYER_CASES = [  # name, forward args after x, x shape
    ("conv3x3_pad1", (3, 1, 1), (3, 5, 9, 7)),
    ("conv3x3_pad0", (3, 1, 0), (2, 4, 7, 8)),
    ("conv2x2_valid", (2, 1, 0), (2, 3, 8, 8)),
    ("conv3x3_stride2", (3, 2, 1), (2, 3, 9, 9)),      # not a fast-path case: falls through
    ("maxpool2_odd", 2, (2, 4, 7, 9)),
    ("maxpool3", 3, (3, 6, 3, 3)),
    ("maxpool2_ties", 2, (2, 3, 6, 6)),
    ("batchnorm_train", True, (4, 5, 3, 3)),
    ("batchnorm_eval", False, (4, 5, 3, 3)),
    ("relu", None, (2, 3, 4, 4)),
]
LAYOUTS = ["float64", "float32", "float32_channels_last"]


def _layer(layer_set, name, arg, x):
    """(out, grads and BN running statistics) of one layer, inputs in x's dtype, seeded."""
    rng = np.random.default_rng(0)
    dt = x.dtype
    L = SimpleNamespace(**{f: getattr(layer_set, f) for f in BASE_LAYERS})
    if name.startswith("conv"):
        k, stride, pad = arg
        w = rng.standard_normal((4, x.shape[1], k, k)).astype(dt)
        b = rng.standard_normal(4).astype(dt)
        out, cache = call_unchanged("conv2d_forward", L.conv2d_forward, x, w, b, stride, pad)
        grads = call_unchanged("conv2d_backward", L.conv2d_backward, smooth_dout(out), cache)
    elif name.startswith("maxpool"):
        out, cache = call_unchanged("maxpool2d_forward", L.maxpool2d_forward, x, arg)
        grads = (call_unchanged("maxpool2d_backward", L.maxpool2d_backward, smooth_dout(out),
                                cache),)
    elif name.startswith("batchnorm"):
        c = x.shape[1]
        state = {"running_mean": np.linspace(-1, 1, c).astype(dt),
                 "running_var": np.linspace(0.5, 2, c).astype(dt)}
        gamma, beta = (1 + rng.standard_normal(c)).astype(dt), rng.standard_normal(c).astype(dt)
        out, cache = call_unchanged("batchnorm2d_forward", L.batchnorm2d_forward, x, gamma, beta,
                                    state, arg, 0.4, 1e-5)
        grads = call_unchanged("batchnorm2d_backward", L.batchnorm2d_backward, smooth_dout(out),
                               cache)
        grads = (*grads, state["running_mean"], state["running_var"])
    else:
        out, cache = call_unchanged("relu_forward", L.relu_forward, x)
        grads = (call_unchanged("relu_backward", L.relu_backward, smooth_dout(out), cache),)
    return out, grads


def _layer_input(name, shape, layout):
    rng = np.random.default_rng(1)
    x = (rng.integers(0, 3, shape).astype(float) if name.endswith("ties")   # equal maxima
         else rng.standard_normal(shape))
    if layout == "float64":
        return x
    return channels_last(x) if layout.endswith("channels_last") else x.astype(np.float32)


@pytest.mark.fixture
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name, arg, shape", LAYER_CASES, ids=[c[0] for c in LAYER_CASES])
def test_fast_layer_matches_textbook(name, arg, shape, layout, threads):
    x64 = _layer_input(name, shape, "float64")
    want_out, want_grads = _layer(plain(), name, arg, x64)
    x = _layer_input(name, shape, layout)
    out, grads = _layer(fast(), name, arg, x)
    expect_dtype_kept((out, *grads[:3]), x.dtype, f"fastpath.layers {name}")
    rtol_out, rtol_grads = RTOL[layout.split("_")[0]]
    where = f"({layout}, {threads} thread(s))"
    expect_close(out, want_out, f"fastpath.layers {name} forward {where}", rtol=rtol_out,
                 reference="the textbook layer in float64")
    for i, (got, want) in enumerate(zip(grads, want_grads, strict=True)):
        expect_close(np.asarray(got), np.asarray(want),
                     f"fastpath.layers {name} backward output {i} {where}", rtol=rtol_grads,
                     reference="the textbook layer in float64")


# ----------------------------------------------------------------------------- fused calls
FUSED_CONV_POOL_CASES = [  # x shape (N, C, H, W), filters, padding
    ((2, 5, 9, 7), 4, 1),    # odd conv output: its last row and column never reach the pool
    ((3, 4, 8, 8), 6, 1),
    ((2, 3, 7, 6), 5, 0),
    ((7, 8, 17, 17), 8, 1),  # several chunks per thread
]
FUSED_IDS = [f"x{'x'.join(map(str, c[0]))}-p{c[2]}" for c in FUSED_CONV_POOL_CASES]


def _conv_then_pool(x, w, b, pad):
    """(out, dout, (dx, dw, db)) of the separate textbook layers: 3x3 conv, then 2x2 max pool."""
    L = plain()
    conv, conv_cache = L.conv2d_forward(x, w, b, 1, pad)
    out, pool_cache = L.maxpool2d_forward(conv, 2)
    dout = smooth_dout(out)
    grads = L.conv2d_backward(L.maxpool2d_backward(dout, pool_cache), conv_cache)
    return out, dout, grads


@pytest.fixture(params=[True, False], ids=["winograd", "im2col"])
def conv_pool_path(request, monkeypatch):
    """Run a fused conv + pool spec on both of its paths: Winograd F(2x2, 3x3) (the 3x3 default)
    and the im2col rows it replaced (still used for other kernels)."""
    import fastpath.layers  # the switch lives in the real module (a mutant calls into it)

    monkeypatch.setattr(fastpath.layers, "WINOGRAD_POOL", request.param)
    return request.param


@pytest.mark.fixture
@pytest.mark.parametrize("shape, filters, pad", FUSED_CONV_POOL_CASES, ids=FUSED_IDS)
@pytest.mark.parametrize("ties", [False, True], ids=["random", "ties"])
def test_fused_conv_pool_matches_conv_then_pool(shape, filters, pad, ties, threads,
                                                conv_pool_path):
    rng = np.random.default_rng(5)
    # small integers everywhere: equal values in most pooling windows, exact in both precisions
    x64 = rng.integers(0, 2, shape).astype(float) if ties else rng.standard_normal(shape)
    w64 = (rng.integers(0, 2, (filters, shape[1], 3, 3)).astype(float) if ties
           else rng.standard_normal((filters, shape[1], 3, 3)))
    b64 = rng.integers(-2, 3, filters).astype(float) if ties else rng.standard_normal(filters)
    want, dout, (want_dx, want_dw, want_db) = _conv_then_pool(x64, w64, b64, pad)
    got, cache = call_unchanged("conv2d_maxpool2d_forward", fast().conv2d_maxpool2d_forward,
                                channels_last(x64), w64.astype(np.float32),
                                b64.astype(np.float32), pad)
    expect_close(got, want, "conv2d_maxpool2d_forward (float32)", rtol=2e-4,
                 reference="conv2d_forward then maxpool2d_forward in float64")
    for need_dx in (True, False):
        dx, dw, db = call_unchanged("conv2d_maxpool2d_backward",
                                    fast().conv2d_maxpool2d_backward, dout.astype(np.float32),
                                    cache, need_dx)
        if not need_dx and dx is not None:
            fail("conv2d_maxpool2d_backward(..., need_dx=False) should return dx None")
        if need_dx:
            expect_close(dx, want_dx, "conv2d_maxpool2d_backward dx", rtol=2e-3,
                         reference="the separate layers' backward in float64")
        expect_close(dw, want_dw, f"conv2d_maxpool2d_backward dw (need_dx={need_dx})",
                     rtol=2e-3, reference="the separate layers' backward in float64")
        expect_close(db, want_db, "conv2d_maxpool2d_backward db", rtol=2e-3,
                     reference="the separate layers' backward in float64")


@pytest.mark.fixture
@pytest.mark.parametrize("shape, filters, pad", FUSED_CONV_POOL_CASES, ids=FUSED_IDS)
def test_fused_relu_bias_gradient_matches_masked_dx(shape, filters, pad, threads, conv_pool_path):
    """The gradient w.r.t. a bias added before the ReLU that made x, without dx: it must equal
    dx summed where x > 0 (the network uses it for the whitening layer's bias)."""
    rng = np.random.default_rng(7)
    x64 = np.maximum(rng.standard_normal(shape), 0)       # a ReLU's output: many exact zeros
    w64 = rng.standard_normal((filters, shape[1], 3, 3))
    zeros = np.zeros(filters)
    _, dout, (dx, want_dw, _) = _conv_then_pool(x64, w64, zeros, pad)
    want = (dx * (x64 > 0)).sum(axis=(0, 2, 3))
    _, cache = fast().conv2d_maxpool2d_forward(channels_last(x64), w64.astype(np.float32),
                                               zeros.astype(np.float32), pad)
    dbias, dw = call_unchanged("conv2d_maxpool2d_relu_bias_backward",
                               fast().conv2d_maxpool2d_relu_bias_backward,
                               dout.astype(np.float32), cache)
    expect_close(dbias, want, "conv2d_maxpool2d_relu_bias_backward dbias", rtol=2e-3,
                 reference="(dx * (x > 0)).sum(axis=(0, 2, 3)) in float64")
    expect_close(dw, want_dw, "conv2d_maxpool2d_relu_bias_backward dw", rtol=2e-3,
                 reference="the separate layers' backward in float64")


@pytest.mark.fixture
@pytest.mark.parametrize("layout", ["nchw", "channels_last"])
def test_fused_conv_relu_matches_conv_then_relu(layout, threads):
    """The whitening layer: relu(2x2 conv + bias) in one call, its cache relu_backward's."""
    L = plain()
    rng = np.random.default_rng(8)
    x64, w64, b64 = (rng.standard_normal((5, 3, 9, 8)), rng.standard_normal((6, 3, 2, 2)),
                     rng.standard_normal(6))
    conv, _ = L.conv2d_forward(x64, w64, b64, 1, 0)
    want, relu_cache = L.relu_forward(conv)
    dout = smooth_dout(want)
    want_dx = L.relu_backward(dout, relu_cache)
    x32 = x64.astype(np.float32) if layout == "nchw" else channels_last(x64)
    got, cache = call_unchanged("conv2d_relu_forward", fast().conv2d_relu_forward, x32,
                                w64.astype(np.float32), b64.astype(np.float32), 1, 0)
    expect_close(got, want, f"conv2d_relu_forward (float32, {layout})", rtol=2e-4,
                 reference="conv2d_forward then relu_forward in float64")
    dx = fast().relu_backward(dout.astype(np.float32), cache)
    expect_close(dx, want_dx, "relu_backward on conv2d_relu_forward's cache", rtol=2e-4,
                 reference="relu_backward in float64")


@pytest.mark.fixture
@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("shape", [(4, 5, 3, 3), (9, 3, 31, 31)], ids=["small", "blocks"])
def test_fused_bn_relu_matches_bn_then_relu(train, shape, threads):
    L = plain()
    rng = np.random.default_rng(6)
    c = shape[1]
    x64 = rng.standard_normal(shape) * 2 + 0.5
    gamma64, beta64 = 1 + rng.standard_normal(c), rng.standard_normal(c)

    def fresh_state(dt):
        return {"running_mean": np.linspace(-1, 1, c).astype(dt),
                "running_var": np.linspace(0.5, 2, c).astype(dt)}
    state64, state32 = fresh_state(np.float64), fresh_state(np.float32)
    bn, bn_cache = L.batchnorm2d_forward(x64, gamma64, beta64, state64, train, 0.4, 1e-5)
    want, relu_cache = L.relu_forward(bn)
    dout = smooth_dout(want)
    want_grads = L.batchnorm2d_backward(L.relu_backward(dout, relu_cache), bn_cache)
    got, cache = call_unchanged("batchnorm2d_relu_forward", fast().batchnorm2d_relu_forward,
                                channels_last(x64), gamma64.astype(np.float32),
                                beta64.astype(np.float32), state32, train, 0.4, 1e-5)
    expect_close(got, want, "batchnorm2d_relu_forward (float32)", rtol=2e-4,
                 reference="batchnorm2d_forward then relu_forward in float64")
    got_grads = call_unchanged("batchnorm2d_relu_backward", fast().batchnorm2d_relu_backward,
                               dout.astype(np.float32), cache)
    for label, g, w in zip(("dx", "dgamma", "dbeta"), got_grads, want_grads, strict=True):
        expect_close(g, w, f"batchnorm2d_relu_backward {label}", rtol=2e-3,
                     reference="the separate layers' backward in float64")
    for key in state64:
        expect_close(state32[key], state64[key], f"running statistics {key}", rtol=2e-4,
                     reference="batchnorm2d_forward in float64")


# ----------------------------------------------------------------------------- the network
@pytest.mark.fixture
@pytest.mark.parametrize("whitening_bias", ["trained", "frozen"])
def test_network_same_with_fast_and_textbook_layers(whitening_bias, threads, conv_pool_path):
    """The milestone network in float32 on the fast layer set (fused calls and all) and on the
    eight textbook layers: the same logits and the same gradients."""
    rng = np.random.default_rng(9)
    x = channels_last(rng.standard_normal((6, 3, 32, 32)))
    textbook_only = SimpleNamespace(__name__="textbook",
                                    **{name: getattr(plain(), name) for name in BASE_LAYERS})
    results = []
    for layer_set in (fast(), textbook_only):
        net = Network(layer_set, widths=(8, 16, 16))
        params, state = net.init(np.random.default_rng(3), x)
        params["whiten_b"] += np.float32(0.1)   # some whitening outputs cross zero
        if whitening_bias == "frozen":
            net.frozen.add("whiten_b")
        logits, cache = net.forward(params, state, x, True)
        results.append((logits, net.backward(smooth_dout(logits), cache)))
    (fast_logits, fast_grads), (plain_logits, plain_grads) = results
    expect_close(fast_logits, plain_logits, "logits on the fast layers", rtol=2e-4,
                 reference="the same network on the eight textbook layers")
    for name, want in plain_grads.items():  # float32 through a deep network, sums in other orders
        expect_close(fast_grads[name], want, f"gradient of {name} on the fast layers", rtol=1e-2,
                     reference="the same network on the eight textbook layers")


def test_reference_milestone_trains_on_the_fast_layers(monkeypatch):
    """Given the reference's plain layer set, the network trains on fastpath.layers (what keeps the
    reference milestone fast), unless KATA_FAST_LAYERS=0; any other layer set is used as it is."""
    import fastpath.layers

    monkeypatch.delenv("KATA_FAST_LAYERS", raising=False)
    if Network(plain()).layers is not fastpath.layers:
        fail("Network(solutions' layers) should train on fastpath.layers")
    monkeypatch.setenv("KATA_FAST_LAYERS", "0")
    if Network(plain()).layers is not plain():
        fail("with KATA_FAST_LAYERS=0, Network(solutions' layers) should keep them")
    other = SimpleNamespace(__name__="katas.topic17_cifar10_from_scratch.layers")
    if Network(other).layers is not other:
        fail("a learner's layer set must be used as it is")


class _LayersChosen(Exception):
    """Raised by the stand-in timing wrapper once the trainer has chosen its layer set."""


def test_milestone_trainer_trains_on_the_fast_layers(monkeypatch, tmp_path):
    """What `python -m milestone --impl solutions` really trains on: the trainer wraps the layer
    set to time it, and must swap the fast layers in before that (the wrapper hides the module's
    name): a merge once lost the swap and the reference trained 9x slower on the textbook layers."""
    from milestone import train as trainer
    from solutions.topic17_cifar10_from_scratch import pipeline
    from specs.topic17_cifar10_from_scratch.test_milestone import synthetic_cifar

    chosen = {}

    def timing_wrapper(layers, seconds=None):
        chosen["layers"] = layers
        raise _LayersChosen

    monkeypatch.delenv("KATA_FAST_LAYERS", raising=False)
    monkeypatch.setattr(trainer, "InstrumentedLayers", timing_wrapper)
    cfg = trainer.Config(impl="solutions", budget=60.0, seed=0, batch=64, widths=(8, 8, 16),
                         epochs=1.0, log_every=1)
    with pytest.raises(_LayersChosen):
        trainer.train(cfg, pipeline, plain(), synthetic_cifar(), tmp_path / "run", False)
    import fastpath.layers
    if chosen["layers"] is not fastpath.layers:
        fail("milestone.train trains on the plain reference layers: swap fastpath.layers in "
             "(network.training_layers) before wrapping the layer set to time it")
