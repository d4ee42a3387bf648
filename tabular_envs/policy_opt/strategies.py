"""Hypothesis strategies for the policy-optimisation pieces: regularised MDPs, constrained MDPs with a feasible
constraint, multi-objective MDPs. Built on ``tabular_envs.strategies.mdps``; kept here so that the claims whose code
imports ``tabular_envs.strategies`` keep their code version.

    from tabular_envs.policy_opt.strategies import cmdps, multi_objective_mdps, regularised_mdps
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..strategies import mdps

__all__ = ["regularised_mdps", "cmdps", "multi_objective_mdps"]


@st.composite
def regularised_mdps(draw, max_states: int = 5, max_actions: int = 4, gamma=None, min_tau: float = 0.01,
                     max_tau: float = 2.0):
    """(mdp, tau): a discounted MDP (rewards in [0, 1], gamma in [0.1, 0.95] unless given) and an entropy temperature
    tau in [min_tau, max_tau] (log-uniform), for the soft Bellman operators of ``tabular_envs.policy_opt``."""
    if not 0 < min_tau <= max_tau:
        raise ValueError(f"need 0 < min_tau <= max_tau, got {min_tau}, {max_tau}")
    g = st.floats(0.1, 0.95) if gamma is None else gamma
    mdp = draw(mdps(max_states=max_states, min_actions=2, max_actions=max(2, max_actions), gamma=g,
                    reward_range=(0.0, 1.0)))
    tau = float(np.exp(draw(st.floats(np.log(min_tau), np.log(max_tau)))))
    return mdp, tau


@st.composite
def cmdps(draw, max_states: int = 4, max_actions: int = 3, gamma=None):
    """A ``ConstrainedMDP`` whose constraint is feasible: costs in [0, 1] and a budget between the smallest and the
    largest V_c(mu0) over policies (the smallest by value iteration on -c), so the occupancy LP has a solution."""
    from .occupancy import ConstrainedMDP, _optimal_value
    g = st.floats(0.1, 0.95) if gamma is None else gamma
    mdp = draw(mdps(max_states=max_states, max_actions=max_actions, gamma=g, reward_range=(0.0, 1.0)))
    S, A = mdp.r.shape
    cost = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=S * A, max_size=S * A))).reshape(S, A)
    lo, hi = -_optimal_value(mdp, -cost), _optimal_value(mdp, cost)
    budget = lo + draw(st.floats(0.0, 1.0)) * (hi - lo) + 1e-9 * max(1.0, hi)
    return ConstrainedMDP(mdp, cost, budget)


@st.composite
def multi_objective_mdps(draw, max_states: int = 4, max_actions: int = 3, objectives: int = 2, gamma=None):
    """(mdp, rewards): a discounted MDP and a reward array (S, A, objectives) in [0, 1] (mdp.r is the first one)."""
    if objectives < 1:
        raise ValueError(f"objectives must be >= 1, got {objectives}")
    g = st.floats(0.1, 0.95) if gamma is None else gamma
    mdp = draw(mdps(max_states=max_states, max_actions=max_actions, gamma=g, reward_range=(0.0, 1.0)))
    S, A = mdp.r.shape
    more = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=S * A * (objectives - 1),
                                  max_size=S * A * (objectives - 1)))).reshape(S, A, objectives - 1)
    return mdp, np.concatenate([mdp.r[:, :, None], more], axis=2)
