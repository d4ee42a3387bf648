"""What only claim S1 needs: Q-values of a plan and the simulation lemma's right-hand side (the Azar, Munos, Kappen
2013 hard instance is shared: ``tabular_envs.azar_hard_instance``).

- ``q_values(mdp, V)``: r + gamma P V.
- ``simulation_lemma_rhs(mdp, mdp_hat, policy)``: gamma (I - gamma P_hat^pi)^{-1} (P - P_hat) V^pi over the
  (s, a) pairs (Agarwal, Jiang, Kakade, Sun, Lemma 2.2), which equals Q^pi - Q_hat^pi.
"""
from __future__ import annotations

import numpy as np

from tabular_envs import TabularMDP, policy_evaluation

__all__ = ["q_values", "simulation_lemma_rhs"]


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
