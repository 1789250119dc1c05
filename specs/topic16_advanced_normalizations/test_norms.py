"""Specs for Topic 16: layernorm2d_*, groupnorm_* and instancenorm_* (forward and backward).

Kinds (run one with -m): shape (a grid of N, C, H, W and group counts, batch 1), fixture (values
against PyTorch's group_norm / instance_norm), gradient (backward against centred finite
differences of your own forward). Unmarked specs check the statistics themselves (per sample,
per group, biased variance), that samples never mix, constant inputs, and the num_groups check.
"""

import textwrap

import numpy as np
import pytest

from specs.harness import Kata, expect_close, expect_dtype, expect_shape, fail, numerical_gradient
from specs.harness.cases import case_id, fixture_params, random_array, require_case
from specs.harness.checks import expect_close_to_finite_differences
from specs.harness.loops import expect_no_loop_over
from specs.harness.refusals import expect_refusal

TOPIC = "topic16_advanced_normalizations"
norms = Kata(TOPIC, "norms")

KINDS = ("layernorm", "groupnorm", "instancenorm")
PREFIX = {"layernorm": "layernorm2d", "groupnorm": "groupnorm", "instancenorm": "instancenorm"}
GRADS = ("dx", "dgamma", "dbeta")

# (N, C, H, W), num_groups (used by groupnorm only)
SHAPE_GRID = [
    ((2, 6, 4, 5), 3),
    ((1, 4, 3, 3), 2),    # batch 1
    ((3, 8, 2, 7), 4),    # non-square
    ((2, 6, 5, 3), 1),    # one group: LayerNorm
    ((2, 6, 5, 3), 6),    # one channel per group: InstanceNorm
    ((1, 1, 4, 4), 1),    # one channel, batch 1
    ((4, 12, 1, 1), 3),   # 1x1 spatial
    ((2, 10, 3, 6), 5),
]
GRADIENT_CASES = [
    ("layernorm", (2, 3, 2, 3), None),
    ("groupnorm", (2, 4, 3, 2), 2),
    ("groupnorm", (1, 6, 2, 2), 3),
    ("instancenorm", (2, 2, 3, 3), None),
]


def advice(*sentences):
    """Explanatory sentences as indented lines wrapped at 100 columns, after the fact line."""
    return "".join("\n" + textwrap.fill(s, 100, initial_indent="  ", subsequent_indent="  ")
                   for s in sentences)


def groups_of(kind, channels, num_groups):
    return {"layernorm": 1, "groupnorm": num_groups, "instancenorm": channels}[kind]


def label(kind, num_groups=None, eps=None):
    """'groupnorm_forward(num_groups=3)' and the like, for messages."""
    args = [f"num_groups={num_groups}"] if kind == "groupnorm" else []
    args += [f"eps={eps}"] if eps is not None else []
    return f"{PREFIX[kind]}_forward({', '.join(args)})"


def forward(kind, x, gamma, beta, num_groups=None, **kwargs):
    """(out, cache) from the learner's forward of `kind`."""
    if kind == "groupnorm":
        kwargs["num_groups"] = num_groups
    return norms.forward(f"{PREFIX[kind]}_forward", x, gamma, beta, **kwargs)


def backward(kind, dout, cache):
    return norms.backward(f"{PREFIX[kind]}_backward", dout, cache, grads=GRADS)


def inputs(x_shape, dtype=np.float64, seed=0):
    """x with its own offset and scale per (sample, channel), and a (C,) gamma and beta."""
    rng = np.random.default_rng(seed)
    N, C = x_shape[:2]
    x = (random_array(rng, x_shape) * rng.uniform(0.5, 3.0, (N, C, 1, 1))
         + rng.uniform(-2.0, 2.0, (N, C, 1, 1)))
    gamma = rng.uniform(0.5, 2.0, C) * rng.choice([-1.0, 1.0], C)
    return x.astype(dtype), gamma.astype(dtype), random_array(rng, (C,), dtype)


def per_kind(grid):
    """(kind, x_shape, num_groups) for every kind; num_groups (and its id) only for groupnorm,
    so layernorm and instancenorm get each x shape once."""
    params = []
    for kind in KINDS:
        seen = set()
        for x_shape, num_groups in grid:
            groups = num_groups if kind == "groupnorm" else None
            if (x_shape, groups) not in seen:
                seen.add((x_shape, groups))
                ids = case_id(x=x_shape, g=groups) if groups else case_id(x=x_shape)
                params.append(pytest.param(kind, x_shape, groups, id=f"{kind}-{ids}"))
    return params


