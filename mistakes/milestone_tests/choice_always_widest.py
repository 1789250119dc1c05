"""The plan keeps the widest network whatever its speed allows (1.74 epochs in 10 minutes)."""
from milestone import plan as ref
from milestone import train

MODULE = "plan"
EXPLANATION = """\
With slow layers the widest candidate trains under two epochs in the budget, where accuracy is
still climbing steeply with every epoch. Keep the first candidate, widest first, that trains at
least MIN_EPOCHS; when none does, the one that trains the most."""


def choose_widths(timed, min_epochs=ref.MIN_EPOCHS):
    name = "/".join(str(w) for w in timed[0]["widths"])
    return 0, f"widths {name}: the widest"


ref.choose_widths = train.choose_widths = choose_widths
