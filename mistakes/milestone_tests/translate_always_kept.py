"""The reference keeps flip + translate TTA whatever it costs: a short or slow run pays 6 passes for it."""
from milestone import plan as ref
from milestone import train

MODULE = "plan"
EXPLANATION = """\
Flip + translate TTA adds 6 forward passes over the test set for a few tenths of a point. In a
short budget, or on a slow machine, those passes take time the training needs more: leave them
out when they would take more than a third of the time left."""


def translate_fits(image_seconds, test_images, left):
    return True


ref.translate_fits = train.translate_fits = translate_fits
