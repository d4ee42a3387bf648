"""Exact and iterative solvers for tabular MDPs.

Value iteration stops on the sup-norm rule of Puterman (1994), Theorem 6.3.1, never on a span rule:
if ||V_{k+1} - V_k||_inf < eps (1 - gamma) / (2 gamma), the greedy policy w.r.t. V_{k+1} is eps-optimal
and ||V_{k+1} - V*||_inf < eps / 2. Its result reports the guaranteed errors that follow from the residual.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InvalidMDPError, InvalidPolicyError
from .kernels import bellman_optimality_sweep, q_backup
from .model import TabularMDP

__all__ = ["SolverResult", "FiniteHorizonResult", "bellman_q", "bellman_optimality", "greedy_policy",
           "policy_matrix", "policy_evaluation", "q_of_policy", "uniform_policy", "value_iteration",
           "policy_iteration", "backward_induction", "finite_horizon_policy_evaluation"]

SUP_NORM_RULE = "sup-norm: stop when ||V_k+1 - V_k||_inf < eps (1 - gamma) / (2 gamma) (Puterman 1994, Thm 6.3.1)"


@dataclass(frozen=True)
class SolverResult:
    """Result of a discounted solver.

    ``value_error_bound`` bounds ||values - V*||_inf and ``policy_error_bound`` bounds ||V^policy - V*||_inf;
    both are guarantees derived from the final residual (0 for exact methods, up to round-off).
    """
    values: np.ndarray
    q_values: np.ndarray
    policy: np.ndarray
    iterations: int
    residual: float
    value_error_bound: float
    policy_error_bound: float
    stopping_rule: str
    converged: bool
    residual_history: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class FiniteHorizonResult:
    """values[t, s], q_values[t, s, a] for t = 0..H-1 (values[H] = 0 is appended), greedy policy[t, s]."""
    values: np.ndarray
    q_values: np.ndarray
    policy: np.ndarray


def _require_discounted(mdp: TabularMDP, what: str) -> None:
    if not isinstance(mdp, TabularMDP):
        raise InvalidMDPError(f"{what} needs a TabularMDP, got {type(mdp).__name__}")
    if mdp.is_finite_horizon:
        raise InvalidMDPError(f"{what} needs a discounted MDP; use backward_induction for horizon {mdp.horizon}")


def _vector(name: str, V, n: int) -> np.ndarray:
    arr = np.asarray(V, dtype=np.float64)
    if arr.shape != (n,):
        raise InvalidMDPError(f"{name} must have shape ({n},), got {arr.shape}")
    if not np.isfinite(arr).all():
        i = int(np.argmax(~np.isfinite(arr)))
        raise InvalidMDPError(f"{name}[{i}] = {float(arr[i])!r} is not finite")
    return np.ascontiguousarray(arr)


def bellman_q(mdp: TabularMDP, V) -> np.ndarray:
    """Q[s, a] = r[s, a] + gamma * sum_s' P[s, a, s'] V[s'] (discounted MDPs)."""
    _require_discounted(mdp, "bellman_q")
    Q = np.empty((mdp.n_states, mdp.n_actions))
    q_backup(mdp.P, mdp.r, mdp.gamma, _vector("V", V, mdp.n_states), Q)
    return Q


def bellman_optimality(mdp: TabularMDP, V) -> np.ndarray:
    """(T V)(s) = max_a Q[s, a], the Bellman optimality operator (a gamma-contraction in sup norm)."""
    _require_discounted(mdp, "bellman_optimality")
    out = np.empty(mdp.n_states)
    bellman_optimality_sweep(mdp.P, mdp.r, mdp.gamma, _vector("V", V, mdp.n_states), out)
    return out


def greedy_policy(Q: np.ndarray) -> np.ndarray:
    """Deterministic greedy policy; ties go to the lowest action index."""
    return np.argmax(Q, axis=-1)


def policy_matrix(mdp: TabularMDP, policy) -> np.ndarray:
    """Return the policy as a stochastic matrix pi[s, a]; accepts action indices (S,) or a matrix (S, A)."""
    S, A = mdp.n_states, mdp.n_actions
    pol = np.asarray(policy)
    if pol.shape == (S,) and np.issubdtype(pol.dtype, np.integer):
        if ((pol < 0) | (pol >= A)).any():
            s = int(np.argmax((pol < 0) | (pol >= A)))
            raise InvalidPolicyError(f"policy[{s}] = {pol[s]} is not an action in 0..{A - 1}")
        pi = np.zeros((S, A))
        pi[np.arange(S), pol] = 1.0
        return pi
    if pol.shape != (S, A):
        raise InvalidPolicyError(f"policy must be action indices of shape ({S},) or probabilities ({S}, {A}), "
                                 f"got {pol.shape}")
    pi = pol.astype(np.float64)
    bad = ~np.isfinite(pi) | (pi < 0)
    if bad.any():
        s, a = np.argwhere(bad)[0]
        raise InvalidPolicyError(f"policy[{s}, {a}] = {float(pi[s, a])!r} is not a probability")
    sums = pi.sum(axis=1)
    off = np.abs(sums - 1) > 64 * A * np.finfo(float).eps
    if off.any():
        s = int(np.argmax(off))
        raise InvalidPolicyError(f"policy[{s}, :] sums to {float(sums[s])!r}, not 1")
    return pi


def uniform_policy(mdp: TabularMDP) -> np.ndarray:
    """The uniform random policy as a matrix pi[s, a] = 1/A."""
    return np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)


