"""Specs for the milestone run, on a small synthetic dataset (seconds, no download):
the layers it is built from (Topics 12-14, through this topic's `layers` module) agree between
float32 and float64, a short run learns and writes its metrics, and an interrupted run
resumed from its checkpoint ends exactly where an uninterrupted one does."""

import json

import numpy as np
import pytest

from milestone import train as trainer
from milestone.network import Network
from specs.harness import Kata, expect_close, fail
from specs.harness.impl import current_impl, import_topic_module

TOPIC = "topic17_cifar10_from_scratch"
layers = Kata(TOPIC, "layers")


def _modules():
    try:
        return import_topic_module(TOPIC, "pipeline"), import_topic_module(TOPIC, "layers")
    except NotImplementedError as err:
        fail(f"not implemented yet: {err}")
    except Exception as err:
        fail(f"{current_impl()}/{TOPIC} could not be imported: {type(err).__name__}: {err}")


# ----------------------------------------------------------------------------- layers
LAYER_CASES = [  # name, forward args after x, x shape
    ("conv3x3", (3, 1), (3, 5, 9, 7)),
    ("conv2x2_valid", (2, 0), (2, 3, 8, 8)),
    ("maxpool2", 2, (2, 4, 7, 9)),
    ("maxpool3", 3, (3, 6, 3, 3)),
    ("batchnorm_train", True, (4, 5, 3, 3)),
    ("batchnorm_eval", False, (4, 5, 3, 3)),
    ("relu", None, (2, 3, 4, 4)),
]


def _layer(name, arg, x, rng_seed=0):
    """(forward out, backward grads) of one layer of the milestone network, in x's dtype."""
    rng = np.random.default_rng(rng_seed)
    dt = x.dtype
    if name.startswith("conv"):
        k, pad = arg
        w = rng.standard_normal((4, x.shape[1], k, k)).astype(dt)
        b = rng.standard_normal(4).astype(dt)
        out, cache = layers.forward("conv2d_forward", x, w, b, 1, pad)
        grads = layers.backward("conv2d_backward", _dout(out), cache, grads=("dx", "dw", "db"))
    elif name.startswith("maxpool"):
        out, cache = layers.forward("maxpool2d_forward", x, arg)
        grads = layers.backward("maxpool2d_backward", _dout(out), cache, grads=("dx",))
    elif name.startswith("batchnorm"):
        c = x.shape[1]
        state = {"running_mean": np.linspace(-1, 1, c).astype(dt),
                 "running_var": np.linspace(0.5, 2, c).astype(dt)}
        gamma, beta = (1 + rng.standard_normal(c)).astype(dt), rng.standard_normal(c).astype(dt)
        out, cache = layers.forward("batchnorm2d_forward", x, gamma, beta, state, arg, 0.4, 1e-5)
        grads = layers.backward("batchnorm2d_backward", _dout(out), cache,
                                grads=("dx", "dgamma", "dbeta"))
        grads = (*grads, state["running_mean"], state["running_var"])
    else:
        out, cache = layers.forward("relu_forward", x)
        grads = layers.backward("relu_backward", _dout(out), cache, grads=("dx",))
    return out, grads


def _dout(out):
    return np.cos(np.arange(out.size)).reshape(out.shape).astype(out.dtype)


