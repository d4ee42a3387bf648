"""Curated self-consuming training on a finite support (claim R2; Ferbach et al. 2024, update derived).

Draw K samples from p_t, keep one with probability proportional to exp(r(x)); population update
p_{t+1}(x) = p_t(x) H_K(x) with H_K(x) = E_{x_2..x_K ~ p_t}[K e^{r(x)} / (e^{r(x)} + sum_{i>=2} e^{r(x_i)})];
K -> infinity gives p ~ p e^r.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from tabular_envs.errors import TabularEnvError

__all__ = ["curated_update", "curated_sample_round"]


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
