"""Ghost batches (milestone/network.py, `Network(..., replicas=R)`): a batch runs as R parts at
once, one thread each. It must compute exactly what R separate batches compute: logits side by
side, gradients added, each BN running statistic the mean of the parts' updates (momentum applied
once), eval mode unchanged; and the parts must really run at once. The milestone gives a learner's
layers two ghost batches and the reference's fast layers one, and a resumed run keeps the count."""

import copy
import threading
from types import SimpleNamespace

import numpy as np
import pytest

from milestone import __main__ as cli
from milestone import network, train
from milestone.instrument import InstrumentedLayers
from solutions.topic17_cifar10_from_scratch import layers as plain_layers
from specs.harness import expect_close, fail

WIDTHS = (4, 8, 8)


def plain():
    """The reference's textbook layers under another name: Network keeps them (no fast path)."""
    names = [n for n in dir(plain_layers) if not n.startswith("_")]
    return SimpleNamespace(**{n: getattr(plain_layers, n) for n in names})


def float64_network(replicas, seed=0):
    rng = np.random.default_rng(seed)
    net = network.Network(plain(), widths=WIDTHS, replicas=replicas)
    params, state = net.init(rng, rng.standard_normal((40, 3, 32, 32)))
    params = {k: v.astype(np.float64) for k, v in params.items()}
    return net, params, state


@pytest.mark.parametrize("n, replicas", [(64, 2), (51, 2), (48, 3)])
def test_parts_compute_what_separate_batches_compute(n, replicas):
    net, params, state = float64_network(replicas)
    single = network.Network(plain(), widths=WIDTHS)
    rng = np.random.default_rng(1)
    x, dlogits = rng.standard_normal((n, 3, 32, 32)), rng.standard_normal((n, 10))
    ghost_state = copy.deepcopy(state)
    logits, cache = net.forward(params, ghost_state, x, True)
    grads = net.backward(dlogits, cache)

    parts = network._parts(n, replicas)
    if len(parts) != replicas or sum(p.stop - p.start for p in parts) != n:
        fail(f"a batch of {n} in {replicas} ghost batches: the parts are {parts}")
    expected_logits, expected_grads, part_states = [], {}, []
    for rows in parts:
        part_state = copy.deepcopy(state)
        out, part_cache = single.forward(params, part_state, x[rows], True)
        expected_logits.append(out)
        part_states.append(part_state)
        for name, g in single.backward(dlogits[rows], part_cache).items():
            expected_grads[name] = expected_grads.get(name, 0) + g
    expect_close(logits, np.concatenate(expected_logits), "logits", rtol=1e-12)
    if set(grads) != set(expected_grads):
        fail(f"ghost-batch gradients have keys {sorted(grads)}, expected {sorted(expected_grads)}")
    for name in grads:
        expect_close(grads[name], expected_grads[name], f"grads[{name!r}] (the parts' sum)",
                     rtol=1e-9)
    for key, stats in ghost_state.items():
        if isinstance(stats, dict):
            for stat, arr in stats.items():
                mean = np.mean([s[key][stat] for s in part_states], axis=0)
                expect_close(arr, mean, f"state[{key!r}][{stat!r}] (the mean of the parts' "
                             f"updates)", rtol=1e-6)


def test_running_statistics_are_updated_in_place_and_eval_mode_is_one_batch():
    net, params, state = float64_network(2)
    arrays = {k: v["running_mean"] for k, v in state.items() if isinstance(v, dict)}
    x = np.random.default_rng(2).standard_normal((64, 3, 32, 32))
    net.forward(params, state, x, True)
    for key, arr in arrays.items():
        if state[key]["running_mean"] is not arr:
            fail(f"state[{key!r}]['running_mean'] was replaced by a new array: the lookahead "
                 f"average and a checkpoint hold the old one. Write the merged mean into it.")
    before = copy.deepcopy(state)
    logits, _ = net.forward(params, state, x, False)
    one, _ = network.Network(plain(), widths=WIDTHS).forward(params, before, x, False)
    expect_close(logits, one, "eval-mode logits in ghost batches", rtol=1e-12)
    for key, stats in state.items():
        if isinstance(stats, dict) and not np.array_equal(stats["running_var"],
                                                          before[key]["running_var"]):
            fail(f"an eval-mode forward in ghost batches changed state[{key!r}].")


