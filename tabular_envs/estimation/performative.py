"""Repeated risk minimisation on self-induced data (Perdomo, Zrnic, Mendler-Dunner, Hardt 2020, ICML, Sec. 3).

The catalogue's instance: z ~ D(theta) = N(mu + epsilon theta, 1), loss (1/2)(z - theta)^2 (1-strongly convex and
1-smooth in theta, so gamma/beta = 1; D is |epsilon|-sensitive in W1). Exact repeated risk minimisation:
theta_{t+1} = argmin_theta E_{z ~ D(theta_t)} (1/2)(z - theta)^2 = mu + epsilon theta_t; the performatively stable
point is theta_PS = mu / (1 - epsilon) (epsilon != 1).
"""
from __future__ import annotations

import numpy as np

from ..errors import TabularEnvError

__all__ = ["repeated_risk_minimisation", "stable_point", "declares_converged"]


def repeated_risk_minimisation(mu: float, epsilon: float, theta0: float, T: int) -> np.ndarray:
    """theta_0, ..., theta_T, each the exact minimiser of the expected loss under the previous model's distribution
    (the mean of N(mu + epsilon theta_t, 1))."""
    if not (isinstance(T, (int, np.integer)) and T >= 0):
        raise TabularEnvError(f"T must be a non-negative integer, got {T!r}")
    out = np.empty(T + 1)
    out[0] = theta0
    for t in range(T):
        out[t + 1] = mu + epsilon * out[t]
    return out


def stable_point(mu: float, epsilon: float) -> float:
    if epsilon == 1:
        raise TabularEnvError("epsilon = 1 has no performatively stable point (theta_t = theta_0 + t mu)")
    return mu / (1 - epsilon)


def declares_converged(iterates: np.ndarray, tol: float, stride: int = 1) -> bool:
    """A last-iterate convergence test: |theta_T - theta_{T - stride}| <= tol. ``stride = 2`` is the trap that calls
    a period-2 oscillation converged."""
    return bool(abs(iterates[-1] - iterates[-1 - stride]) <= tol)
