"""The bandit simulators on a GPU: one CUDA thread per replication, statistics in thread-local arrays, regret
recorded at the same checkpoints as the CPU kernels (``tabular_envs.bandits.kernels``).

Bit-compatibility comes from sharing code, not from re-implementing it: each algorithm's body
(``tabular_envs.bandits.kernels.BODIES``), the helpers it calls, the reward tape and the algorithms' own random
streams (``tabular_envs.counter_rng``) are the SAME Python functions as on the CPU, compiled a second time by
``cuda.jit(device=True)`` (:func:`device_twins`). Only the driver differs: here one thread per replication with
thread-local state, there a loop or ``prange``. Pull counts are therefore identical, and regrets equal up to
floating-point contraction by the GPU compiler.

Without a GPU these kernels run in Numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``), which is how the test
suite checks them (``python -m gpu_kernels.simcheck``).
"""
from __future__ import annotations

import warnings

import numpy as np
from numba import cuda, float64, int64, uint64

from tabular_envs.bandits import kernels as _cpu

from .twins import RNG, device_twins

__all__ = ["MAX_ARMS", "GPU_ALGORITHMS", "device_twins", "simulate_gpu"]

MAX_ARMS = 64          # thread-local arrays need a compile-time size


# the helpers and then every algorithm's body, as CUDA device functions of the CPU kernels' own code
_K = device_twins(_cpu, _cpu.BODY_HELPERS + tuple(body.__name__ for body in _cpu.BODIES.values()), RNG)
_setup = _K["_setup"]


def _kernel(body):
    """A kernel running ``body`` (one replication, ``tabular_envs.bandits.kernels``'s signature) in each thread,
    on thread-local state of ``MAX_ARMS`` slots; then the pull counts stored."""
    @cuda.jit
    def kernel(means, gaussian, sigma, T, seed, first_rep, checkpoints, params, regret, pulls):
        i = cuda.grid(1)
        if i >= regret.shape[0]:
            return
        keys = cuda.local.array(MAX_ARMS, uint64)
        counts = cuda.local.array(MAX_ARMS, int64)
        sums = cuda.local.array(MAX_ARMS, float64)
        mean_hat = cuda.local.array(MAX_ARMS, float64)
        aux = cuda.local.array(MAX_ARMS, float64)
        st = cuda.local.array(2, uint64)
        mx = _setup(means, seed, first_rep + i, keys, counts, sums, mean_hat, aux, st)
        body(means, gaussian, sigma, T, params, checkpoints, regret[i], mx, keys, counts, sums, mean_hat, aux, st)
        for a in range(means.shape[0]):
            pulls[i, a] = counts[a]
    return kernel


# kernel code (``tabular_envs.bandits.simulate.ALGORITHMS``) -> GPU kernel, from the CPU's table of bodies
GPU_ALGORITHMS = {code: _kernel(_K[body.__name__]) for code, body in _cpu.BODIES.items()}
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
