"""Formulas of the retraining, preference and schedule claims (R1-R9), transcribed with their sources."""
from __future__ import annotations

import numpy as np

from .errors import BoundError

__all__ = ["categorical_kl"]


def categorical_kl(p, q) -> float:
    """KL(p || q) = sum_i p_i log(p_i / q_i) of two distributions on the same finite support (0 log 0 = 0); inf
    when p puts mass where q has none."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    if p.shape != q.shape or p.ndim != 1:
        raise BoundError(f"p and q must be 1-D of equal length, got shapes {p.shape} and {q.shape}")
    nz = p > 0
    if (q[nz] <= 0).any():
        return float("inf")
    return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))
