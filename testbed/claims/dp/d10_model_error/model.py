"""W_1 and Lipschitz constants on a line of states (claim D10).

- ``wasserstein1_line``: W_1 between distributions on states 0..n-1 with the metric |i - j| (CDF differences).
- ``lipschitz_constant_line``: max_i |V(i+1) - V(i)|, the Lipschitz constant of V for |i - j|.
"""
from __future__ import annotations

import numpy as np

__all__ = ["wasserstein1_line", "lipschitz_constant_line"]


def wasserstein1_line(p, q) -> float:
    """W_1 between two distributions on the states 0..n-1 of a line (metric |i - j|): the L1 distance of the CDFs."""
    return float(np.sum(np.abs(np.cumsum(np.asarray(p) - np.asarray(q)))[:-1]))


def lipschitz_constant_line(V) -> float:
    """max_i |V(i+1) - V(i)|, the Lipschitz constant of V on a line (0 for one state)."""
    return float(np.max(np.abs(np.diff(V)))) if len(V) > 1 else 0.0
