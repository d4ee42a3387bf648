"""Static vs dynamic adversaries and IWOCS (Zouitine, Geist, Rachelson 2024; algorithm reconstructed from the
abstract) on L1-ball (s,a)-rectangular uncertainty sets around a nominal kernel.

- ``static_worst_model``: the kernel made of the inner minimisers against a value: at the robust fixed point it is
  a single static model whose optimal value equals V*_rob (so V*_rob = min_T V*_T on rectangular sets).
- ``iwocs``: Incremental Worst-Case Search. Keep a finite set of models (initially the nominal one); at iteration
  i take the model of the set with the smallest optimal value at the start state, its optimal policy pi_i, and
  add the worst-case model of pi_i (robust policy evaluation, then its inner minimisers). Lower bound:
  V^{pi_i}_worst (the robust value of pi_i); upper bound: min_j V*_{T_j}. Stops when they meet (within tol).
- ``finite_set_gap``: for a non-rectangular set (a finite set of whole models), max over deterministic stationary
  policies of min_j V^pi_{T_j}(s0) against min_j max_pi V^pi_{T_j}(s0) = min_j V*_{T_j}(s0): a strict gap is
  possible.
"""
from __future__ import annotations

import itertools

import numpy as np

from tabular_envs.dp.robust import robust_policy_evaluation, worst_kernel
from tabular_envs.mdp.model import TabularMDP
from tabular_envs.mdp.solvers import policy_evaluation, policy_iteration

__all__ = ["static_worst_model", "iwocs", "finite_set_gap", "model_with"]


def model_with(mdp: TabularMDP, P) -> TabularMDP:
    """The MDP ``mdp`` with its transitions replaced by ``P`` (same rewards and discount)."""
    return TabularMDP(P, mdp.r, gamma=mdp.gamma, name=f"{mdp.name}/model")


def static_worst_model(mdp: TabularMDP, V, beta: float) -> TabularMDP:
    """The static model made of the L1-ball inner minimisers against V at every (s, a)."""
    return model_with(mdp, worst_kernel(mdp, V, beta))


def iwocs(mdp: TabularMDP, beta: float, start: int = 0, max_iterations: int = 50, tol: float = 1e-9):
    """Returns a list of dicts per iteration: lower, upper (at ``start``, and pointwise arrays), policy."""
    models = [mdp]
    optimal = [policy_iteration(mdp).values]
    history = []
    for _ in range(max_iterations):
        j = int(np.argmin([v[start] for v in optimal]))
        pi = policy_iteration(models[j]).policy
        worst_value = robust_policy_evaluation(mdp, pi, "l1", beta)
        upper = np.min(np.array(optimal), axis=0)
        history.append({"lower": worst_value, "upper": upper, "policy": pi, "models": len(models)})
        if upper[start] - worst_value[start] <= tol:
            break
        T = static_worst_model(mdp, worst_value, beta)
        models.append(T)
        optimal.append(policy_iteration(T).values)
    return history


def finite_set_gap(models: list[TabularMDP], start: int = 0) -> tuple[float, float]:
    """(max over deterministic stationary pi of min_j V^pi_{T_j}(s0), min_j V*_{T_j}(s0))."""
    S, A = models[0].n_states, models[0].n_actions
    maximin = -np.inf
    for pol in itertools.product(range(A), repeat=S):
        pi = np.array(pol)
        maximin = max(maximin, min(policy_evaluation(m, pi)[start] for m in models))
    minimax = min(policy_iteration(m).values[start] for m in models)
    return float(maximin), float(minimax)
