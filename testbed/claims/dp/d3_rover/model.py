"""Random-policy valuation on tree MDPs of LLM reasoning (ROVER; He et al. 2025, Theorems 3.1 and 3.2).

Finite-horizon MDPs with start state 0, gamma = 1. Q^{pi_u} is the Q of the uniform policy (a mean backup),
time-indexed so that the same code runs on the relaxations used as falsification cases (merged states,
stochastic transitions, intermediate or non-binary rewards).
- Thm 3.1: acting greedily on Q^{pi_u} is optimal on deterministic trees with binary terminal rewards in {0, R}.
  ``greedy_worst_value`` is the value of the worst tie-breaking among greedy actions, so "greedy is optimal" means
  greedy_worst_value == V*(s0).
- Thm 3.2: the softmax policy pi_rho(a|s) ~ exp(Q^{pi_u}(s, a)/rho) has V^{pi_rho}(s0) >= R [1 - sum_{s in P}
  Pr^{pi_rho}(reach s) N(s)/(N(s) + exp(max_a Q^{pi_u}(s, a)/rho))], N(s) = #{a : Q^{pi_u}(s, a) = 0}, key states
  P = {s : 1 <= N(s) <= A - 1} (``softmax_bound``).
"""
from __future__ import annotations

import numpy as np

from tabular_envs.errors import InvalidMDPError
from tabular_envs.mdp.generators import tree_mdp
from tabular_envs.mdp.model import TabularMDP
from tabular_envs.mdp.solvers import backward_induction, finite_horizon_policy_evaluation

__all__ = ["uniform_policy_q", "greedy_worst_value", "softmax_policy", "softmax_value", "softmax_bound",
           "rover_toy", "ROVER_TOY_CORRECT", "path_state"]

ROVER_TOY_CORRECT = ("ACD", "BDC", "CAB", "DBA")


def _finite(mdp: TabularMDP) -> None:
    if not isinstance(mdp, TabularMDP) or not mdp.is_finite_horizon:
        raise InvalidMDPError("ROVER quantities need a finite-horizon TabularMDP")


def uniform_policy_q(mdp: TabularMDP) -> np.ndarray:
    """Q^{pi_u}[t, s, a] of the uniform policy (He et al. 2025, Eq. of the mean backup)."""
    _finite(mdp)
    uniform = np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)
    return finite_horizon_policy_evaluation(mdp, uniform)[1]


def greedy_worst_value(mdp: TabularMDP, q: np.ndarray, start: int = 0) -> float:
    """min over tie-breakings of greedy-on-q actions of the value from ``start``: W_t(s) = min over
    a in argmax_a q[t, s, a] of r_t(s, a) + P_t(s, a) W_{t+1}."""
    _finite(mdp)
    W = np.zeros(mdp.n_states)
    for t in range(mdp.horizon - 1, -1, -1):
        cand = mdp.r_at(t) + mdp.P_at(t) @ W
        greedy = q[t] >= q[t].max(axis=1, keepdims=True)
        W = np.where(greedy, cand, np.inf).min(axis=1)
    return float(W[start])


def softmax_policy(q: np.ndarray, rho: float) -> np.ndarray:
    """pi_rho(a | s) proportional to exp(Q(s, a) / rho), at every step (He et al. 2025, Thm 3.2)."""
    if not rho > 0:
        raise InvalidMDPError(f"rho must be > 0, got {rho!r}")
    z = (q - q.max(axis=-1, keepdims=True)) / rho
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_value(mdp: TabularMDP, q: np.ndarray, rho: float, start: int = 0) -> float:
    """V^{pi_rho}(start) of the softmax policy on Q, by exact finite-horizon policy evaluation."""
    V, _ = finite_horizon_policy_evaluation(mdp, softmax_policy(q, rho))
    return float(V[0, start])


def softmax_bound_terms(mdp: TabularMDP, q: np.ndarray, rho: float, start: int = 0):
    """The key states' terms of He et al. (2025), Thm 3.2: (Pr(reach s) under pi_rho, N(s), max_a Q^{pi_u}(s, a)) for
    every (step, state) with 1 <= N(s) <= A - 1 zero-valued actions, as three arrays."""
    _finite(mdp)
    pi = softmax_policy(q, rho)
    reach = np.zeros(mdp.n_states)
    reach[start] = 1.0
    A = mdp.n_actions
    terms = []
    for t in range(mdp.horizon):
        N = np.sum(q[t] == 0.0, axis=1)
        key = (N >= 1) & (N <= A - 1)
        terms.append((reach[key], N[key].astype(float), q[t].max(axis=1)[key]))
        reach = np.einsum("s,sa,sab->b", reach, pi[t], mdp.P_at(t))
    return tuple(np.concatenate([x[i] for x in terms]) for i in range(3))


def softmax_bound(mdp: TabularMDP, q: np.ndarray, rho: float, R: float, start: int = 0) -> float:
    """Right-hand side of He et al. (2025), Thm 3.2 (``proofs_check.rover_softmax_he2025_thm3_2``), evaluated in
    the overflow-free form N e^{-Q/rho} / (N e^{-Q/rho} + 1) of each term N / (N + e^{Q/rho})."""
    reach, N, top = softmax_bound_terms(mdp, q, rho, start)
    fail = N * np.exp(-top / rho) / (N * np.exp(-top / rho) + 1.0)
    return R * (1.0 - float(np.sum(reach * fail)))


def optimal_value(mdp: TabularMDP, start: int = 0) -> float:
    """V*(start) by backward induction."""
    return float(backward_induction(mdp).values[0, start])


def rover_toy(reward: float = 1.0) -> TabularMDP:
    """He et al.'s toy: A = 4 actions (A, B, C, D), depth 3, correct leaves ACD, BDC, CAB, DBA."""
    leaves = np.zeros(64)
    for word in ROVER_TOY_CORRECT:
        a = ["ABCD".index(ch) for ch in word]
        leaves[a[0] * 16 + a[1] * 4 + a[2]] = reward
    return tree_mdp(3, 4, leaves)


def path_state(path: str, branching: int = 4, letters: str = "ABCD") -> int:
    """State index of the node reached by an action path in ``tree_mdp`` (breadth-first numbering)."""
    first, index = 0, 0
    for d, ch in enumerate(path):
        first += branching ** d
        index = index * branching + letters.index(ch)
    return first + index if path else 0
