"""Specs for sgd_step under a learning-rate schedule: the rate of a step applies to that step only.

The fixture specs keep `lr` fixed, and with a fixed rate SGD written as `v = momentum * v + lr * g;
p -= v` (Sutskever's form) gives the same numbers as torch.optim.SGD's `v = momentum * v + g;
p -= lr * v`. The milestone changes the rate at every step (warm-up, then decay), where the two
differ: the brief's form keeps lr out of the velocity. Expected values are the brief's three lines
in float64, written out below.
"""

import numpy as np
import pytest

from specs.harness import Kata, expect_close, fail

TOPIC = "topic17_cifar10_from_scratch"
pipe = Kata(TOPIC, "pipeline")
RATES = (0.1, 0.05, 0.2)  # a schedule: one rate per step
MOMENTUM, DECAY = 0.9, 0.01


def brief_sgd(p, grads, rates, nesterov):
    """The brief's formulas, step by step: the parameters after each step."""
    p, v, history = p.copy(), np.zeros_like(p), []
    for g, lr in zip(grads, rates):
        g = g + DECAY * p
        v = MOMENTUM * v + g
        p = p - lr * (g + MOMENTUM * v if nesterov else v)
        history.append(p)
    return history


@pytest.mark.rules
@pytest.mark.parametrize("nesterov", [False, True], ids=["momentum", "nesterov"])
def test_sgd_step_follows_a_changing_learning_rate(nesterov):
    rng = np.random.default_rng(17)
    start = rng.standard_normal((2, 3))
    grads = [rng.standard_normal((2, 3)) for _ in RATES]
    params, velocity = {"w": start.copy()}, {}
    for step, (g, lr, expected) in enumerate(zip(grads, RATES, brief_sgd(start, grads, RATES,
                                                                          nesterov)), 1):
        pipe.call("sgd_step", params, {"w": g}, velocity, lr, MOMENTUM, DECAY, nesterov)
        expect_close(params["w"], expected,
                     f"sgd_step(lr={lr}, momentum={MOMENTUM}, weight_decay={DECAY}, "
                     f"nesterov={nesterov}): params['w'] after step {step} of a schedule with "
                     f"lr {RATES[:step]}", rtol=1e-7,
                     reference="torch.optim.SGD: v = momentum * v + g, then p -= lr * v (or "
                     "lr * (g + momentum * v) with Nesterov). The rate multiplies the step, it "
                     "is not folded into the velocity (v = momentum * v + lr * g), which differs "
                     "as soon as lr changes")


@pytest.mark.rules
def test_sgd_step_with_zero_learning_rate_leaves_params_alone():
    params = {"w": np.array([1.0, -2.0, 3.0])}
    velocity = {}
    pipe.call("sgd_step", params, {"w": np.array([1.0, 1.0, 1.0])}, velocity, 0.1, MOMENTUM)
    before = params["w"].copy()
    pipe.call("sgd_step", params, {"w": np.array([1.0, 1.0, 1.0])}, velocity, 0.0, MOMENTUM)
    if not np.array_equal(params["w"], before):
        fail(f"sgd_step(lr=0.0) after a step with lr=0.1 moved the parameters from {before} to "
             f"{params['w']}: with lr = 0 no step is taken (p -= lr * v). Keep lr out of the "
             f"velocity: v = momentum * v + g, and multiply by lr only when you update p.")
