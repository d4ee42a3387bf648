"""Allocating rollouts across tasks (Li et al. 2025, knapsack RL; formulas derived in the catalogue, B17).

A task with success rate p and N binary rollouts gives a non-zero group-relative gradient only when the rollouts
disagree: probability 1 - p^N - (1 - p)^N. Its value is that probability times p (1 - p)^2. A budget of rollouts
is split across tasks by a multiple-choice knapsack: each task takes one N from ``choices``, total <= budget.
"""
from __future__ import annotations

import itertools
from math import comb

import numpy as np

from proofs_check import nonzero_gradient_probability_li2025, rollout_value_li2025
from tabular_envs.errors import InvalidBanditError

__all__ = ["nonzero_gradient_probability", "nonzero_gradient_probability_enumerated", "rollout_value",
           "knapsack_allocation", "brute_force_allocation", "allocation_value"]


_PROBABILITY = nonzero_gradient_probability_li2025().numeric()
_VALUE = rollout_value_li2025().numeric()


def _check(p, N) -> None:
    if not (0.0 <= p <= 1.0):
        raise InvalidBanditError(f"p = {p!r} is not a probability")
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 0:
        raise InvalidBanditError(f"N = {N!r} must be a non-negative integer number of rollouts")


def nonzero_gradient_probability(p: float, N: int) -> float:
    """1 - p^N - (1 - p)^N for N >= 1 (``proofs_check.nonzero_gradient_probability_li2025``); 0 rollouts give no
    gradient."""
    _check(p, N)
    return 0.0 if N == 0 else float(_PROBABILITY(p=p, N=N))


def nonzero_gradient_probability_enumerated(p: float, N: int) -> float:
    """The same probability as sum_{k=1}^{N-1} C(N, k) p^k (1 - p)^(N-k) (an independent route)."""
    _check(p, N)
    return float(sum(comb(N, k) * p ** k * (1.0 - p) ** (N - k) for k in range(1, N)))


def rollout_value(p: float, N: int) -> float:
    """Value(N, p) = (1 - p^N - (1 - p)^N) p (1 - p)^2 (``proofs_check.rollout_value_li2025``)."""
    _check(p, N)
    return 0.0 if N == 0 else float(_VALUE(p=p, N=N))


def _validate(ps, choices, budget) -> tuple[np.ndarray, list[int], int]:
    ps = np.asarray(ps, dtype=np.float64)
    if ps.ndim != 1 or ps.size == 0:
        raise InvalidBanditError(f"ps must be a non-empty 1-D array of success rates, got shape {ps.shape}")
    bad = ~np.isfinite(ps) | (ps < 0) | (ps > 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidBanditError(f"ps[{i}] = {float(ps[i])!r} is not a probability")
    choices = sorted({int(c) for c in choices})
    if not choices or choices[0] < 0:
        raise InvalidBanditError(f"choices must be non-negative rollout counts, got {choices}")
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget < 0:
        raise InvalidBanditError(f"budget must be a non-negative integer, got {budget!r}")
    if choices[0] * ps.size > budget:
        raise InvalidBanditError(f"budget {budget} is below the minimum {choices[0]} x {ps.size} tasks")
    return ps, choices, int(budget)


def allocation_value(ps, allocation) -> float:
    """sum_i Value(N_i, p_i) of an allocation of rollouts N to tasks of success rates p."""
    return float(sum(rollout_value(float(p), int(n)) for p, n in zip(ps, allocation, strict=True)))


def knapsack_allocation(ps, choices, budget: int) -> tuple[float, list[int]]:
    """Multiple-choice knapsack DP: best[i][b] = max_{N in choices, N <= b} best[i-1][b-N] + Value(N, p_i).
    O(n_tasks x budget x |choices|). Returns the optimal total value and one optimal allocation."""
    ps, choices, budget = _validate(ps, choices, budget)
    n = ps.size
    best = np.full((n + 1, budget + 1), -np.inf)
    best[0, :] = 0.0
    pick = np.zeros((n + 1, budget + 1), dtype=np.int64)
    for i in range(1, n + 1):
        values = [rollout_value(float(ps[i - 1]), c) for c in choices]
        for b in range(budget + 1):
            for c, v in zip(choices, values, strict=True):
                if c <= b and best[i - 1, b - c] + v > best[i, b]:
                    best[i, b], pick[i, b] = best[i - 1, b - c] + v, c
    alloc, b = [], budget
    for i in range(n, 0, -1):
        alloc.append(int(pick[i, b]))
        b -= pick[i, b]
    return float(best[n, budget]), alloc[::-1]


def brute_force_allocation(ps, choices, budget: int) -> tuple[float, tuple[int, ...]]:
    """The best allocation over every choice of N_i in ``choices`` within the budget (an independent route to the
    knapsack DP); returns (value, allocation)."""
    ps, choices, budget = _validate(ps, choices, budget)
    best, arg = -np.inf, ()
    for alloc in itertools.product(choices, repeat=ps.size):
        if sum(alloc) <= budget:
            v = allocation_value(ps, alloc)
            if v > best:
                best, arg = v, alloc
    return best, arg
