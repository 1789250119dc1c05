"""The mismatch diagnosis: each pattern gets its sentence, and only that one."""

import numpy as np
import pytest

from specs.harness import diagnose
from specs.harness.diagnose import explain_mismatch, help_pointer, shape_advice


def _expected(shape=(2, 3, 6, 7), seed=0):
    return np.random.default_rng(seed).standard_normal(shape) + 3.0  # no zeros, no ratio quirks


def _explain(got, expected):
    bad = ~np.isclose(got, expected, rtol=1e-9, atol=0)
    return " ".join(explain_mismatch(got, expected, bad))


def test_nothing_to_say_when_equal_or_shapes_differ():
    e = _expected()
    assert explain_mismatch(e, e, np.zeros(e.shape, bool)) == []
    assert explain_mismatch(e[:1], e, np.ones(e.shape, bool)) == []


def test_all_zero():
    e = _expected()
    assert "Everything you returned is zero" in _explain(np.zeros_like(e), e)


def test_opposite_sign():
    e = _expected()
    assert "opposite sign" in _explain(-e, e)


@pytest.mark.parametrize("factor, words", [(1 / 7, "1/7 of the expected"), (2.0, "2 times"),
                                           (2.5, "2.5 times")])
def test_constant_factor(factor, words):
    e = _expected()
    text = _explain(e * factor, e)
    assert words in text and "mean where a sum belongs" in text


def test_constant_factor_named_after_an_axis():
    e = _expected((2, 3, 6, 7))
    assert "equals H*W" in _explain(e / 42, e)
    assert "equals C (axis 1)" in _explain(e * 3, e)
    assert "equals N*H*W" in _explain(e * 84, e)
    assert "equals the size of axis 1 of" in _explain(_expected((4, 5)) * 5, _expected((4, 5)))
    assert "equals the size of axis 2 of" in _explain(_expected((2, 3, 5)) * 5, _expected((2, 3, 5)))
    assert "Here the factor" not in _explain(_expected((4,)) * 4, _expected((4,)))


def test_zero_expected_has_no_factor():
    e = np.zeros((2, 2, 3, 3))
    got = e.copy()
    got[0, 0, 1, 1] = 1.0
    assert "factor" not in _explain(got, e)


def test_constant_offset_and_per_channel_bias():
    e = _expected()
    assert "plus 0.5 everywhere" in _explain(e + 0.5, e)
    bias = np.array([0.1, -0.4, 0.7]).reshape(1, 3, 1, 1)
    assert "depends only on the channel" in _explain(e + bias, e)
    e2 = _expected((4, 3))
    assert "depends only on the column" in _explain(e2 + bias.ravel(), e2)


def test_orientation():
    e = _expected((2, 2, 5, 5))
    assert "rotated by 180 degrees" in _explain(e[..., ::-1, ::-1].copy(), e)
    assert "mirrored along one spatial axis" in _explain(e[..., ::-1, :].copy(), e)
    assert "mirrored along one spatial axis" in _explain(e[..., :, ::-1].copy(), e)
    assert "transposed" in _explain(np.swapaxes(e, -1, -2).copy(), e)
    assert "transposed" not in _explain(e[0, 0, 0] * 2 + 1, e[0, 0, 0])  # 1-D: no orientation


def test_shift():
    e = _expected((1, 2, 6, 6))
    got = e.copy()
    got[..., 1:, :] = e[..., :-1, :]
    assert "shifted by 1 row down" in _explain(got, e)
    got = e.copy()
    got[..., :, :-2] = e[..., :, 2:]
    assert "shifted by 2 columns left" in _explain(got, e)
    got = e.copy()
    got[..., :-1, 1:] = e[..., 1:, :-1]
    assert "1 row up and 1 column right" in _explain(got, e)


def test_batch_and_channel_axes_swapped():
    e = _expected((3, 3, 4, 4))
    assert "batch and channel axes swapped" in _explain(np.swapaxes(e, 0, 1).copy(), e)


def test_slices_moved_or_stuck():
    e = _expected((3, 2, 4, 4))
    assert "your sample/filter 0 is the expected sample/filter 1" in _explain(e[[1, 0, 2]], e)
    assert "stuck at 0" in _explain(np.repeat(e[:1], 3, axis=0), e)
    e3 = _expected((3, 4, 4))
    assert "your index 0 is the expected index 2" in _explain(e3[[2, 1, 0]], e3)


def test_border():
    e = _expected((2, 2, 7, 7))
    got = e.copy()
    got[..., 0, :] += 1
    got[..., :, -1] -= 1
    assert "confined to the border (1 element wide)" in _explain(got, e)
    got = e.copy()
    got[..., :2, :] += np.arange(14).reshape(2, 7)
    assert "(2 elements wide)" in _explain(got, e)


