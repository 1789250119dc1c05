"""The tuned conv's chunking drops the last, partial chunk of images: their outputs are never written."""
from fastpath import conv as ref
from fastpath.conv import *

MODULE = "conv"
EXPLANATION = """\
The batch is cut into chunks of about 1 MB of strips, and the last chunk is usually smaller than
the others. Stepping with range(start, stop - per, per), or keeping only full chunks, skips it: the
last images of each thread's share keep whatever np.empty held. Cover range(start, stop) whole."""


def _full_chunks_only(start, stop, bytes_per_image):
    per = max(1, min(stop - start, ref._CHUNK_BYTES // max(1, bytes_per_image)))
    full = start + (stop - start) // per * per
    return [(first, per) for first in range(start, full, per)]


ref._chunks = _full_chunks_only
