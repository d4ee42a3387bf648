"""Preference models on finite response sets.

R3, best-of-n (Gao et al. 2023; Coste et al. 2024): pi_BoN(y) = F(y)^n - F^-(y)^n on a discrete reward law
(F^- the left limit); for continuous rewards KL(pi_BoN || pi) = log n - (n - 1)/n; with atoms it is an upper bound.
Ensembles: WCO = min_i R_i, UWO = mean_i R_i - lambda var_i R_i (population variance).
R4, reward transformation (Wang et al. 2024): u = log sigmoid(r - r_ref); the KL-regularised optimum
pi* ~ pi0 exp(u/beta) maximises E_pi u - beta KL(pi || pi0), with value beta log E_pi0 exp(u/beta).
R5, Nash soft policy iteration (Rosset et al. 2024; iteration derived): P + P^T = 1, r_t = P pi_t,
pi_{t+1} ~ pi_t exp(r_t/eta); P(pi_{t+1} > pi_t) >= 1/2; the mixture's duality gap max_y (P pibar)(y) - 1/2 is at most
the Hedge regret bound (ln N) eta/T + 1/(8 eta) (learning rate 1/eta, rewards in [0, 1]).
R9, Bradley-Terry utilities: P(i > j) = sigmoid(u_i - u_j), fitted by maximum likelihood (Newton).
"""
from __future__ import annotations

import math

import numpy as np

from .errors import TabularEnvError

__all__ = ["bon_distribution", "kl", "bon_kl_formula", "bon_kl_continuous", "nash_soft_iteration",
           "kl_regularised_optimum", "fit_bradley_terry", "sample_comparisons", "intransitive_triads",
           "wco", "uwo"]


def bon_distribution(probs, n: int) -> np.ndarray:
    """pi_BoN over outcomes listed in increasing reward order (ties merged into one outcome)."""
    p = np.asarray(probs, dtype=np.float64)
    if (p < 0).any() or abs(p.sum() - 1) > 1e-9 or n < 1:
        raise TabularEnvError("probs must be a probability vector (increasing rewards) and n >= 1")
    F = np.minimum(np.cumsum(p), 1.0)
    F_minus = np.concatenate([[0.0], F[:-1]])
    return F ** n - F_minus ** n


def kl(p, q) -> float:
    p, q = np.asarray(p), np.asarray(q)
    nz = p > 0
    return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))


def bon_kl_formula(n: int) -> float:
    return math.log(n) - (n - 1) / n


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
    return np.min(rewards, axis=0)


def uwo(rewards, lam: float) -> np.ndarray:
    return np.mean(rewards, axis=0) - lam * np.var(rewards, axis=0)


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


def kl_regularised_optimum(pi0, u, beta: float) -> tuple[np.ndarray, float]:
    """(pi*, value) with pi* ~ pi0 exp(u/beta) and value = E_pi* u - beta KL(pi* || pi0) = beta log E_pi0 e^(u/beta)."""
    pi0, u = np.asarray(pi0, dtype=np.float64), np.asarray(u, dtype=np.float64)
    z = u / beta
    w = pi0 * np.exp(z - z.max())
    pi = w / w.sum()
    return pi, float(pi @ u - beta * kl(pi, pi0))


def sample_comparisons(u, n_pairs: int, rng, model: str = "bt"):
    """n_pairs random pairs (i, j), i != j, and the outcome 1[i preferred], Bradley-Terry or Thurstone (probit)."""
    from scipy.stats import norm
    u = np.asarray(u, dtype=np.float64)
    i = rng.integers(0, u.size, n_pairs)
    j = (i + rng.integers(1, u.size, n_pairs)) % u.size
    diff = u[i] - u[j]
    p = 1 / (1 + np.exp(-diff)) if model == "bt" else norm.cdf(diff)
    return i, j, (rng.random(n_pairs) < p).astype(np.float64)


def fit_bradley_terry(n_items: int, i, j, y, ridge: float = 1e-6, iterations: int = 100) -> np.ndarray:
    """Maximum-likelihood Bradley-Terry utilities (centred), by Newton's method with a tiny ridge for
    identifiability."""
    u = np.zeros(n_items)
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(u[i] - u[j])))
        g = np.zeros(n_items)
        np.add.at(g, i, y - p)
        np.add.at(g, j, p - y)
        g -= ridge * u
        w = p * (1 - p)
        Hm = np.zeros((n_items, n_items))
        np.add.at(Hm, (i, i), w)
        np.add.at(Hm, (j, j), w)
        np.add.at(Hm, (i, j), -w)
        np.add.at(Hm, (j, i), -w)
        Hm += ridge * np.eye(n_items)
        step = np.linalg.solve(Hm, g)
        u += step
        if np.max(np.abs(step)) < 1e-12:
            break
    return u - u.mean()


def intransitive_triads(n_items: int, i, j, y) -> int:
    """Number of 3-cycles in the empirical majority graph (pairs never compared or tied give no edge)."""
    wins = np.zeros((n_items, n_items))
    np.add.at(wins, (i, j), y)
    np.add.at(wins, (j, i), 1 - y)
    beats = wins > wins.T
    count = 0
    for a in range(n_items):
        for b in range(n_items):
            if beats[a, b]:
                count += int(np.sum(beats[b] & beats[:, a]))
    return count // 3
