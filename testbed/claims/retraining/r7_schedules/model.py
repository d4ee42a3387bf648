"""Learning-rate schedules and SGD on f = G|x| (claim R7; the bound of Defazio, Cutkosky, Mehta, Mishchenko 2023,
Theorem 1, is ``proofs_check.last_iterate_defazio2023_thm1``).

Schedules: constant D/(G sqrt T); linear decay (D/(G sqrt T))(1 - t/(T + 1)); cosine; refined w_t = G_t^-2,
eta_t ~ w_t sum_{p>t} w_p (scaled to the best constant in front). The "Stepsize anything" (UBA) schedule is not
implemented: its formula is not confirmed.
"""
from __future__ import annotations

import numpy as np

from tabular_envs.errors import TabularEnvError

__all__ = ["schedule", "run_sgd_abs", "SCHEDULES"]

SCHEDULES = ("constant", "linear", "cosine", "refined")


def schedule(kind: str, T: int, D: float, G, scale: float | None = None) -> np.ndarray:
    """Step sizes eta_1..eta_T of a schedule in SCHEDULES for distance D and gradient bounds G (a scalar or one per
    step); ``scale`` fixes the constant in front (default D / (G_rms sqrt T))."""
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