@pytest.mark.shape
@pytest.mark.parametrize("kind, x_shape, num_groups", per_kind(SHAPE_GRID))
def test_output_shape(kind, x_shape, num_groups):
    x, gamma, beta = inputs(x_shape)
    out, _ = forward(kind, x, gamma, beta, num_groups)
    expect_shape(out, x_shape, f"{label(kind, num_groups)}: out",
                 "A normalization changes values, not shapes: out is shaped like x.")


@pytest.mark.shape
@pytest.mark.parametrize("kind, x_shape, num_groups", per_kind(SHAPE_GRID[::2]))
def test_gradient_shapes(kind, x_shape, num_groups):
    x, gamma, beta = inputs(x_shape)
    out, cache = forward(kind, x, gamma, beta, num_groups)
    grads = backward(kind, np.ones_like(out), cache)
    for name, grad, like in zip(GRADS, grads, (x, gamma, beta)):
        expect_shape(grad, like.shape, f"{PREFIX[kind]}_backward: {name}",
                     f"A gradient has the shape of what it is the gradient of ({name[1:]}); "
                     f"gamma and beta are (C,): sum over the other axes.")


@pytest.mark.rules
@pytest.mark.parametrize("kind", KINDS)
def test_float32_stays_float32(kind):
    x, gamma, beta = inputs((2, 4, 3, 5), dtype=np.float32)
    out, cache = forward(kind, x, gamma, beta, num_groups=2)
    expect_dtype(out, np.float32, f"{label(kind, 2)}: out")
    grads = backward(kind, np.ones_like(out), cache)
    for name, grad in zip(GRADS, grads):
        expect_dtype(grad, np.float32, f"{PREFIX[kind]}_backward: {name}")


@pytest.mark.parametrize("x_shape, num_groups, eps", [((2, 6, 3, 4), 3, 1e-5),
                                                      ((3, 4, 2, 2), 2, 0.3)],
                         ids=["eps1e-5", "eps0.3"])
@pytest.mark.parametrize("kind", KINDS)
def test_statistics_per_sample_and_group(kind, x_shape, num_groups, eps):
    """With gamma = 1 and beta = 0 every (sample, group) block has mean 0, variance v / (v + eps)."""
    x, _, _ = inputs(x_shape, seed=3)
    C = x_shape[1]
    out, _ = forward(kind, x, np.ones(C), np.zeros(C), num_groups, eps=eps)
    expect_shape(out, x_shape, f"{label(kind, num_groups, eps)}: out")
    groups = groups_of(kind, C, num_groups)
    size = C // groups
    blocks_in = x.reshape(x_shape[0], groups, -1)
    blocks_out = out.reshape(x_shape[0], groups, -1)
    variance = blocks_in.var(axis=2)
    expected = {"mean": np.zeros_like(variance), "variance": variance / (variance + eps)}
    got = {"mean": blocks_out.mean(axis=2), "variance": blocks_out.var(axis=2)}
    where = {"layernorm": "over all of its C, H, W values (one group)",
             "groupnorm": f"over its group of {size} neighbouring channels (channels "
                          f"g*{size} .. g*{size}+{size - 1}) and H, W",
             "instancenorm": "over the H, W values of each channel on its own"}[kind]
    for stat, value in got.items():
        off = np.abs(value - expected[stat]) > 1e-9 * max(1.0, float(np.abs(expected[stat]).max()))
        if off.any():
            n, g = (int(i) for i in np.argwhere(off)[0])
            axes = normalized_over(out, x, eps, groups)
            hint = (axes if axes else
                    "Use the biased variance (divide by the number of elements, np.var's "
                    "default), and add eps inside the square root." if stat == "variance" else "")
            fail(f"{label(kind, num_groups, eps)} with gamma=1, beta=0: wrong statistics.\n"
                 f"  sample {n}, group {g} has {stat} {value[n, g]:.6g} after normalization, "
                 f"expected {expected[stat][n, g]:.6g}."
                 + advice(f"Each sample is normalized {where}; the batch axis never mixes.",
                          *([hint] if hint else [])))


def normalized_over(out, x, eps, groups) -> str:
    """'Your out is x normalized over ...' when out (gamma=1, beta=0) is x normalized with other
    statistics than the expected ones (per channel, per sample, over the batch, other groups)."""
    for where, blocks, back in _other_statistics(x, groups):
        mean, var = blocks.mean(axis=-1, keepdims=True), blocks.var(axis=-1, keepdims=True)
        if np.allclose(out, back((blocks - mean) / np.sqrt(var + eps)), rtol=1e-6, atol=1e-9):
            return f"Your out is x normalized over {where}: the statistics run over the wrong axes."
    return ""


