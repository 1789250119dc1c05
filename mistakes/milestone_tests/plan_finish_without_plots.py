"""The finish reserve counts the evaluation passes but not the plots."""
from milestone import plan as ref
from milestone import train

MODULE = "plan"
EXPLANATION = """\
After the evaluation the run imports matplotlib and draws four PNGs: seconds the budget pays.
Reserve PLOT_SECONDS for them unless the run was started with --no-plots."""


def finish_seconds(image_seconds, test_images, heldout_images, passes, plots):
    return _finish(image_seconds, test_images, heldout_images, passes, False)


_finish = ref.finish_seconds
ref.finish_seconds = train.finish_seconds = finish_seconds
