"""Two-player zero-sum matrix games: the value by linear programming, and Hedge-vs-Hedge self-play.

Convention (Slivkins 2019, ch. 9): M[i, j] in [0, 1] is the row player's cost and the column player's reward;
the row player minimises. v* = min_p max_q p^T M q = max_q min_p p^T M q (von Neumann).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from tabular_envs.errors import InvalidBanditError, SolverError

__all__ = ["GameValue", "zero_sum_value", "SelfPlay", "hedge_self_play", "rock_paper_scissors", "validate_game"]


def validate_game(M) -> np.ndarray:
    """Check a payoff matrix (rows: the maximiser's actions) with finite entries in [0, 1]."""
    A = np.asarray(M, dtype=np.float64)
    if A.ndim != 2 or min(A.shape) < 1:
        raise InvalidBanditError(f"the game matrix must be 2-D and non-empty, got shape {A.shape}")
    bad = ~np.isfinite(A) | (A < 0) | (A > 1)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InvalidBanditError(f"M[{i}, {j}] = {float(A[i, j])!r} lies outside [0, 1]")
    return A


@dataclass(frozen=True)
class GameValue:
    """The value v* of a zero-sum game from both players' linear programs, their optimal strategies and the LPs'
    duality gap (0 up to solver tolerance)."""
    value: float          # v*
    row_strategy: np.ndarray
    column_strategy: np.ndarray
    duality_gap: float    # max_q p*^T M q - min_p p^T M q*, >= 0, ~0 up to the LP tolerance


def _minimax(A: np.ndarray) -> tuple[float, np.ndarray]:
    """min_p max_j (p^T A)_j as the LP min v s.t. A^T p <= v 1, sum p = 1, p >= 0."""
    m, n = A.shape
    c = np.zeros(m + 1)
    c[-1] = 1.0
    A_ub = np.hstack([A.T, -np.ones((n, 1))])
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    if res.status != 0:
        raise SolverError(f"the game's linear program failed: {res.message}")
    p = np.clip(res.x[:m], 0, None)
    return float(res.x[-1]), p / p.sum()


def zero_sum_value(M) -> GameValue:
    """v* and optimal strategies of both players, each from its own LP (the duality gap checks them)."""
    A = validate_game(M)
    v_row, p = _minimax(A)
    _, q = _minimax(1.0 - A.T)        # the column player minimises 1 - M^T
    gap = float((p @ A).max() - (A @ q).min())
    return GameValue(value=v_row, row_strategy=p, column_strategy=q, duality_gap=gap)


@dataclass(frozen=True)
class SelfPlay:
    """Realised regrets R (row) and R' (column) over T rounds and the empirical mixtures of play."""
    row_regret: float
    column_regret: float
    row_average: np.ndarray
    column_average: np.ndarray
    T: int


def hedge_self_play(M, T: int, rng, epsilon_row: float | None = None, epsilon_column: float | None = None
                    ) -> SelfPlay:
    """Both players run Hedge with full feedback on the opponent's sampled action: the row player's cost vector
    at round t is M[:, j_t], the column player's cost vector is 1 - M[i_t, :]; each samples its action from its
    Hedge distribution (weights (1 - eps)^{cumulative cost}, eps = sqrt(ln K / (3T)) by default)."""
    A = validate_game(M)
    m, n = A.shape
    g = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    eps_r = epsilon_row if epsilon_row is not None else np.sqrt(np.log(max(m, 2)) / (3 * T))
    eps_c = epsilon_column if epsilon_column is not None else np.sqrt(np.log(max(n, 2)) / (3 * T))
    cost_r, cost_c = np.zeros(m), np.zeros(n)
    rows, cols = np.empty(T, dtype=np.int64), np.empty(T, dtype=np.int64)
    lr, lc = np.log1p(-eps_r), np.log1p(-eps_c)
    for t in range(T):
        zr, zc = lr * cost_r, lc * cost_c
        pr = np.exp(zr - zr.max())
        pc = np.exp(zc - zc.max())
        i = int(g.choice(m, p=pr / pr.sum()))
        j = int(g.choice(n, p=pc / pc.sum()))
        rows[t], cols[t] = i, j
        cost_r += A[:, j]
        cost_c += 1.0 - A[i, :]
    played = A[rows, cols].sum()
    row_regret = played - A[:, cols].sum(axis=1).min()
    column_regret = A[rows, :].sum(axis=0).max() - played
    return SelfPlay(row_regret=float(row_regret), column_regret=float(column_regret),
                    row_average=np.bincount(rows, minlength=m) / T, column_average=np.bincount(cols, minlength=n) / T,
                    T=T)


def rock_paper_scissors() -> np.ndarray:
    """Rock-paper-scissors as row costs in [0, 1]: 1 for a loss, 1/2 for a tie, 0 for a win; v* = 1/2."""
    win = np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]], dtype=float)  # +1: row wins
    return (1.0 - win) / 2.0
