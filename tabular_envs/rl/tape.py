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

__all__ = ["transition_cdf", "transition_key", "next_state"]


def transition_cdf(P: np.ndarray) -> np.ndarray:
    """Row-wise CDFs of P[..., s'] (any leading shape), the last positive entry of each row set to exactly 1."""
    P = np.asarray(P, dtype=np.float64)
    cdf = np.cumsum(P, axis=-1)
    last = P.shape[-1] - 1 - np.argmax(P[..., ::-1] > 0, axis=-1)
    idx = np.indices(last.shape)
    cdf[(*idx, last)] = 1.0
    after = np.arange(P.shape[-1]) > last[..., None]
    cdf[after] = 1.0
    return cdf


@njit(cache=True)
def transition_key(seed, rep, h, s, a, S, A):
    """Tape stream key of the pair (s, a) at stage h (h = 0 for time-homogeneous transitions)."""
    return stream_key(seed, rep, (h * S + s) * A + a)


@njit(cache=True)
def next_state(cdf_row, key, n):
    """The n-th (0-based) sampled next state of the pair whose stream key is ``key``."""
    u = unit_closed_open(draw_bits(key, n))
    for j in range(cdf_row.size):
        if u < cdf_row[j]:
            return j
    return cdf_row.size - 1
