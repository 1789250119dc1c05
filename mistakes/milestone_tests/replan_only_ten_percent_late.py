"""The run is shortened only when it would end training more than 10% after its time."""
from milestone import train

MODULE = "train"
EXPLANATION = """\
A tolerance of 10% on the training time lets a 600 s run end a minute late. The plan already keeps
3% in hand: shorten the schedule as soon as, at the recent step rate, training would end after the
time set aside for it."""

_replan = train._maybe_replan


def _maybe_replan(run, cfg, total, steps_per_epoch):
    budget = run["plan"]["train_budget"]
    run["plan"]["train_budget"] = 1.1 * budget
    try:
        return _replan(run, cfg, total, steps_per_epoch)
    finally:
        run["plan"]["train_budget"] = budget


train._maybe_replan = _maybe_replan