def policy_evaluation(mdp: TabularMDP, policy) -> np.ndarray:
    """Exact V^pi = (I - gamma P_pi)^{-1} r_pi by a dense linear solve (discounted MDPs)."""
    _require_discounted(mdp, "policy_evaluation")
    pi = policy_matrix(mdp, policy)
    P_pi = np.einsum("sa,sat->st", pi, mdp.P)
    r_pi = np.einsum("sa,sa->s", pi, mdp.r)
    return np.linalg.solve(np.eye(mdp.n_states) - mdp.gamma * P_pi, r_pi)


def q_of_policy(mdp: TabularMDP, policy) -> np.ndarray:
    """Q^pi: exact for discounted MDPs; for finite-horizon MDPs an array (H, S, A) by backward recursion."""
    if mdp.is_finite_horizon:
        return finite_horizon_policy_evaluation(mdp, policy)[1]
    return bellman_q(mdp, policy_evaluation(mdp, policy))


def value_iteration(mdp: TabularMDP, epsilon: float = 1e-6, *, V0=None, max_iterations: int = 1_000_000,
                    record_residuals: bool = False) -> SolverResult:
    """Value iteration with the sup-norm stopping rule (Puterman 1994, Thm 6.3.1).

    Stops at the first k with ||V_{k+1} - V_k|| < epsilon (1 - gamma) / (2 gamma); returns V_{k+1} and its greedy
    policy with guarantees ||V_{k+1} - V*|| <= gamma/(1-gamma) * residual and
    ||V^pi - V*|| <= 2 gamma/(1-gamma) * residual (< epsilon). With gamma = 0 one sweep is exact.
    """
    _require_discounted(mdp, "value_iteration")
    if not (np.isfinite(epsilon) and epsilon > 0):
        raise InvalidMDPError(f"epsilon must be a positive number, got {epsilon!r}")
    g = mdp.gamma
    V = np.zeros(mdp.n_states) if V0 is None else _vector("V0", V0, mdp.n_states).copy()
    threshold = epsilon * (1 - g) / (2 * g) if g > 0 else np.inf
    V_next = np.empty_like(V)
    history = []
    residual, k, converged = np.inf, 0, False
    while k < max_iterations:
        bellman_optimality_sweep(mdp.P, mdp.r, g, V, V_next)
        k += 1
        residual = float(np.max(np.abs(V_next - V)))
        if record_residuals:
            history.append(residual)
        V, V_next = V_next, V
        if residual < threshold or g == 0:
            converged = True
            break
    ratio = g / (1 - g)
    Q = bellman_q(mdp, V)
    return SolverResult(values=V, q_values=Q, policy=greedy_policy(Q), iterations=k, residual=residual,
                        value_error_bound=ratio * residual, policy_error_bound=2 * ratio * residual,
                        stopping_rule=SUP_NORM_RULE, converged=converged,
                        residual_history=np.array(history))


