"""evaluate runs the network in train mode (batch statistics, running averages updated)."""
import numpy as np

from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your evaluate calls net.forward in train mode. Evaluation runs in eval mode,
net.forward(params, state, batch, False): batch norm then uses its running statistics, so a
prediction does not depend on the other images of the batch, and evaluating does not change the
running averages."""


def evaluate(net, params, state, x, y, batch_size=1000, flip_tta=False):
    predictions = np.empty(len(x), np.int64)
    for start in range(0, len(x), batch_size):
        batch = x[start:start + batch_size]
        logits, _ = net.forward(params, state, batch, True)
        if flip_tta:
            logits = logits + net.forward(params, state, batch[..., ::-1], True)[0]
        predictions[start:start + batch_size] = logits.argmax(axis=1)
    return float(np.mean(predictions == y)), predictions
