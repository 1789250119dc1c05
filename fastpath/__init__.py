"""The fast path: how the reference milestone gets its speed from NumPy (see README.md here).

- `fastpath.conv`: Topic 12's convolution tuned (strips, channels last, dx as a convolution,
  cache-sized chunks over a thread pool), any stride, padding and dtype.
- `fastpath.layers`: the milestone's layer set (float32, channels last, threaded), with fused
  conv + max pool, BN + ReLU and whitening-layer calls.
- `fastpath.winograd`: Winograd's F(2x2, 3x3), 16 multiplies per 2x2 outputs instead of 36,
  forward and backward; `fastpath.layers` runs the milestone's conv + pool on it.

Both compute what the textbook solutions compute; `specs/fastpath/` checks that.
"""
