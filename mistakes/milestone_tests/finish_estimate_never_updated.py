"""The finish's estimate stays the calibration's: held-out passes that run slower do not move it."""
from milestone import train

MODULE = "train"
EXPLANATION = """\
A shared machine's load changes during a run, and the final evaluation runs at the speed of the
moment. Each held-out pass times that speed again: when it slows, the evaluation will take longer
than calibrated, so training must end earlier by the difference."""


def _training_allowed(run, cfg):
    return run["plan"].get("train_budget", cfg.budget)


train._training_allowed = _training_allowed