def _other_statistics(x, groups):
    """(where, x cut into rows the statistics run over, the way back to x's shape) for each
    grouping but the expected one, and for batch norm's."""
    N, C = x.shape[:2]

    def back(rows):
        return rows.reshape(x.shape)

    for g in (g for g in range(1, C + 1) if C % g == 0 and g != groups):
        where = ("each channel on its own, over H and W only (that is InstanceNorm)" if g == C
                 else "all of C, H, W at once (one group, LayerNorm)" if g == 1
                 else f"{g} groups of {C // g} channels")
        yield where, x.reshape(N, g, -1), back
    yield ("each channel over the whole batch, N, H and W (that is BatchNorm: the batch axis "
           "mixes)"), np.moveaxis(x, 1, 0).reshape(C, -1), \
        lambda rows: np.moveaxis(rows.reshape(C, N, *x.shape[2:]), 0, 1)


@pytest.mark.parametrize("kind", KINDS)
def test_samples_are_normalized_independently(kind):
    x, gamma, beta = inputs((3, 4, 3, 3), seed=4)
    out, _ = forward(kind, x, gamma, beta, num_groups=2)
    alone, _ = forward(kind, x[1:2], gamma, beta, num_groups=2)
    expect_close(out[1:2], alone, f"{label(kind, 2)}: out for sample 1 inside a batch of 3",
                 rtol=1e-10, reference="the same sample normalized alone (a batch of 1)")


@pytest.mark.parametrize("kind", KINDS)
def test_constant_input_stays_finite(kind):
    """Zero variance: x_hat is 0, so out is beta everywhere and eps keeps 1/sqrt finite."""
    _, gamma, beta = inputs((2, 4, 3, 3), seed=5)
    x = np.full((2, 4, 3, 3), 0.7)
    out, cache = forward(kind, x, gamma, beta, num_groups=2)
    expect_close(out, np.broadcast_to(beta.reshape(1, -1, 1, 1), x.shape),
                 f"{label(kind, 2)} of a constant input: out", rtol=1e-6,
                 reference="beta (a constant normalizes to 0)")
    backward(kind, np.random.default_rng(6).standard_normal(x.shape), cache)  # finite, checked


def normalized(x, groups, eps):
    """x normalized per (sample, group of C // groups channels), in float64: what gamma = 1,
    beta = 0 must give, with the centred biased variance."""
    blocks = np.asarray(x, np.float64).reshape(x.shape[0], groups, -1)
    centred = blocks - blocks.mean(axis=2, keepdims=True)
    return (centred / np.sqrt((centred ** 2).mean(axis=2, keepdims=True) + eps)).reshape(x.shape)


@pytest.mark.rules
@pytest.mark.parametrize("kind", KINDS)
def test_default_eps_is_pytorchs(kind):
    """Called without eps, every norm uses 1e-5: with set variances of 1e-5 to 1e-3, another
    default moves the output by percents."""
    x, _, _ = inputs((2, 4, 3, 3), seed=8)
    x = x * 1e-2
    C = x.shape[1]
    out, _ = forward(kind, x, np.ones(C), np.zeros(C), num_groups=2)
    expect_close(out, normalized(x, groups_of(kind, C, 2), 1e-5),
                 f"{label(kind, 2)} with eps left out, gamma=1, beta=0: out",
                 reference="x normalized with eps=1e-5",
                 note=f"Leave eps out and it must be 1e-5, as in PyTorch: the signature is "
                      f"{PREFIX[kind]}_forward(x, gamma, beta{', num_groups' * (kind == 'groupnorm')}, "
                      f"eps=1e-5).")


@pytest.mark.rules
@pytest.mark.parametrize("kind", KINDS)
def test_float32_with_a_large_mean(kind):
    """float32 values around 1e4 with a spread of 1: mean(x**2) - mean(x)**2 subtracts two numbers
    of 1e8 stored to within 8 (NaN, or anything); the centred variance stays within 2e-3."""
    rng = np.random.default_rng(9)
    x = (1e4 + random_array(rng, (2, 4, 5, 5))).astype(np.float32)
    C = x.shape[1]
    out, _ = forward(kind, x, np.ones(C, np.float32), np.zeros(C, np.float32), num_groups=2)
    expect_close(out, normalized(x, groups_of(kind, C, 2), 1e-5),
                 f"{label(kind, 2)} of float32 values 1e4 + N(0, 1), gamma=1, beta=0: out",
                 rtol=1e-2, floor=1.0, reference="the same x normalized in float64",
                 note="A mean large against the spread needs the centred variance, "
                      "mean((x - mean)**2) (np.var): mean(x**2) - mean(x)**2 cancels to noise "
                      "in float32.")


