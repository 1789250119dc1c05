"""The first trained conv's backward (milestone/network.py): its input gradient serves only the
whitening bias, so once that bias is frozen the network asks the layer set for dw and db alone
(Topic 12's `conv2d_backward_weights`) and never for that conv's dx; the gradients must be the
ones `conv2d_backward` gives. A layer set without the function still trains, through
`conv2d_backward`."""

from types import SimpleNamespace

import numpy as np

from milestone import network
from solutions.topic17_cifar10_from_scratch import layers as plain_layers
from specs.harness import expect_close, fail

WIDTHS = (4, 8, 8)


def counted_layers(with_weights_only=True):
    """The reference's textbook layers, counting the calls to the two conv backwards."""
    names = [n for n in dir(plain_layers) if not n.startswith("_")]
    layers = SimpleNamespace(**{n: getattr(plain_layers, n) for n in names})
    calls = {"conv2d_backward": 0, "conv2d_backward_weights": 0}

    def counting(name):
        function = getattr(plain_layers, name)

        def counted(*args):
            calls[name] += 1
            return function(*args)
        return counted
    for name in calls:
        setattr(layers, name, counting(name))
    if not with_weights_only:
        del layers.conv2d_backward_weights
    return layers, calls


def gradients(layers, frozen):
    rng = np.random.default_rng(0)
    net = network.Network(layers, widths=WIDTHS)
    params, state = net.init(rng, rng.standard_normal((40, 3, 32, 32)))
    params = {k: v.astype(np.float64) for k, v in params.items()}
    if frozen:
        net.frozen.add("whiten_b")
    x, dlogits = rng.standard_normal((6, 3, 32, 32)), rng.standard_normal((6, 10))
    _, cache = net.forward(params, state, x, True)
    return net.backward(dlogits, cache)


def test_a_frozen_whitening_bias_spares_the_first_conv_its_dx():
    layers, calls = counted_layers()
    grads = gradients(layers, frozen=True)
    convs = 2 * len(WIDTHS)
    if calls != {"conv2d_backward": convs - 1, "conv2d_backward_weights": 1}:
        fail(f"with the whitening bias frozen, one backward step of the {convs}-conv network "
             f"called {calls}; expected conv2d_backward_weights once (the first conv: nobody "
             f"needs its dx) and conv2d_backward for the other {convs - 1}.")
    without, _ = counted_layers(with_weights_only=False)
    expected = gradients(without, frozen=True)
    for name in expected:
        expect_close(grads[name], expected[name], f"gradient {name}", rtol=1e-12)


def test_a_training_whitening_bias_gets_the_first_conv_dx():
    layers, calls = counted_layers()
    gradients(layers, frozen=False)
    if calls["conv2d_backward_weights"]:
        fail(f"with the whitening bias still training, the network called "
             f"conv2d_backward_weights {calls['conv2d_backward_weights']} time(s): the first "
             f"conv's dx is that bias's gradient, so every conv needs conv2d_backward.")