def test_every_s_th_row_and_column():
    e = _expected((1, 1, 8, 8))
    got = e.copy()
    got[..., ::3, :] += np.arange(24).reshape(3, 8)
    assert "Only every 3rd row is wrong" in _explain(got, e)
    got = e.copy()
    got[..., :, 1::2] *= np.arange(2, 34).reshape(8, 4)
    assert "Only every 2nd column is wrong" in _explain(got, e)


def test_last_rows_and_columns_and_window_starts():
    e = _expected((1, 1, 8, 8))
    got = e.copy()
    got[..., -1, 2:5] = 0
    text = _explain(got, e)
    assert "Only the last rows are wrong" in text and "never written" in text
    got = e.copy()
    got[..., 2:6, -2:] += np.arange(8).reshape(4, 2)
    assert "Only the last columns are wrong" in _explain(got, e)
    got = e.copy()
    got[..., 1:, 1:] += np.arange(1, 50).reshape(7, 7)
    assert "Only the first row and the first column are right" in _explain(got, e)
    got = e.copy()
    got[..., 1:, :] += np.arange(1, 57).reshape(7, 8)
    assert "Only the first row is right: every later window" in _explain(got, e)
    got = e.copy()
    got[..., :, 1:] += np.arange(1, 57).reshape(8, 7)
    assert "Only the first column is right" in _explain(got, e)
    got = e * 3
    got[..., 0, 0] = e[..., 0, 0]
    assert "Only the first window, (0, 0), is right" in _explain(got, e)
    got[..., 0, 1] = e[..., 0, 1]  # the first row partly right: no sentence about where windows start
    assert "Only the first" not in _explain(got, e)


def test_one_sample_or_channel():
    e = _expected((3, 3, 4, 4))
    got = e.copy()
    got[1, :, 1:3, 1:3] += np.arange(12).reshape(3, 2, 2)
    assert "Only sample/filter 1 is wrong" in _explain(got, e)
    got = e.copy()
    got[:, 2] *= np.arange(3, 51).reshape(3, 4, 4)
    text = _explain(got, e)
    assert "Only channel 2 is wrong" in text and "Map" not in text
    got = e.copy()
    got[1:] += np.arange(96).reshape(2, 3, 4, 4)
    assert "Only sample/filter 0 is right" in _explain(got, e)


def test_map_and_everything_wrong():
    e = _expected((2, 2, 4, 5))
    got = e.copy()
    got[1, 1, 2, 3] += 1.5
    got[1, 0, 0, 0] += 2.5
    text = explain_mismatch(got, e, ~np.isclose(got, e, rtol=1e-9, atol=0))
    assert text[-5] == "Map of [1, 0, :, :] (x = wrong, . = right); 2 of 4 such slices have errors:"
    assert text[-4:] == ["  x....", "  .....", "  .....", "  ....."]
    rng = np.random.default_rng(3)
    assert "Every element is wrong" in _explain(rng.standard_normal(e.shape), e)


def test_big_maps_are_cropped_and_2d_arrays_get_one():
    e = _expected((1, 1, 20, 18))
    got = e.copy()
    got[0, 0, 3, 17] += 1
    got[0, 0, 5, 5] += 3
    text = "\n".join(explain_mismatch(got, e, ~np.isclose(got, e, rtol=1e-9, atol=0)))
    assert "Map of [0, 0, :16, :16] of 20x18" in text
    e2 = _expected((3, 4))
    got2 = e2.copy()
    got2[2, 1] += 1
    got2[0, 0] += 2
    assert "Map of [:, :]" in _explain(got2, e2)


def test_one_dimensional_lists_wrong_indices():
    e = _expected((5,))
    got = e.copy()
    got[[1, 3]] += [1.0, 2.0]
    assert "Only indices 1, 3 (of 0-4) are wrong." in _explain(got, e)
    got[3] = e[3]
    assert "Only index 1 (of 0-4) is wrong." in _explain(got, e)
    long_e = _expected((100,))
    long_got = long_e.copy()
    long_got[::2] += 1
    assert "Only ind" not in _explain(long_got, long_e)


def test_periodic_step_edge_cases():
    assert diagnose._periodic_step(np.array([1, 0, 1], bool)) == 0  # too short
    assert diagnose._periodic_step(np.array([1, 1, 1, 1], bool)) == 0  # all marked
    assert diagnose._periodic_step(np.array([1, 1, 0, 0, 0], bool)) == 0  # step 1
    assert diagnose._periodic_step(np.array([1, 0, 1, 0, 0, 0, 1], bool)) == 0  # a gap
    assert diagnose._periodic_step(np.array([0, 1, 0, 1, 0, 1], bool)) == 2


