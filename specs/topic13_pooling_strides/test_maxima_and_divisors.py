"""Rules of Topic 13 that name three common mistakes, on inputs without padding or ties.

- max pooling returns an element of each window (a running maximum started at 0 returns 0 for a
  window of negative numbers);
- the average of a constant image is that constant, whatever the window and the stride (so the
  divisor is KH*KW, not the stride's area nor KH*KH);
- each window sends its dout to exactly one element, for non-square windows too.

Each check reads only what its rule needs (values, totals), so a wrong output size or a wrong
tie rule is left to the shape and tie specs, which name those.
"""

import numpy as np
import pytest

from specs.harness import Kata, fail
from specs.harness.cases import pair

TOPIC = "topic13_pooling_strides"
pool = Kata(TOPIC, "pooling")


def _signature(kernel_size, stride, padding=0):
    return f"kernel_size={kernel_size}, stride={stride}, padding={padding}"


@pytest.mark.rules
def test_maxpool_returns_an_element_of_each_window():
    """All-negative, distinct values, no padding: every output is one of x's values."""
    x = -(1.0 + np.random.default_rng(0).permutation(40).reshape(1, 2, 4, 5))
    out, _ = pool.forward("maxpool2d_forward", x, 2, 1, 0)
    call = f"maxpool2d_forward({_signature(2, 1)}) on an all-negative x without padding"
    zeros = int(np.sum(out == 0))
    if zeros:
        fail(f"{call} returned 0 at {zeros} of {out.size} outputs, a value that is not in x. A "
             f"running maximum that starts at 0 (np.zeros) keeps 0 when every element of a window "
             f"is negative: start it from the first offset's slice, or from -inf.")
    foreign = out[~np.isin(out, x)]
    if foreign.size:
        fail(f"{call} returned {foreign.size} values that are not in x (e.g. {foreign.flat[0]:g}). "
             f"Max pooling returns, for each window, one of the window's own elements.")


@pytest.mark.rules
@pytest.mark.parametrize("kernel_size, stride", [((2, 3), (1, 2)), (3, 2), ((3, 2), None)],
                         ids=["k2x3-s1x2", "k3-s2", "k3x2-default-stride"])
def test_average_of_a_constant_image_is_that_constant(kernel_size, stride):
    """No padding: every window holds KH*KW copies of the constant, whatever the stride."""
    value = 2.5
    x = np.full((1, 2, 7, 8), value)
    out, _ = pool.forward("avgpool2d_forward", x, kernel_size, stride, 0)
    if out.size == 0 or np.allclose(out, value, rtol=1e-12, atol=0):
        return  # an empty output is the shape specs' business
    (kh, kw), typical = pair(kernel_size), float(np.median(out))
    sh, sw = (kh, kw) if stride is None else pair(stride)
    divisor = value * kh * kw / typical if typical else float("inf")
    known = {sh * sw: f"the stride's area sh*sw = {sh}*{sw}", kh * kh: f"KH*KH = {kh}*{kh}",
             kw * kw: f"KW*KW = {kw}*{kw}", 1: "1 (no division)"}
    named = next((why for d, why in known.items() if d != kh * kw and np.isclose(divisor, d)), "")
    fail(f"avgpool2d_forward({_signature(kernel_size, stride)}) on an image whose every element is "
         f"{value} returned {typical:g} (median), not {value}: each window's sum was divided by "
         f"{divisor:g}{', ' + named if named else ''}. A window always holds KH*KW = {kh}*{kw} = "
         f"{kh * kw} elements, whatever the stride: divide by that.")


@pytest.mark.rules
def test_each_window_sends_its_gradient_to_one_element():
    """A (2, 3) window, stride None, no ties and no padding: dx adds up to dout, no more."""
    x = np.array([[0, 1, 2, 3, 4, 11],
                  [10, 5, 6, 7, 8, 9],
                  [12, 13, 14, 15, 16, 17]], dtype=np.float64)[None, None]
    out, cache = pool.forward("maxpool2d_forward", x, (2, 3), None, 0)
    dout = np.arange(1.0, out.size + 1).reshape(out.shape) * 10
    (dx,) = pool.backward("maxpool2d_backward", dout, cache, grads=("dx",))
    if np.isclose(dx.sum(), dout.sum()):
        return
    what = (f"maxpool2d_backward after maxpool2d_forward({_signature((2, 3), None)}) on "
            f"x = {x[0, 0].astype(int).tolist()}, dout = {dout[0, 0].tolist()}: dx adds up to "
            f"{dx.sum():g} but dout to {dout.sum():g}, and these windows neither overlap nor tie.")
    if dx.sum() > dout.sum():
        fail(f"{what} Some window sent its dout to more than one element. If you number a "
             f"window's offsets, (p, q) is p*KW + q (KW offsets per row): p*KH + q gives two "
             f"offsets of a 2x3 window the same number, (0, 2) and (1, 0).")
    fail(f"{what} Some window's dout was lost: each window sends its dout, whole, to its maximum.")