def policy_iteration(mdp: TabularMDP, policy0=None, *, max_iterations: int = 10_000,
                     return_history: bool = False):
    """Howard's policy iteration with exact evaluation; switches action only on a strict improvement
    (tolerance 1e-12 relative to the value scale), so it cannot cycle between tied actions.

    Returns a SolverResult (and, with ``return_history``, the list of value vectors V^{pi_k})."""
    _require_discounted(mdp, "policy_iteration")
    S = mdp.n_states
    pol = np.zeros(S, dtype=np.int64) if policy0 is None else np.asarray(policy0, dtype=np.int64).copy()
    policy_matrix(mdp, pol)  # validates
    history = []
    for k in range(1, max_iterations + 1):
        V = policy_evaluation(mdp, pol)
        history.append(V)
        Q = bellman_q(mdp, V)
        current = Q[np.arange(S), pol]
        best = Q.max(axis=1)
        tol = 1e-12 * max(1.0, float(np.max(np.abs(V))))
        improve = best > current + tol
        if not improve.any():
            res = SolverResult(values=V, q_values=Q, policy=pol, iterations=k, residual=0.0,
                               value_error_bound=0.0, policy_error_bound=0.0,
                               stopping_rule="no strict improvement (policy stable)", converged=True)
            return (res, history) if return_history else res
        pol = np.where(improve, np.argmax(Q, axis=1), pol)
    raise InvalidMDPError(f"policy iteration did not stabilise in {max_iterations} iterations")


def finite_horizon_policy_evaluation(mdp: TabularMDP, policy):
    """V^pi[t, s] and Q^pi[t, s, a] for a finite-horizon MDP.

    ``policy``: stationary action indices (S,) ints or probabilities (S, A) floats; time-indexed action indices
    (H, S) ints or probabilities (H, S, A) floats. The dtype settles the 2-D case when (H, S) == (S, A)."""
    if not mdp.is_finite_horizon:
        raise InvalidMDPError("finite_horizon_policy_evaluation needs a finite-horizon MDP")
    H, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    pol = np.asarray(policy)
    ints = np.issubdtype(pol.dtype, np.integer)
    if (ints and pol.shape == (S,)) or (not ints and pol.shape == (S, A)):
        pis = [policy_matrix(mdp, pol)] * H
    elif (ints and pol.shape == (H, S)) or (not ints and pol.shape == (H, S, A)):
        pis = [policy_matrix(mdp, pol[t]) for t in range(H)]
    else:
        raise InvalidPolicyError(f"policy of shape {pol.shape} and dtype {pol.dtype} fits none of (S,) ints, "
                                 f"(S, A) floats, (H, S) ints, (H, S, A) floats with H={H}, S={S}, A={A}")
    V = np.zeros((H + 1, S))
    Q = np.zeros((H, S, A))
    for t in range(H - 1, -1, -1):
        Q[t] = mdp.r_at(t) + mdp.P_at(t) @ V[t + 1]
        V[t] = np.einsum("sa,sa->s", pis[t], Q[t])
    return V, Q


def backward_induction(mdp: TabularMDP) -> FiniteHorizonResult:
    """Optimal finite-horizon values by backward induction: Q_t = r_t + P_t V_{t+1}, V_t = max_a Q_t, V_H = 0."""
    if not isinstance(mdp, TabularMDP) or not mdp.is_finite_horizon:
        raise InvalidMDPError("backward_induction needs a finite-horizon TabularMDP")
    H, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    V = np.zeros((H + 1, S))
    Q = np.zeros((H, S, A))
    for t in range(H - 1, -1, -1):
        Q[t] = mdp.r_at(t) + mdp.P_at(t) @ V[t + 1]
        V[t] = Q[t].max(axis=1)
    return FiniteHorizonResult(values=V, q_values=Q, policy=greedy_policy(Q))
