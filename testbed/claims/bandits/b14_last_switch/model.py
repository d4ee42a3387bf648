"""Last-switch-dependent bandits (Foussoul et al. 2023; model reconstructed from the abstract, see B14).

Each arm a has a signed time since its last switch: tau_a = +r after r consecutive plays, -r after r rounds of
rest (clipped at +-tau_max, beyond which payoffs are constant). Playing arm a pays f_a(tau_a) (a table indexed by
tau in -tau_max..-1, 1..tau_max); then the played arm's tau becomes max(tau_a, 0) + 1 and every other arm's
becomes min(tau_b, 0) - 1 (clipped). All arms start fully rested (tau = -tau_max).
"""
from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

from tabular_envs.errors import InvalidBanditError

__all__ = ["validate_payoffs", "optimal_plan_value", "brute_force_plan_value", "greedy_plan_value", "monotone_payoffs"]


def validate_payoffs(payoffs) -> np.ndarray:
    """payoffs[a, j]: j = 0..tau_max-1 for tau = -tau_max..-1 (rested), j = tau_max..2 tau_max-1 for tau =
    1..tau_max."""
    f = np.asarray(payoffs, dtype=np.float64)
    if f.ndim != 2 or f.shape[1] % 2 or f.shape[1] == 0 or f.shape[0] == 0:
        raise InvalidBanditError(f"payoffs must be (K, 2 tau_max), got shape {f.shape}")
    if not np.isfinite(f).all():
        a, j = np.argwhere(~np.isfinite(f))[0]
        raise InvalidBanditError(f"payoffs[{a}, {j}] is not finite")
    return f


def _index(tau: int, tau_max: int) -> int:
    return tau + tau_max if tau < 0 else tau_max + tau - 1


def _step(state: tuple, a: int, tau_max: int) -> tuple:
    return tuple(min(max(t, 0) + 1, tau_max) if b == a else max(min(t, 0) - 1, -tau_max)
                 for b, t in enumerate(state))


def optimal_plan_value(payoffs, T: int) -> float:
    """max over all action sequences of the total payoff, by dynamic programming over the joint signed-time states."""
    f = validate_payoffs(payoffs)
    K, tau_max = f.shape[0], f.shape[1] // 2

    @lru_cache(maxsize=None)
    def value(state: tuple, left: int) -> float:
        if left == 0:
            return 0.0
        return max(f[a, _index(state[a], tau_max)] + value(_step(state, a, tau_max), left - 1) for a in range(K))

    return value(tuple([-tau_max] * K), int(T))


def brute_force_plan_value(payoffs, T: int) -> float:
    """The optimal total payoff over all K^T action sequences (an independent route to ``optimal_plan_value``)."""
    f = validate_payoffs(payoffs)
    K, tau_max = f.shape[0], f.shape[1] // 2
    best = -np.inf
    for seq in itertools.product(range(K), repeat=int(T)):
        state, total = tuple([-tau_max] * K), 0.0
        for a in seq:
            total += f[a, _index(state[a], tau_max)]
            state = _step(state, a, tau_max)
        best = max(best, total)
    return float(best)


def greedy_plan_value(payoffs, T: int) -> float:
    """Play the arm with the largest immediate payoff each round (lowest index on ties)."""
    f = validate_payoffs(payoffs)
    K, tau_max = f.shape[0], f.shape[1] // 2
    state, total = tuple([-tau_max] * K), 0.0
    for _ in range(int(T)):
        a = int(np.argmax([f[b, _index(state[b], tau_max)] for b in range(K)]))
        total += f[a, _index(state[a], tau_max)]
        state = _step(state, a, tau_max)
    return float(total)


def monotone_payoffs(K: int, tau_max: int, rng) -> np.ndarray:
    """Random payoffs in [0, 1] that improve with rest and decay with consecutive play (a satiation model):
    non-decreasing in rest length, non-increasing in the number of consecutive plays."""
    g = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    rested = np.sort(g.random((K, tau_max)), axis=1)[:, ::-1]      # tau = -tau_max (longest rest) first: largest
    played = np.sort(g.random((K, tau_max)), axis=1)[:, ::-1]      # tau = 1 first: largest
    played = np.minimum(played, rested[:, -1:])                    # playing again never beats a one-round rest
    return np.hstack([rested, played])
