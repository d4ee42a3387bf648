"""Episodic interaction: horizon H, a fixed initial state x_1, rewards r_h(s, a) in [0, 1] known to the agent.

Transitions are time-homogeneous (P of shape (S, A, S): one tape stream per pair, indexed by the pair's pooled
visit count) or stage-dependent (P of shape (H, S, A, S): one stream per (h, s, a), indexed by the visits of
(s, a) at stage h). Either way the n-th visit of a stream returns the same next state to every agent on the same
(seed, replication), so agents are compared on common random numbers.

Pseudo-regret is exact: each episode's policy is evaluated by backward induction in the true model,
regret_k = V*_1(x_1) - V^{pi_k}_1(x_1) (Azar, Osband, Munos 2017; Jin et al. 2018), not estimated from realised
rewards.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import TabularEnvError
from .tape import transition_cdf, transition_key, transition_support

__all__ = ["EpisodicModel", "episodic_model", "require_episodic", "backward_induction", "policy_value",
           "policy_value_into", "greedy", "greedy_into"]


class EpisodicModel:
    """Validated episodic arrays: P4 (1 or H, S, A, S), r3 (1 or H, S, A) finite, H, x1, and the tape's support
    tables (``states``, ``cdf``; ``n_support``: the length of each row's support). Algorithms whose theorems need
    rewards in [0, 1] call ``require_unit_rewards``."""

    def __init__(self, P, r, H: int, x1: int = 0):
        P = np.asarray(P, dtype=np.float64)
        r = np.asarray(r, dtype=np.float64)
        if int(H) < 1:
            raise TabularEnvError(f"H must be a positive horizon, got {H!r}")
        H = int(H)
        if P.ndim == 3:
            P = P[None]
        if P.ndim != 4 or P.shape[0] not in (1, H) or P.shape[1] != P.shape[3]:
            raise TabularEnvError(f"P must have shape (S, A, S) or (H={H}, S, A, S), got {P.shape}")
        transition_cdf(P)                                  # validates P (InvalidMDPError naming the bad row)
        S, A = P.shape[1], P.shape[2]
        if r.ndim == 2:
            r = r[None]
        if r.ndim != 3 or r.shape[0] not in (1, H) or r.shape[1:] != (S, A):
            raise TabularEnvError(f"r must have shape ({S}, {A}) or ({H}, {S}, {A}), got {r.shape}")
        bad = np.argwhere(~np.isfinite(r))
        if bad.size:
            raise TabularEnvError(f"r must be finite: r{tuple(int(i) for i in bad[0])} = {float(r[tuple(bad[0])])!r}")
        if not 0 <= int(x1) < S:
            raise TabularEnvError(f"x1 must be a state in [0, {S}), got {x1!r}")
        self.P, self.r, self.H, self.x1 = P, r, H, int(x1)
        self.S, self.A = S, A
        self.stage_dependent = P.shape[0] > 1
        self.states, self.cdf = transition_support(P)
        self.n_support = np.count_nonzero(P > 0, axis=-1).astype(np.int64)    # (1 or H, S, A): entries of states used
        self.Q_star, self.V_star = backward_induction(P, r, H)

    @property
    def v_star(self) -> float:
        """V*_1(x_1)."""
        return float(self.V_star[0, self.x1])

    def require_unit_rewards(self, algorithm: str) -> None:
        """The regret and exploration theorems assume r_h(s, a) in [0, 1]: refuse other rewards, naming the entry."""
        bad = np.argwhere(~((self.r >= 0) & (self.r <= 1)))
        if bad.size:
            idx = tuple(int(i) for i in bad[0])
            raise TabularEnvError(f"{algorithm} assumes rewards in [0, 1]: r{idx} = {float(self.r[idx])!r}")


def episodic_model(P, r, H: int, x1: int = 0) -> EpisodicModel:
    return EpisodicModel(P, r, H, x1)


def require_episodic(model) -> EpisodicModel:
    """The agents' first check: an EpisodicModel, or a TabularEnvError saying how to make one."""
    if not isinstance(model, EpisodicModel):
        raise TabularEnvError(f"model must be an EpisodicModel (tabular_envs.rl.episodic_model), got {type(model)}")
    return model


@njit(cache=True)
def backward_induction(P, r, H):
    """Q*_h, V*_h (h = 0..H-1, V*_H = 0) of the episodic MDP; P (1 or H, S, A, S), r (1 or H, S, A)."""
    S, A = P.shape[1], P.shape[2]
    Q = np.zeros((H, S, A))
    V = np.zeros((H + 1, S))
    for h in range(H - 1, -1, -1):
        hp = h if P.shape[0] > 1 else 0
        hr = h if r.shape[0] > 1 else 0
        for s in range(S):
            best = -1e300
            for a in range(A):
                q = r[hr, s, a]
                for y in range(S):
                    q += P[hp, s, a, y] * V[h + 1, y]
                Q[h, s, a] = q
                if q > best:
                    best = q
            V[h, s] = best
    return Q, V


@njit(cache=True)
def policy_value(P, r, policy, H):
    """V^pi_h(s) of a deterministic policy pi[h, s] (h = 0..H), by backward induction."""
    V = np.zeros((H + 1, P.shape[1]))
    policy_value_into(P, r, policy, H, V)
    return V


@njit(cache=True)
def policy_value_into(P, r, policy, H, V):
    """``policy_value`` written into V (shape (H + 1, S), V[H] = 0): the agents' episode loops allocate nothing."""
    S = P.shape[1]
    for h in range(H - 1, -1, -1):
        hp = h if P.shape[0] > 1 else 0
        hr = h if r.shape[0] > 1 else 0
        for s in range(S):
            a = policy[h, s]
            v = r[hr, s, a]
            for y in range(S):
                v += P[hp, s, a, y] * V[h + 1, y]
            V[h, s] = v


@njit(cache=True)
def stream_keys(seed, rep, Hp, S, A):
    """keys[hp, s, a] of the tape streams of a replication (Hp = 1: time-homogeneous)."""
    keys = np.empty((Hp, S, A), dtype=np.uint64)
    for h in range(Hp):
        for s in range(S):
            for a in range(A):
                keys[h, s, a] = transition_key(seed, rep, h, s, a, S, A)
    return keys


@njit(cache=True)
def greedy(Q):
    """pi[h, s] = the first maximiser of Q[h, s, :] (ties to the lowest action, as np.argmax)."""
    pi = np.zeros((Q.shape[0], Q.shape[1]), dtype=np.int64)
    greedy_into(Q, pi)
    return pi


@njit(cache=True)
def greedy_into(Q, pi):
    """``greedy`` written into pi; True when some pi[h, s] changed (the agents then re-evaluate their policy)."""
    H, S, A = Q.shape
    changed = False
    for h in range(H):
        for s in range(S):
            b = 0
            for a in range(1, A):
                if Q[h, s, a] > Q[h, s, b]:
                    b = a
            if pi[h, s] != b:
                pi[h, s] = b
                changed = True
    return changed
