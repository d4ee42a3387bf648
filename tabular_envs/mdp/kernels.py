"""Numba kernels of the dynamic-programming solvers.

Each state is handled by one thread in a fixed order, so results do not depend on the number of threads.
fastmath is limited to re-association and contraction so that the dot products vectorise; NaN and inf keep
their IEEE meaning (inputs are validated finite anyway).
"""
import numpy as np
from numba import njit, prange

_FAST = {"reassoc", "contract"}


@njit(parallel=True, cache=True, fastmath=_FAST)
def bellman_optimality_sweep(P, r, gamma, V, V_out):
    """V_out[s] = max_a r[s, a] + gamma * sum_s' P[s, a, s'] V[s'] in one fused pass over P."""
    S, A, _ = P.shape
    for s in prange(S):
        best = -np.inf
        for a in range(A):
            acc = 0.0
            for j in range(S):
                acc += P[s, a, j] * V[j]
            q = r[s, a] + gamma * acc
            if q > best:
                best = q
        V_out[s] = best


@njit(parallel=True, cache=True, fastmath=_FAST)
def q_backup(P, r, gamma, V, Q_out):
    """Q_out[s, a] = r[s, a] + gamma * sum_s' P[s, a, s'] V[s']."""
    S, A, _ = P.shape
    for s in prange(S):
        for a in range(A):
            acc = 0.0
            for j in range(S):
                acc += P[s, a, j] * V[j]
            Q_out[s, a] = r[s, a] + gamma * acc
