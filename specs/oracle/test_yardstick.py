"""The PyTorch yardstick (benchmarks/yardstick.py) is milestone/network.py's network in PyTorch.

With the same weights (copied from Network.init) and ReLU, both give the same logits, the same
gradient for every trained parameter and the same BN running statistics after a training-mode
forward, in float64 on the textbook layers; so the yardstick's figures compare recipes and
frameworks, not two different networks. Needs PyTorch: `tox -e oracle` runs it.
"""

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the yardstick needs PyTorch: run it with `tox -e oracle`")

from milestone.network import REFERENCE_LAYERS, Network  # noqa: E402
from specs.harness import expect_close  # noqa: E402

WIDTHS = (4, 6, 8)
RTOL = 1e-7   # the milestone scales logits by float32(1/9), 7.5e-9 from 1/9
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def yardstick():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("yardstick")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture()
def both(yardstick, monkeypatch):
    """(milestone Network on the textbook layers, its params and state in float64, the
    yardstick's net with ReLU holding the same weights in float64, images (5, 3, 32, 32))."""
    monkeypatch.setenv("KATA_FAST_LAYERS", "0")   # the textbook layers take float64
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 3, 32, 32))
    ours = Network(importlib.import_module(REFERENCE_LAYERS), widths=WIDTHS)
    params, state = ours.init(rng, x)
    params = {k: v.astype(np.float64) + (0.1 if k.endswith(("_b", "_beta")) else 0.0)
              for k, v in params.items()}   # biases away from zero: a wrong wiring shows
    state = {k: ({s: a.astype(np.float64) for s, a in v.items()} if isinstance(v, dict)
                 else v.astype(np.float64)) for k, v in state.items()}
    theirs = yardstick.YardstickNet(state["whiten_w"], WIDTHS, act="relu").double()
    yardstick.load_milestone_weights(theirs, params, state)
    return ours, params, state, theirs, x


def test_same_parameter_names_and_shapes(yardstick):
    """Every trained array of Network.init, by name and shape, and nothing else."""
    params, state = Network(None, widths=(64, 128, 256)).init(
        np.random.default_rng(0), np.random.default_rng(1).standard_normal((64, 3, 32, 32)))
    net = yardstick.YardstickNet(state["whiten_w"], (64, 128, 256))
    got = {k: tuple(v.shape) for k, v in yardstick.milestone_parameters(net).items()}
    want = {k: v.shape for k, v in params.items()}
    assert got == want, f"the yardstick's trained parameters {got} differ from milestone's {want}"
    trained = {id(p) for p in net.parameters() if p.requires_grad}
    assert trained == {id(p) for p in yardstick.milestone_parameters(net).values()}, \
        "the yardstick trains parameters the milestone keeps frozen (or the other way round)"


def test_same_logits_gradients_and_bn_statistics(yardstick, both):
    ours, params, state, theirs, x = both
    dlogits = np.random.default_rng(5).standard_normal((len(x), 10))
    logits, cache = ours.forward(params, state, x, True)
    grads = ours.backward(dlogits, cache)
    theirs.train()
    tlogits = theirs(torch.from_numpy(x))
    (tlogits * torch.from_numpy(dlogits)).sum().backward()
    expect_close(tlogits.detach().numpy(), logits, "the yardstick's logits", rtol=RTOL,
                 reference="milestone/network.py's forward with the same weights")
    for name, p in yardstick.milestone_parameters(theirs).items():
        expect_close(p.grad.numpy(), grads[name], f"the yardstick's gradient of {name}",
                     rtol=RTOL, reference="milestone/network.py's backward")
    for name, stats in yardstick.milestone_state(theirs).items():
        if isinstance(stats, dict):
            for key, value in stats.items():
                expect_close(value.numpy(), state[name][key], f"{name} {key}", rtol=RTOL,
                             reference="milestone/network.py's BN update (momentum 0.4)")
    theirs.eval()
    with torch.no_grad():
        expect_close(theirs(torch.from_numpy(x)).numpy(), ours.forward(params, state, x, False)[0],
                     "the yardstick's eval-mode logits", rtol=RTOL,
                     reference="milestone/network.py's forward with running statistics")



def test_same_initialization(yardstick):
    """Network.init's rules: whitening weights as given and bias zero, 3x3 convs the identity on
    their first min(C_in, C_out) filters and uniform within 1/sqrt(fan_in) on the rest, BN at weight 1 and
    bias 0, the linear layer uniform within 1/sqrt(fan_in)."""
    whitening = np.random.default_rng(2).standard_normal((24, 3, 2, 2)).astype(np.float32)
    net = yardstick.YardstickNet(whitening, WIDTHS)
    state = yardstick.milestone_state(net)
    assert np.array_equal(state["whiten_w"].detach().numpy(), whitening), \
        "the whitening conv should hold the patch-whitening weights it was given"
    for name, p in yardstick.milestone_parameters(net).items():
        w = p.detach().numpy()
        if name.endswith(("_b", "_beta")):
            assert not w.any(), f"{name} should start at zero, as Network.init's"
        elif "conv" in name:
            c_in, n = w.shape[1], min(w.shape[:2])
            dirac = np.zeros_like(w[:n])
            dirac[np.arange(n), np.arange(n), 1, 1] = 1
            assert np.array_equal(w[:n], dirac), f"{name}[:C_in] should be the identity (Dirac)"
            assert np.abs(w[n:]).max(initial=0) <= 1 / np.sqrt(c_in * 9), \
                f"{name}[C_in:] should be uniform within 1/sqrt(fan_in)"
        else:
            assert np.abs(w).max() <= 1 / np.sqrt(w.shape[1]), f"{name} should be within 1/sqrt(fan_in)"
    for group in net.groups:
        for bn in (group.bn1, group.bn2):
            assert bool((bn.weight == 1).all()) and not bn.weight.requires_grad, \
                "BN weights should be frozen at 1, as the milestone's"
