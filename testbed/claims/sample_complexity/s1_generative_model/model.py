"""What only claim S1 needs: the Azar, Munos, Kappen (2013) hard instance, Q-values of a plan, and the simulation
lemma's right-hand side.

- ``azar_instance(gamma)``: states z (reward 0, moves to y), y (reward 1, stays with p = (4 gamma - 1)/(3 gamma),
  else falls to x), x (absorbing, reward 0); one action. V*(y) = 1/(1 - gamma p) = 3/(4(1 - gamma)) exactly.
- ``q_values(mdp, V)``: r + gamma P V.
- ``simulation_lemma_rhs(mdp, mdp_hat, policy)``: gamma (I - gamma P_hat^pi)^{-1} (P - P_hat) V^pi over the
  (s, a) pairs (Agarwal, Jiang, Kakade, Sun, Lemma 2.2), which equals Q^pi - Q_hat^pi.
"""
from __future__ import annotations

import numpy as np

from tabular_envs import TabularMDP, policy_evaluation

__all__ = ["azar_instance", "q_values", "simulation_lemma_rhs"]


def azar_instance(gamma: float) -> TabularMDP:
    """The hard instance of Azar, Munos, Kappen (2013, Thm 3), for gamma >= 1/4 (p in [0, 1])."""
    if not 0.25 <= gamma < 1:
        raise ValueError(f"the Azar instance needs gamma in [1/4, 1), got {gamma!r}")
    p = (4 * gamma - 1) / (3 * gamma)
    P = np.zeros((3, 1, 3))
    P[0, 0, 1] = 1.0                 # z -> y
    P[1, 0, 1], P[1, 0, 2] = p, 1 - p
    P[2, 0, 2] = 1.0
    r = np.array([[0.0], [1.0], [0.0]])
    return TabularMDP(P, r, gamma=gamma, name=f"azar2013(gamma={gamma})")


def q_values(mdp: TabularMDP, V: np.ndarray) -> np.ndarray:
    return mdp.r + mdp.gamma * mdp.P @ V


def simulation_lemma_rhs(mdp: TabularMDP, mdp_hat: TabularMDP, policy) -> np.ndarray:
    S, A = mdp.n_states, mdp.n_actions
    v = policy_evaluation(mdp, policy)
    pi = np.zeros((S, S * A))
    pi[np.arange(S), np.arange(S) * A + np.asarray(policy)] = 1.0
    p_hat_pi = mdp_hat.P.reshape(S * A, S) @ pi
    rhs = np.linalg.solve(np.eye(S * A) - mdp.gamma * p_hat_pi, mdp.gamma * (mdp.P - mdp_hat.P).reshape(S * A, S) @ v)
    return rhs.reshape(S, A)
