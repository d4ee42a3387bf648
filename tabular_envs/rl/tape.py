"""The transition tape: counter-based next states.

Stream of the pair (h, s, a) in replication ``rep``: ``counter_rng.stream_key(seed, rep, (h S + s) A + a)``; its
n-th uniform u (n = 0, 1, ...) gives the n-th next state by inversion of the row's CDF: the first s' with
u < CDF(s'). States with probability 0 are never drawn (their CDF step is empty), and the last state of the
support absorbs round-off (its CDF entry is set to exactly 1).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..counter_rng import draw_bits, stream_key, unit_closed_open
from ..errors import InvalidMDPError, TabularEnvError
from ..mdp.model import _as_float_array, _check_transitions, row_sum_tolerance

__all__ = ["transition_cdf", "transition_support", "transition_key", "next_state", "next_state_of_pair",
           "checkpoint_grid"]


def transition_cdf(P: np.ndarray) -> np.ndarray:
    """Row-wise CDFs of P[..., s'] (any leading shape), the last positive entry of each row set to exactly 1.
    P is validated as ``TabularMDP`` validates it (InvalidMDPError naming the first bad entry or row)."""
    P = _as_float_array("P", P)
    if P.ndim < 2 or P.shape[-1] == 0:
        raise InvalidMDPError(f"P must have a next-state axis, got shape {P.shape}")
    _check_transitions("P", P, row_sum_tolerance(P.shape[-1]))
    cdf = np.cumsum(P, axis=-1)
    last = P.shape[-1] - 1 - np.argmax(P[..., ::-1] > 0, axis=-1)
    idx = np.indices(last.shape)
    cdf[(*idx, last)] = 1.0
    after = np.arange(P.shape[-1]) > last[..., None]
    cdf[after] = 1.0
    return cdf


def transition_support(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(states, cdf), each (S, A, K) with K the largest support size: the positive-probability next states of each
    row in increasing order and their CDF, padded with the last state and CDF 1. Searching this compact CDF returns
    the same state as searching the full one (zero-probability states are never returned), in log K steps."""
    P = np.asarray(P, dtype=np.float64)
    full = transition_cdf(P)
    positive = P > 0
    K = max(1, int(positive.sum(axis=-1).max()))
    states = np.zeros((*P.shape[:-1], K), dtype=np.int64)
    cdf = np.ones((*P.shape[:-1], K))
    for idx in np.ndindex(*P.shape[:-1]):
        support = np.flatnonzero(positive[idx])
        states[idx][:support.size] = support
        states[idx][support.size:] = support[-1]
        cdf[idx][:support.size] = full[idx][support]
    return states, cdf


def checkpoint_grid(checkpoints, last: int, unit: str) -> np.ndarray:
    """The checkpoints as int64, checked: strictly increasing, in [1, last] (default: [last]); ``unit`` names them
    in the error (iterations, episodes, steps)."""
    ck = np.asarray(checkpoints if checkpoints is not None else [last], dtype=np.int64)
    if ck.ndim != 1 or ck.size == 0 or ck[0] < 1 or ck[-1] > last or np.any(np.diff(ck) <= 0):
        raise TabularEnvError(f"checkpoints must be strictly increasing {unit} in [1, {last}]")
    return ck


@njit(cache=True)
def transition_key(seed, rep, h, s, a, S, A):
    """Tape stream key of the pair (s, a) at stage h (h = 0 for time-homogeneous transitions)."""
    return stream_key(seed, rep, (h * S + s) * A + a)


@njit(cache=True)
def next_state(cdf_row, key, n):
    """The n-th (0-based) sampled next state of the pair whose stream key is ``key``: the first j with
    u < cdf_row[j], by bisection (the row is non-decreasing and ends at 1 > u)."""
    u = unit_closed_open(draw_bits(key, n))
    lo, hi = 0, cdf_row.size - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if u < cdf_row[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True, inline="always")
def next_state_of_pair(states, cdf, s, a, key, n):
    """``next_state(transition_cdf(P)[s, a], key, n)`` from the compact support of :func:`transition_support`
    (the agents' inner loops: log K steps instead of log S, no row views)."""
    u = unit_closed_open(draw_bits(key, n))
    lo, hi = 0, cdf.shape[2] - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if u < cdf[s, a, mid]:
            hi = mid
        else:
            lo = mid + 1
    return states[s, a, lo]
