"""One learner training step with and without the layer set's conv2d_backward_weights.

The 32/64/128 network, batch 256 in two ghost batches, whitening bias frozen (70% of a run's
steps), both networks stepped in turn in one process; prints the median seconds per step. Run
from a checkout whose katas/ hold learner-grade code:

    OPENBLAS_NUM_THREADS=1 python trials/learner-new/step_weights_only_ab.py [steps]
"""

import os
import sys
import time
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, os.getcwd())
from katas.topic17_cifar10_from_scratch import layers as learner  # noqa: E402
from milestone import network  # noqa: E402


def layer_sets() -> dict:
    names = [n for n in dir(learner) if not n.startswith("_")]
    return {"with": SimpleNamespace(**{n: getattr(learner, n) for n in names}),
            "without": SimpleNamespace(**{n: getattr(learner, n) for n in names
                                          if n != "conv2d_backward_weights"})}


def main(steps: int) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 3, 32, 32)).astype(np.float32)
    dlogits = rng.standard_normal((256, 10)).astype(np.float32)
    nets = {}
    for name, layers in layer_sets().items():
        net = network.Network(layers, widths=(32, 64, 128), replicas=2)
        params, state = net.init(np.random.default_rng(1), x[:100])
        net.frozen.add("whiten_b")
        nets[name] = (net, params, state)
    times = {name: [] for name in nets}
    for _ in range(steps + 1):   # the first step of each warms up
        for name, (net, params, state) in nets.items():
            t = time.perf_counter()
            _, cache = net.forward(params, state, x, True)
            net.backward(dlogits, cache)
            times[name].append(time.perf_counter() - t)
    for name, seconds in times.items():
        print(f"{name} conv2d_backward_weights: median {np.median(seconds[1:]):.3f} s a step "
              f"over {steps}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
