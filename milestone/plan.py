"""The milestone's plan: when the run ends, how long it may train, and (with your layers) which
network a run that long learns best.

The budget is wall time, from the start of `python -m milestone` to its last line: loading,
whitening, calibration, training, the held-out pass after each epoch, the final evaluation and the
plots all count. What comes after the last training step (the finish) is estimated from a timed
evaluation batch and set aside before the training steps are planned:

    trainable  = time left after calibration - finish reserve
    epochs     = whole tenths of an epoch of (steps x step time + one held-out pass per epoch)
                 that fit in MARGIN x trainable

With your layers (`--impl katas` without `--widths`) the plan also chooses the network. Accuracy
grows fast with epochs while a run is short (your 32/64/128 network, same recipe: 75.5% after 1.74
epochs, 80.2% after 3, 85.2% after 11) and a narrower network costs less per image, but width
buys more than epochs past about three (16/32/64 reached 76.6% after 4.22 epochs, below 32/64/128's
80.2% after 3). So the plan times the CANDIDATE_WIDTHS widest first and keeps the first that trains
at least MIN_EPOCHS in the budget; if none does, the one that trains the most. The reference keeps
its 64/128/256.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

TENTHS = 10                 # plans are whole tenths of an epoch: the steps a plan leaves unused
                            # average a twentieth of an epoch (quarter epochs left 28 s of a
                            # learner's 10 minutes: 3.25 planned where 3.44 fitted)
MARGIN = 0.97               # the share of the trainable time a plan may fill
FINISH_MARGIN = 1.25        # the finish reserve over its estimate (a busy machine slows it too)
PLOT_SECONDS = 8.0          # matplotlib's import and four PNGs (measured 3-5 s; 0 with --no-plots)
WRITE_SECONDS = 1.0         # metrics, history, the last checkpoint
CANDIDATE_WIDTHS = ((32, 64, 128), (24, 48, 96), (16, 32, 64))
MIN_EPOCHS = 3.0
FLIP_PASSES = 3             # plain + flip TTA: 3 forward passes over the test set
TRANSLATE_PASSES = 6        # flip + translate TTA adds 6 (the reference only)


@dataclass(frozen=True)
class Deadline:
    """The run's end: `budget` seconds of wall time after `start` (a time.time() value)."""

    start: float
    budget: float

    @property
    def end(self) -> float:
        return self.start + self.budget

    def left(self, now: float | None = None) -> float:
        """Seconds until the end (negative once it has passed)."""
        return self.end - (time.time() if now is None else now)

    def clock(self) -> str:
        """The end as a local time of day, 'HH:MM:SS'."""
        return time.strftime("%H:%M:%S", time.localtime(self.end))


def evaluation_passes(impl: str, translate: bool = True) -> int:
    """Forward passes over the test set in the final evaluation (the reference's flip +
    translate TTA unless translate is False)."""
    return FLIP_PASSES + (TRANSLATE_PASSES if impl == "solutions" and translate else 0)


def translate_fits(image_seconds: float, test_images: int, left: float) -> bool:
    """Whether the reference's flip + translate TTA earns its place: its passes (with
    FINISH_MARGIN) take at most a third of the time left. A short budget or a slow machine
    trains instead (airbench: the third figure adds 0.0-0.3 points to flip TTA's)."""
    return FINISH_MARGIN * TRANSLATE_PASSES * image_seconds * test_images <= left / 3


def finish_seconds(image_seconds: float, test_images: int, heldout_images: int, passes: int,
                   plots: bool) -> float:
    """The reserve for everything after the last step: `passes` eval-mode forward passes over the
    test set and one over the held-out slice (the gallery's), at `image_seconds` per image, with
    FINISH_MARGIN to spare; then the plots and the files."""
    images = passes * test_images + heldout_images + 1   # + the feature maps' image
    return FINISH_MARGIN * image_seconds * images + (PLOT_SECONDS if plots else 0) + WRITE_SECONDS


def fit_epochs(trainable: float, step_seconds: float, steps_per_epoch: int,
               heldout_seconds: float, margin: float = MARGIN) -> tuple[float, int]:
    """(epochs, steps): the whole tenths of an epoch whose steps and held-out passes (one after
    each epoch) fit in margin x trainable seconds. Less than a tenth: the steps that fit
    beside one held-out pass, at least one."""
    epoch_seconds = steps_per_epoch * step_seconds + heldout_seconds
    tenths = max(0, int(margin * trainable / epoch_seconds * TENTHS))
    total = round(tenths / TENTHS * steps_per_epoch)
    if total >= 1:
        return tenths / TENTHS, total
    steps = max(1, int(margin * (trainable - heldout_seconds) / step_seconds))
    return round(steps / steps_per_epoch, 4), steps


def choose_widths(timed: list[dict], min_epochs: float = MIN_EPOCHS) -> tuple[int, str]:
    """Which of the timed candidates to train, and why, in a sentence.

    timed: [{"widths": (w1, w2, w3), "epochs": float}, ...] widest first. The first that trains
    at least min_epochs, else the one that trains the most (the first of equals).
    """
    def name(i):
        return "/".join(str(w) for w in timed[i]["widths"])
    for i, candidate in enumerate(timed):
        if candidate["epochs"] >= min_epochs:
            if i == 0:
                return 0, (f"widths {name(0)}: {candidate['epochs']:g} epochs fit, at least the "
                           f"{min_epochs:g} a run needs to learn well")
            return i, (f"widths {name(i)}: {name(0)} would train {timed[0]['epochs']:g} epochs, "
                       f"fewer than the {min_epochs:g} a run needs to learn well; {name(i)} "
                       f"trains {candidate['epochs']:g}")
    best = max(range(len(timed)), key=lambda i: (timed[i]["epochs"], -i))
    if best == 0:
        return 0, (f"widths {name(0)}: {timed[0]['epochs']:g} epochs fit, and no narrower "
                   f"network trains more in the budget")
    return best, (f"widths {name(best)}: no candidate trains {min_epochs:g} epochs at your layers' "
                  f"speed; this one trains the most ({timed[best]['epochs']:g}, "
                  f"{name(0)} would train {timed[0]['epochs']:g})")


def projected_train_seconds(train_seconds: float, steps_left: int, step_rate: float,
                            epochs_left: int, heldout_seconds: float) -> float:
    """Where train_seconds (calibration, steps and held-out passes) will stand after the plan."""
    return train_seconds + steps_left * step_rate + epochs_left * heldout_seconds


def steps_within(step: int, train_seconds: float, train_budget: float, step_rate: float,
                 epochs_left: int, heldout_seconds: float) -> int:
    """The last step a run at `step` can reach without its training passing train_budget."""
    spare = train_budget - train_seconds - epochs_left * heldout_seconds
    return step + int(spare / step_rate)


def resized_steps(total: int, step: int, fits: int) -> int:
    """A schedule's new length when `fits` steps fit in its training time (steps_within): at
    least one step past `step`, and still `total` while the change is jitter (at most
    max(5, total / 50) steps), so a noisy step rate does not re-size the run every few steps."""
    new_total = max(step + 1, fits)
    return new_total if abs(new_total - total) > max(5, total // 50) else total
