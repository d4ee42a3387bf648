"""Batched Bellman sweeps on a GPU for many MDPs at once (float64):

    out[b, s] = max_a  r[b, s, a] + gamma[b] sum_s' P[b, s, a, s'] V[b, s']        (optimality)
    out[b, s] =        r[b, s, pi] + gamma[b] sum_s' P[b, s, pi, s'] V[b, s']      (evaluation of a policy pi)

One warp per (b, s): its 32 lanes read P[b, s, a, :] with consecutive addresses (coalesced) and combine their
partial sums in shared memory (a tree within the warp; shared memory rather than warp shuffles so that Numba's
CUDA simulator runs the same kernel in the tests), so the sweep streams P once, from many small MDPs to one large
one; the bandwidth it reaches is measured by ``benchmarks/gpu.py`` on a GPU. Sums are taken in a different order
from NumPy's, so results agree to rounding (tested to 1e-12 absolute in the CUDA simulator).
"""
from __future__ import annotations

import math
import warnings

import numpy as np
from numba import cuda, float64

__all__ = ["bellman_sweep", "value_iteration", "WARP"]

WARP = 32
_BLOCK = 256                      # 8 warps per block


@cuda.jit
def _sweep(P, r, gamma, V, policy, use_policy, out):
    B, S, A = r.shape[0], r.shape[1], r.shape[2]
    tid = cuda.threadIdx.x
    warp = (cuda.blockIdx.x * cuda.blockDim.x + tid) // WARP
    lane = tid % WARP
    partial = cuda.shared.array(_BLOCK, float64)
    active = warp < B * S             # no early return: every thread reaches every syncthreads
    b = warp // S if active else 0
    s = warp - b * S if active else 0
    best = -math.inf
    for a in range(A):                # the same trip count in every warp of the block
        wanted = active and (not use_policy or a == policy[b, s])
        acc = 0.0
        if wanted:
            for j in range(lane, S, WARP):
                acc += P[b, s, a, j] * V[b, j]
        partial[tid] = acc
        cuda.syncthreads()
        offset = WARP // 2
        while offset > 0:
            if lane < offset:
                partial[tid] += partial[tid + offset]
            cuda.syncthreads()
            offset //= 2
        if wanted and lane == 0:
            q = r[b, s, a] + gamma[b] * partial[tid]
            if q > best:
                best = q
        cuda.syncthreads()
    if active and lane == 0:
        out[b, s] = best


def _device(x, dtype):
    if isinstance(x, np.ndarray):
        return cuda.to_device(np.ascontiguousarray(x, dtype=dtype))
    return x                                          # a CuPy or Numba device array, used in place


def bellman_sweep(P, r, gamma, V, policy=None, out=None):
    """One synchronous sweep for B MDPs: P (B, S, A, S), r (B, S, A), gamma (B,), V (B, S); with ``policy``
    (B, S) integer actions, the evaluation sweep of that policy, else the optimality sweep. NumPy inputs give a
    NumPy result; device arrays (CuPy, Numba) give a Numba device array (or fill ``out``)."""
    host = isinstance(V, np.ndarray)
    B, S, A = r.shape
    if tuple(P.shape) != (B, S, A, S) or tuple(V.shape) != (B, S) or tuple(gamma.shape) != (B,):
        raise ValueError(f"shapes: P {tuple(P.shape)}, r {tuple(r.shape)}, gamma {tuple(gamma.shape)}, V "
                         f"{tuple(V.shape)}; expected P (B, S, A, S), r (B, S, A), gamma (B,), V (B, S)")
    pol = _device(policy if policy is not None else np.zeros((1, 1), dtype=np.int64), np.int64)
    dP, dr, dg, dV = _device(P, np.float64), _device(r, np.float64), _device(gamma, np.float64), \
        _device(V, np.float64)
    dout = out if out is not None else cuda.device_array((B, S), dtype=np.float64)
    blocks = (B * S * WARP + _BLOCK - 1) // _BLOCK
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        _sweep[blocks, _BLOCK](dP, dr, dg, dV, pol, policy is not None, dout)
    return dout.copy_to_host() if host else dout


def value_iteration(P, r, gamma, tol: float = 1e-10, max_sweeps: int = 100_000):
    """Value iteration for B discounted MDPs at once, on the device; stops when every MDP's sup-norm change is
    below tol (1 - gamma) / (2 gamma), so each returned V is within tol of V* (Puterman 1994, Thm 6.3.1).
    Returns (V (B, S) as NumPy, sweeps)."""
    g = np.asarray(gamma if isinstance(gamma, np.ndarray) else cuda.as_cuda_array(gamma).copy_to_host())
    if np.any(g >= 1) or np.any(g < 0):
        raise ValueError("value_iteration needs every gamma in [0, 1)")
    threshold = tol * (1 - g.max()) / (2 * max(g.max(), 1e-300))
    B, S = r.shape[0], r.shape[1]
    dP, dr, dg = _device(P, np.float64), _device(r, np.float64), _device(g, np.float64)
    V = cuda.to_device(np.zeros((B, S)))
    W = cuda.device_array((B, S), dtype=np.float64)
    for sweep in range(1, max_sweeps + 1):
        bellman_sweep(dP, dr, dg, V, out=W)
        diff = float(np.max(np.abs(W.copy_to_host() - V.copy_to_host())))
        V, W = W, V
        if diff < threshold:
            return V.copy_to_host(), sweep
    return V.copy_to_host(), max_sweeps
