"""Independent routes for S6's exact checks: the inner max of extended value iteration as a linear program, and
the gain and diameter of a small MDP by enumerating its deterministic stationary policies."""
import itertools

import numpy as np
from scipy.optimize import linprog


def inner_max_lp(p_hat: np.ndarray, d: float, u: np.ndarray) -> float:
    """max p . u over the simplex with ||p - p_hat||_1 <= d, as an LP in (p, e) with e >= |p - p_hat|."""
    S = p_hat.size
    c = np.concatenate([-u, np.zeros(S)])
    eye = np.eye(S)
    A_ub = np.block([[eye, -eye], [-eye, -eye], [np.zeros((1, S)), np.ones((1, S))]])
    b_ub = np.concatenate([p_hat, -p_hat, [d]])
    A_eq = np.concatenate([np.ones(S), np.zeros(S)])[None]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * (2 * S), method="highs",
                  options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    return float(-res.fun)


def gain_and_diameter_by_enumeration(P: np.ndarray, r: np.ndarray) -> tuple[float, float]:
    """rho* = max over deterministic policies of mu_pi . r_pi (mu_pi the stationary distribution; the chains here
    are unichain); D = max_{s != g} min over deterministic policies of the expected hitting time of g from s (a
    linear solve per policy and target)."""
    S, A = r.shape
    best_gain = -np.inf
    hit = np.full((S, S), np.inf)
    for pol in itertools.product(range(A), repeat=S):
        Pp, rp = P[np.arange(S), pol], r[np.arange(S), pol]
        w, v = np.linalg.eig(Pp.T)
        mu = np.real(v[:, np.argmin(np.abs(w - 1))])
        best_gain = max(best_gain, float(mu @ rp / mu.sum()))
        for g in range(S):
            rest = [s for s in range(S) if s != g]
            M = np.eye(S - 1) - Pp[np.ix_(rest, rest)]
            if abs(np.linalg.det(M)) < 1e-12:
                continue
            times = np.linalg.solve(M, np.ones(S - 1))
            for k, s in enumerate(rest):
                if times[k] > 0:
                    hit[s, g] = min(hit[s, g], times[k])
    np.fill_diagonal(hit, 0.0)
    return best_gain, float(hit.max())
