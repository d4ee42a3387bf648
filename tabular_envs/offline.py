"""Offline model-based RL on tabular MDPs: the edge-of-reach problem (Sims et al. 2024; definition reconstructed
from the abstract) and model-based generalization by enumeration (Young et al. 2023; reconstructed).

Edge of reach. From the dataset states, k-step rollouts (every action) in the model reach the states R_j at step j.
Q-iteration updates the pairs (s, a) with s in R_0 u ... u R_{k-1} and bootstraps from their successors; a state
reached only at step k -- the edge E = R_k minus (R_0 u ... u R_{k-1}) -- is bootstrapped from but never updated,
so its values stay at their initialisation. With optimistic initialisation the error propagates to the updated
pairs (overestimation); patching the edge (its values set to a pessimistic bound) removes it.
"""
from __future__ import annotations

import itertools

import numpy as np

from .mdp import TabularMDP
from .solvers import policy_iteration

__all__ = ["reach_sets", "edge_of_reach", "truncated_q_iteration", "optimal_q", "ensemble_spread",
           "consistent_tabular_values", "factored_models", "factored_consistent_values"]


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
    draws = {(s, a): rng.choice(S, size=n_samples, p=mdp.P[s, a]) for s, a in zip(*np.nonzero(data))}
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


def consistent_tabular_values(r, gamma, known: dict, S: int, A: int, start: int = 0) -> set:
    """V*(start) of every deterministic tabular model agreeing with the observed transitions ``known`` ((s, a) ->
    s'), the unobserved pairs free: the values consistent with the Bellman equation on the data."""
    free = [(s, a) for s in range(S) for a in range(A) if (s, a) not in known]
    out = set()
    for nxt in itertools.product(range(S), repeat=len(free)):
        P = np.zeros((S, A, S))
        for (s, a), s2 in known.items():
            P[s, a, s2] = 1
        for (s, a), s2 in zip(free, nxt):
            P[s, a, s2] = 1
        out.add(round(float(policy_iteration(TabularMDP(P, r, gamma=gamma)).values[start]), 10))
    return out


def factored_models(n_vars: int, A: int):
    """Deterministic factored dynamics on binary state vectors: variable i's next value is a table of (x_i, a)."""
    tables = list(itertools.product((0, 1), repeat=2 * A))
    for choice in itertools.product(tables, repeat=n_vars):
        yield choice


def _factored_next(choice, s: int, a: int, A: int) -> int:
    bits = [(s >> i) & 1 for i in range(len(choice))]
    return sum(choice[i][bits[i] * A + a] << i for i in range(len(choice)))


def factored_consistent_values(r, gamma, known: dict, n_vars: int, A: int, start: int = 0) -> set:
    """V*(start) of every factored model (``factored_models``) that reproduces the observed transitions."""
    S = 2 ** n_vars
    out = set()
    for choice in factored_models(n_vars, A):
        if any(_factored_next(choice, s, a, A) != s2 for (s, a), s2 in known.items()):
            continue
        P = np.zeros((S, A, S))
        for s in range(S):
            for a in range(A):
                P[s, a, _factored_next(choice, s, a, A)] = 1
        out.add(round(float(policy_iteration(TabularMDP(P, r, gamma=gamma)).values[start]), 10))
    return out
