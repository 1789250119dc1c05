"""Specs for Topic 14's batch normalization: batchnorm2d_forward and batchnorm2d_backward.

Train mode normalizes with the batch's statistics and assigns new running statistics to state;
eval mode normalizes with the running statistics and leaves state alone. Kinds: shape, fixture
(values and running statistics against PyTorch), gradient (finite differences), and the state
rules (new arrays in train mode, nothing touched in eval mode).
"""

import numpy as np
import pytest

from specs.harness import expect_close, expect_dtype, expect_shape, fail, numerical_gradient
from specs.harness.cases import case_id, random_array, require_case
from specs.harness.checks import expect_close_to_finite_differences

from .support import (
    STATS,
    StateWatch,
    bn_state,
    expect_state_close,
    expect_value_error,
    fixture_cases,
    residual,
)

GRADS = ("dx", "dgamma", "dbeta")
MODES = [pytest.param(True, id="train"), pytest.param(False, id="eval")]
SHAPES = [(2, 3, 4, 5), (1, 2, 3, 7), (4, 1, 2, 2), (3, 5, 1, 6), (1, 4, 6, 1)]


def _inputs(shape, dtype=np.float64, seed=0):
    """x, gamma, beta and a state with non-trivial running statistics."""
    rng = np.random.default_rng(seed)
    c = shape[1]
    x = random_array(rng, shape, dtype) * 2 + 1
    gamma, beta = random_array(rng, (c,), dtype), random_array(rng, (c,), dtype)
    state = bn_state(random_array(rng, (c,), dtype), rng.uniform(0.5, 2, c).astype(dtype))
    return x, gamma, beta, state


def _mode(train):
    return f"train={train}"


@pytest.mark.shape
@pytest.mark.parametrize("train", MODES)
@pytest.mark.parametrize("shape", SHAPES, ids=[case_id(x=s) for s in SHAPES])
def test_shapes(shape, train):
    x, gamma, beta, state = _inputs(shape)
    out, cache = residual.forward("batchnorm2d_forward", x, gamma, beta, state, train=train)
    expect_shape(out, shape, f"batchnorm2d_forward({_mode(train)}): out",
                 "Batch normalization keeps the shape of x.")
    for stat in STATS:
        if not isinstance(state.get(stat), np.ndarray):
            fail(f"batchnorm2d_forward({_mode(train)}): state[{stat!r}] should still be an array "
                 f"after the call, it is {type(state.get(stat)).__name__}.")
        expect_shape(state[stat], (shape[1],), f"batchnorm2d_forward: state[{stat!r}]",
                     "One running statistic per channel (C,).")
    grads = residual.backward("batchnorm2d_backward", np.ones_like(out), cache, grads=GRADS)
    for name, grad, like in zip(GRADS, grads, (x, gamma, beta)):
        expect_shape(grad, like.shape, f"batchnorm2d_backward({_mode(train)}): {name}",
                     f"A gradient has the shape of {name[1:]}.")


@pytest.mark.rules
@pytest.mark.parametrize("train", MODES)
def test_float32_stays_float32(train):
    x, gamma, beta, state = _inputs((2, 3, 4, 5), np.float32)
    out, cache = residual.forward("batchnorm2d_forward", x, gamma, beta, state, train=train)
    expect_dtype(out, np.float32, f"batchnorm2d_forward({_mode(train)}): out")
    for stat in STATS:
        expect_dtype(state[stat], np.float32, f"batchnorm2d_forward({_mode(train)}): "
                     f"state[{stat!r}] (the state was float32)")
    grads = residual.backward("batchnorm2d_backward", np.ones_like(out), cache, grads=GRADS)
    for name, grad in zip(GRADS, grads):
        expect_dtype(grad, np.float32, f"batchnorm2d_backward({_mode(train)}): {name}")


def test_train_output_is_normalized_per_channel():
    """gamma = 1, beta = 0: each channel of out has mean 0 and variance var / (var + eps)."""
    x, _, _, state = _inputs((3, 4, 5, 2))
    c = x.shape[1]
    out, _ = residual.forward("batchnorm2d_forward", x, np.ones(c), np.zeros(c), state)
    means, var = out.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    if np.max(np.abs(means)) > 1e-9:
        fail(f"batchnorm2d_forward(train=True, gamma=1, beta=0): the per-channel means of out "
             f"should be 0, they are {np.round(means, 6)}. The statistics are per channel, over "
             f"the batch and both spatial axes: x.mean(axis=(0, 2, 3)).")
    expect_close(out.var(axis=(0, 2, 3)), var / (var + 1e-5), "per-channel variance of out "
                 "(gamma=1, beta=0)", reference="var / (var + eps) with var the biased variance "
                 "(np.var's default, dividing by N*H*W)")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("bn_"))
