"""The milestone network, written against a layer set (`<impl>.topic17_cifar10_from_scratch.layers`).

An airbench-style CNN (Keller Jordan's airbench94, after David Page's ResNet-9 "bag of tricks"):

    x (N, 3, 32, 32)
    -> 2x2 conv, 24 channels, frozen patch-whitening weights, trained bias -> ReLU   (N, 24, 31, 31)
    -> 3 groups of [3x3 conv -> maxpool 2 -> BN -> ReLU -> 3x3 conv -> BN -> ReLU]  widths w1, w2, w3
       (31 -> 15 -> 7 -> 3 pixels)
    -> maxpool 3 (3x3 -> 1x1) -> linear w3 -> 10, no bias, scaled by 1/9             (N, 10)

Convolutions have no bias (BN follows); BN weights are frozen at 1 (only the biases train), BN
keeps 60% of its running statistics per step (PyTorch momentum 0.4) and uses eps 1e-12; 3x3
convolutions start as identity maps (Dirac) on their first C_in filters. ReLU replaces airbench's
GELU, which costs several elementwise passes per activation in NumPy.

Ghost batches (`replicas`). A learner's layers are single-threaded NumPy: apart from the matrix
products, one core copies the columns while the other waits. With replicas=2 the network splits
each batch into two halves and runs your layers on both at once, one thread each (NumPy releases
the interpreter lock inside its loops): data parallelism, as frameworks do across GPUs. Each half
normalizes with its own batch statistics (ghost batch norm), its BN running statistics are the
mean of the halves' updates, and the gradients of the halves are added (the loss's 1/N already
counts the whole batch). The milestone trains a learner's layers this way (1.9x the images/s of
one batch at a time on 2 cores); the reference's fast layers split the batch themselves.

`params` (trained) and `state` (not trained: BN running statistics, the frozen whitening weights)
are dicts of arrays, so an optimizer, a checkpoint and lookahead averaging all see plain arrays.

The network needs only the Topic 12-14 layers. A layer set may also offer fused calls (conv + max
pool, BN + ReLU, whitening conv + ReLU, the whitening bias gradient without the input gradient);
the network uses them when present. The learner's layer set needs none. The reference milestone
(`--impl solutions`) trains on the fast layer set `fastpath/layers.py`, which has them: given the
reference's plain layer set, the network swaps the fast one in (see `training_layers`), unless
KATA_FAST_LAYERS=0. `specs/fastpath/` checks every fast function against the plain layers.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import ModuleType

import numpy as np

REFERENCE_LAYERS = "solutions.topic17_cifar10_from_scratch.layers"
WHITEN_CHANNELS = 24  # 12 eigen-patches (3 channels x 2 x 2) and their negatives
LOGIT_SCALE = 1 / 9
COVARIANCE_CHUNK = 100  # images per chunk of the whitening covariance


def patch_whitening_weights(x: np.ndarray, eps: float = 5e-4) -> np.ndarray:
    """(24, 3, 2, 2) filters that whiten 2x2 patches of the normalized images x (N, 3, H, W).

    The eigenvectors of the patches' covariance, each divided by sqrt(its eigenvalue + eps), and
    their negatives (so that ReLU keeps both signs).
    """
    c = x.shape[1]
    cov = patch_covariance(x)
    eigval, eigvec = np.linalg.eigh(cov)
    eigval, eigvec = eigval[::-1], eigvec[:, ::-1]               # largest first
    filters = (eigvec.T / np.sqrt(eigval + eps)[:, None]).reshape(c * 4, c, 2, 2)
    return np.concatenate([filters, -filters]).astype(np.float32)


def patch_covariance(x: np.ndarray, chunk: int = COVARIANCE_CHUNK) -> np.ndarray:
    """(C*4, C*4) float64: the mean outer product of the 2x2 patches of x (N, C, H, W), each
    patch a row ordered (c, kh, kw). Summed in float64 over chunks of images: the same numbers
    as all patches at once, whose float64 copies for 5,000 images take about 1 GB (a chunk's of
    100 images, 18 MB)."""
    n, c, h, w = x.shape
    cov = np.zeros((c * 4, c * 4))
    for start in range(0, n, chunk):
        part = np.asarray(x[start:start + chunk], np.float64)
        patches = np.stack([part[:, :, i:h - 1 + i, j:w - 1 + j]
                            for i in range(2) for j in range(2)], axis=2)   # (n, C, 4, H-1, W-1)
        flat = patches.transpose(0, 3, 4, 1, 2).reshape(-1, c * 4)       # rows (c, kh, kw)
        cov += flat.T @ flat
    return cov / max(1, n * (h - 1) * (w - 1))


def training_layers(layers: ModuleType) -> ModuleType:
    """The layer set to train on: the fast package in place of the reference's plain layer set
    (the same functions, checked against it), any other layer set (a learner's) as it is.
    KATA_FAST_LAYERS=0 keeps the plain reference layers (to time or train the textbook code)."""
    wanted = os.environ.get("KATA_FAST_LAYERS", "1") != "0"
    if wanted and getattr(layers, "__name__", None) == REFERENCE_LAYERS:
        from fastpath import layers as fast_layers
        return fast_layers
    return layers


class Network:
    """forward/backward of the airbench-style CNN over one layer set (see the module docstring)."""

    def __init__(self, layers: ModuleType, widths=(64, 128, 256), bn_momentum=0.4, bn_eps=1e-12,
                 replicas: int = 1):
        self.layers = training_layers(layers)
        self.widths = tuple(int(w) for w in widths)
        self.replicas = max(1, int(replicas))
        self.bn_momentum, self.bn_eps = bn_momentum, bn_eps
        self._ones, self._zeros = {}, {}
        # The trainer adds "whiten_b" once the whitening bias stops training: backward then
        # skips the gradient w.r.t. the first conv group's input, the largest dx of the network.
        self.frozen: set[str] = set()

    # ------------------------------------------------------------------------- parameters
    def init(self, rng: np.random.Generator, whitening_images: np.ndarray | None = None,
             whiten_w: np.ndarray | None = None):
        """(params, state) for a fresh network; whitening_images: normalized (N, 3, 32, 32), or
        whiten_w: their patch_whitening_weights, computed once for several networks."""
        if whiten_w is None:
            whiten_w = patch_whitening_weights(whitening_images)
        params = {"whiten_b": np.zeros(WHITEN_CHANNELS, np.float32)}
        state = {"whiten_w": whiten_w.copy()}
        c_in = WHITEN_CHANNELS
        for g, width in enumerate(self.widths, 1):
            for i, (ci, co) in enumerate(((c_in, width), (width, width)), 1):
                params[f"g{g}_conv{i}_w"] = _dirac_kaiming(co, ci, rng)
                params[f"g{g}_bn{i}_beta"] = np.zeros(co, np.float32)
                state[f"g{g}_bn{i}"] = {"running_mean": np.zeros(co, np.float32),
                                        "running_var": np.ones(co, np.float32)}
            c_in = width
        bound = 1 / np.sqrt(c_in)  # PyTorch's nn.Linear default
        params["fc_w"] = rng.uniform(-bound, bound, (10, c_in)).astype(np.float32)
        return params, state

    def _const(self, table: dict, value: float, n: int) -> np.ndarray:
        if n not in table:
            table[n] = np.full(n, value, np.float32)
        return table[n]

    # ------------------------------------------------------------------------- forward
    def forward(self, params, state, x, train=True):
        """logits (N, 10) float32 and a cache for backward. Updates BN running stats in train.
        With replicas > 1, the batch's parts run at once, each in its own thread."""
        parts = _parts(len(x), self.replicas)
        if len(parts) == 1:
            return self._forward_batch(params, state, x, train)
        states = [_bn_copies(state) if train else state for _ in parts]
        results = _run_parallel(lambda i: self._forward_batch(params, states[i], x[parts[i]],
                                                              train), len(parts))
        if train:
            _merge_bn_statistics(state, states)
        logits = np.concatenate([r[0] for r in results])
        return logits, PartsCache(parts, [r[1] for r in results])

    def _forward_batch(self, params, state, x, train):
        """forward on one batch (or one part of a batch): logits and the cache."""
        L, caches = self.layers, []
        out = self._whitening_forward(x, state["whiten_w"], params["whiten_b"], caches)
        for g, width in enumerate(self.widths, 1):
            zeros, ones = self._const(self._zeros, 0, width), self._const(self._ones, 1, width)
            out = self._conv_pool_forward(out, params[f"g{g}_conv1_w"], zeros, caches)
            for i in (1, 2):
                if i == 2:
                    out, c = L.conv2d_forward(out, params[f"g{g}_conv2_w"], zeros, 1, 1)
                    caches.append(c)
                out = self._bn_relu_forward(out, ones, params[f"g{g}_bn{i}_beta"],
                                            state[f"g{g}_bn{i}"], train, caches)
        out, c = L.maxpool2d_forward(out, out.shape[2])  # 3x3 -> 1x1
        caches.append(c)
        feats = out.reshape(len(out), -1)
        logits = (feats @ params["fc_w"].T) * np.float32(LOGIT_SCALE)
        return logits.astype(x.dtype, copy=False), (caches, feats, params["fc_w"], out.shape)

    def _whitening_forward(self, x, w, b, caches):
        """relu(2x2 conv of x); one fused call when the layer set offers it. Either way the last
        cache pushed is relu_forward's (the whitening weights need no gradient)."""
        L = self.layers
        fused = getattr(L, "conv2d_relu_forward", None)
        if fused is not None:
            out, c = fused(x, w, b, 1, 0)
            caches.append(c)
            return out
        out, c = L.conv2d_forward(x, w, b, 1, 0)
        caches.append(c)
        out, c = L.relu_forward(out)
        caches.append(c)
        return out

    def _conv_pool_forward(self, x, w, b, caches):
        """maxpool 2 of the 3x3 conv of x; one fused call when the layer set offers it."""
        L = self.layers
        fused = getattr(L, "conv2d_maxpool2d_forward", None)
        if fused is not None:
            out, c = fused(x, w, b, 1)
            caches.append(c)
            return out
        out, c = L.conv2d_forward(x, w, b, 1, 1)
        caches.append(c)
        out, c = L.maxpool2d_forward(out, 2)
        caches.append(c)
        return out

    def _conv_pool_backward(self, dout, caches, need_dx):
        """(dx or None, dw) through _conv_pool_forward, popping what it pushed."""
        L = self.layers
        fused = getattr(L, "conv2d_maxpool2d_backward", None)
        if fused is not None:
            dx, dw, _ = fused(dout, caches.pop(), need_dx)
            return dx, dw
        dout = L.maxpool2d_backward(dout, caches.pop())
        weights_only = getattr(L, "conv2d_backward_weights", None)
        if not need_dx and weights_only is not None:   # Topic 12's: dw and db without dx
            dw, _ = weights_only(dout, caches.pop())
            return None, dw
        dx, dw, _ = L.conv2d_backward(dout, caches.pop())
        return dx, dw

    def _bn_relu_forward(self, x, gamma, beta, bn_state, train, caches):
        """relu(BN(x)); one fused call when the layer set offers it (the reference's fast path)."""
        L = self.layers
        fused = getattr(L, "batchnorm2d_relu_forward", None)
        if fused is not None:
            out, c = fused(x, gamma, beta, bn_state, train, self.bn_momentum, self.bn_eps)
            caches.append(c)
            return out
        out, c = L.batchnorm2d_forward(x, gamma, beta, bn_state, train, self.bn_momentum,
                                       self.bn_eps)
        caches.append(c)
        out, c = L.relu_forward(out)
        caches.append(c)
        return out

    def _bn_relu_backward(self, dout, caches):
        """(dx, dbeta) through relu(BN(x)), popping what _bn_relu_forward pushed."""
        L = self.layers
        fused = getattr(L, "batchnorm2d_relu_backward", None)
        if fused is None:
            dout = L.relu_backward(dout, caches.pop())
        dx, _, dbeta = (fused or L.batchnorm2d_backward)(dout, caches.pop())
        return dx, dbeta

    # ------------------------------------------------------------------------- backward
    def backward(self, dlogits, cache):
        """Gradients of the loss w.r.t. params (same keys), given dL/dlogits (N, 10)."""
        if not isinstance(cache, PartsCache):
            return self._backward_batch(dlogits, cache)
        parts, caches = cache.parts, cache.caches
        results = _run_parallel(lambda i: self._backward_batch(dlogits[parts[i]], caches[i]),
                                len(parts))
        grads = results[0]
        for more in results[1:]:
            for name, g in more.items():
                grads[name] = grads[name] + g
        return grads

    def _backward_batch(self, dlogits, cache):
        """backward through one batch's (or one part's) forward."""
        L = self.layers
        caches, feats, fc_w, pooled_shape = cache
        caches = list(caches)
        grads = {}
        d = (dlogits * np.float32(LOGIT_SCALE)).astype(feats.dtype, copy=False)
        grads["fc_w"] = d.T @ feats
        dout = (d @ fc_w).reshape(pooled_shape)
        dout = L.maxpool2d_backward(dout, caches.pop())
        for g in reversed(range(1, len(self.widths) + 1)):
            for i in (2, 1):
                dout, grads[f"g{g}_bn{i}_beta"] = self._bn_relu_backward(dout, caches)
                if i == 2:
                    dout, grads[f"g{g}_conv2_w"], _ = L.conv2d_backward(dout, caches.pop())
            if g > 1:
                dout, grads[f"g{g}_conv1_w"] = self._conv_pool_backward(dout, caches, True)
        grads["whiten_b"], grads["g1_conv1_w"] = self._first_conv_backward(dout, caches)
        return grads

    def _first_conv_backward(self, dout, caches):
        """(whitening bias gradient, g1_conv1_w gradient). The first group's input gradient serves
        only the whitening bias (its weights are frozen), and not at all once that bias is frozen
        too. A layer set may offer that bias gradient directly, without the input gradient."""
        L = self.layers
        if "whiten_b" in self.frozen:
            _, dw = self._conv_pool_backward(dout, caches, need_dx=False)
            return np.zeros(WHITEN_CHANNELS, dw.dtype), dw
        shortcut = getattr(L, "conv2d_maxpool2d_relu_bias_backward", None)
        if shortcut is not None:
            return shortcut(dout, caches.pop())
        dx, dw = self._conv_pool_backward(dout, caches, need_dx=True)
        dx = L.relu_backward(dx, caches.pop())
        return dx.sum(axis=(0, 2, 3)), dw


@dataclass(frozen=True)
class PartsCache:
    """The cache of a forward that ran in parts: each part's rows and its own cache."""

    parts: list
    caches: list


MIN_PART = 16          # a batch splits only into parts of at least this many images
_POOL: ThreadPoolExecutor | None = None


def _parts(n: int, replicas: int) -> list[slice]:
    """The row slices a batch of n splits into: `replicas` near-equal parts, or one."""
    count = max(1, min(replicas, n // MIN_PART))
    bounds = [n * i // count for i in range(count + 1)]
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


def worker_threads() -> int:
    """Threads the milestone may keep busy: KATA_THREADS (set by the milestone), else the cores."""
    return int(os.environ.get("KATA_THREADS", os.cpu_count() or 1))


def _run_parallel(task, count: int) -> list:
    """[task(0), ..., task(count - 1)], run in a shared pool of one thread per core."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max(1, min(count, worker_threads())),
                                   thread_name_prefix="ghost-batch")
    return list(_POOL.map(task, range(count)))


def _bn_copies(state: dict) -> dict:
    """state with fresh copies of every BN statistics dict: one per part, so that the parts'
    in-place updates neither race nor count twice."""
    return {k: ({s: np.array(a, copy=True) for s, a in v.items()} if isinstance(v, dict) else v)
            for k, v in state.items()}


def _merge_bn_statistics(state: dict, part_states: list[dict]) -> None:
    """Each running statistic of state, in place: the mean of the parts' updated values
    (momentum applied once, to the mean of the parts' batch statistics)."""
    for key, stats in state.items():
        if isinstance(stats, dict):
            for name, arr in stats.items():
                mean = np.mean([part[key][name] for part in part_states], axis=0)
                arr[...] = mean.astype(arr.dtype, copy=False)


def _dirac_kaiming(c_out: int, c_in: int, rng: np.random.Generator) -> np.ndarray:
    """PyTorch's default conv init (uniform, bound 1/sqrt(fan_in)), then identity on the first
    c_in filters (airbench: the group starts close to passing its input through)."""
    bound = 1 / np.sqrt(c_in * 9)
    w = rng.uniform(-bound, bound, (c_out, c_in, 3, 3)).astype(np.float32)
    n = min(c_in, c_out)
    w[:n] = 0
    w[np.arange(n), np.arange(n), 1, 1] = 1
    return w
