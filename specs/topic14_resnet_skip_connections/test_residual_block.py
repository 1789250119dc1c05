"""Specs for Topic 14's residual block: residual_block_forward and residual_block_backward.

    out = relu(BN2(conv2(relu(BN1(conv1(x, stride))))) + shortcut(x))

with shortcut the identity, or BN(conv1x1(x, stride)) when the stride or the channel count
changes. The params here are random (not from your init_residual_block), so these specs test the
block alone.
"""

import numpy as np
import pytest

from specs.harness import expect_close, expect_dtype, expect_shape, fail, numerical_gradient
from specs.harness.cases import case_id, conv_output_size, require_case
from specs.harness.checks import expect_close_to_finite_differences
from specs.harness.ownership import expect_owned_gradients
from specs.harness.params_rule import ParamsWatch

from .support import (
    STATS,
    StateWatch,
    copy_state,
    expect_grads_dict,
    expect_state_close,
    expect_value_error,
    fixture_cases,
    residual,
)

# (N, C_in, H, W), C_out, stride
SHAPE_GRID = [
    ((2, 3, 6, 5), 3, 1),   # identity
    ((2, 3, 7, 6), 4, 2),   # projection: stride and channels
    ((1, 2, 5, 5), 2, 2),   # batch 1, projection for the stride alone
    ((2, 2, 4, 7), 3, 1),   # projection for the channels alone, non-square
    ((1, 4, 9, 4), 2, 2),   # fewer channels out than in, odd height
    ((3, 2, 3, 3), 2, 1),   # tiny identity
]
IDENTITY_KEYS = ("conv1_w", "bn1_gamma", "bn1_beta", "conv2_w", "bn2_gamma", "bn2_beta")
PROJECTION_KEYS = ("proj_w", "proj_bn_gamma", "proj_bn_beta")
# (N, C_in, H, W), C_out, stride, train: tiny, since every element costs two forward passes
GRADIENT_BLOCKS = [
    ((2, 2, 4, 5), 2, 1, True),
    ((2, 2, 4, 5), 3, 2, True),
    ((2, 2, 4, 3), 3, 1, False),
]
GRADIENT_CASES = [
    pytest.param(*block, wrt, id=f"{_id}-d{wrt}")
    for block, _id in zip(GRADIENT_BLOCKS, (
        "identity-train", "projection-stride2-train", "projection-channels-eval"))
    for wrt in ("x",) + IDENTITY_KEYS + (PROJECTION_KEYS if block[2] != 1 or block[1] != block[0][1]
                                         else ())
]


def random_block(c_in, c_out, stride, dtype=np.float64, seed=0):
    """Random params (all keys of DESIGN.md) and BN state with non-trivial running statistics."""
    rng = np.random.default_rng(seed)
    convs = [("conv1_w", "bn1", (c_out, c_in, 3, 3)), ("conv2_w", "bn2", (c_out, c_out, 3, 3))]
    if stride != 1 or c_in != c_out:
        convs.append(("proj_w", "proj_bn", (c_out, c_in, 1, 1)))
    params, state = {}, {}
    for w_name, bn, shape in convs:
        params[w_name] = rng.standard_normal(shape) / np.sqrt(np.prod(shape[1:]))
        params[f"{bn}_gamma"] = rng.uniform(0.5, 1.5, c_out)
        params[f"{bn}_beta"] = rng.standard_normal(c_out) * 0.5
        state[bn] = {"running_mean": rng.standard_normal(c_out) * 0.5,
                     "running_var": rng.uniform(0.5, 2.0, c_out)}
    params = {k: v.astype(dtype) for k, v in params.items()}
    state = {bn: {k: v.astype(dtype) for k, v in s.items()} for bn, s in state.items()}
    return params, state


