"""Average-reward quantities of a communicating MDP (Puterman 1994, ch. 8-9; Jaksch, Ortner, Auer 2010):
the optimal gain rho* and a bias by relative value iteration, and the diameter D by shortest-path value iteration.
"""
from __future__ import annotations

import numpy as np

from ..errors import SolverError
from .model import _as_float_array, _check_transitions, row_sum_tolerance

__all__ = ["optimal_gain", "diameter"]


def _transitions(P):
    P = _as_float_array("P", P)
    if P.ndim != 3 or P.shape[0] != P.shape[2]:
        raise SolverError(f"P must have shape (S, A, S), got {P.shape}")
    _check_transitions("P", P, row_sum_tolerance(P.shape[-1]))
    return P


def optimal_gain(P, r, *, tol: float = 1e-12, max_sweeps: int = 10_000_000) -> tuple[float, np.ndarray]:
    """(rho*, h): relative value iteration on the aperiodic transform P' = (P + I)/2, which has the same gain and
    bias 2h (Puterman 1994, Sec. 8.5.4), stopped when span(u_{i+1} - u_i) < tol; rho* is the midpoint of the
    final min and max of u_{i+1} - u_i (both bound rho*' = rho*)."""
    P = _transitions(P)
    r = np.asarray(r, dtype=np.float64)
    S = P.shape[0]
    Pa = 0.5 * (P + np.eye(S)[:, None, :])
    u = np.zeros(S)
    for _ in range(max_sweeps):
        new = (r + Pa @ u).max(axis=1)
        d = new - u
        u = new - new[0]
        if d.max() - d.min() < tol:
            return float(0.5 * (d.max() + d.min())), u / 2
    raise SolverError(f"relative value iteration did not reach span {tol} in {max_sweeps} sweeps (is the MDP "
                      "communicating?)")


def diameter(P, *, tol: float = 1e-13, max_sweeps: int = 10_000_000) -> float:
    """D = max_{s != s'} min_pi E[steps from s to s' under pi]: for each target, value iteration of the stochastic
    shortest path h(s) = 1 + min_a P(s, a) . h (h(target) = 0) from h = 0, which increases to the minimal expected
    hitting times; stopped when a sweep changes no entry by more than tol * max(1, h). SolverError when some
    state cannot reach the target (D = infinity: not communicating)."""
    P = _transitions(P)
    S = P.shape[0]
    worst = 0.0
    for g in range(S):
        h = np.zeros(S)
        for _ in range(max_sweeps):
            new = 1.0 + (P @ h).min(axis=1)
            new[g] = 0.0
            change = np.abs(new - h).max()
            h = new
            if change <= tol * max(1.0, h.max()):
                break
            if h.max() > 1e12:
                raise SolverError(f"state {int(h.argmax())} cannot reach state {g}: the MDP is not communicating")
        else:
            raise SolverError(f"shortest-path value iteration to state {g} did not converge in {max_sweeps} sweeps")
        worst = max(worst, float(h.max()))
    return worst