def test_forward_and_running_stats_match_pytorch(case):
    """Defaults are exercised too: cases with momentum 0.1 and eps 1e-5 do not pass them."""
    c = require_case(case)
    state = bn_state(c["running_mean"], c["running_var"])
    what = f"batchnorm2d_forward({_mode(c['train'])}, momentum={c['momentum']}, eps={c['eps']})"
    out, _ = residual.forward("batchnorm2d_forward", c["x"], c["gamma"], c["beta"], state,
                              **_options(c))
    expect_close(out, c["out"], f"{what}: out", reference="PyTorch's batch_norm")
    expect_state_close(state, {f'state["{s}"]': c[f"{s}_1"] for s in STATS},
                       f"{what}, after one call", reference="PyTorch's running statistics")
    if "x2" in c:
        out2, _ = residual.forward("batchnorm2d_forward", c["x2"], c["gamma"], c["beta"], state,
                                   **_options(c))
        expect_close(out2, c["out2"], f"{what}, second call: out", reference="PyTorch")
        expect_state_close(state, {f'state["{s}"]': c[f"{s}_2"] for s in STATS},
                           f"{what}, after a second call",
                           reference="PyTorch's running statistics")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("bn_"))
def test_backward_matches_pytorch(case):
    c = require_case(case)
    state = bn_state(c["running_mean"], c["running_var"])
    _, cache = residual.forward("batchnorm2d_forward", c["x"], c["gamma"], c["beta"], state,
                                **_options(c))
    grads = residual.backward("batchnorm2d_backward", c["dout"], cache, grads=GRADS)
    for name, grad in zip(GRADS, grads):
        expect_close(grad, c[name], f"batchnorm2d_backward({_mode(c['train'])}): {name}",
                     reference="PyTorch's autograd")


def _options(case):
    """train always; momentum and eps only when they differ from the defaults."""
    options = {"train": case["train"]}
    if (case["momentum"], case["eps"]) != (0.1, 1e-5):
        options.update(momentum=case["momentum"], eps=case["eps"])
    return options


def test_train_mode_assigns_new_running_arrays():
    x, gamma, beta, state = _inputs((2, 3, 4, 5))
    watch = StateWatch(state)
    residual.forward("batchnorm2d_forward", x, gamma, beta, state, train=True)
    watch.expect_updated(state, "batchnorm2d_forward(train=True)")


def test_eval_mode_leaves_state_alone():
    x, gamma, beta, state = _inputs((2, 3, 4, 5))
    watch = StateWatch(state)
    residual.forward("batchnorm2d_forward", x, gamma, beta, state, train=False)
    watch.expect_untouched(state, "batchnorm2d_forward(train=False)")


def test_train_mode_refuses_one_value_per_channel():
    """N*H*W = 1: the batch variance is always 0 and the unbiased one divides by 0. PyTorch raises."""
    x, gamma, beta, state = _inputs((1, 3, 1, 1))
    expect_value_error("batchnorm2d_forward", (x, gamma, beta, state), {"train": True},
                       "train=True and x of shape (1, 3, 1, 1)",
                       "with one value per channel there is no batch variance to normalize by, "
                       "and the unbiased one divides by m - 1 = 0. Check N * H * W > 1 first "
                       "and say what N * H * W is.", numbers=(1,))


@pytest.mark.gradient
@pytest.mark.parametrize("train", MODES)
@pytest.mark.parametrize("wrt", ["x", "gamma", "beta"])
def test_gradient_matches_finite_differences(wrt, train):
    x, gamma, beta, state = _inputs((2, 3, 4, 5), seed=1)
    inputs = {"x": x, "gamma": gamma, "beta": beta}

    def forward_of(value):  # a fresh state per call: only the output matters here
        return residual.forward("batchnorm2d_forward", **{**inputs, wrt: value},
                                state=bn_state(*state.values()), train=train)

    out, cache = forward_of(inputs[wrt])
    dout = np.random.default_rng(2).standard_normal(out.shape)
    analytic = residual.backward("batchnorm2d_backward", dout, cache,
                                 grads=GRADS)[("x", "gamma", "beta").index(wrt)]
    numeric = numerical_gradient(lambda v: forward_of(v)[0], inputs[wrt], dout)
    hint = "" if not train or wrt != "x" else (
        "In train mode the batch mean and variance depend on x too: dx has three terms (through "
        "x_hat, through the variance, through the mean).")
    expect_close_to_finite_differences(
        analytic, numeric, f"batchnorm2d_backward({_mode(train)}): d{wrt}",
        reference="finite differences of your batchnorm2d_forward", note=hint)