def block_from_case(c):
    """params, state from a golden case's flattened keys."""
    keys = IDENTITY_KEYS + (PROJECTION_KEYS if "proj_w" in c else ())
    params = {k: c[k] for k in keys}
    bns = ("bn1", "bn2") + (("proj_bn",) if "proj_w" in c else ())
    state = {bn: {s: np.array(c[f"state_{bn}_{s}"], copy=True) for s in STATS} for bn in bns}
    return params, state


def forward(x, params, state, stride, train=True):
    return residual.forward("residual_block_forward", x, params, state, stride=stride, train=train)


def backward(dout, cache, params):
    result = residual.call("residual_block_backward", dout, cache)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], np.ndarray)):
        fail("residual_block_backward should return (dx, grads): dx an array, grads a dict.")
    dx, grads = result
    grads = expect_grads_dict(grads, params, "residual_block_backward")
    expect_owned_gradients("residual_block_backward",
                           {"dx": dx, **{f"grads[{k!r}]": v for k, v in grads.items()}}, (dout,))
    return dx, grads


def _what(stride, train=True, projection=False):
    shortcut = "projection" if projection else "identity"
    return f"residual_block_forward(stride={stride}, train={train}, {shortcut} shortcut)"


def _ids(cases):
    return [case_id(x=x_shape, cout=c_out, s=stride) for x_shape, c_out, stride in cases]


@pytest.mark.shape
@pytest.mark.parametrize("x_shape, c_out, stride", SHAPE_GRID, ids=_ids(SHAPE_GRID))
def test_shapes(x_shape, c_out, stride):
    params, state = random_block(x_shape[1], c_out, stride)
    x = np.random.default_rng(1).standard_normal(x_shape)
    out, cache = forward(x, params, state, stride)
    n, _, h, w = x_shape
    expected = (n, c_out, conv_output_size(h, 3, stride, 1), conv_output_size(w, 3, stride, 1))
    expect_shape(out, expected, f"{_what(stride, projection='proj_w' in params)}: out",
                 f"The first 3x3 conv (padding 1) carries the stride: Hout = (H - 1) // stride "
                 f"+ 1 = {expected[2]}; the second keeps the size; C_out = {c_out}.")
    dx, _ = backward(np.ones_like(out), cache, params)
    expect_shape(dx, x_shape, "residual_block_backward: dx", "A gradient has the shape of x.")


@pytest.mark.rules
@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
def test_float32_stays_float32(train):
    params, state = random_block(2, 3, 2, dtype=np.float32)
    x = np.random.default_rng(1).standard_normal((2, 2, 5, 4)).astype(np.float32)
    out, cache = forward(x, params, state, 2, train)
    expect_dtype(out, np.float32, f"{_what(2, train, True)}: out")
    dx, grads = backward(np.ones_like(out), cache, params)
    expect_dtype(dx, np.float32, "residual_block_backward: dx")
    for key, grad in grads.items():
        expect_dtype(grad, np.float32, f"residual_block_backward: grads[{key!r}]")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("block_"))
def test_forward_and_running_stats_match_pytorch(case):
    c = require_case(case)
    params, state = block_from_case(c)
    what = _what(c["stride"], c["train"], "proj_w" in params)
    out, _ = forward(c["x"], params, state, c["stride"], c["train"])
    expect_close(out, c["out"], f"{what}: out", reference="PyTorch (conv2d, batch_norm, relu)")
    expected = {f'state["{bn}"]["{s}"]': c[f"state_after_{bn}_{s}"] for bn in state for s in STATS}
    expect_state_close(state, expected, f"{what}, after the call",
                       reference="PyTorch's running statistics")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("block_"))
def test_backward_matches_pytorch(case):
    c = require_case(case)
    params, state = block_from_case(c)
    _, cache = forward(c["x"], params, state, c["stride"], c["train"])
    dx, grads = backward(c["dout"], cache, params)
    what = f"residual_block_backward after {_what(c['stride'], c['train'], 'proj_w' in params)}"
    expect_close(dx, c["dx"], f"{what}: dx", reference="PyTorch's autograd")
    for key, grad in grads.items():
        expect_close(grad, c[f"grad_{key}"], f"{what}: grads[{key!r}]",
                     reference="PyTorch's autograd")


