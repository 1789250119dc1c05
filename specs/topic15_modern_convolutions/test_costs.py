"""Specs for Topic 15: conv2d_cost (parameters, multiply-adds) and receptive_field.

Exact integers: hand-checkable cases (worked out in the comments) and golden cases counted with
PyTorch (nn.Conv2d's parameters; outputs x weights per filter; gradients of an all-ones stack).
"""

import numpy as np
import pytest

from specs.harness import fail
from specs.harness.cases import require_case
from specs.topic15_modern_convolutions.common import expect_value_error, fixture_cases, modern

COST_ARGS = ("c_in", "c_out", "kernel_size", "input_hw", "stride", "padding", "dilation",
             "groups", "bias")

# (keyword arguments, params, macs): macs = c_out * Hout * Wout * (c_in // groups) * KH * KW
HAND_COSTS = [
    # 64*64*9 + 64 = 36928; 32x32 out: 64*32*32 * 64*9 = 37748736
    (dict(c_in=64, c_out=64, kernel_size=3, input_hw=32, padding=1), 36928, 37748736),
    (dict(c_in=64, c_out=64, kernel_size=3, input_hw=32, padding=1, bias=False), 36864, 37748736),
    # depthwise: 64 filters of 1*9 weights + 64 biases = 640; 64*32*32 * 9 = 589824
    (dict(c_in=64, c_out=64, kernel_size=3, input_hw=32, padding=1, groups=64), 640, 589824),
    # pointwise: 128*64 + 128 = 8320; 128*32*32 * 64 = 8388608
    (dict(c_in=64, c_out=128, kernel_size=1, input_hw=32), 8320, 8388608),
    # ResNet stem: 64*3*49 = 9408; out (224 + 6 - 7) // 2 + 1 = 112: 64*112*112 * 147
    (dict(c_in=3, c_out=64, kernel_size=7, input_hw=224, stride=2, padding=3, bias=False),
     9408, 118013952),
    # dilation adds no weights: 9 + 1; out (10 - 2*2 - 1) + 1 = 6: 6*6 * 9 = 324
    (dict(c_in=1, c_out=1, kernel_size=3, input_hw=10, dilation=2), 10, 324),
    # groups 2, (1, 3) kernel on (5, 7): 6 filters of 2*3 weights + 6 = 42; out 5x5: 6*25 * 6
    (dict(c_in=4, c_out=6, kernel_size=(1, 3), input_hw=(5, 7), groups=2), 42, 900),
]
# layers, receptive field: field += (kernel - 1) * dilation * (product of the strides below)
HAND_FIELDS = [
    ([(3, 1)], 3),
    ([(3, 1), (3, 1)], 5),                            # two 3x3 see as far as one 5x5
    ([(3, 1), (3, 1), (3, 1)], 7),
    ([(2, 2), (2, 2), (2, 2)], 8),                    # 2 + 1*2 + 1*4
    ([(7, 2), (3, 2), (3, 1)], 19),                   # 7 + 2*2 + 2*4
    ([(3, 1, 2)], 5),                                 # one dilated 3x3 spans 5
    ([(3, 1, 1), (3, 1, 2), (3, 1, 4)], 15),          # 3 + 2*2 + 2*4: grows exponentially
    ([(3, 2), (3, 1, 2)], 11),                        # 3 + 2*2*2: mixed pairs and triples
]


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _check_cost(kwargs, params, macs):
    call = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    got = modern.call("conv2d_cost", **kwargs)
    if not isinstance(got, dict) or set(got) != {"params", "macs"}:
        fail(f"conv2d_cost({call}) should return a dict with exactly the keys 'params' and "
             f"'macs'; it returned {got!r}.")
    for key, expected in (("params", params), ("macs", macs)):
        if not _is_int(got[key]):
            fail(f"conv2d_cost({call})[{key!r}] should be an int, got {got[key]!r} "
                 f"({type(got[key]).__name__}).")
        if got[key] != expected:
            fail(f"conv2d_cost({call})[{key!r}] is {got[key]}, expected {expected}. "
                 + ("params = c_out * (c_in // groups) * KH * KW, plus c_out biases if bias."
                    if key == "params" else
                    "macs = c_out * Hout * Wout * (c_in // groups) * KH * KW per sample: one "
                    "multiply-add per weight per output; bias additions are not counted, and "
                    "Hout, Wout use the output-size formula with dilation."))


def _check_field(layers, expected):
    got = modern.call("receptive_field", layers)
    if not _is_int(got):
        fail(f"receptive_field({layers}) should return an int, got {got!r}.")
    if got != expected:
        fail(f"receptive_field({layers}) is {got}, expected {expected}. Each layer adds "
             f"(kernel - 1) * dilation times the distance between its inputs in pixels of the "
             f"image, which is the product of the strides of the layers below it.")


@pytest.mark.rules
@pytest.mark.parametrize("kwargs, params, macs", HAND_COSTS,
                         ids=[f"cost{i}" for i in range(len(HAND_COSTS))])
def test_conv2d_cost_by_hand(kwargs, params, macs):
    _check_cost(kwargs, params, macs)


@pytest.mark.rules
@pytest.mark.parametrize("layers, expected", HAND_FIELDS,
                         ids=[f"field{i}" for i in range(len(HAND_FIELDS))])
def test_receptive_field_by_hand(layers, expected):
    _check_field(layers, expected)


@pytest.mark.rules
def test_conv2d_cost_refuses_groups_that_do_not_divide():
    expect_value_error("conv2d_cost", (6, 8, 3, 10), {"groups": 4}, "c_in=6, c_out=8 and groups=4",
                       "groups must divide c_in and c_out; name c_in, c_out and groups.",
                       numbers=(6, 8, 4))


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("cost"))
def test_conv2d_cost_matches_pytorch(case):
    c = require_case(case)
    _check_cost({name: c[name] for name in COST_ARGS}, c["params"], c["macs"])


@pytest.mark.fixture
@pytest.mark.parametrize("case", fixture_cases("receptive_field"))
def test_receptive_field_matches_pytorch(case):
    c = require_case(case)
    _check_field(c["layers"], c["field"])