# The loop rule: grow the batch, the channels, the groups one at a time from (N, C, G) =
# (2, 4, 2); one reshape and reductions over the set's axes run the same lines at every size.
LOOP_SMALL = (2, 4, 2)
LOOP_GROWN = {  # kind -> [((N, C, G), what grew, the loop that would explain it)]
    "layernorm": [((16, 4, 2), "the batch grew from 2 to 16 samples", "samples"),
                  ((2, 32, 2), "the channels grew from 4 to 32", "channels")],
    "groupnorm": [((16, 4, 2), "the batch grew from 2 to 16 samples", "samples"),
                  ((2, 32, 2), "the channels grew from 4 to 32 (2 groups)", "channels"),
                  ((2, 32, 16), "the groups grew from 2 to 16 (and the channels from 4 to 32)",
                   "groups (or channels)")],
    "instancenorm": [((16, 4, 2), "the batch grew from 2 to 16 samples", "samples"),
                     ((2, 32, 2), "the channels grew from 4 to 32 (one set each)",
                      "channels")],
}
WHY_NO_SET_LOOP = (
    "Why it matters: every sample, channel or group the loop visits is one more round of "
    "Python driving small NumPy calls, so the cost grows with the batch and the width (Topic "
    "12's bench: 202 ms for Python loops where the vectorized layer takes 45 ms). One reshape "
    "to (N, G, C // G, H, W) and means over axes (2, 3, 4) treat every set at once.")


def _loop_call(kind, direction, size):
    """The call to count: `kind`'s forward or backward on (N, C, 3, 3) with G groups."""
    n, c, g = size
    x, gamma, beta = inputs((n, c, 3, 3), seed=n + c + g)
    if direction == "forward":
        return lambda: forward(kind, x, gamma, beta, num_groups=g)
    out, cache = forward(kind, x, gamma, beta, num_groups=g)
    dout = random_array(np.random.default_rng(g), out.shape)
    return lambda: backward(kind, dout, cache)


@pytest.mark.rules
@pytest.mark.parametrize("direction", ["forward", "backward"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_python_loop_over_samples_channels_or_groups(kind, direction):
    expect_no_loop_over(f"{PREFIX[kind]}_{direction}",
                        lambda size: _loop_call(kind, direction, size), LOOP_SMALL,
                        LOOP_GROWN[kind], WHY_NO_SET_LOOP)


def test_num_groups_must_divide_channels():
    x, gamma, beta = inputs((2, 6, 3, 5))
    expect_refusal(norms, "groupnorm_forward", (x, gamma, beta), {"num_groups": 4},
                   "x with C=6 and num_groups=4",
                   "4 groups cannot split 6 channels evenly: check C % num_groups first and "
                   "raise ValueError naming C and num_groups.", numbers=(6, 4))


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_params(TOPIC))
def test_forward_matches_pytorch(case):
    c = require_case(case)
    kind, groups = c["kind"], c.get("num_groups")
    out, _ = forward(kind, c["x"], c["gamma"], c["beta"], groups, eps=c["eps"])
    expect_close(out, c["out"], f"{label(kind, groups, c['eps'])}: out",
                 reference="PyTorch's group_norm / instance_norm")


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_params(TOPIC))
def test_backward_matches_pytorch(case):
    c = require_case(case)
    kind, groups = c["kind"], c.get("num_groups")
    _, cache = forward(kind, c["x"], c["gamma"], c["beta"], groups, eps=c["eps"])
    grads = backward(kind, c["dout"], cache)
    for name, grad in zip(GRADS, grads):
        expect_close(grad, c[name], f"{PREFIX[kind]}_backward after "
                     f"{label(kind, groups, c['eps'])}: {name}", reference="PyTorch's autograd")


@pytest.mark.gradient
@pytest.mark.parametrize("kind, x_shape, num_groups", GRADIENT_CASES,
                         ids=[f"{k}-{case_id(x=x, g=g) if g else case_id(x=x)}"
                              for k, x, g in GRADIENT_CASES])
@pytest.mark.parametrize("wrt", ["x", "gamma", "beta"])
def test_gradient_matches_finite_differences(kind, x_shape, num_groups, wrt):
    values = dict(zip(("x", "gamma", "beta"), inputs(x_shape, seed=1)))
    out, cache = forward(kind, **values, num_groups=num_groups)
    dout = np.random.default_rng(2).standard_normal(out.shape)
    analytic = backward(kind, dout, cache)[("x", "gamma", "beta").index(wrt)]

    def forward_of(value):
        return forward(kind, **{**values, wrt: value}, num_groups=num_groups)[0]

    numeric = numerical_gradient(forward_of, values[wrt], dout)
    expect_close_to_finite_differences(
        analytic, numeric, f"{PREFIX[kind]}_backward after {label(kind, num_groups)}: d{wrt}")
