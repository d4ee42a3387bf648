"""Cascading lists (Du, Srikant, Chen 2024, cascading bandits / RL; statement from reviews, see B15).

A user scans an ordered list A = (a_1, ..., a_k) and stops at item a_i with probability q_i (the attraction),
collecting w_i; if no item attracts, the state's fallback value w_bot is collected:
f(A) = sum_i prod_{j<i} (1 - q_j) q_i w_i + prod_j (1 - q_j) w_bot.
"""
from __future__ import annotations

import itertools

import numpy as np

from tabular_envs.errors import InvalidBanditError

__all__ = ["list_value", "best_perm", "brute_force_best_list", "validate_items", "cascading_value_iteration"]


def validate_items(q, w, w_bot, m: int) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Check click probabilities q and values w (equal length, finite, q in [0, 1]), w_bot and the list length m."""
    q = np.asarray(q, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if q.ndim != 1 or q.shape != w.shape:
        raise InvalidBanditError(f"q and w must be 1-D arrays of the same length, got {q.shape} and {w.shape}")
    bad = ~np.isfinite(q) | (q < 0) | (q > 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidBanditError(f"q[{i}] = {float(q[i])!r} is not a probability")
    if not np.isfinite(w).all():
        i = int(np.argmax(~np.isfinite(w)))
        raise InvalidBanditError(f"w[{i}] = {float(w[i])!r} is not finite")
    if not np.isfinite(w_bot):
        raise InvalidBanditError(f"w_bot = {w_bot!r} is not finite")
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 0:
        raise InvalidBanditError(f"m (the list length) must be a non-negative integer, got {m!r}")
    return q, w, float(w_bot), int(m)


def list_value(q, w, w_bot: float, order) -> float:
    """f(A) for the list of item indices ``order``."""
    q, w, w_bot, _ = validate_items(q, w, w_bot, 0)
    reach, value = 1.0, 0.0
    for i in order:
        value += reach * q[i] * w[i]
        reach *= 1.0 - q[i]
    return value + reach * w_bot


def best_perm(q, w, w_bot: float, m: int) -> tuple[float, list[int]]:
    """BestPerm: keep the items with w > w_bot, sorted by descending w, and choose at most m of them by
    F[i][k] = max(F[i+1][k], q_i w_i + (1 - q_i) F[i+1][k-1]), F[.][0] = F[J+1][.] = w_bot.
    O(J m + J log J). Returns the optimal value and one optimal list."""
    q, w, w_bot, m = validate_items(q, w, w_bot, m)
    items = [int(i) for i in np.argsort(-w, kind="stable") if w[i] > w_bot]
    J = len(items)
    F = np.full((J + 1, m + 1), w_bot)
    take = np.zeros((J + 1, m + 1), dtype=bool)
    for pos in range(J - 1, -1, -1):
        i = items[pos]
        for k in range(1, m + 1):
            with_i = q[i] * w[i] + (1.0 - q[i]) * F[pos + 1, k - 1]
            take[pos, k] = with_i > F[pos + 1, k]
            F[pos, k] = max(with_i, F[pos + 1, k])
    chosen, k = [], m
    for pos in range(J):
        if k > 0 and take[pos, k]:
            chosen.append(items[pos])
            k -= 1
    return float(F[0, m]), chosen


def brute_force_best_list(q, w, w_bot: float, m: int) -> tuple[float, tuple[int, ...]]:
    """max f(A) over every ordered list of at most m distinct items (the empty list included)."""
    q, w, w_bot, m = validate_items(q, w, w_bot, m)
    best, best_list = w_bot, ()
    for k in range(1, min(m, q.size) + 1):
        for order in itertools.permutations(range(q.size), k):
            v = list_value(q, w, w_bot, order)
            if v > best:
                best, best_list = v, order
    return best, best_list


def cascading_value_iteration(q, r, P, P_none, m: int, horizon: int, oracle=best_perm):
    """Finite-horizon cascading MDP (Du, Srikant, Chen 2024, CascadingVI's planning step): at state s the agent
    shows a list of at most m of the N items; item i attracts with probability q[s, i], pays r[s, i] and moves to
    P[s, i]; if none attracts, the move is P_none[s] with no reward. Backward induction with the list oracle:
    V_h(s) = max_A f_s(A) with w_i = r[s, i] + P[s, i] . V_{h+1} and w_bot = P_none[s] . V_{h+1}.
    Returns (V of shape (H + 1, S), the chosen lists per (h, s)). ``oracle`` = best_perm or brute_force_best_list."""
    q, r, P, P_none = (np.asarray(x, dtype=np.float64) for x in (q, r, P, P_none))
    S, N = q.shape
    if r.shape != (S, N) or P.shape != (S, N, S) or P_none.shape != (S, S):
        raise InvalidBanditError(f"shapes must be q, r (S, N), P (S, N, S), P_none (S, S); got {q.shape}, {r.shape}, "
                                 f"{P.shape}, {P_none.shape}")
    V = np.zeros((horizon + 1, S))
    lists = [[None] * S for _ in range(horizon)]
    for h in range(horizon - 1, -1, -1):
        for s in range(S):
            value, chosen = oracle(q[s], r[s] + P[s] @ V[h + 1], float(P_none[s] @ V[h + 1]), m)
            V[h, s], lists[h][s] = value, list(chosen)
    return V, lists
