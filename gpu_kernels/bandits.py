"""The bandit simulators on a GPU: one CUDA thread per replication, statistics in thread-local arrays, regret
recorded at the same checkpoints as the CPU kernels (``tabular_envs.bandits.kernels``).

Bit-compatibility comes from sharing code, not from re-implementing it: the reward tape and the algorithms'
own random streams (``tabular_envs.counter_rng``), and the helpers that read the tape, record regret and invert
the KL-UCB index, are the SAME Python functions as on the CPU, compiled a second time by ``cuda.jit(device=True)``
(:func:`device_twins`). Replication i therefore draws the same rewards on either target; the per-algorithm loops
below follow the CPU kernels statement by statement (same arithmetic, ties to the lowest index), so pull counts are
identical and regrets equal up to floating-point contraction by the GPU compiler.

Without a GPU these kernels run in Numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``), which is how the test
suite checks them (``python -m gpu_kernels.simcheck``).
"""
from __future__ import annotations

import math
import types
import warnings

import numpy as np
from numba import cuda, float64, int64, uint64

from tabular_envs import counter_rng as _rng
from tabular_envs.bandits import kernels as _cpu

__all__ = ["MAX_ARMS", "GPU_ALGORITHMS", "device_twins", "simulate_gpu"]

MAX_ARMS = 64          # thread-local arrays need a compile-time size

_RNG_FUNCTIONS = ("mix64", "stream_key", "draw_bits", "unit_closed_open", "unit_open_closed", "next_uniform",
                  "next_normal", "next_gamma", "next_beta", "tape_reward")
_KERNEL_HELPERS = ("_record", "_pull", "bernoulli_kl", "kl_ucb_index")


def device_twins(module, names, namespace: dict | None = None) -> dict:
    """CUDA device versions of ``module``'s njit functions ``names``: each function's own code object, compiled by
    ``cuda.jit(device=True)`` with a copy of the module's globals in which the names point at the twins (so a
    twin calls twins). Returns that namespace."""
    ns = dict(vars(module)) if namespace is None else namespace
    for name in names:
        py = getattr(module, name).py_func
        fn = types.FunctionType(py.__code__, ns, name, py.__defaults__, py.__closure__)
        ns[name] = cuda.jit(device=True)(fn)
    return ns


_R = device_twins(_rng, _RNG_FUNCTIONS)
_K = dict(vars(_cpu))
_K.update({n: _R[n] for n in _RNG_FUNCTIONS})
_K = device_twins(_cpu, _KERNEL_HELPERS, _K)

stream_key, next_uniform, next_normal, next_beta = (_R[n] for n in ("stream_key", "next_uniform", "next_normal",
                                                                      "next_beta"))
_record, _pull, bernoulli_kl, kl_ucb_index = (_K[n] for n in _KERNEL_HELPERS)


@cuda.jit(device=True)
def _setup(means, seed, rep, keys, counts, sums, mean_hat):
    """Tape keys and zeroed statistics of replication ``rep``; returns max(means)."""
    mx = means[0]
    for a in range(means.shape[0]):
        keys[a] = stream_key(seed, rep, a)
        counts[a] = 0
        sums[a] = 0.0
        mean_hat[a] = 0.0
        if means[a] > mx:
            mx = means[a]
    return mx


@cuda.jit(device=True)
def _own_stream(seed, rep, st):
    st[0] = stream_key(seed, rep, _rng.ALGORITHM_STREAM)
    st[1] = np.uint64(0)


@cuda.jit(device=True)
def _store_pulls(counts, pulls_row, K):
    for a in range(K):
        pulls_row[a] = counts[a]


@cuda.jit(device=True)
def _etc(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
         mean_hat, aux, st):
    m = int(params[0])
    cum, ci, committed = 0.0, 0, -1
    for t in range(T):
        if t < m * K:
            a = t % K
        else:
            if committed < 0:
                best = -math.inf
                for k in range(K):
                    if mean_hat[k] > best:
                        best, committed = mean_hat[k], k
            a = committed
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, out)


@cuda.jit(device=True)
def _epsilon_greedy(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
                    mean_hat, aux, st):
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(1, T + 1):
        eps = min(1.0, c * (K * math.log(t) / t) ** (1.0 / 3.0))
        if next_uniform(st) <= eps:
            a = min(int(next_uniform(st) * K), K - 1)
        else:
            best, a = -math.inf, 0
            for k in range(K):                      # an untried arm first, else the best empirical mean
                if counts[k] == 0:
                    a = k
                    break
                if mean_hat[k] > best:
                    best, a = mean_hat[k], k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t, cum, checkpoints, ci, out)


@cuda.jit(device=True)
def _successive_elimination(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
                            mean_hat, aux, st):
    for a in range(K):
        aux[a] = 1.0                                  # active
    c = params[0]
    logT = math.log(T)
    cum, ci, t = 0.0, 0, 0
    while t < T:
        for a in range(K):
            if aux[a] == 0.0 or t >= T:
                continue
            _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
            cum += mx - means[a]
            t += 1
            ci = _record(t, cum, checkpoints, ci, out)
        best_lcb = -math.inf
        for a in range(K):
            if aux[a] == 1.0:
                best_lcb = max(best_lcb, mean_hat[a] - math.sqrt(c * logT / counts[a]))
        for a in range(K):
            if aux[a] == 1.0 and mean_hat[a] + math.sqrt(c * logT / counts[a]) < best_lcb:
                aux[a] = 0.0


@cuda.jit(device=True)
def _ucb1(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
          mean_hat, aux, st):
    for k in range(K):
        aux[k] = 0.0                                  # 1 / sqrt(n_k), as the CPU kernel keeps it
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            scale = math.sqrt(c * math.log(t))
            best, a = -math.inf, 0
            for k in range(K):
                v = mean_hat[k] + scale * aux[k]
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        aux[a] = 1.0 / math.sqrt(counts[a])
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, out)


