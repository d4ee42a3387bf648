"""Iterated retraining on reduced exact models.

R1, model collapse (Gerstgrasser et al. 2024; derived): fixed design X in R^{T x d}, y^(1) = X w* + E_1, then
y^(i) = X w_hat_{i-1} + E_i, E_i ~ N(0, sigma^2 I). "replace" fits w_hat_i on the last labels only; "accumulate"
fits on every label so far (the design stacked i times). With A = (X^T X)^{-1} X^T, replace gives
w_hat_n - w* = sum_i A E_i and accumulate w_hat_n - w* = sum_i (1/i) A E_i, so the test error
E||w_hat_n - w*||^2_Sigma is sigma^2 c_n tr(Sigma (X^T X)^{-1}) with c_n = n (replace) or sum_{i<=n} 1/i^2
(accumulate, <= pi^2/6); for Gaussian rows N(0, I) the design average of tr((X^T X)^{-1}) is d/(T - d - 1).

R2, curated self-consuming training (Ferbach et al. 2024; update derived): draw K samples from p_t, keep one
with probability proportional to exp(r(x)); population update p_{t+1}(x) = p_t(x) H_K(x) with
H_K(x) = E_{x_2..x_K ~ p_t}[K e^{r(x)} / (e^{r(x)} + sum_{i>=2} e^{r(x_i)})]; K -> infinity gives p ~ p e^r.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from .errors import TabularEnvError

__all__ = ["collapse_errors", "collapse_coefficients", "replace_error", "accumulate_error", "curated_update",
           "curated_sample_round"]


def collapse_errors(X, w_star, sigma: float, n_iter: int, mode: str, rng) -> np.ndarray:
    """||w_hat_i - w*||^2 (Sigma = I) for i = 1..n_iter of one run."""
    if mode not in ("replace", "accumulate"):
        raise TabularEnvError(f"mode must be 'replace' or 'accumulate', got {mode!r}")
    X = np.asarray(X, dtype=np.float64)
    T, d = X.shape
    if T <= d + 1:
        raise TabularEnvError(f"need T > d + 1, got T = {T}, d = {d}")
    A = np.linalg.solve(X.T @ X, X.T)
    w_prev, fits, out = np.asarray(w_star, dtype=np.float64), [], []
    for i in range(1, n_iter + 1):
        y = X @ w_prev + sigma * rng.standard_normal(T)
        fit = A @ y
        fits.append(fit)
        w_prev = fit if mode == "replace" else np.mean(fits, axis=0)   # stacked LS = mean of per-round LS
        out.append(float(np.sum((w_prev - w_star) ** 2)))
    return np.array(out)


def collapse_coefficients(n: int, mode: str) -> list[Fraction]:
    """Exact coefficients c_{n,i} of w_hat_n - w* = sum_i c_{n,i} A E_i, by running the recursion on symbols
    (each w_hat is a vector of coefficients on E_1..E_n, w* contributing 0)."""
    fits, w_prev = [], [Fraction(0)] * n
    for i in range(n):
        fit = list(w_prev)
        fit[i] += 1                               # A y^(i) = w_hat_{i-1} + A E_i
        fits.append(fit)
        w_prev = fit if mode == "replace" else [sum(f[j] for f in fits) / len(fits) for j in range(n)]
    return w_prev


def replace_error(sigma2: float, trace: float, n) -> np.ndarray:
    return sigma2 * trace * np.asarray(n, dtype=np.float64)


def accumulate_error(sigma2: float, trace: float, n) -> np.ndarray:
    n = np.atleast_1d(n)
    return sigma2 * trace * np.array([sum(1.0 / i ** 2 for i in range(1, int(k) + 1)) for k in n])


def _validate_p(p, r):
    p, r = np.asarray(p, dtype=np.float64), np.asarray(r, dtype=np.float64)
    if p.shape != r.shape or p.ndim != 1 or (p < 0).any() or abs(p.sum() - 1) > 1e-9:
        raise TabularEnvError("p must be a probability vector and r a reward vector of the same length")
    # renormalise: the update's total-mass error doubles every round near concentration (its derivative in the
    # total mass is K - 1 + ... > 1), so rounding in the input must not be carried forward
    return p / p.sum(), r


def curated_update(p, r, K) -> np.ndarray:
    """One population step p_{t+1} = p_t H_K (exact: the K - 1 competitors enumerated by multinomial counts);
    K = math.inf gives p e^r / normaliser."""
    p, r = _validate_p(p, r)
    e = np.exp(r - r.max())
    if K == math.inf:
        q = p * e
        return q / q.sum()
    if K < 1 or int(K) != K:
        raise TabularEnvError(f"K must be a positive integer or math.inf, got {K!r}")
    K, n = int(K), p.size
    H = np.zeros(n)
    for counts in _compositions(K - 1, n):
        prob = math.factorial(K - 1) * math.prod(p[j] ** c / math.factorial(c) for j, c in enumerate(counts))
        if prob == 0:
            continue
        others = float(np.dot(counts, e))
        H += prob * K * e / (e + others)
    return p * H


def _compositions(total: int, parts: int):
    for cut in itertools.combinations(range(total + parts - 1), parts - 1):
        prev, out = -1, []
        for c in cut:
            out.append(c - prev - 1)
            prev = c
        out.append(total + parts - 1 - prev - 1)
        yield out


def curated_sample_round(p, r, K: int, n_samples: int, rng) -> np.ndarray:
    """Finite-sample round: n_samples curated draws (K candidates each, one kept by the Luce rule), then the
    empirical distribution of the kept samples."""
    p, r = _validate_p(p, r)
    cand = rng.choice(p.size, size=(n_samples, K), p=p)
    w = np.exp(r[cand] - r.max())
    u = rng.random(n_samples)[:, None] * w.sum(axis=1, keepdims=True)
    pick = np.minimum((np.cumsum(w, axis=1) < u).sum(axis=1), K - 1)
    kept = cand[np.arange(n_samples), pick]
    return np.bincount(kept, minlength=p.size) / n_samples
