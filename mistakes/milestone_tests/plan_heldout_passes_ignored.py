"""The plan fits the training steps alone in the budget, forgetting the held-out pass after each epoch."""
from milestone import plan as ref
from milestone import train

MODULE = "plan"
EXPLANATION = """\
After every epoch the run evaluates 1,000 test images: time the budget pays too. Sizing epochs by
steps x step time alone plans a run that ends late by one held-out pass per epoch. Add the pass to
each epoch's seconds before counting the tenths of an epoch that fit."""


def fit_epochs(trainable, step_seconds, steps_per_epoch, heldout_seconds, margin=ref.MARGIN):
    return _fit(trainable, step_seconds, steps_per_epoch, 0.0, margin)


_fit = ref.fit_epochs
ref.fit_epochs = train.fit_epochs = fit_epochs
