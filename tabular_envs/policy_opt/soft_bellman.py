"""Soft (entropy-regularised) Bellman operators on discounted tabular MDPs.

Haarnoja, Tang, Abbeel, Levine (2017), "Reinforcement learning with deep energy-based policies", eqs. (2)-(4);
Geist, Scherrer, Pietquin (2019), "A theory of regularized Markov decision processes", Sec. 2 (negative entropy as
the regulariser):

    (T_tau Q)(s, a) = r(s, a) + gamma sum_s' P(s'|s, a) tau log sum_a' exp(Q(s', a') / tau),

a gamma-contraction in sup norm; its fixed point Q*_tau gives pi*_tau(a|s) = exp((Q*_tau(s, a) - V*_tau(s)) / tau)
with V*_tau = tau logsumexp(Q*_tau / tau). The regularised value of a policy counts -tau log pi at every step
(Cen et al. 2021, eq. (9)): V^pi_tau(s) = E[sum_t gamma^t (r(s_t, a_t) - tau log pi(a_t|s_t))].
"""
from __future__ import annotations

import numpy as np

from ..errors import InvalidMDPError, InvalidPolicyError
from ..mdp.model import TabularMDP

__all__ = ["soft_max", "soft_bellman_operator", "soft_value_iteration", "soft_greedy_policy",
           "regularised_policy_evaluation", "nested_soft_max", "joint_soft_max"]


def _temperature(tau) -> float:
    t = float(tau)
    if not (np.isfinite(t) and t > 0):
        raise InvalidMDPError(f"tau must be a positive number, got {tau!r}")
    return t


def soft_max(Q: np.ndarray, tau: float, axis: int = -1) -> np.ndarray:
    """tau log sum exp(Q / tau) along ``axis``, computed from the maximum (no overflow as tau -> 0)."""
    tau = _temperature(tau)
    m = np.max(Q, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + tau * np.log(np.sum(np.exp((Q - m) / tau), axis=axis))


def soft_bellman_operator(mdp: TabularMDP, Q: np.ndarray, tau: float) -> np.ndarray:
    """(T_tau Q)(s, a) = r + gamma P [tau logsumexp(Q / tau)] (Haarnoja et al. 2017, eq. (3))."""
    return mdp.r + mdp.gamma * mdp.P @ soft_max(np.asarray(Q, dtype=np.float64), tau)


def soft_value_iteration(mdp: TabularMDP, tau: float, tol: float = 1e-13, max_iterations: int = 1_000_000):
    """Q*_tau by iterating T_tau from 0 until ||T Q - Q|| <= tol (1 - gamma) / gamma (then ||Q - Q*|| <= tol).
    Returns (Q*, V*, number of iterations)."""
    if mdp.gamma is None:
        raise InvalidMDPError("soft_value_iteration needs a discounted MDP (gamma)")
    g = mdp.gamma
    Q = np.zeros((mdp.n_states, mdp.n_actions))
    stop = tol * (1 - g) / g if g > 0 else np.inf
    for k in range(1, max_iterations + 1):
        Q_next = soft_bellman_operator(mdp, Q, tau)
        residual = float(np.max(np.abs(Q_next - Q)))
        Q = Q_next
        if residual <= stop:
            return Q, soft_max(Q, tau), k
    raise InvalidMDPError(f"soft value iteration did not reach {tol:g} in {max_iterations} iterations")


def soft_greedy_policy(Q: np.ndarray, tau: float) -> np.ndarray:
    """pi(a|s) = exp((Q(s, a) - tau logsumexp(Q(s) / tau)) / tau), the Boltzmann policy at temperature tau."""
    return np.exp((Q - soft_max(Q, tau)[:, None]) / _temperature(tau))


def regularised_policy_evaluation(mdp: TabularMDP, pi: np.ndarray, tau: float):
    """(Q^pi_tau, V^pi_tau) by a linear solve: V = (I - gamma P_pi)^{-1} (r_pi - tau sum_a pi log pi),
    Q = r + gamma P V (Cen, Cheng, Chen, Wei, Chi 2021, eqs. (9)-(10)); 0 log 0 = 0."""
    tau = float(tau)
    pi = np.asarray(pi, dtype=np.float64)
    if pi.shape != (mdp.n_states, mdp.n_actions) or (pi < 0).any() or not np.allclose(pi.sum(1), 1, atol=1e-12):
        raise InvalidPolicyError(f"pi must be a stochastic matrix of shape {(mdp.n_states, mdp.n_actions)}")
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy_term = np.where(pi > 0, pi * np.log(pi), 0.0).sum(axis=1)
    r_pi = np.einsum("sa,sa->s", pi, mdp.r) - tau * entropy_term
    P_pi = np.einsum("sa,sat->st", pi, mdp.P)
    V = np.linalg.solve(np.eye(mdp.n_states) - mdp.gamma * P_pi, r_pi)
    return mdp.r + mdp.gamma * mdp.P @ V, V


def joint_soft_max(Q_joint: np.ndarray, tau: float) -> float:
    """tau logsumexp over every joint action a = (a_1, ..., a_d) of an array Q_joint[a_1, ..., a_d]."""
    return float(soft_max(np.asarray(Q_joint, dtype=np.float64).ravel(), tau))


def nested_soft_max(Q_joint: np.ndarray, tau: float, inner: str = "soft") -> float:
    """The autoregressive (ARSQ) factorisation: Q_d = Q_joint, Q_{i-1}(a_{<i}) = tau logsumexp_{a_i} Q_i(a_{<i}, a_i),
    down to a number. ``inner='hard'`` takes the max at every dimension but the first (the trap: a per-dimension
    hard max below a soft outer step)."""
    Q = np.asarray(Q_joint, dtype=np.float64)
    while Q.ndim > 1:
        Q = soft_max(Q, tau, axis=-1) if inner == "soft" else np.max(Q, axis=-1)
    return float(soft_max(Q, tau))
