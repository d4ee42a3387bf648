"""A generative model (Kearns & Singh 1999; Azar, Munos, Kappen 2013): N sampled next states per (s, a) from the
transition tape, and the empirical model P_hat = counts / N. The samples are nested: the first N draws of a pair
are the same for every budget >= N, so errors at several N of one replication are comparable."""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..counter_rng import draw_bits, unit_closed_open
from ..errors import TabularEnvError
from ..mdp.model import TabularMDP
from .tape import next_state, transition_cdf, transition_key

__all__ = ["generative_counts", "generative_counts_reference", "empirical_model"]


@njit(cache=True)
def _counts_one(cdf, N, seed, rep, out):
    S, A = cdf.shape[0], cdf.shape[1]
    for s in range(S):
        for a in range(A):
            key = transition_key(seed, rep, 0, s, a, S, A)
            for n in range(N):
                out[s, a, next_state(cdf[s, a], key, n)] += 1


@njit(cache=True, parallel=True)
def _counts_many(cdf, N, seed, first_rep, out):
    for i in prange(out.shape[0]):
        _counts_one(cdf, N, seed, first_rep + i, out[i])


def generative_counts(P: np.ndarray, N: int, seed: int, n_replications: int = 1, first_replication: int = 0):
    """counts[i, s, a, s'] of N sampled transitions per (s, a) in replications first .. first + n - 1."""
    if int(N) < 1:
        raise TabularEnvError(f"N must be a positive number of samples per pair, got {N!r}")
    P = np.asarray(P, dtype=np.float64)
    out = np.zeros((int(n_replications), *P.shape), dtype=np.int64)
    _counts_many(transition_cdf(P), int(N), np.uint64(seed), int(first_replication), out)
    return out


def generative_counts_reference(P: np.ndarray, N: int, seed: int, rep: int) -> np.ndarray:
    """Plain-Python loop over the same tape (the kernel's reference)."""
    P = np.asarray(P, dtype=np.float64)
    S, A = P.shape[0], P.shape[1]
    cdf = transition_cdf(P)
    out = np.zeros(P.shape, dtype=np.int64)
    for s in range(S):
        for a in range(A):
            key = np.uint64(transition_key(np.uint64(seed), rep, 0, s, a, S, A))
            for n in range(N):
                u = float(unit_closed_open(np.uint64(draw_bits(key, n))))
                out[s, a, int(np.argmax(u < cdf[s, a]))] += 1
    return out


def empirical_model(mdp: TabularMDP, counts: np.ndarray) -> TabularMDP:
    """M_hat: the same rewards and discount, transitions counts / N."""
    n = counts.sum(axis=-1, keepdims=True)
    return TabularMDP(counts / n, mdp.r, gamma=mdp.gamma, name=f"{mdp.name}-hat")
