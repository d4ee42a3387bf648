"""Best-of-n on a discrete reward law and reward-model ensembles (claim R3; Gao et al. 2023; Coste et al. 2024).

pi_BoN(y) = F(y)^n - F^-(y)^n on a discrete reward law (F^- the left limit); for continuous rewards
KL(pi_BoN || pi) = log n - (n - 1)/n; with atoms it is an upper bound. Ensembles: WCO = min_i R_i,
UWO = mean_i R_i - lambda var_i R_i (population variance).
"""
from __future__ import annotations

import math

import numpy as np

from proofs_check import best_of_n_kl_gao2023
from tabular_envs.errors import TabularEnvError

__all__ = ["bon_distribution", "bon_kl_formula", "bon_kl_continuous", "wco", "uwo"]


def bon_distribution(probs, n: int) -> np.ndarray:
    """pi_BoN over outcomes listed in increasing reward order (ties merged into one outcome)."""
    p = np.asarray(probs, dtype=np.float64)
    if (p < 0).any() or abs(p.sum() - 1) > 1e-9 or n < 1:
        raise TabularEnvError("probs must be a probability vector (increasing rewards) and n >= 1")
    F = np.minimum(np.cumsum(p), 1.0)
    F_minus = np.concatenate([[0.0], F[:-1]])
    return F ** n - F_minus ** n


def bon_kl_formula(n: int) -> float:
    """log n - (n - 1)/n (``proofs_check.best_of_n_kl_gao2023``)."""
    return float(best_of_n_kl_gao2023().evaluate(n=n))


def bon_kl_continuous(n: int, cdf, pdf, lo: float, hi: float) -> float:
    """KL(pi_BoN || pi) = int n F^(n-1) f log(n F^(n-1)) dy by adaptive quadrature (an independent route)."""
    from scipy.integrate import quad

    def integrand(y):
        F, f = cdf(y), pdf(y)
        if F <= 0 or f <= 0:
            return 0.0
        return n * F ** (n - 1) * f * (math.log(n) + (n - 1) * math.log(F))
    val, _ = quad(integrand, lo, hi, limit=500, epsabs=1e-13, epsrel=1e-13)
    return float(val)


def wco(rewards) -> np.ndarray:
    """Worst-case optimisation of a reward-model ensemble (Coste et al. 2024): min over models, per response."""
    return np.min(rewards, axis=0)


def uwo(rewards, lam: float) -> np.ndarray:
    """Uncertainty-weighted optimisation (Coste et al. 2024): mean - lam variance over models, per response."""
    return np.mean(rewards, axis=0) - lam * np.var(rewards, axis=0)

