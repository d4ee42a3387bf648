"""Records of exchangeable sequences (Maraval et al. 2023; derived): a regret-based reward changes only at a new
record. For exchangeable tie-free observations P(record at t) = 1/t, the expected number of records in T steps is
H_T = sum_{t<=T} 1/t, and the count has law c(T, k)/T! (unsigned Stirling numbers of the first kind)."""
from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["record_count", "stirling_first_unsigned", "record_count_law", "enumerate_record_counts", "harmonic"]


def record_count(x) -> int:
    x = np.asarray(x)
    return int(np.sum(x == np.maximum.accumulate(x)) if np.unique(x).size == x.size else
               np.sum(np.concatenate([[True], x[1:] > np.maximum.accumulate(x)[:-1]])))


def stirling_first_unsigned(n: int) -> list[int]:
    """c(n, k) for k = 0..n by c(n+1, k) = n c(n, k) + c(n, k-1)."""
    row = [1]
    for m in range(n):
        new = [0] * (len(row) + 1)
        for k, c in enumerate(row):
            new[k] += m * c
            new[k + 1] += c
        row = new
    return row


def record_count_law(T: int) -> np.ndarray:
    c = stirling_first_unsigned(T)
    return np.array([ck / math.factorial(T) for ck in c])


def enumerate_record_counts(T: int) -> np.ndarray:
    """The law of the record count over all T! orderings (exact enumeration)."""
    counts = np.zeros(T + 1)
    for perm in itertools.permutations(range(T)):
        counts[record_count(np.array(perm))] += 1
    return counts / math.factorial(T)


def harmonic(T: int) -> float:
    return float(sum(1.0 / t for t in range(1, T + 1)))
