"""Policy iteration with iteration counts: Howard's (switch every improvable state) and simple (one switch per
iteration, the lowest-index improvable state), with exact or truncated policy evaluation.

Puterman (1994), Sec. 6.4 (Howard's PI, Thm 6.4.6: V^{pi_k} >= T^k V^{pi_0}, so PI is never slower than VI from the
same start); Scherrer (2016) for the iteration count of Howard's PI; Melekopoglou & Condon (1994) for simple PI.
Truncated evaluation (``sweeps``: that many applications of T^pi from 0) is the trap of fixed-sweep evaluation.
"""
from __future__ import annotations

import numpy as np

from ..errors import InvalidMDPError, SolverError
from ..mdp.model import TabularMDP
from ..mdp.solvers import bellman_q, policy_evaluation

__all__ = ["policy_iteration_counts", "bellman_iterates"]


def _evaluate(mdp: TabularMDP, pol: np.ndarray, sweeps: int | None) -> np.ndarray:
    if sweeps is None:
        return policy_evaluation(mdp, pol)
    S = mdp.n_states
    V = np.zeros(S)
    for _ in range(sweeps):
        V = mdp.r[np.arange(S), pol] + mdp.gamma * mdp.P[np.arange(S), pol] @ V
    return V


def policy_iteration_counts(mdp: TabularMDP, policy0=None, *, rule: str = "howard", sweeps: int | None = None,
                            max_iterations: int = 100_000) -> dict:
    """Policy iteration from ``policy0`` (default: action 0 everywhere); ``stopped`` is False when it was still
    improving after ``max_iterations`` (truncated evaluation can cycle). ``rule``: "howard" switches every state
    whose best action beats the current one by more than 1e-12 of the value scale; "simple" switches only the
    lowest-index such state. Returns {"iterations": improvement steps until no state improves, "policy",
    "values": V^{pi_k} for k = 0..iterations (exact evaluation of each policy, whatever ``sweeps``)}."""
    if mdp.gamma is None:
        raise InvalidMDPError("policy_iteration_counts needs a discounted MDP")
    if rule not in ("howard", "simple"):
        raise InvalidMDPError(f"rule must be 'howard' or 'simple', got {rule!r}")
    S = mdp.n_states
    pol = np.zeros(S, dtype=np.int64) if policy0 is None else np.array(policy0, dtype=np.int64)
    values = [policy_evaluation(mdp, pol)]
    for k in range(max_iterations + 1):
        V = _evaluate(mdp, pol, sweeps)
        Q = bellman_q(mdp, V)
        tol = 1e-12 * max(1.0, float(np.max(np.abs(V))))
        improvable = Q.max(axis=1) > Q[np.arange(S), pol] + tol
        if not improvable.any():
            return {"iterations": k, "policy": pol, "values": np.array(values), "stopped": True}
        if rule == "howard":
            pol = np.where(improvable, np.argmax(Q, axis=1), pol)
        else:
            s = int(np.argmax(improvable))
            pol = pol.copy()
            pol[s] = int(np.argmax(Q[s]))
        if k == max_iterations:
            return {"iterations": k, "policy": pol, "values": np.array(values), "stopped": False}
        values.append(policy_evaluation(mdp, pol))
    raise SolverError("unreachable")


def bellman_iterates(mdp: TabularMDP, V0: np.ndarray, k: int) -> np.ndarray:
    """T^j V0 for j = 0..k (value iteration from V0)."""
    out = [np.asarray(V0, dtype=np.float64)]
    for _ in range(k):
        out.append(np.max(bellman_q(mdp, out[-1]), axis=1))
    return np.array(out)
