"""The milestone's plan (milestone/plan.py, milestone/train.py): the budget is the run's wall
time, so the plan fits training, one held-out pass per epoch and the finish (final evaluation,
plots) before the deadline, shortens the run when the machine slows down, chooses the widths for
a learner's layers, and a resumed run keeps that choice. Unit-level arithmetic, and two runs of a
few seconds on synthetic data."""

import importlib
import time

import numpy as np
import pytest

from milestone import __main__ as cli
from milestone import network, plan, train
from specs.harness import expect_close, fail

# The milestone is not a kata: its runs here use the reference's Topic 17 pipeline and layers.
TOPIC = "solutions.topic17_cifar10_from_scratch"


# ----------------------------------------------------------------------------- arithmetic
@pytest.mark.parametrize("trainable, step, per_epoch, heldout", [
    (100.0, 1.0, 10, 2.0), (600.0, 2.9, 97, 4.0), (37.0, 0.3, 12, 0.0), (500.0, 0.97, 97, 3.1)])
def test_planned_tenths_of_an_epoch_and_their_heldout_passes_fit(trainable, step, per_epoch, heldout):
    epochs, total = plan.fit_epochs(trainable, step, per_epoch, heldout, margin=0.97)
    passes = -(-total // per_epoch)   # one after each epoch, and one after a last partial one
    used = total * step + passes * heldout
    if used > 0.97 * trainable + 1e-9:
        fail(f"fit_epochs({trainable}, step {step} s, {per_epoch} steps an epoch, held-out pass "
             f"{heldout} s) plans {total} steps and {passes} held-out passes: {used:.1f} s, more "
             f"than 97% of the {trainable} s it may fill.")
    if round(epochs * 10, 9) != int(round(epochs * 10, 9)) or total != round(epochs * per_epoch):
        fail(f"fit_epochs planned {epochs} epochs = {total} steps: not whole tenths of an epoch.")
    more = total + -(-per_epoch // 10)
    if more * step + (-(-more // per_epoch)) * heldout <= 0.97 * trainable - (per_epoch * step):
        fail(f"fit_epochs left more than a tenth of an epoch unused: {total} steps of {step} s in "
             f"{trainable} s.")


def test_less_than_a_tenth_of_an_epoch_trains_what_fits_beside_one_heldout_pass():
    epochs, total = plan.fit_epochs(20.0, 1.0, 1000, 5.0, margin=1.0)
    if total != 15:
        fail(f"20 s, steps of 1 s, 1,000 steps an epoch, a held-out pass of 5 s: 15 steps fit, "
             f"fit_epochs planned "
             f"{total}.")


def test_the_finish_reserve_counts_every_pass_and_the_plots():
    seconds = plan.finish_seconds(0.002, 10000, 1000, 3, plots=True)
    least = 0.002 * (3 * 10000 + 1000) + plan.PLOT_SECONDS
    if seconds < least:
        fail(f"the finish (3 passes over 10,000 test images and one over 1,000 held-out ones at "
             f"2 ms an image, then the plots) takes at least {least:.0f} s; finish_seconds "
             f"reserves {seconds:.1f}.")
    without = plan.finish_seconds(0.002, 10000, 1000, 3, plots=False)
    if seconds - without < plan.PLOT_SECONDS:
        fail(f"the finish reserves {seconds:.1f} s with the plots and {without:.1f} s without: "
             f"the plots need PLOT_SECONDS ({plan.PLOT_SECONDS:g} s) of their own.")
    if plan.finish_seconds(0.002, 10000, 1000, 9, plots=True) <= seconds:
        fail("finish_seconds does not grow with the number of passes (flip + translate TTA).")
    if plan.evaluation_passes("solutions") != 9 or plan.evaluation_passes("katas") != 3:
        fail("the final evaluation runs 3 passes (plain, flip TTA), 9 for the reference "
             "(+ flip and translate TTA).")


def test_flip_translate_tta_is_left_out_when_it_would_take_a_third_of_the_time_left():
    # 6 passes over 10,000 images at 1 ms, with the finish margin: 75 s
    if not plan.translate_fits(0.001, 10000, 600.0) or plan.translate_fits(0.001, 10000, 200.0):
        fail("flip + translate TTA (6 passes of 10 s, 75 s with the margin) fits in a third of "
             "600 s left, not in a third of 200 s: translate_fits must say so.")


def test_the_deadline_counts_from_the_start():
    deadline = plan.Deadline(start=1000.0, budget=600.0)
    if deadline.end != 1600.0 or deadline.left(now=1550.0) != 50.0:
        fail(f"a 600 s budget started at t=1000 ends at 1600 with 50 s left at 1550; got end "
             f"{deadline.end}, left {deadline.left(now=1550.0)}.")


@pytest.mark.parametrize("epochs, want", [
    ([5.0, 9.0, 17.0], 0), ([1.75, 4.0, 8.0], 1), ([1.0, 2.5, 4.25], 2), ([0.5, 1.5, 2.0], 2),
    ([1.0, 1.0, 1.0], 0)])
def test_the_widest_network_that_trains_enough_epochs_is_chosen(epochs, want):
    timed = [{"widths": w, "epochs": e} for w, e in zip(plan.CANDIDATE_WIDTHS, epochs)]
    got, why = plan.choose_widths(timed, min_epochs=4.0)
    if got != want:
        fail(f"candidates {[c['widths'] for c in timed]} train {epochs} epochs in the budget: "
             f"the plan should choose {timed[want]['widths']} (the widest with at least 4 epochs, "
             f"else the one with the most), it chose {timed[got]['widths']}.")
    if "/".join(map(str, timed[got]["widths"])) not in why:
        fail(f"the plan's reason does not name the widths it chose: {why!r}")


def _history_run(total, step, seconds_per_step, train_budget, per_epoch=100):
    """A run dict at `step` whose last 60 steps each took seconds_per_step."""
    points = range(step - 60, step + 1, 10)
    history = [{"step": s, "seconds": s * seconds_per_step} for s in points]
    return {"plan": {"total_steps": total, "train_budget": train_budget, "heldout_seconds": 0.0},
            "history": history, "step": step, "total": total, "replanned": False,
            "train_seconds": step * seconds_per_step, "heldout": []}


def test_a_run_that_would_end_training_late_is_shortened():
    cfg = train.Config(budget=600.0)
    run = _history_run(total=300, step=100, seconds_per_step=2.1, train_budget=600.0)
    new_total = train._maybe_replan(run, cfg, 300, 100)  # 630 s at this rate: 5% late
    if not run["replanned"] or new_total * 2.1 > 600.0 + 1e-6:
        fail(f"at 2.1 s a step, 300 steps take 630 s of the 600 s the plan set aside for "
             f"training: the run must be shortened to at most {int(600 / 2.1)} steps; it now "
             f"ends at step {new_total}.")
    run = _history_run(total=280, step=100, seconds_per_step=2.1, train_budget=600.0)
    if train._maybe_replan(run, cfg, 280, 100) != 280 or run["replanned"]:
        fail("280 steps of 2.1 s fit in 600 s: the run must keep its plan.")


def test_a_resized_run_grows_again_when_the_machine_speeds_up():
    cfg = train.Config(budget=600.0)
    run = _history_run(total=250, step=100, seconds_per_step=1.5, train_budget=600.0)
    if train._maybe_replan(run, cfg, 250, 100) != 250 or run["replanned"]:
        fail("a run never re-sized, on a machine faster than calibrated (250 steps of 1.5 s in "
             "600 s), keeps its plan: a steady machine must repeat its runs.")
    run["replanned"] = True   # re-sized earlier: this machine's speed swings
    new_total = train._maybe_replan(run, cfg, 250, 100)
    if new_total < int(0.95 * 600 / 1.5) or new_total * 1.5 > 600.0 + 1e-6:
        fail(f"a run already re-sized now steps at 1.5 s: about {int(600 / 1.5)} steps fit in the "
             f"600 s set aside for training, beyond the plan's 250; it now ends at step "
             f"{new_total}. The plan is not a ceiling once the machine has shown its speed "
             f"swings: the time left would go unused.")


def test_a_slower_heldout_pass_moves_the_finish_and_shortens_training():
    cfg = train.Config(budget=600.0)
    run = _history_run(total=250, step=100, seconds_per_step=2.0, train_budget=520.0)
    # planned: 31,001 finish images at 1 ms; the last held-out pass ran 1,000 at 2 ms
    run["plan"].update(image_seconds=0.001, finish_images=31001, heldout_images=1000)
    run["heldout"] = [{"seconds": 2.0}]
    new_total = train._maybe_replan(run, cfg, 250, 100)
    late = plan.FINISH_MARGIN * 31.0
    if new_total * 2.0 + 2 * 2.0 > 520.0 - late + 2.0:
        fail(f"the held-out pass ran at half the speed the plan measured, so the final "
             f"evaluation will take about {late:.0f} s more: training must end that much "
             f"earlier (at most about {int((520 - late) / 2)} steps of 2 s); the run now ends at "
             f"step {new_total}.")


def test_flip_translate_tta_is_skipped_when_it_would_pass_the_deadline(capsys):
    cfg = train.Config(impl="solutions", plots=False)
    soon = plan.Deadline(start=time.time(), budget=5.0)
    if train._translate_fits(soon, pass_seconds=2.0, cfg=cfg):
        fail("6 passes of 2 s cannot end within 5 s of the deadline: flip + translate TTA must "
             "be skipped.")
    if "skipped" not in capsys.readouterr().out:
        fail("a skipped flip + translate TTA must say so.")
    if not train._translate_fits(None, pass_seconds=2.0, cfg=cfg):
        fail("a resumed run has no deadline: flip + translate TTA runs.")


# ----------------------------------------------------------------------------- whitening
def _direct_covariance(x):
    x = np.asarray(x, np.float64)
    n, c, h, w = x.shape
    patches = np.stack([x[:, :, i:h - 1 + i, j:w - 1 + j] for i in range(2) for j in range(2)],
                       axis=2)
    flat = patches.transpose(0, 3, 4, 1, 2).reshape(-1, c * 4)
    return flat.T @ flat / len(flat)


@pytest.mark.parametrize("n, chunk", [(7, 3), (10, 10), (5, 100), (1, 1)])
def test_whitening_covariance_in_chunks_is_the_whole_covariance(n, chunk):
    x = np.random.default_rng(n).standard_normal((n, 3, 9, 8)).astype(np.float32)
    expect_close(network.patch_covariance(x, chunk), _direct_covariance(x),
                 f"patch_covariance of {n} images in chunks of {chunk}", rtol=1e-12,
                 reference="the covariance of all 2x2 patches at once, float64")


def test_whitening_weights_are_as_before_to_1e5():
    x = np.random.default_rng(0).standard_normal((250, 3, 12, 12)).astype(np.float32)
    eigval, eigvec = np.linalg.eigh(_direct_covariance(x))
    eigval, eigvec = eigval[::-1], eigvec[:, ::-1]
    want = (eigvec.T / np.sqrt(eigval + 5e-4)[:, None]).reshape(12, 3, 2, 2)
    got = network.patch_whitening_weights(x)
    # eigenvectors are defined up to sign: compare each filter's sign-aligned version
    sign = np.sign(np.sum(got[:12] * want, axis=(1, 2, 3)))[:, None, None, None]
    expect_close(got[:12] * sign, want, "patch_whitening_weights", rtol=1e-5,
                 reference="eigenvectors of the all-at-once float64 covariance")
    expect_close(got[12:], -got[:12], "patch_whitening_weights' second half", rtol=0,
                 reference="the negatives of the first 12 filters")


# ----------------------------------------------------------------------------- short runs
def _synthetic(n_train=384, n_test=128, size=16):
    rng = np.random.default_rng(0)
    palette = rng.integers(30, 226, (10, 3))

    def make(n):
        y = rng.integers(0, 10, n)
        x = palette[y][:, :, None, None] + rng.integers(-8, 9, (n, 3, size, size))
        return np.clip(x, 0, 255).astype(np.uint8), y.astype(np.int64)
    (x_train, y_train), (x_test, y_test) = make(n_train), make(n_test)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _modules():
    return (importlib.import_module(f"{TOPIC}.pipeline"),
            importlib.import_module(f"{TOPIC}.layers"))


def _fake_calibration(seconds_by_widths, image_seconds=0.01):
    """A stand-in for train._calibrate: the step time given for each widths, no real steps."""
    def calibrate(cfg, net, *args, **kwargs):
        return seconds_by_widths[tuple(net.widths)], image_seconds
    return calibrate


def test_the_plan_sets_the_finish_aside_before_planning_steps(monkeypatch):
    _, layers = _modules()
    monkeypatch.setattr(train, "_calibrate", _fake_calibration({(8, 8, 16): 0.5}, 1e-4))
    cfg = train.Config(impl="solutions", budget=100.0, batch=64, widths=(8, 8, 16))
    deadline = plan.Deadline(time.time(), cfg.budget)
    data = _synthetic()
    got = train.plan_run(cfg, train.InstrumentedLayers(layers), None, None, data["x_train"],
                         data["y_train"], None, None, 6, 10000, 1000, deadline)
    left = deadline.left()
    finish = plan.finish_seconds(1e-4, 10000, 1000, 9, True)
    if got["finish_seconds"] < round(finish, 1) or got["train_budget"] + finish > left + 0.05:
        fail(f"{left:.1f} s before the deadline, with a finish of {finish:.1f} s (9 passes over "
             f"10,000 test images and one over 1,000 held-out ones at 0.1 ms an image, the "
             f"plots), the plan may train at most {left - finish:.1f} s; it plans "
             f"{got['train_budget']} s of training and reserves {got['finish_seconds']} s.")
    used = got["total_steps"] * 0.5 + -(-got["total_steps"] // 6) * got["heldout_seconds"]
    if used > got["train_budget"]:
        fail(f"the plan's {got['total_steps']} steps of 0.5 s and their held-out passes take "
             f"{used:.1f} s, longer than the {got['train_budget']} s it set aside for training.")


def test_the_widths_the_plan_chose_survive_an_interrupt(tmp_path, monkeypatch):
    pipeline, layers = _modules()
    monkeypatch.setattr(train, "CANDIDATE_WIDTHS", ((8, 8, 16), (4, 4, 8)))
    # 8/8/16 would train half an epoch in the budget, 4/4/8 two: the plan chooses 4/4/8
    monkeypatch.setattr(train, "_calibrate", _fake_calibration({(8, 8, 16): 10.0,
                                                                (4, 4, 8): 2.5}))
    cfg = train.Config(impl="katas", budget=45.0, batch=64, widths=None, plots=False,
                       log_every=5)
    chosen = {}
    checks = {"n": 0}

    class InterruptAfterFiveSteps(train.Interrupt):
        @property
        def requested(self):
            checks["n"] += 1
            return checks["n"] > 5

        @requested.setter
        def requested(self, value):
            pass

    monkeypatch.setattr(train, "Interrupt", InterruptAfterFiveSteps)
    if train.train(cfg, pipeline, layers, _synthetic(), tmp_path / "run", False,
                   on_plan=chosen.update):
        fail("an interrupted run should stop and return nothing")
    monkeypatch.setattr(train, "Interrupt", InterruptAfterFiveSteps.__mro__[1])
    if chosen.get("widths") != [4, 4, 8]:
        fail(f"with no widths given, 8/8/16 training half an epoch and 4/4/8 two, the plan "
             f"should choose 4/4/8; it chose {chosen.get('widths')}.")
    result = train.train(cfg, pipeline, layers, _synthetic(), tmp_path / "run", True)
    if result["metrics"]["widths"] != [4, 4, 8]:
        fail(f"the plan chose widths 4/4/8; the resumed run trained "
             f"{result['metrics']['widths']}.")


def test_run_json_keeps_the_widths_the_plan_chose(tmp_path):
    out = tmp_path / "run"
    args = cli.parse_args(["--impl", "katas", "--out", str(out), "--budget", "300"])
    if args.widths is not None:
        fail(f"with your layers and no --widths the plan chooses the widths; the options say "
             f"{args.widths}.")
    cli.save_run_options(args)
    cli.store_plan(args, {"widths": [16, 32, 64], "why": "widths 16/32/64: ..."})
    resumed = cli.parse_args(["--resume", "--out", str(out)])
    if resumed.widths != "16,32,64" or resumed.budget != 300:
        fail(f"--resume must continue with the widths the plan chose (16,32,64) and the budget "
             f"(300); it read widths {resumed.widths}, budget {resumed.budget}.")
    with pytest.raises(SystemExit):
        cli.parse_args(["--resume", "--out", str(out), "--widths", "32,64,128"])
