"""The KL-regularised optimum on a finite response set (claim R4; Wang et al. 2024).

pi* ~ pi0 exp(u/beta) maximises E_pi u - beta KL(pi || pi0), with value beta log E_pi0 exp(u/beta).
"""
from __future__ import annotations

import numpy as np

from proofs_check import categorical_kl

__all__ = ["kl_regularised_optimum"]


def kl_regularised_optimum(pi0, u, beta: float) -> tuple[np.ndarray, float]:
    """(pi*, value) with pi* ~ pi0 exp(u/beta) and value = E_pi* u - beta KL(pi* || pi0) = beta log E_pi0 e^(u/beta)."""
    pi0, u = np.asarray(pi0, dtype=np.float64), np.asarray(u, dtype=np.float64)
    z = u / beta
    w = pi0 * np.exp(z - z.max())
    pi = w / w.sum()
    return pi, float(pi @ u - beta * categorical_kl(pi, pi0))
