"""Ghost batches average the parts' gradients instead of adding them (each is already 1/N of the batch's)."""
from milestone import network

MODULE = "network"
EXPLANATION = """\
The loss's backward divides by the whole batch's N, so each part's gradient is already its share
of the batch's: add them. Averaging divides the gradient (and so the learning rate) by the number
of parts."""

_backward = network.Network.backward


def backward(self, dlogits, cache):
    grads = _backward(self, dlogits, cache)
    if isinstance(cache, network.PartsCache):
        grads = {k: g / len(cache.parts) for k, g in grads.items()}
    return grads


network.Network.backward = backward
