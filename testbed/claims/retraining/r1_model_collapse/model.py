"""Iterated least squares on its own labels (claim R1, model collapse; Gerstgrasser et al. 2024, derived).

Fixed design X in R^{T x d}, y^(1) = X w* + E_1, then y^(i) = X w_hat_{i-1} + E_i, E_i ~ N(0, sigma^2 I). "replace" fits
w_hat_i on the last labels only; "accumulate" fits on every label so far (the design stacked i times). With A = (X^T
X)^{-1} X^T, replace gives w_hat_n - w* = sum_i A E_i and accumulate w_hat_n - w* = sum_i (1/i) A E_i, so the test error
E||w_hat_n - w*||^2_Sigma is sigma^2 c_n tr(Sigma (X^T X)^{-1}) with c_n = n (replace) or sum_{i<=n} 1/i^2
(accumulate, <= pi^2/6); for Gaussian rows N(0, I) the design average of tr((X^T X)^{-1}) is d/(T - d - 1). The
closed forms are ``proofs_check.model_collapse_replace_error`` and ``model_collapse_accumulate_error``.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from tabular_envs.errors import TabularEnvError

__all__ = ["collapse_errors", "collapse_coefficients"]


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
    for _ in range(n_iter):
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

