"""Nash soft policy iteration on a preference matrix (claim R5; Rosset et al. 2024, iteration derived).

P + P^T = 1, r_t = P pi_t, pi_{t+1} ~ pi_t exp(r_t/eta).
"""
from __future__ import annotations

import numpy as np

from tabular_envs.errors import TabularEnvError

__all__ = ["nash_soft_iteration"]


def nash_soft_iteration(P, eta: float, T: int, pi0=None):
    """Soft policy iteration on a preference matrix; returns the list pi_0..pi_T."""
    P = np.asarray(P, dtype=np.float64)
    n = P.shape[0]
    if P.shape != (n, n) or np.max(np.abs(P + P.T - 1)) > 1e-12 or (P < 0).any():
        raise TabularEnvError("P must be square with entries in [0, 1] and P + P^T = 1")
    pi = np.full(n, 1.0 / n) if pi0 is None else np.asarray(pi0, dtype=np.float64)
    out = [pi]
    for _ in range(T):
        logits = np.log(np.maximum(pi, 1e-300)) + (P @ pi) / eta
        pi = np.exp(logits - logits.max())
        pi /= pi.sum()
        out.append(pi)
    return out
