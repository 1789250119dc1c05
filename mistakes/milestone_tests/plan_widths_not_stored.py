"""The widths the plan chose are not written to run.json: --resume starts over with none."""
from milestone import __main__ as cli

MODULE = "__main__"
EXPLANATION = """\
--resume reads every option from OUT/run.json, and the widths the plan chose after calibration
are one of them: a resumed run without them would build another network than its checkpoint's.
Write them into run.json as soon as the plan is made."""


def store_plan(args, plan):
    pass


cli.store_plan = store_plan
