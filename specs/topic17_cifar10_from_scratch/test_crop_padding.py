"""random_crop_flip pads by reflection: np.pad's mode="reflect", named when another mode is used.

np.pad offers several ways to fill the border, and the usual slips each give valid-looking crops:
zeros ("constant", black bars), the edge pixel repeated ("edge"), or the mirror that repeats the
edge pixel ("symmetric": b a | a b c, where "reflect" gives c b | a b c, PyTorch's reflect
padding). With pad = 2 the four modes fill the border differently, so the outputs show which one
was used. Other errors (offsets, flips, channels) are left to test_data.py.
"""

import numpy as np
import pytest

from specs.harness import Kata, fail

TOPIC = "topic17_cifar10_from_scratch"
pipe = Kata(TOPIC, "pipeline")
PAD = 2
MODES = {"reflect": "reflection (the brief)", "symmetric": 'mode="symmetric", which repeats the '
         'edge pixel in the mirror (b a | a b c instead of c b | a b c)',
         "edge": 'mode="edge", the edge pixel repeated', "constant": "zeros (mode=\"constant\")"}


def windows_of(image, mode):
    """Every window of the padded image (and its mirror), as bytes, for one np.pad mode."""
    padded = np.pad(image, ((0, 0), (PAD, PAD), (PAD, PAD)), mode=mode)
    h, w = image.shape[1:]
    found = set()
    for dy in range(2 * PAD + 1):
        for dx in range(2 * PAD + 1):
            crop = padded[:, dy:dy + h, dx:dx + w]
            found.update((crop.tobytes(), crop[:, :, ::-1].tobytes()))
    return found


@pytest.mark.rules
def test_random_crop_flip_pads_by_reflection():
    x = np.random.default_rng(171).standard_normal((40, 1, 5, 6))  # every pixel distinct
    out = pipe.call("random_crop_flip", x, PAD, np.random.default_rng(5))
    if np.shape(out) != x.shape:
        return  # the shape specs say what is wrong
    matches = {mode: sum(np.asarray(out[n], x.dtype).tobytes() in windows_of(x[n], mode)
                         for n in range(len(x))) for mode in MODES}
    if matches["reflect"] == len(x):
        return
    used = [mode for mode, count in matches.items() if count == len(x)]
    if used:
        fail(f"random_crop_flip(pad={PAD}): every output is a window of the image padded with "
             f"{MODES[used[0]]}. Pad by reflection: np.pad(x, ((0, 0), (0, 0), (pad, pad), "
             f"(pad, pad)), mode=\"reflect\"), which mirrors around the edge pixel without "
             f"repeating it, as PyTorch's reflect padding does.")
