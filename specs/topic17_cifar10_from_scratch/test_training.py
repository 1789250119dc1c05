"""Specs for Topic 17's training functions: softmax cross-entropy (forward/backward), sgd_step,
train_step and evaluate. The golden values come from PyTorch (F.cross_entropy, optim.SGD)."""

import numpy as np
import pytest

from specs.harness import Kata, expect_close, expect_dtype, expect_shape, fail, numerical_gradient
from specs.harness.cases import fixture_params, require_case
from specs.harness.gradcheck import relative_error

TOPIC = "topic17_cifar10_from_scratch"
pipe = Kata(TOPIC, "pipeline")
CASES = fixture_params(TOPIC)


def _cases(prefix):
    return [c for c in CASES if c.id.startswith(prefix) or c.id == "fixture-file-missing"]


def _forward_loss(logits, labels, smoothing):
    result = pipe.call("softmax_cross_entropy_forward", logits, labels, smoothing)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("softmax_cross_entropy_forward should return a pair (loss, cache).")
    loss, cache = result
    if np.ndim(loss) != 0:
        fail(f"softmax_cross_entropy_forward: the loss should be one number (the mean over the "
             f"batch), got shape {np.shape(loss)}.")
    return float(loss), cache


# ----------------------------------------------------------------------------- cross-entropy
@pytest.mark.fixture
@pytest.mark.parametrize("case", _cases("ce_"))
def test_cross_entropy_matches_pytorch(case):
    c = require_case(case)
    loss, cache = _forward_loss(c["logits"], c["labels"], c["label_smoothing"])
    expect_close(np.array(loss), c["loss"], f"softmax_cross_entropy_forward(label_smoothing="
                 f"{c['label_smoothing']}): loss", reference="PyTorch's F.cross_entropy")
    (dlogits,) = pipe.backward("softmax_cross_entropy_backward", c["dloss"], cache,
                               grads=("dlogits",))
    expect_close(dlogits, c["dlogits"], f"softmax_cross_entropy_backward(dloss={c['dloss']}): "
                 f"dlogits", reference="PyTorch's autograd")


@pytest.mark.gradient
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_backward_matches_finite_differences(smoothing):
    rng = np.random.default_rng(8)
    logits, labels = rng.standard_normal((4, 6)) * 2, rng.integers(0, 6, 4)
    _, cache = _forward_loss(logits, labels, smoothing)
    (got,) = pipe.backward("softmax_cross_entropy_backward", 1.0, cache, grads=("dlogits",))
    numeric = numerical_gradient(lambda z: np.array(_forward_loss(z, labels, smoothing)[0]),
                                 logits, np.array(1.0))
    if relative_error(got, numeric) > 1e-6:
        fail(f"softmax_cross_entropy_backward(label_smoothing={smoothing}) disagrees with finite "
             f"differences of your forward (relative error {relative_error(got, numeric):.1e}): "
             f"the gradient of the mean loss is (softmax - target) / N.")


@pytest.mark.rules
def test_cross_entropy_backward_leaves_its_cache_alone():
    """A backward may be called again on the same cache (twice per step, or to check it): it must
    give the same gradient, so it may not change what its cache holds."""
    rng = np.random.default_rng(12)
    logits, labels = rng.standard_normal((5, 4)) * 2, rng.integers(0, 4, 5)
    _, cache = _forward_loss(logits, labels, 0.1)
    (first,) = pipe.backward("softmax_cross_entropy_backward", 1.0, cache, grads=("dlogits",))
    first = first.copy()
    (second,) = pipe.backward("softmax_cross_entropy_backward", 1.0, cache, grads=("dlogits",))
    expect_close(second, first, "softmax_cross_entropy_backward(1.0) called a second time on the "
                 "same cache: dlogits", rtol=1e-12, reference="its first result",
                 note="Your backward changed its cache (an in-place probs -= target, or "
                      "probs[range(N), labels] -= 1, on the cached probabilities): compute "
                      "(probs - target) * (dloss / N) into a new array and leave the cache as "
                      "the forward made it.")