def test_border_width_needs_an_interior():
    assert diagnose._border_width(np.ones((2, 2), bool)) == 0
    plane = np.zeros((4, 4), bool)
    plane[1, 1] = True
    assert diagnose._border_width(plane) == 0


@pytest.mark.parametrize("got, expected, words", [
    ((2, 3), (2, 3, 1), "Axis 2 (of size 1) is missing"),
    ((2, 3), (2, 3, 1, 4), "2 axes where 4 are expected"),
    ((1, 2, 5, 4), (1, 2, 4, 5), "Height and width are swapped"),
    ((2, 1, 4, 4), (1, 2, 4, 4), "axes are permuted"),
    ((1, 2, 10, 8), (1, 2, 8, 8), "2 larger in the spatial axes"),
    ((1, 2, 10, 10), (1, 2, 8, 8), "2 and 2 larger"),
    ((1, 2, 5, 3), (1, 2, 4, 4), "read as (w, h)"),
    ((1, 2, 5, 5), (1, 2, 4, 4), "One row or column too many"),
    ((1, 2, 3, 4), (1, 2, 4, 4), "Too small in the spatial axes"),
])
def test_shape_advice(got, expected, words):
    assert words in " ".join(shape_advice(got, expected))


def test_shape_advice_silent_when_nothing_fits():
    assert shape_advice((2, 3, 4, 4), (2, 5, 4, 4)) == []
    assert shape_advice((1, 2, 7, 4), (1, 2, 4, 4)) == []


def test_help_pointer(monkeypatch):
    monkeypatch.setenv("PYTEST_CURRENT_TEST",
                       "specs/topic12_im2col_vectorization/test_im2col.py::test_x (call)")
    assert help_pointer() == ("(stuck? `./kata hint 12` gives a hint; the brief: "
                              "katas/topic12_im2col_vectorization/README.md)")
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "specs/harness_tests/test_diagnose.py::t (call)")
    assert help_pointer() == ""


def test_expected_all_zero_means_an_unused_input():
    assert "does not depend on this input" in _explain(np.ones(3), np.zeros(3))


def test_tiny_errors_are_not_called_a_factor():
    e = _expected((1, 2, 4, 4))
    got = e / np.sqrt(1 + 1e-5 / e ** 2)  # an eps in the wrong place: nearly, not exactly, a factor
    text = _explain(got, e)
    assert "factor" not in text and "The differences are small (at most" in text


def test_leaks_through_a_mask_and_errors_only_where_there_is_signal():
    e = _expected((1, 1, 6, 6))
    e[..., ::2, :] = 0  # rows no window reaches
    got = e.copy()
    got[0, 0, 0, 3] = 1.0
    got[0, 0, 2, 1] = -2.0
    assert "Every wrong element should be 0" in _explain(got, e)
    got = e * np.linspace(2, 3, 36).reshape(e.shape)
    text = _explain(got, e)
    assert "Every element that should be non-zero is wrong" in text and "Only every" not in text


def test_nearly_everything_wrong():
    e = _expected((1, 1, 10, 10))
    got = e * 2 + np.linspace(0, 1, 100).reshape(e.shape)
    got[0, 0, 4, 4] = e[0, 0, 4, 4]
    assert "Nearly every element is wrong" in _explain(got, e)


def test_columns_in_another_order():
    e = _expected((6, 5))
    text = _explain(e[:, [0, 2, 1, 3, 4]], e)
    assert "your column 1 is the expected column 2" in text and "flatten" in text


def test_reshape_where_a_transpose_belongs():
    e = _expected((2, 3, 2, 2))
    text = _explain(e.transpose(1, 0, 2, 3).reshape(e.shape), e)
    assert "axes in the order (1, 0, 2, 3), reshaped" in text


def test_same_numbers_in_other_places():
    e = _expected((4, 4, 3))
    flat = e.ravel().copy()
    flat[[0, 7, 20]] = flat[[20, 0, 7]]
    assert "exactly the expected numbers, in other places" in _explain(flat.reshape(e.shape), e)


def test_nan_and_single_values():
    e = _expected((2, 3))
    got = e.copy()
    got[1, 1] = np.nan
    assert "holds NaN or inf" in " ".join(explain_mismatch(got, e, np.isnan(got)))
    assert _explain(np.array(2.0), np.array(1.0)) == ""
