"""Offline model-based RL on tabular MDPs: the edge-of-reach problem (claim D11; Sims et al. 2024, definition
reconstructed from the abstract).

Edge of reach. From the dataset states, k-step rollouts (every action) in the model reach the states R_j at step j.
Q-iteration updates the pairs (s, a) with s in R_0 u ... u R_{k-1} and bootstraps from their successors; a state
reached only at step k -- the edge E = R_k minus (R_0 u ... u R_{k-1}) -- is bootstrapped from but never updated,
so its values stay at their initialisation. With optimistic initialisation the error propagates to the updated
pairs (overestimation); patching the edge (its values set to a pessimistic bound) removes it.
"""
from __future__ import annotations

import numpy as np

from tabular_envs.mdp.model import TabularMDP
from tabular_envs.mdp.solvers import policy_iteration

__all__ = ["reach_sets", "edge_of_reach", "truncated_q_iteration", "optimal_q", "ensemble_spread"]


def reach_sets(mdp: TabularMDP, dataset_states, k: int) -> list[np.ndarray]:
    """Boolean masks R_0..R_k of the states reachable at step j of a rollout from a dataset state."""
    R = [np.zeros(mdp.n_states, dtype=bool)]
    R[0][np.asarray(dataset_states, dtype=np.int64)] = True
    for _ in range(k):
        R.append((mdp.P[R[-1]].reshape(-1, mdp.n_states) > 0).any(axis=0))
    return R


def edge_of_reach(mdp: TabularMDP, dataset_states, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(updated-state mask R_0 u ... u R_{k-1}, edge mask R_k minus that)."""
    R = reach_sets(mdp, dataset_states, k)
    updated = np.any(R[:k], axis=0) if k > 0 else np.zeros(mdp.n_states, dtype=bool)
    return updated, R[k] & ~updated


def truncated_q_iteration(mdp: TabularMDP, updated, q0: float, sweeps: int = 2000, edge_value=None) -> np.ndarray:
    """Q-iteration on the updated states only (every action), with the true model; other states keep Q = q0, or
    when ``edge_value`` is given, are treated as absorbing with that value (the patch)."""
    Q = np.full((mdp.n_states, mdp.n_actions), float(q0))
    if edge_value is not None:
        Q[~updated] = edge_value
    for _ in range(sweeps):
        target = mdp.r + mdp.gamma * mdp.P @ Q.max(axis=1)
        new = np.where(updated[:, None], target, Q)
        if np.max(np.abs(new - Q)) < 1e-13:
            return new
        Q = new
    return Q


def optimal_q(mdp: TabularMDP) -> np.ndarray:
    """Q* = r + gamma P V* with V* from policy iteration."""
    V = policy_iteration(mdp).values
    return mdp.r + mdp.gamma * mdp.P @ V


def ensemble_spread(mdp: TabularMDP, data_pairs, n_samples: int, members: int, V, rng) -> np.ndarray:
    """spread[s, a]: standard deviation over an ensemble of learned models of the predicted E[V(s')]. Members are
    empirical models of bootstrap resamples of ``n_samples`` transitions per dataset pair; outside the data each
    member draws its next-state distribution from a flat Dirichlet prior."""
    S, A = mdp.r.shape
    data = np.zeros((S, A), dtype=bool)
    for s, a in data_pairs:
        data[s, a] = True
    draws = {(s, a): rng.choice(S, size=n_samples, p=mdp.P[s, a]) for s, a in zip(*np.nonzero(data), strict=True)}
    preds = np.empty((members, S, A))
    for m in range(members):
        for s in range(S):
            for a in range(A):
                if data[s, a]:
                    boot = rng.choice(draws[(s, a)], size=n_samples)
                    p = np.bincount(boot, minlength=S) / n_samples
                else:
                    p = rng.dirichlet(np.ones(S))
                preds[m, s, a] = p @ V
    return preds.std(axis=0)

