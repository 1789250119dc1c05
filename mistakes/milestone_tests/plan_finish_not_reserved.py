"""The plan trains up to the deadline: the final evaluation and the plots come after it."""
from milestone import train

MODULE = "train"
EXPLANATION = """\
The budget is the run's wall time, and the final evaluation (3 passes over the test set, 9 for the
reference) and the plots come after the last step. Plan the steps in the time left less that
finish, estimated from a timed evaluation batch, or the run ends late by all of it."""


def finish_seconds(*args, **kwargs):
    return 0.0


train.finish_seconds = finish_seconds