@pytest.mark.fixture
@pytest.mark.parametrize("name, arg, shape", LAYER_CASES, ids=[c[0] for c in LAYER_CASES])
def test_layers_agree_in_float32_and_float64(name, arg, shape):
    """The milestone trains in float32: it must compute what the float64 layers compute, to
    float32 precision, also on channels-last views (specs/fastpath checks the fast layer set)."""
    x64 = np.random.default_rng(1).standard_normal(shape)
    out64, grads64 = _layer(name, arg, x64)
    x32 = np.ascontiguousarray(x64.astype(np.float32).transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    out32, grads32 = _layer(name, arg, x32)
    if out32.dtype != np.float32:
        fail(f"{name}: float32 in gave {out32.dtype} out.")
    expect_close(out32, out64, f"{name} forward in float32", rtol=2e-4,
                 reference="the same layer in float64")
    for i, (g32, g64) in enumerate(zip(grads32, grads64, strict=True)):
        expect_close(np.asarray(g32), np.asarray(g64), f"{name} backward output {i} in float32",
                     rtol=2e-3, reference="the same layer in float64")


# ----------------------------------------------------------------------------- short runs
def synthetic_cifar(n_train=384, n_test=128, size=16, seed=0, noise=8):
    """Images of one flat colour per class plus uniform noise of +-`noise` levels: learnable in a
    few dozen steps. 16x16 rather than 32x32 keeps the specs fast (the network's last pooling
    adapts). Noise of +-30 made the run slow to learn: the whitening layer scales the noise up
    to the size of the colour signal."""
    rng = np.random.default_rng(seed)
    palette = np.array([(r, g, b) for r in (40, 215) for g in (40, 128, 215) for b in (40, 215)])
    palette = palette[:10]

    def make(n):
        y = rng.integers(0, 10, n)
        x = palette[y][:, :, None, None] + rng.integers(-noise, noise + 1, (n, 3, size, size))
        return np.clip(x, 0, 255).astype(np.uint8), y.astype(np.int64)
    x_train, y_train = make(n_train)
    x_test, y_test = make(n_test)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _config(**kw):
    base = dict(impl=current_impl(), budget=60.0, seed=3, batch=64, widths=(8, 8, 16),
                epochs=2.0, log_every=1)
    return trainer.Config(**{**base, **kw})


def _run(tmp_path, name, cfg, resume=False):
    pipeline, layer_set = _modules()
    try:
        return trainer.train(cfg, pipeline, layer_set, synthetic_cifar(), tmp_path / name, resume)
    except NotImplementedError as err:
        fail(f"not implemented yet: {err} (the milestone run needs it)")


# The short run that must learn: 72 steps of 64 images at 4x the milestone's learning rate
# (8x diverged on a few seeds). Measured over seeds 0-19 for the reference and two other valid
# random-number orders in random_crop_flip (mistakes/valid/topic17_cifar10_from_scratch): test
# accuracy 0.52 at the least, median about 0.76 (chance is 0.10). 2 epochs at the milestone's
# rate on noisier images gave 0.09-0.45: a threshold of 0.2 there rejected correct code by luck.
SHORT_RUN = dict(epochs=12.0, lr=46.0)
LEARNED = 0.3   # test accuracy: 3x chance, well under the worst correct run measured


@pytest.mark.shape
def test_short_run_writes_metrics(tmp_path):
    result = _run(tmp_path, "run", _config(**SHORT_RUN))
    metrics = result["metrics"]
    for key in ("test_accuracy", "test_accuracy_tta", "test_accuracy_tta_translate", "epochs",
                "train_seconds", "images_per_second", "peak_rss_mb", "seed", "impl"):
        if key not in metrics:
            fail(f"the milestone's metrics lack {key!r}")
    json.dumps(metrics)  # must be JSON-serializable
    steps = round(SHORT_RUN["epochs"] * 384 / 64)
    if metrics["epochs"] != pytest.approx(SHORT_RUN["epochs"]):
        fail(f"--epochs {SHORT_RUN['epochs']:g} should train {SHORT_RUN['epochs']:g} epochs (of "
             f"whole batches), got {metrics['epochs']}")
    if metrics["test_accuracy"] < LEARNED:
        history = result["report"]["history"]
        losses = (f"; the training loss went from {history[0]['loss']:.2f} (step 1) to "
                  f"{history[-1]['loss']:.2f} (step {history[-1]['step']})" if history else "")
        fail(f"the network does not learn: after {steps} training steps of 64 images "
             f"({SHORT_RUN['epochs']:g} epochs of 384 synthetic 16x16 images, one flat colour "
             f"per class plus a little noise) its test accuracy (evaluate on 128 new images) is "
             f"{metrics['test_accuracy']:.2f}{losses}. Chance is 0.10; every correct pipeline "
             f"tried scores {LEARNED} or more here, whatever order its random_crop_flip draws "
             f"in. Check train_step (forward in train mode, the loss, its gradient, backward, "
             f"sgd_step: the update must lower the loss) and evaluate (eval mode, argmax).")


@pytest.mark.fixture
def test_interrupted_run_resumes_losslessly(tmp_path, monkeypatch):
    straight = _run(tmp_path, "straight", _config())
    interrupted = {"checks": 0}

    class InterruptAfterFiveSteps(trainer.Interrupt):
        @property
        def requested(self):
            interrupted["checks"] += 1
            return interrupted["checks"] > 5

        @requested.setter
        def requested(self, value):
            pass

    monkeypatch.setattr(trainer, "Interrupt", InterruptAfterFiveSteps)
    if _run(tmp_path, "resumed", _config()):
        fail("an interrupted run should stop and return nothing")
    monkeypatch.setattr(trainer, "Interrupt", trainer.Interrupt.__mro__[1])
    resumed = _run(tmp_path, "resumed", _config(), resume=True)
    for key in ("test_accuracy", "test_accuracy_tta", "steps"):
        if resumed["metrics"][key] != straight["metrics"][key]:
            fail(f"resuming changed {key}: {resumed['metrics'][key]} vs "
                 f"{straight['metrics'][key]} without the interruption")
    a = np.load(tmp_path / "straight" / "checkpoint.npz")
    b = np.load(tmp_path / "resumed" / "checkpoint.npz")
    for key in a.files:
        if key != "meta" and not np.array_equal(a[key], b[key]):
            fail(f"after resuming, {key} differs from the uninterrupted run's")


@pytest.mark.gradient
def test_network_parameter_gradients_match_finite_differences():
    """The milestone network's backward (built from your layers) against finite differences."""
    _, layer_set = _modules()
    rng = np.random.default_rng(4)
    net = Network(layer_set, widths=(2, 3, 3))
    params, state = net.init(rng, rng.standard_normal((8, 3, 32, 32)))
    params = {k: v.astype(np.float64) for k, v in params.items()}
    x = rng.standard_normal((2, 3, 32, 32))
    dlogits = rng.standard_normal((2, 10))
    try:
        _, cache = net.forward(params, _copy(state), x, True)
        grads = net.backward(dlogits, cache)
    except NotImplementedError as err:
        fail(f"not implemented yet: {err}")
    for name in ("fc_w", "g3_bn2_beta", "whiten_b"):
        p = params[name]
        idx = (0,) * p.ndim
        step = 1e-5
        vals = []
        for sign in (1, -1):
            q = dict(params)
            q[name] = p.copy()
            q[name][idx] += sign * step
            vals.append(np.sum(net.forward(q, _copy(state), x, True)[0] * dlogits))
        numeric = (vals[0] - vals[1]) / (2 * step)
        if not np.isclose(grads[name][idx], numeric, rtol=1e-4, atol=1e-7):
            fail(f"network gradient of {name}{list(idx)}: {grads[name][idx]:.6g}, finite "
                 f"differences {numeric:.6g}")


def _copy(state):
    return {k: ({kk: vv.copy() for kk, vv in v.items()} if isinstance(v, dict) else v)
            for k, v in state.items()}
