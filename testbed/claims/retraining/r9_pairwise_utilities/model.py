"""Bradley-Terry utilities from pairwise comparisons (claim R9): P(i > j) = sigmoid(u_i - u_j), fitted by maximum
likelihood (Newton); Thurstone (probit) data for the misspecified case; intransitive triads of the majority graph.
"""
from __future__ import annotations

import numpy as np

__all__ = ["sample_comparisons", "fit_bradley_terry", "intransitive_triads"]


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
    identifiability. The gradient and the Hessian are sums over comparisons, accumulated by ``np.bincount`` over the
    concatenated index lists: it adds each bin's terms one by one in array order, as ``np.add.at`` would on the
    lists in turn (the same floating-point sums), about 20 times faster."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    g_index = np.concatenate([i, j])
    h_index = np.concatenate([i * n_items + i, j * n_items + j, i * n_items + j, j * n_items + i])
    ridge_eye = ridge * np.eye(n_items)
    u = np.zeros(n_items)
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(u[i] - u[j])))
        g = np.bincount(g_index, weights=np.concatenate([y - p, p - y]), minlength=n_items)
        g -= ridge * u
        w = p * (1 - p)
        Hm = np.bincount(h_index, weights=np.concatenate([w, w, -w, -w]),
                         minlength=n_items * n_items).reshape(n_items, n_items)
        Hm += ridge_eye
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