@cuda.jit(device=True)
def _ucb_delta(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
               mean_hat, aux, st):
    scale = math.sqrt(2.0 * math.log(1.0 / params[0]))
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            best, a = -math.inf, 0
            for k in range(K):
                v = mean_hat[k] + scale / math.sqrt(counts[k])
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, out)


@cuda.jit(device=True)
def _moss(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
          mean_hat, aux, st):
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            best, a = -math.inf, 0
            for k in range(K):
                n = counts[k]
                v = mean_hat[k] + math.sqrt(c / n * max(0.0, math.log(T / (K * n))))
                if v > best:
                    best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, out)


@cuda.jit(device=True)
def _kl_ucb(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
            mean_hat, aux, st):
    c = params[0]
    cum, ci = 0.0, 0
    for t in range(T):
        if t < K:
            a = t
        else:
            rnd = t + 1.0
            thr = math.log(rnd) + (c * math.log(math.log(rnd)) if c != 0.0 else 0.0)
            if gaussian:
                best, a = -math.inf, 0
                for k in range(K):
                    v = mean_hat[k] + math.sqrt(2.0 * sigma * sigma * thr / counts[k])
                    if v > best:
                        best, a = v, k
            else:
                first = 0
                for k in range(K):
                    aux[k] = min(1.0, mean_hat[k] + math.sqrt(thr / (2.0 * counts[k])))
                    if aux[k] > aux[first]:
                        first = k
                a = first
                best = kl_ucb_index(mean_hat[first], counts[first], thr, aux[first])
                for k in range(K):
                    if k != first and aux[k] > best and counts[k] * bernoulli_kl(mean_hat[k], best) <= thr:
                        v = kl_ucb_index(mean_hat[k], counts[k], thr, aux[k])
                        if v > best or (v == best and k < a):
                            best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, out)


@cuda.jit(device=True)
def _thompson(means, gaussian, sigma, T, rep, seed, checkpoints, params, out, K, mx, keys, counts, sums,
              mean_hat, aux, st):
    cum, ci = 0.0, 0
    for t in range(T):
        best, a = -math.inf, 0
        for k in range(K):
            if gaussian:
                v = sums[k] / (counts[k] + 1.0) + sigma * next_normal(st) / math.sqrt(counts[k] + 1.0)
            else:
                v = next_beta(st, 1.0 + sums[k], 1.0 + counts[k] - sums[k])
            if v > best:
                best, a = v, k
        _pull(a, keys, counts, sums, mean_hat, gaussian, means, sigma)
        cum += mx - means[a]
        ci = _record(t + 1, cum, checkpoints, ci, out)



def _kernel(body):
    """A kernel running ``body`` (one replication) in each thread: thread-local statistics (tape keys, counts, sums,
    means, one scratch array ``aux`` and the algorithm's own random stream ``st``), then the pull counts stored."""
    @cuda.jit
    def kernel(means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls):
        i = cuda.grid(1)
        if i >= regret.shape[0]:
            return
        K = means.shape[0]
        keys = cuda.local.array(MAX_ARMS, uint64)
        counts = cuda.local.array(MAX_ARMS, int64)
        sums = cuda.local.array(MAX_ARMS, float64)
        mean_hat = cuda.local.array(MAX_ARMS, float64)
        aux = cuda.local.array(MAX_ARMS, float64)
        st = cuda.local.array(2, uint64)
        mx = _setup(means, seed, first_rep + i, keys, counts, sums, mean_hat)
        _own_stream(seed, first_rep + i, st)
        body(means, gaussian, sigma, T, first_rep + i, seed, checkpoints, params, regret[i], K, mx, keys, counts, sums,
             mean_hat, aux, st)
        _store_pulls(counts, pulls[i], K)
    return kernel


# kernel code (``tabular_envs.bandits.simulate.ALGORITHMS``) -> GPU kernel
GPU_ALGORITHMS = {code: _kernel(body) for code, body in
                  {0: _etc, 1: _epsilon_greedy, 2: _successive_elimination, 3: _ucb1, 4: _kl_ucb, 5: _thompson,
                   8: _ucb_delta, 9: _moss}.items()}
THREADS_PER_BLOCK = 128


def simulate_gpu(code, means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls,
                 threads_per_block: int = THREADS_PER_BLOCK) -> None:
    """The GPU counterpart of ``kernels.simulate_parallel`` (same arguments; ``regret`` and ``pulls`` are filled
    in place). The arrays may be NumPy arrays (copied to and from the device) or CuPy/Numba device arrays (used in
    place)."""
    if int(means.shape[0]) > MAX_ARMS:
        raise ValueError(f"the GPU kernels support at most {MAX_ARMS} arms, got {means.shape[0]}")
    kernel = GPU_ALGORITHMS[int(code)]
    host = isinstance(regret, np.ndarray)
    d = [cuda.to_device(np.ascontiguousarray(x)) if isinstance(x, np.ndarray) else x
         for x in (means, checkpoints, params, regret, pulls)]
    n = int(regret.shape[0])
    blocks = (n + threads_per_block - 1) // threads_per_block
    with warnings.catch_warnings():     # the simulator runs uint64 hashing in NumPy scalars, which warn on wrap
        warnings.filterwarnings("ignore", "overflow encountered", RuntimeWarning)
        kernel[blocks, threads_per_block](d[0], bool(gaussian), float(sigma), int(T), np.uint64(seed),
                                          int(first_rep), d[1], d[2], d[3], d[4])
    if host:
        d[3].copy_to_host(regret)
        d[4].copy_to_host(pulls)