def test_a_small_batch_runs_whole():
    if len(network._parts(2 * network.MIN_PART - 1, 2)) != 1:
        fail(f"a batch of {2 * network.MIN_PART - 1} split into parts under MIN_PART "
             f"({network.MIN_PART}) images: BN statistics of so few images are noise.")


def test_the_parts_run_in_threads_at_once(monkeypatch):
    # Two threads whatever this machine's cores (on one core the pool has one thread, by design).
    monkeypatch.setenv("KATA_THREADS", "2")
    monkeypatch.setattr(network, "_POOL", None)
    seen, both_inside, inside, waited = set(), threading.Event(), [0], threading.Event()
    lock = threading.Lock()
    layer_set = plain()
    conv = layer_set.conv2d_forward

    def recording_conv(*args, **kwargs):
        with lock:
            seen.add(threading.get_ident())
            inside[0] += 1
            if inside[0] == 2:
                both_inside.set()
            first = not waited.is_set()
            waited.set()
        if first:   # the first call waits (once) for the other part to arrive
            both_inside.wait(timeout=10)
        try:
            return conv(*args, **kwargs)
        finally:
            with lock:
                inside[0] -= 1
    layer_set.conv2d_forward = recording_conv
    net = network.Network(layer_set, widths=WIDTHS, replicas=2)
    rng = np.random.default_rng(0)
    params, state = net.init(rng, rng.standard_normal((40, 3, 32, 32)).astype(np.float32))
    net.forward(params, state, rng.standard_normal((64, 3, 32, 32)).astype(np.float32), True)
    if len(seen) < 2 or not both_inside.is_set():
        fail(f"two ghost batches ran their convolutions in {len(seen)} thread(s), never both at "
             f"once: run the parts at the same time (a thread pool), or there is no speed-up.")


def test_the_step_breakdown_counts_each_thread_once():
    timed = InstrumentedLayers(plain_layers)
    timed.concurrency = 2
    timed.seconds.update({"conv forward": 2.0, "steps": 1, "step_seconds": 1.5})
    per_step = timed.breakdown()
    if abs(per_step["conv forward"] - 1.0) > 1e-9 or abs(per_step["the rest"] - 0.5) > 1e-9:
        fail(f"2 s of convolutions over 2 threads at once in a 1.5 s step: 1.0 s of the step "
             f"and 0.5 s for the rest; breakdown() says {per_step}.")
    if "2 parts" not in timed.summary(learner=True):
        fail("the step breakdown does not say the layers ran in 2 parts at once.")


def test_learner_runs_use_two_ghost_batches_and_the_reference_one():
    if cli.parse_args(["--impl", "katas"]).ghost_batches != 2:
        fail("python -m milestone --impl katas should run the learner's layers in 2 ghost "
             "batches by default.")
    if cli.parse_args(["--impl", "solutions"]).ghost_batches != 1:
        fail("the reference's fast layers split the batch themselves: one ghost batch.")
    if "ghost_batches" not in cli.RUN_OPTIONS or "ghost_batches" in cli.MAY_CHANGE_ON_RESUME:
        fail("the ghost-batch count changes the numbers a run computes: run.json must keep it "
             "and --resume must refuse another.")


def test_a_resumed_run_refuses_another_ghost_batch_count(tmp_path):
    run = {"cfg": train.Config(impl="katas", widths=(8, 8, 8), ghost_batches=2)}
    run.update(step=1, total=2, epoch=0, batch_index=0, train_seconds=1.0, history=[],
               heldout=[], replanned=False, window=[], perm=np.arange(4),
               rng=np.random.default_rng(0), velocity={}, slow={},
               params={"w": np.zeros(2, np.float32)}, state={})
    train.save_checkpoint(tmp_path / "checkpoint.npz", run)
    with pytest.raises(SystemExit, match="ghost_batches"):
        train._resumed_run(train.Config(impl="katas", widths=(8, 8, 8), ghost_batches=1),
                           tmp_path / "checkpoint.npz")


def test_learner_runs_default_to_batch_256_and_the_reference_to_512():
    batches = {impl: cli.parse_args(["--impl", impl]).batch for impl in ("katas", "solutions")}
    smoke = cli.parse_args(["--impl", "katas", "--smoke"]).batch
    if batches != {"katas": 256, "solutions": 512} or smoke != 128:
        fail(f"default batch sizes: your layers 256 (more steps in a short run, ghost batches "
             f"of 128 that stay in cache), the reference 512, --smoke 128; parse_args gives "
             f"{batches} and {smoke} with --smoke.")
