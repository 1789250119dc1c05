"""The network ignores conv2d_backward_weights: the first conv's dx is computed on every step."""
from milestone import network

MODULE = "network"
EXPLANATION = """\
Once the whitening bias is frozen nobody needs the first conv's dx; computing it anyway costs
about three quarters of that conv's backward. Call the layer set's conv2d_backward_weights."""


def _conv_pool_backward(self, dout, caches, need_dx):
    L = self.layers
    dout = L.maxpool2d_backward(dout, caches.pop())
    dx, dw, _ = L.conv2d_backward(dout, caches.pop())
    return dx, dw


network.Network._conv_pool_backward = _conv_pool_backward
