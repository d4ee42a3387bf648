"""Q-learning and double Q-learning on Sutton & Barto's maximisation-bias MDP (Sutton & Barto 2018, Example 6.7,
Figure 6.5; double Q-learning: van Hasselt 2010, Algorithm 1).

State A has two actions: right ends the episode with reward 0; left moves to B with reward 0. B has ``n_b``
actions, each ending the episode with a reward drawn from N(-0.1, 1). Undiscounted, so left is worth -0.1 and the
optimal action at A is right; an epsilon-greedy agent with the optimal greedy action picks left with probability
epsilon / 2. Q-learning's target max_b Q(B, b) is biased upwards (the single estimator), which makes left look
better than it is early on; double Q-learning selects b with one table and evaluates it with the other.

The agents act epsilon-greedily with respect to Q (Q-learning) or Q1 + Q2 (double), ties broken uniformly at
random, with step size ``alpha`` and Q initialised to 0, as in the book's figure.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import TabularEnvError

__all__ = ["LEFT_RIGHT_METHODS", "left_right_left_frequency"]

# "q_learning"; "double": van Hasselt's double Q-learning; "same_table": the trap, each table updated with its own
# max (select and evaluate with the same table), acting on their sum
LEFT_RIGHT_METHODS = {"q_learning": 0, "double": 1, "same_table": 2}
_MEAN_B = -0.1


@njit(cache=True)
def _greedy(q1, q2, s, n, eps, u_explore, u_pick):
    if u_explore < eps:
        return min(int(u_pick * n), n - 1)
    best = -np.inf
    ties = 0
    for a in range(n):
        v = q1[s, a] + q2[s, a]
        if v > best:
            best = v
            ties = 1
        elif v == best:
            ties += 1
    k = min(int(u_pick * ties), ties - 1)
    for a in range(n):
        if q1[s, a] + q2[s, a] == best:
            if k == 0:
                return a
            k -= 1
    return 0


@njit(cache=True)
def _argmax_ties(q, s, n, u):
    best = -np.inf
    ties = 0
    for a in range(n):
        if q[s, a] > best:
            best = q[s, a]
            ties = 1
        elif q[s, a] == best:
            ties += 1
    k = min(int(u * ties), ties - 1)
    for a in range(n):
        if q[s, a] == best:
            if k == 0:
                return a
            k -= 1
    return 0


@njit(cache=True)
def _update(q1, q2, s, a, r, s_next, n_next, method, coin, u_tie, alpha):
    """One update of Q(s, a) towards r (+ the value of s_next when s_next >= 0)."""
    if method == 0:                       # Q-learning: q2 stays 0, so q1 + q2 = q1
        target = r
        if s_next >= 0:
            target += q1[s_next, _argmax_ties(q1, s_next, n_next, u_tie)]
        q1[s, a] += alpha * (target - q1[s, a])
        return
    upd, other = (q1, q2) if coin < 0.5 else (q2, q1)
    target = r
    if s_next >= 0:
        b = _argmax_ties(upd, s_next, n_next, u_tie)
        target += other[s_next, b] if method == 1 else upd[s_next, b]
    upd[s, a] += alpha * (target - upd[s, a])


@njit(cache=True)
def _episodes(draws, n_b, eps, method, alpha, left):
    q1 = np.zeros((2, max(2, n_b)))
    q2 = np.zeros((2, max(2, n_b)))
    for e in range(draws.shape[0]):
        d = draws[e]
        a = _greedy(q1, q2, 0, 2, eps, d[0], d[1])             # at A: 0 = left, 1 = right
        left[e] = 1 if a == 0 else 0
        if a == 1:
            _update(q1, q2, 0, 1, 0.0, -1, 0, method, d[6], d[7], alpha)
            continue
        _update(q1, q2, 0, 0, 0.0, 1, n_b, method, d[6], d[7], alpha)
        b = _greedy(q1, q2, 1, n_b, eps, d[2], d[3])
        _update(q1, q2, 1, b, _MEAN_B + d[4], -1, 0, method, d[5], d[7], alpha)


def left_right_left_frequency(n_runs: int, episodes: int, seed: int, *, method: str = "q_learning", n_b: int = 10,
                              epsilon: float = 0.1, alpha: float = 0.1) -> np.ndarray:
    """(n_runs x episodes) 0/1: whether run r chose left at A in episode e. Run r draws its uniforms and rewards from
    ``np.random.default_rng([seed, r])``, so runs are independent and the methods see the same draws."""
    if method not in LEFT_RIGHT_METHODS:
        raise TabularEnvError(f"method must be one of {sorted(LEFT_RIGHT_METHODS)}, got {method!r}")
    if not (isinstance(n_runs, int) and n_runs >= 1 and isinstance(episodes, int) and episodes >= 1):
        raise TabularEnvError(f"n_runs and episodes must be positive integers, got {n_runs!r}, {episodes!r}")
    if not (isinstance(n_b, int) and n_b >= 1 and 0 <= epsilon <= 1 and 0 < alpha <= 1):
        raise TabularEnvError(f"need n_b >= 1, epsilon in [0, 1], alpha in (0, 1], got {n_b!r}, {epsilon!r}, "
                              f"{alpha!r}")
    out = np.empty((n_runs, episodes), dtype=np.int64)
    for r in range(n_runs):
        g = np.random.default_rng([seed, r])
        draws = g.uniform(size=(episodes, 8))
        draws[:, 4] = g.standard_normal(episodes)          # B's reward noise
        _episodes(draws, n_b, float(epsilon), LEFT_RIGHT_METHODS[method], float(alpha), out[r])
    return out
