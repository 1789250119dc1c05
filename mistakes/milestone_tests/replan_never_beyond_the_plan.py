"""A re-sized run never grows past its original plan, however much faster the machine turns out."""
from milestone import train

MODULE = "train"
EXPLANATION = """\
Once a run has been re-sized the machine's speed swings and the run cannot be repeated anyway;
capping it at the plan measured in a slow minute leaves the rest of the budget unused."""

_replan = train._maybe_replan


def _maybe_replan(run, cfg, total, steps_per_epoch):
    return min(run["plan"]["total_steps"], _replan(run, cfg, total, steps_per_epoch))


train._maybe_replan = _maybe_replan