def _finite_once_shifted(logits, labels, smoothing) -> bool:
    """Whether the learner's loss is finite for the same logits with each row's maximum taken
    off first (the softmax and the loss are unchanged by that shift)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return bool(np.isfinite(_forward_loss(shifted, labels, smoothing)[0]))


@pytest.mark.rules
def test_cross_entropy_float32_and_extreme_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [-50.0, 80.0, 3.0]], np.float32)
    loss, cache = _forward_loss(logits, np.array([0, 2]), 0.1)
    if np.isnan(loss):
        fail("softmax_cross_entropy_forward returned NaN for logits of +-1000: exp(1000) "
             "overflows to inf, and inf / inf is NaN. Subtract each row's maximum before "
             "exponentiating.")
    if not np.isfinite(loss) and _finite_once_shifted(logits, np.array([0, 2]), 0.1):
        fail(f"softmax_cross_entropy_forward returned {loss} for logits of +-1000, and a finite "
             f"loss once each row's maximum is subtracted from the logits before the call (the "
             f"same softmax): exp(1000) overflows to inf in your code. Subtract each row's "
             f"maximum inside, before exponentiating.")
    if not np.isfinite(loss):
        fail(f"softmax_cross_entropy_forward returned {loss} for logits of +-1000: a probability "
             f"underflowed to 0 and log(0) is -inf (subtracting the maximum keeps exp finite, but "
             f"exp(-1000) is still 0). Take the log before dividing: log-softmax, "
             f"log p = (z - max) - log(sum(exp(z - max))), needs no log of a tiny probability.")
    (d,) = pipe.backward("softmax_cross_entropy_backward", 1.0, cache, grads=("dlogits",))
    expect_shape(d, logits.shape, "softmax_cross_entropy_backward: dlogits")
    expect_dtype(d, np.float32, "softmax_cross_entropy_backward: dlogits")


# ----------------------------------------------------------------------------- SGD
@pytest.mark.fixture
@pytest.mark.parametrize("case", _cases("sgd_"))
def test_sgd_step_matches_pytorch(case):
    c = require_case(case)
    params = {k: c[f"{k}_0"].copy() for k in ("w", "b")}
    originals = dict(params)
    velocity = {}
    for step in range(c["steps"]):
        grads = {k: c[f"grad_{k}_{step}"] for k in params}
        pipe.call("sgd_step", params, grads, velocity, c["lr"], c["momentum"],
                  c["weight_decay"], c["nesterov"])
        for k in params:
            if params[k] is not originals[k]:
                fail("sgd_step should update each parameter array in place (p -= ...), not "
                     "put a new array in the dict: the caller's references must see the update.")
            if c["momentum"] and not isinstance(velocity.get(k), np.ndarray):
                fail(f"sgd_step (momentum={c['momentum']}) left no velocity[{k!r}] in the dict "
                     f"it was given (empty at the first step). Store each parameter's velocity "
                     f"there: the caller keeps it between steps and saves it in checkpoints.")
            expect_close(params[k], c[f"{k}_{step + 1}"],
                         f"sgd_step(momentum={c['momentum']}, weight_decay={c['weight_decay']}, "
                         f"nesterov={c['nesterov']}, lr={c['lr']}): params[{k!r}] after step "
                         f"{step + 1}", reference="torch.optim.SGD")


@pytest.mark.rules
def test_sgd_step_leaves_grads_alone_and_keeps_float32():
    params = {"w": np.ones((2, 3), np.float32)}
    grads = {"w": np.full((2, 3), 0.5, np.float32)}
    before = grads["w"].copy()
    velocity = {"w": np.zeros((2, 3), np.float32)}
    pipe.call("sgd_step", params, grads, velocity, 0.1, 0.9, 1e-2, True)
    if not np.array_equal(grads["w"], before):
        fail("sgd_step modified grads: add weight decay into a new array (g = grad + wd * p).")
    expect_dtype(params["w"], np.float32, "sgd_step: params['w']")
    expect_dtype(velocity["w"], np.float32, "sgd_step: velocity['w']")
    expect_close(velocity["w"], np.full((2, 3), 0.51), "sgd_step: velocity['w'] after one step "
                 "from zeros (momentum 0.9, weight_decay 1e-2, p = 1, g = 0.5)", rtol=1e-6,
                 reference="v = momentum * v + (g + weight_decay * p), the dict's new entry")


@pytest.mark.rules
def test_sgd_step_creates_velocity_in_the_parameters_dtype():
    """An empty velocity dict (the first step): the new velocity of a float32 parameter is float32."""
    params = {"w": np.ones((2, 3), np.float32)}
    grads = {"w": np.full((2, 3), 0.5, np.float32)}
    velocity = {}
    pipe.call("sgd_step", params, grads, velocity, 0.1, 0.9, 1e-2, True)
    if not isinstance(velocity.get("w"), np.ndarray):
        fail("sgd_step (momentum=0.9) left no velocity['w'] in the empty dict it was given. Store "
             "each parameter's velocity there: the caller keeps it between steps.")
    expect_dtype(velocity["w"], np.float32, "sgd_step: velocity['w'] created at the first step "
                 "for a float32 parameter (np.zeros_like(p) has p's dtype; np.zeros(p.shape) is "
                 "float64)")
    expect_dtype(params["w"], np.float32, "sgd_step: params['w']")


@pytest.mark.fixture
def test_sgd_step_takes_per_parameter_weight_decay():
    """weight_decay as a dict (the milestone's): each parameter gets its own, as if sgd_step had
    been called on it alone with that float (the float path is checked against PyTorch above)."""
    rng = np.random.default_rng(11)
    start = {"w": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    grads = {"w": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    lrs, decays = {"w": 0.1, "b": 0.4}, {"w": 0.05, "b": 0.0}
    together = {k: v.copy() for k, v in start.items()}
    pipe.call("sgd_step", together, grads, {}, lrs, 0.9, decays, True)
    for k in start:
        alone = {k: start[k].copy()}
        pipe.call("sgd_step", alone, {k: grads[k]}, {}, lrs[k], 0.9, decays[k], True)
        expect_close(together[k], alone[k], f"sgd_step(weight_decay={decays}): params[{k!r}]",
                     rtol=1e-10, reference=f"sgd_step on {k!r} alone with weight_decay="
                     f"{decays[k]} (a dict gives each parameter its own value)")


# ----------------------------------------------------------------------------- train_step
class LinearNet:
    """logits = x @ w + b: a network small enough to check by hand (state is unused)."""

    def __init__(self):
        self.calls = []

    def forward(self, params, state, x, train):
        self.calls.append(("forward", bool(train), len(x)))
        return x @ params["w"] + params["b"], x

    def backward(self, dlogits, cache):
        self.calls.append(("backward",))
        return {"w": cache.T @ dlogits, "b": dlogits.sum(axis=0)}


@pytest.mark.fixture
@pytest.mark.parametrize("case", _cases("step_"))
def test_train_step_matches_pytorch(case):
    c = require_case(case)
    net, params, velocity = LinearNet(), {"w": c["w"].copy(), "b": c["b"].copy()}, {}
    for step in (1, 2):
        result = pipe.call("train_step", net, params, {}, velocity, c["x"], c["y"], c["lr"],
                           c["momentum"], c["weight_decay"], c["nesterov"],
                           c["label_smoothing"])
        if not (isinstance(result, tuple) and len(result) == 2):
            fail("train_step should return (loss, accuracy).")
        loss, acc = result
        what = f"train_step (step {step}, label_smoothing={c['label_smoothing']})"
        expect_close(np.array(float(loss)), c[f"loss_{step}"], f"{what}: loss",
                     reference="PyTorch (the loss of the batch before the update)")
        expect_close(np.array(float(acc)), c[f"acc_{step}"], f"{what}: accuracy",
                     reference="the fraction of argmax(logits) == y before the update")
        for k in ("w", "b"):
            expect_close(params[k], c[f"{k}_{step}"], f"{what}: params[{k!r}]",
                         reference="PyTorch (forward, cross-entropy, backward, SGD step)")
    if ("forward", True, len(c["x"])) not in net.calls:
        fail("train_step should call net.forward(params, state, x, True): train mode.")


# ----------------------------------------------------------------------------- evaluate
class FixedNet:
    """Logits that depend on the image and on its orientation (so flip TTA matters)."""

    def __init__(self):
        self.calls = []

    def forward(self, params, state, x, train):
        self.calls.append((bool(train), len(x)))
        left, right = x[:, 0, 0, :2].sum(axis=1), x[:, 0, 0, -2:].sum(axis=1)
        return np.stack([left, right, 0.1 * left + 0.1 * right], axis=1), None

    def backward(self, dlogits, cache):
        raise AssertionError("evaluate must not call backward")


def _eval_inputs(n=25):
    rng = np.random.default_rng(9)
    return rng.standard_normal((n, 1, 2, 5)), rng.integers(0, 3, n)


@pytest.mark.shape
def test_evaluate_batches_and_returns_predictions():
    x, y = _eval_inputs()
    net = FixedNet()
    result = pipe.call("evaluate", net, {}, {}, x, y, 10, False)
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("evaluate should return (accuracy, predictions).")
    acc, pred = result
    expect_shape(np.asarray(pred), (25,), "evaluate: predictions")
    if not np.issubdtype(np.asarray(pred).dtype, np.integer):
        fail(f"evaluate: predictions should be integer labels (argmax of the logits), got dtype "
             f"{np.asarray(pred).dtype}.")
    sizes = [n for _, n in net.calls]
    if any(train for train, _ in net.calls):
        fail("evaluate should call net.forward(..., train=False): eval mode (running BN stats).")
    if max(sizes) > 10 or sum(sizes) != 25:
        fail(f"evaluate(batch_size=10) on 25 images called forward with batches {sizes}: use "
             f"batches of at most batch_size covering every image once (the last one smaller).")


@pytest.mark.fixture
@pytest.mark.parametrize("flip_tta", [False, True])
def test_evaluate_accuracy_and_flip_tta(flip_tta):
    x, y = _eval_inputs()
    logits = FixedNet().forward(None, None, x, False)[0]
    if flip_tta:
        logits = logits + FixedNet().forward(None, None, x[..., ::-1], False)[0]
    expected = logits.argmax(axis=1)
    acc, pred = pipe.call("evaluate", FixedNet(), {}, {}, x, y, 7, flip_tta)
    if not np.array_equal(np.asarray(pred), expected):
        fail(f"evaluate(flip_tta={flip_tta}): predictions differ from argmax of the logits"
             + (" summed (or averaged) over each image and its left-right mirror (x[..., ::-1])."
                if flip_tta else "."))
    expect_close(np.array(float(acc)), np.array(np.mean(expected == y)),
                 f"evaluate(flip_tta={flip_tta}): accuracy", reference="mean(predictions == y)")
