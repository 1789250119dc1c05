"""Every reference solution against PyTorch on random shapes (`tox -e oracle`).

The topic specs use fixed cases; this suite draws many random configurations (strides,
paddings, dilations, groups, non-square inputs and kernels, batch 1) from a seeded generator and
compares each public function with torch.nn.functional in float64 (and float32 at a float32
tolerance). It needs PyTorch, so it lives outside the spec environments: `tox -e oracle` installs
torch==2.13.0 and runs it against the solutions (or `-- --impl katas` against yours).
"""

import numpy as np
import pytest

from specs.harness import Kata, expect_close

torch = pytest.importorskip("torch", reason="the oracle needs PyTorch: run it with `tox -e oracle`")
F = torch.nn.functional

RTOL64, RTOL32 = 1e-7, 2e-4
DRAWS = 12

conv11 = Kata("topic11_conv2d_sliding_window", "conv2d")
conv12 = Kata("topic12_im2col_vectorization", "im2col")
pool13 = Kata("topic13_pooling_strides", "pooling")
res14 = Kata("topic14_resnet_skip_connections", "residual")
conv15 = Kata("topic15_modern_convolutions", "modern_conv")
norm16 = Kata("topic16_advanced_normalizations", "norms")


def draw_conv(rng, groups_allowed=False, dilation_allowed=False):
    """A random, valid convolution configuration."""
    groups = int(rng.choice([1, 2, 3])) if groups_allowed else 1
    c_in, c_out = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
    kh, kw = (int(k) for k in rng.integers(1, 5, size=2))
    sh, sw = (int(s) for s in rng.integers(1, 4, size=2))
    ph, pw = (int(p) for p in rng.integers(0, 3, size=2))
    dh, dw = (int(d) for d in rng.integers(1, 3, size=2)) if dilation_allowed else (1, 1)
    h = int(rng.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 10))
    w = int(rng.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 10))
    n = int(rng.choice([1, 2, 3]))
    return dict(x_shape=(n, c_in, h, w), w_shape=(c_out, c_in // groups, kh, kw),
                stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=groups)


def torch_conv(x, w, b, dout, **kw):
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = F.conv2d(tx, tw, tb, **kw)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy()


def random_conv_inputs(rng, cfg, dtype):
    x = rng.standard_normal(cfg["x_shape"]).astype(dtype)
    w = rng.standard_normal(cfg["w_shape"]).astype(dtype)
    b = rng.standard_normal(cfg["w_shape"][0]).astype(dtype)
    return x, w, b


def check_conv(kata, forward, backward, rng, cfg, dtype, **extra):
    x, w, b = random_conv_inputs(rng, cfg, dtype)
    torch_kw = dict(stride=cfg["stride"], padding=cfg["padding"], **extra)
    out, cache = kata.forward(forward, x, w, b, **torch_kw)
    dout = rng.standard_normal(out.shape).astype(dtype)
    expected = torch_conv(*(a.astype(np.float64) for a in (x, w, b, dout)), **torch_kw)
    rtol = RTOL64 if dtype == np.float64 else RTOL32
    grads = kata.backward(backward, dout, cache, grads=("dx", "dw", "db"))
    for name, got, want in zip(("out", "dx", "dw", "db"), (out, *grads), expected):
        expect_close(got, want, f"{forward} {cfg} {np.dtype(dtype).name}: {name}", rtol=rtol,
                     reference="PyTorch")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("draw", range(DRAWS))
def test_topic11_conv(draw, dtype):
    rng = np.random.default_rng(1100 + draw)
    check_conv(conv11, "conv2d_forward_naive", "conv2d_backward_naive", rng, draw_conv(rng), dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("draw", range(DRAWS))
def test_topic12_conv(draw, dtype):
    rng = np.random.default_rng(1200 + draw)
    check_conv(conv12, "conv2d_forward", "conv2d_backward", rng, draw_conv(rng), dtype)


@pytest.mark.parametrize("draw", range(DRAWS))
def test_topic12_im2col_is_unfold_and_col2im_is_fold(draw):
    rng = np.random.default_rng(1250 + draw)
    cfg = draw_conv(rng, dilation_allowed=True)
    n, c, h, w = cfg["x_shape"]
    kernel = cfg["w_shape"][2:]
    geometry = dict(stride=cfg["stride"], padding=cfg["padding"], dilation=cfg["dilation"])
    x = rng.standard_normal(cfg["x_shape"])
    cols = conv12.call("im2col", x, kernel, **geometry)
    unfolded = F.unfold(torch.tensor(x), kernel, **geometry).numpy()  # (N, C*KH*KW, L)
    expect_close(cols, unfolded.transpose(0, 2, 1).reshape(-1, unfolded.shape[1]),
                 f"im2col {cfg}", reference="torch unfold")
    y = rng.standard_normal(cols.shape)
    folded = F.fold(torch.tensor(y.reshape(n, -1, y.shape[1]).transpose(0, 2, 1).copy()),
                    (h, w), kernel, **geometry).numpy()
    expect_close(conv12.call("col2im", y, x.shape, kernel, **geometry), folded,
                 f"col2im {cfg}", reference="torch fold")


def draw_pool(rng):
    kh, kw = (int(k) for k in rng.integers(1, 5, size=2))
    stride = None if rng.random() < 0.2 else tuple(int(s) for s in rng.integers(1, 4, size=2))
    ph, pw = int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1))
    h, w = int(rng.integers(kh, 11)), int(rng.integers(kw, 11))
    return dict(x_shape=(int(rng.choice([1, 2])), int(rng.integers(1, 4)), h, w),
                kernel_size=(kh, kw), stride=stride, padding=(ph, pw))


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("draw", range(DRAWS))
def test_topic13_pooling(draw, kind):
    rng = np.random.default_rng(1300 + draw)
    cfg = draw_pool(rng)
    x = rng.standard_normal(cfg["x_shape"])  # continuous values: no ties
    geometry = dict(kernel_size=cfg["kernel_size"], stride=cfg["stride"], padding=cfg["padding"])
    out, cache = pool13.forward(f"{kind}pool2d_forward", x, **geometry)
    dout = rng.standard_normal(out.shape)
    tx = torch.tensor(x, requires_grad=True)
    pool = F.max_pool2d if kind == "max" else F.avg_pool2d
    expected = pool(tx, **geometry)
    expected.backward(torch.tensor(dout))
    (dx,) = pool13.backward(f"{kind}pool2d_backward", dout, cache, grads=("dx",))
    expect_close(out, expected.detach().numpy(), f"{kind}pool2d_forward {cfg}", reference="PyTorch")
    expect_close(dx, tx.grad.numpy(), f"{kind}pool2d_backward {cfg}", reference="PyTorch")


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("draw", range(DRAWS // 2))
def test_topic14_batchnorm(draw, train):
    rng = np.random.default_rng(1400 + draw)
    n, c, h, w = int(rng.integers(2, 5)), int(rng.integers(1, 5)), *(int(s) for s in rng.integers(1, 6, 2))
    x, dout = rng.standard_normal((n, c, h, w)) * 3 + 1, rng.standard_normal((n, c, h, w))
    gamma, beta = rng.standard_normal(c), rng.standard_normal(c)
    mean, var = rng.standard_normal(c), rng.random(c) + 0.5
    state = {"running_mean": mean.copy(), "running_var": var.copy()}
    out, cache = res14.forward("batchnorm2d_forward", x, gamma, beta, state, train=train)
    t = [torch.tensor(a, requires_grad=True) for a in (x, gamma, beta)]
    t_mean, t_var = torch.tensor(mean), torch.tensor(var)
    expected = F.batch_norm(t[0], t_mean, t_var, t[1], t[2], training=train, momentum=0.1, eps=1e-5)
    expected.backward(torch.tensor(dout))
    grads = res14.backward("batchnorm2d_backward", dout, cache, grads=("dx", "dgamma", "dbeta"))
    expect_close(out, expected.detach().numpy(), "batchnorm2d_forward out", reference="PyTorch")
    for name, got, want in zip(("dx", "dgamma", "dbeta"), grads, t):
        expect_close(got, want.grad.numpy(), f"batchnorm2d_backward {name}", reference="PyTorch")
    expect_close(state["running_mean"], t_mean.numpy(), "running_mean", reference="PyTorch")
    expect_close(state["running_var"], t_var.numpy(), "running_var", reference="PyTorch")


@pytest.mark.parametrize("draw", range(DRAWS))
def test_topic15_grouped_dilated_conv(draw):
    rng = np.random.default_rng(1500 + draw)
    cfg = draw_conv(rng, groups_allowed=True, dilation_allowed=True)
    check_conv(conv15, "conv2d_forward", "conv2d_backward", rng, cfg, np.float64,
               dilation=cfg["dilation"], groups=cfg["groups"])


@pytest.mark.parametrize("draw", range(DRAWS))
def test_topic15_depthwise_conv(draw):
    rng = np.random.default_rng(1550 + draw)
    cfg = draw_conv(rng, dilation_allowed=True)
    c = cfg["x_shape"][1]
    cfg["w_shape"] = (c, 1, *cfg["w_shape"][2:])
    x, w, b = random_conv_inputs(rng, cfg, np.float64)
    geometry = dict(stride=cfg["stride"], padding=cfg["padding"], dilation=cfg["dilation"])
    out, cache = conv15.forward("depthwise_conv2d_forward", x, w, b, **geometry)
    dout = rng.standard_normal(out.shape)
    expected = torch_conv(x, w, b, dout, groups=c, **geometry)
    grads = conv15.backward("depthwise_conv2d_backward", dout, cache, grads=("dx", "dw", "db"))
    for name, got, want in zip(("out", "dx", "dw", "db"), (out, *grads), expected):
        expect_close(got, want, f"depthwise_conv2d {cfg}: {name}", reference="PyTorch")


@pytest.mark.parametrize("kind", ["layernorm2d", "groupnorm", "instancenorm"])
@pytest.mark.parametrize("draw", range(DRAWS // 2))
def test_topic16_norms(draw, kind):
    rng = np.random.default_rng(1600 + draw)
    groups = int(rng.integers(1, 4))
    c = groups * int(rng.integers(1, 4))
    shape = (int(rng.integers(1, 4)), c, *(int(s) for s in rng.integers(1, 6, 2)))
    x, dout = rng.standard_normal(shape) * 2 - 1, rng.standard_normal(shape)
    gamma, beta = rng.standard_normal(c), rng.standard_normal(c)
    torch_groups = {"layernorm2d": 1, "groupnorm": groups, "instancenorm": c}[kind]
    extra = {"num_groups": groups} if kind == "groupnorm" else {}
    if c == 1 and kind == "instancenorm" and shape[2] * shape[3] == 1:
        pytest.skip("a single value per instance has no variance to normalize")
    out, cache = norm16.forward(f"{kind}_forward", x, gamma, beta, **extra)
    t = [torch.tensor(a, requires_grad=True) for a in (x, gamma, beta)]
    expected = F.group_norm(t[0], torch_groups, t[1], t[2], eps=1e-5)
    expected.backward(torch.tensor(dout))
    grads = norm16.backward(f"{kind}_backward", dout, cache, grads=("dx", "dgamma", "dbeta"))
    expect_close(out, expected.detach().numpy(), f"{kind} {shape} out", reference="PyTorch")
    for name, got, want in zip(("dx", "dgamma", "dbeta"), grads, t):
        expect_close(got, want.grad.numpy(), f"{kind} {shape} {name}", reference="PyTorch",
                     rtol=1e-6)
