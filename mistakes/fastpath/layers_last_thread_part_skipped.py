"""The fast layers' thread pool never runs the last part of the batch when it has two or more threads."""
from fastpath import layers as ref
from fastpath.layers import *

MODULE = "layers"
EXPLANATION = """\
With one thread the whole batch is one part and everything is right; with T threads the batch is
cut at n*k//T for k = 0..T, and zipping bounds[:-2] with bounds[1:-1] forgets the last part. Its
rows keep whatever np.empty held. Map over bounds[:-1] and bounds[1:], and test with threads on."""


def _parallel_without_last_part(fn, n):
    parts = min(ref.THREADS, n)
    bounds = [n * i // parts for i in range(parts + 1)]
    if ref._POOL is None or parts == 1:
        return [fn(bounds[0], bounds[-1])]
    return list(ref._POOL.map(fn, bounds[:-2], bounds[1:-1]))


ref._parallel = _parallel_without_last_part
