"""Last-iterate learning-rate schedules (Defazio, Cutkosky, Mehta, Mishchenko 2023, Theorem 1).

Convex f, SGD x_{t+1} = x_t - eta_t g_t, D = ||x_1 - x*||, G_t^2 >= E||g_t||^2:
E[f(x_T) - f*] <= D^2/(2 S_1) + sum_t eta_t^2 G_t^2/(2 S_1)
                 + 1/2 sum_{k=1}^{T-1} [eta_k / S_{k+1}] [sum_{t=k}^{T} eta_t^2 G_t^2 / S_k],   S_k = sum_{t=k}^T eta_t.
Schedules: constant D/(G sqrt T); linear decay (D/(G sqrt T))(1 - t/(T + 1)); cosine; refined w_t = G_t^-2,
eta_t ~ w_t sum_{p>t} w_p (scaled to the best constant in front). The "Stepsize anything" (UBA) schedule is not
implemented: its formula is not confirmed.
"""
from __future__ import annotations

import numpy as np

from tabular_envs.errors import TabularEnvError

__all__ = ["last_iterate_bound", "schedule", "run_sgd_abs", "SCHEDULES"]

SCHEDULES = ("constant", "linear", "cosine", "refined")


def last_iterate_bound(eta, G2, D: float) -> float:
    eta, G2 = np.asarray(eta, dtype=np.float64), np.asarray(G2, dtype=np.float64)
    if eta.ndim != 1 or eta.shape != G2.shape or eta.size == 0:
        raise TabularEnvError(f"eta and G2 must be 1-D of equal length, got {eta.shape} and {G2.shape}")
    bad = np.flatnonzero(~(eta > 0) | ~np.isfinite(eta))
    if bad.size:
        raise TabularEnvError(f"eta[{bad[0]}] = {eta[bad[0]]!r}: Theorem 1 needs every step size > 0")
    T = eta.size
    S = np.cumsum(eta[::-1])[::-1]                     # S[k] = sum_{t >= k} eta_t (0-based)
    sq = eta ** 2 * G2
    tail_sq = np.cumsum(sq[::-1])[::-1]
    first = D ** 2 / (2 * S[0]) + sq.sum() / (2 * S[0])
    k = np.arange(T - 1)
    third = 0.5 * np.sum(eta[k] / S[k + 1] * tail_sq[k] / S[k])
    return float(first + third)


def schedule(kind: str, T: int, D: float, G, scale: float | None = None) -> np.ndarray:
    G = np.broadcast_to(np.asarray(G, dtype=np.float64), (T,))
    t = np.arange(1, T + 1)
    base = D / (np.sqrt(np.mean(G ** 2)) * np.sqrt(T)) if scale is None else scale
    if kind == "constant":
        return np.full(T, base)
    if kind == "linear":
        return base * (1 - t / (T + 1))
    if kind == "cosine":
        return base * 0.5 * (1 + np.cos(np.pi * (t - 1) / T))
    if kind == "refined":
        # w_t sum_{p>t} w_p over a horizon of T + 1 steps, truncated to T: the refined schedule's last step is 0,
        # and Theorem 1's term eta_{T-1}/S_T needs every eta_t > 0 (the step after x_T never matters)
        w = np.append(G ** -2.0, G[-1] ** -2.0)
        tail = np.cumsum(w[::-1])[::-1] - w
        raw = (w * tail)[:T]
        return raw * (base / raw.mean())
    raise TabularEnvError(f"unknown schedule {kind!r}; known: {', '.join(SCHEDULES)}")


def run_sgd_abs(eta, G, D: float, noise=0.0, rng=None, reps: int = 1) -> np.ndarray:
    """Subgradient method on f(x) = G|x| from x_1 = D with gradients G sign(x) + N(0, noise_t^2) (``noise`` a
    scalar or one value per step); returns f(x_T) per replication (x_T is the iterate after T - 1 steps, the one
    Theorem 1 bounds)."""
    eta = np.asarray(eta, dtype=np.float64)
    s = np.broadcast_to(np.asarray(noise, dtype=np.float64), eta.shape)
    x = np.full(reps, float(D))
    for t in range(eta.size - 1):
        g = G * np.sign(x)
        if s[t] > 0:
            g = g + s[t] * rng.standard_normal(reps)
        x = x - eta[t] * g
    return G * np.abs(x)
