"""Records of exchangeable sequences (Maraval et al. 2023; derived): a regret-based reward changes only at a new
record. For exchangeable tie-free observations P(record at t) = 1/t, the expected number of records in T steps is
H_T = sum_{t<=T} 1/t, and the count has law c(T, k)/T! (unsigned Stirling numbers of the first kind): the formulas
are ``proofs_check.expected_records`` and ``proofs_check.record_count_law``; this module counts records, by
enumeration of every ordering (an independent route) and in a sequence."""
from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["record_count", "enumerate_record_counts"]


def record_count(x) -> int:
    """The number of records (strict new maxima, the first value included) of a sequence."""
    x = np.asarray(x)
    return int(np.sum(x == np.maximum.accumulate(x)) if np.unique(x).size == x.size else
               np.sum(np.concatenate([[True], x[1:] > np.maximum.accumulate(x)[:-1]])))


def enumerate_record_counts(T: int) -> np.ndarray:
    """The law of the record count over all T! orderings (exact enumeration)."""
    counts = np.zeros(T + 1)
    for perm in itertools.permutations(range(T)):
        counts[record_count(np.array(perm))] += 1
    return counts / math.factorial(T)

