"""Discounted occupancy measures and their linear programs: constrained MDPs and linear scalarisation.

Altman (1999), Constrained Markov Decision Processes, Ch. 3: the discounted occupancy d(s, a) = sum_t gamma^t
P(s_t = s, a_t = a) of a stationary policy satisfies the flow equations sum_a d(s', a) = mu0(s') + gamma
sum_{s,a} P(s'|s, a) d(s, a), d >= 0, and every such d is the occupancy of the policy pi(a|s) = d(s, a) /
sum_a d(s, a); V_r(mu0) = <d, r>. So max_pi V_r s.t. V_c <= b is a linear program over d (solved here by SciPy's
HiGHS), and the achievable value vectors of stochastic policies form a polytope (the image of the flow polytope).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
from scipy.optimize import linprog

from ..errors import InvalidMDPError, SolverError
from ..mdp.model import TabularMDP
from ..mdp.solvers import policy_matrix

__all__ = ["ConstrainedMDP", "occupancy", "policy_from_occupancy", "flow_constraints", "cmdp_lp", "lagrangian_dual",
           "deterministic_policies", "best_deterministic_feasible", "scalarised_lp", "randomised_states"]


@dataclass(frozen=True)
class ConstrainedMDP:
    """max_pi V_r(mu0) subject to V_c(mu0) <= budget; ``cost`` has the shape of ``mdp.r``."""
    mdp: TabularMDP
    cost: np.ndarray
    budget: float

    def __post_init__(self):
        c = np.asarray(self.cost, dtype=np.float64)
        if c.shape != self.mdp.r.shape or not np.isfinite(c).all():
            raise InvalidMDPError(f"cost must be a finite array of shape {self.mdp.r.shape}, got {c.shape}")
        if not np.isfinite(self.budget):
            raise InvalidMDPError(f"budget must be finite, got {self.budget!r}")
        object.__setattr__(self, "cost", c)


def _discounted(mdp: TabularMDP) -> None:
    if mdp.gamma is None:
        raise InvalidMDPError("occupancy measures here are discounted: the MDP needs gamma")


def occupancy(mdp: TabularMDP, policy) -> np.ndarray:
    """d(s, a) = pi(a|s) [mu0^T (I - gamma P_pi)^{-1}](s): the unnormalised discounted occupancy (sums to
    1/(1 - gamma))."""
    _discounted(mdp)
    pi = policy_matrix(mdp, policy)
    P_pi = np.einsum("sa,sat->st", pi, mdp.P)
    state = np.linalg.solve((np.eye(mdp.n_states) - mdp.gamma * P_pi).T, mdp.initial)
    return state[:, None] * pi


def policy_from_occupancy(d: np.ndarray) -> np.ndarray:
    """pi(a|s) = d(s, a) / sum_a d(s, a); uniform where the state is never visited."""
    d = np.clip(np.asarray(d, dtype=np.float64), 0.0, None)
    total = d.sum(axis=1, keepdims=True)
    return np.where(total > 0, d / np.where(total > 0, total, 1.0), 1.0 / d.shape[1])


def flow_constraints(mdp: TabularMDP) -> tuple[np.ndarray, np.ndarray]:
    """(A_eq, b_eq) of the flow equations over d flattened as d[s * A + a]."""
    _discounted(mdp)
    S, A = mdp.n_states, mdp.n_actions
    A_eq = np.zeros((S, S * A))
    for s in range(S):
        A_eq[s, s * A:(s + 1) * A] = 1.0
    A_eq -= mdp.gamma * mdp.P.reshape(S * A, S).T
    return A_eq, mdp.initial.copy()


def _solve(c_obj, A_ub, b_ub, A_eq, b_eq):
    res = linprog(c_obj, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status != 0:
        raise SolverError(f"HiGHS could not solve the occupancy LP: {res.message}")
    return res


def cmdp_lp(cmdp: ConstrainedMDP):
    """The constrained optimum by the occupancy LP: (value, occupancy (S, A), the constraint's multiplier lambda >= 0
    from HiGHS's dual). Raises SolverError when the constraint is infeasible."""
    mdp = cmdp.mdp
    A_eq, b_eq = flow_constraints(mdp)
    res = _solve(-mdp.r.ravel(), cmdp.cost.ravel()[None, :], [cmdp.budget], A_eq, b_eq)
    lam = float(-res.ineqlin.marginals[0])
    return float(-res.fun), res.x.reshape(mdp.r.shape), lam


def _optimal_value(mdp: TabularMDP, reward: np.ndarray, tol: float = 1e-13) -> float:
    """max_pi mu0^T V_reward by value iteration to ||V_{k+1} - V_k|| <= tol (1 - gamma)."""
    g = mdp.gamma
    V = np.zeros(mdp.n_states)
    while True:
        V_next = np.max(reward + g * mdp.P @ V, axis=1)
        done = np.max(np.abs(V_next - V)) <= tol * (1 - g)
        V = V_next
        if done:
            return float(mdp.initial @ V)


def lagrangian_dual(cmdp: ConstrainedMDP, lam: float) -> float:
    """g(lambda) = max_pi [V_{r - lambda c}(mu0)] + lambda b, by value iteration (the dual route: no LP)."""
    if not (np.isfinite(lam) and lam >= 0):
        raise InvalidMDPError(f"lambda must be a non-negative number, got {lam!r}")
    return _optimal_value(cmdp.mdp, cmdp.mdp.r - lam * cmdp.cost) + lam * cmdp.budget


def deterministic_policies(mdp: TabularMDP):
    """Every deterministic stationary policy (A^S of them), as action-index arrays."""
    return (np.array(p, dtype=np.int64) for p in product(range(mdp.n_actions), repeat=mdp.n_states))


def best_deterministic_feasible(cmdp: ConstrainedMDP, slack: float = 1e-12):
    """(value, policy) of the best deterministic policy with V_c(mu0) <= b + slack, by enumeration; (-inf, None)
    when none is feasible."""
    best, arg = -np.inf, None
    for pol in deterministic_policies(cmdp.mdp):
        d = occupancy(cmdp.mdp, pol)
        if np.sum(d * cmdp.cost) <= cmdp.budget + slack and np.sum(d * cmdp.mdp.r) > best:
            best, arg = float(np.sum(d * cmdp.mdp.r)), pol
    return best, arg


def randomised_states(pi: np.ndarray, tol: float = 1e-9) -> int:
    """The number of states where the policy puts mass above ``tol`` on two or more actions."""
    return int(np.sum(np.sum(pi > tol, axis=1) >= 2))


def scalarised_lp(mdp: TabularMDP, rewards: np.ndarray, weights: np.ndarray):
    """max_d <d, sum_i w_i r_i> over the flow polytope: (the value vector (n_objectives,), the occupancy)."""
    rewards = np.asarray(rewards, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if rewards.shape[:2] != mdp.r.shape or rewards.ndim != 3 or w.shape != (rewards.shape[2],):
        raise InvalidMDPError(f"rewards must be (S, A, n) with weights (n,), got {rewards.shape} and {w.shape}")
    A_eq, b_eq = flow_constraints(mdp)
    res = _solve(-(rewards @ w).ravel(), None, None, A_eq, b_eq)
    d = res.x.reshape(mdp.r.shape)
    return np.einsum("sa,san->n", d, rewards), d