@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
def test_inputs_and_state_rules(train):
    """params are never modified (the same arrays, dtypes and values); state gets new arrays in
    train mode, is untouched in eval."""
    params, state = random_block(2, 3, 2)
    params_watch = ParamsWatch(params)
    watch = StateWatch(state)
    x = np.random.default_rng(1).standard_normal((2, 2, 5, 4))
    out, cache = forward(x, params, state, 2, train)
    backward(np.ones_like(out), cache, params)
    params_watch.expect_untouched(params, f"{_what(2, train, True)} or residual_block_backward")
    if train:
        watch.expect_updated(state, _what(2, train, True))
    else:
        watch.expect_untouched(state, _what(2, train, True))


# (N, C_in, H, W), C_out, stride: each shape change without a projection. NumPy would refuse the
# first two by itself (by luck); it broadcasts the last two silently (1 channel onto 3; a 1x1
# output onto the 2x2 input), so only the block's own check catches them.
MISSING_PROJECTION = [
    ((2, 2, 4, 4), 3, 1),
    ((2, 2, 4, 4), 2, 2),
    ((2, 1, 4, 4), 3, 1),
    ((2, 3, 2, 2), 3, 2),
]


@pytest.mark.parametrize("x_shape, c_out, stride", MISSING_PROJECTION,
                         ids=["channels", "stride", "one-channel-broadcasts", "stride-2x2-broadcasts"])
def test_shape_change_without_projection_is_refused(x_shape, c_out, stride):
    """The identity cannot be added when the shape changes: no silent broadcasting, no cropping."""
    c_in = x_shape[1]
    params, state = random_block(c_in, c_out, 1)
    params = {k: v for k, v in params.items() if not k.startswith("proj")}
    state = {k: v for k, v in state.items() if k != "proj_bn"}
    x = np.random.default_rng(1).standard_normal(x_shape)
    changed = ([c_in, c_out] if c_in != c_out else []) + ([stride] if stride != 1 else [])
    expect_value_error("residual_block_forward", (x, params, state), {"stride": stride},
                       f"x of shape {x_shape}, {c_in} -> {c_out} channels, stride {stride} and "
                       f"no proj_w in params",
                       f"before adding the shortcut, check whether the block changes the shape "
                       f"(stride != 1 or C_in != C_out, with C_out = conv1_w.shape[0]); if it "
                       f"does and params has no proj_w, raise ValueError naming what changes "
                       f"(C_in and C_out, the stride: here {', '.join(map(str, changed))}).",
                       numbers=changed)


@pytest.mark.gradient
@pytest.mark.parametrize("x_shape, c_out, stride, train, wrt", GRADIENT_CASES)
def test_gradient_matches_finite_differences(x_shape, c_out, stride, train, wrt):
    params, state = random_block(x_shape[1], c_out, stride, seed=3)
    x = np.random.default_rng(4).standard_normal(x_shape)

    def forward_of(value):  # a fresh state per call: only the output matters here
        new_x, new_params = (value, params) if wrt == "x" else (x, {**params, wrt: value})
        return forward(new_x, new_params, copy_state(state), stride, train)

    out, cache = forward_of(x if wrt == "x" else params[wrt])
    dout = np.random.default_rng(5).standard_normal(out.shape)
    dx, grads = backward(dout, cache, params)
    analytic = dx if wrt == "x" else grads[wrt]
    numeric = numerical_gradient(lambda v: forward_of(v)[0], x if wrt == "x" else params[wrt],
                                 dout)
    name = "dx" if wrt == "x" else f"grads[{wrt!r}]"
    expect_close_to_finite_differences(
        analytic, numeric, f"residual_block_backward after "
        f"{_what(stride, train, 'proj_w' in params)}: {name}",
        reference="finite differences of your residual_block_forward")
