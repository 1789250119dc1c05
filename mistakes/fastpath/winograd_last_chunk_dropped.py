"""Winograd's chunk loop skips the last, partial chunk of images."""

from fastpath import winograd as ref
from fastpath.winograd import *  # noqa: F403

MODULE = "winograd"
EXPLANATION = """\
A thread's images go through in chunks of `per`, and the last chunk is usually smaller.
Stepping with range(start, stop - per + 1, per), or keeping only full chunks, never computes
those images: their outputs keep what np.empty held and their gradients are lost. Cover
range(start, stop) whole and size the last chunk min(stop, s + per) - s."""

_correct_chunks = ref.Plan.chunks


def _full_chunks_only(self, kept=None):
    full_stop = self.start + (self.stop - self.start) // self.per * self.per
    for s, m, v in _correct_chunks(self, kept):
        if s + m <= full_stop:
            yield s, m, v


ref.Plan.chunks = _full_chunks_only
