"""Expected linear TD(0), TDC and GTD2 on a Markov chain with features: fixed points, projections and the expected
update matrices (Tsitsiklis & Van Roy 1997, IEEE TAC, Thm 1; Baird 1995; Sutton et al. 2009, TDC and GTD2; Sutton &
Barto 2018, Sec. 11.2 and Example 11.1, Baird's counterexample).

With features Phi (S x d), a weighting D = diag(d), the evaluated chain P and rewards r:
  the D-weighted projection  Pi = Phi (Phi^T D Phi)^{-1} Phi^T D;
  the TD(0) fixed point      Phi^T D (Phi - gamma P Phi) theta = Phi^T D r;
  the expected TD update     theta += alpha (b + A theta), A = Phi^T D (gamma P Phi - Phi), b = Phi^T D r;
TDC and GTD2 (with the auxiliary w) are linear systems in (theta, w) whose expected matrices are built below.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..counter_rng import new_state
from ..errors import TabularEnvError
from ..rl.tape import checkpoint_grid, next_state_of_pair, transition_key, transition_support
from ..rl.td import _draw_state

__all__ = ["stationary_distribution", "d_norm", "projection", "td_fixed_point", "td_matrix",
           "baird_star", "baird_behaviour", "expected_iterates", "SAMPLED_METHODS", "sampled_off_policy"]

# the sampled updates of ``sampled_off_policy``; "tdc_uncorrected" is TDC without its correction term (the trap: the
# semi-gradient TD update under TDC's name, plus an unused w)
SAMPLED_METHODS = {"td": 0, "tdc": 1, "gtd2": 2, "tdc_uncorrected": 3}


def stationary_distribution(P: np.ndarray) -> np.ndarray:
    """The left eigenvector of P for eigenvalue 1, normalised (P irreducible)."""
    w, v = np.linalg.eig(np.asarray(P, dtype=np.float64).T)
    d = np.real(v[:, np.argmin(np.abs(w - 1))])
    d = np.abs(d)
    return d / d.sum()


def d_norm(x: np.ndarray, d: np.ndarray) -> float:
    return float(np.sqrt(np.sum(d * x ** 2)))


def projection(Phi: np.ndarray, d: np.ndarray) -> np.ndarray:
    D = np.diag(d)
    return Phi @ np.linalg.solve(Phi.T @ D @ Phi, Phi.T @ D)


def td_fixed_point(Phi, P, r, gamma: float, d) -> np.ndarray:
    """theta* with Phi^T D (Phi - gamma P Phi) theta* = Phi^T D r."""
    D = np.diag(d)
    A = Phi.T @ D @ (Phi - gamma * P @ Phi)
    return np.linalg.solve(A, Phi.T @ D @ r)


def td_matrix(Phi, P, gamma: float, d) -> np.ndarray:
    """A = Phi^T D (gamma P Phi - Phi): the expected semi-gradient TD(0) update is theta += alpha (b + A theta)."""
    return Phi.T @ np.diag(d) @ (gamma * P @ Phi - Phi)


def baird_star(gamma: float = 0.99):
    """Baird's counterexample (Sutton & Barto 2018, Example 11.1): 7 states, 8 weights, v(s) = 2 w_s + w_8 for
    s = 1..6 and v(7) = w_7 + 2 w_8; behaviour uniform over the two actions' outcomes (state 7 with probability
    1/7, so its stationary law is uniform), target policy always to state 7; rewards 0. Returns (Phi, P_target,
    d_behaviour, gamma)."""
    Phi = np.zeros((7, 8))
    for s in range(6):
        Phi[s, s], Phi[s, 7] = 2.0, 1.0
    Phi[6, 6], Phi[6, 7] = 1.0, 2.0
    P = np.zeros((7, 7))
    P[:, 6] = 1.0
    return Phi, P, np.full(7, 1 / 7), gamma


def baird_behaviour() -> np.ndarray:
    """Baird's behaviour chain (Sutton & Barto 2018, Example 11.1): the dashed action (probability 6/7) moves to one
    of the six upper states uniformly, the solid action (1/7) to state 7, from every state: every row is 1/7."""
    return np.full((7, 7), 1.0 / 7.0)


@njit(cache=True)
def _sampled_one(states, cdf, rho, r, phi, gamma, method, alpha, beta, theta0, d_cdf, A, Cinv, seed, rep,
                 checkpoints, out):
    S, d = phi.shape
    keys = np.empty(S, dtype=np.uint64)
    for s in range(S):
        keys[s] = transition_key(seed, rep, 0, s, 0, S, 1)
    visits = np.zeros(S, dtype=np.int64)
    st = new_state(seed, rep)
    theta = theta0.copy()
    w = np.zeros(d)
    step = np.zeros(d)
    s = _draw_state(d_cdf, st)
    ci = 0
    for t in range(1, checkpoints[-1] + 1):
        s2 = next_state_of_pair(states, cdf, s, 0, keys[s], visits[s])
        visits[s] += 1
        ratio = rho[s, s2]
        v, v2, vw = 0.0, 0.0, 0.0
        for j in range(d):
            v += phi[s, j] * theta[j]
            v2 += phi[s2, j] * theta[j]
            vw += phi[s, j] * w[j]
        delta = r[s] + gamma * v2 - v
        for j in range(d):
            if method == 0 or method == 3:          # semi-gradient TD(0)
                step[j] = ratio * delta * phi[s, j]
            elif method == 1:                       # TDC: minus the correction gamma phi' (phi^T w)
                step[j] = ratio * (delta * phi[s, j] - gamma * phi[s2, j] * vw)
            else:                                   # GTD2
                step[j] = ratio * (phi[s, j] - gamma * phi[s2, j]) * vw
        for j in range(d):
            theta[j] += alpha * step[j]
            w[j] += beta * (ratio * delta - vw) * phi[s, j]
        s = s2
        if ci < checkpoints.size and checkpoints[ci] == t:
            norm = 0.0
            for j in range(d):
                norm += theta[j] * theta[j]
            pbe = 0.0
            for i in range(d):
                ei = 0.0
                for j in range(d):
                    ei += A[i, j] * theta[j]
                for k in range(d):
                    ek = 0.0
                    for j in range(d):
                        ek += A[k, j] * theta[j]
                    pbe += ei * Cinv[i, k] * ek
            out[ci, 0] = np.sqrt(norm)
            out[ci, 1] = np.sqrt(max(pbe, 0.0))
            ci += 1


@njit(cache=True, parallel=True)
def _sampled_many(states, cdf, rho, r, phi, gamma, method, alpha, beta, theta0, d_cdf, A, Cinv, seed, first_rep,
                  checkpoints, out):
    for i in prange(out.shape[0]):
        _sampled_one(states, cdf, rho, r, phi, gamma, method, alpha, beta, theta0, d_cdf, A, Cinv, seed,
                     first_rep + i, checkpoints, out[i])


def sampled_off_policy(Phi, P_behaviour, P_target, r, gamma: float, theta0, method: str, *, alpha: float,
                       beta: float, checkpoints, seed: int = 0, n_replications: int = 1,
                       first_replication: int = 0) -> np.ndarray:
    """Sampled off-policy TD(0), TDC or GTD2 (Sutton et al. 2009, with importance ratios as in Sutton & Barto 2018,
    Sec. 11.7) along one behaviour trajectory per replication: s_0 from the behaviour's stationary law, s_{t+1} the
    next state of s_t from the transition tape (pair (s, 0), its visit count), rho = P_target(s, s') /
    P_behaviour(s, s') (the policy ratio when the next state identifies the action, as on Baird's star). Updates
    with delta = r(s) + gamma phi(s')^T theta - phi(s)^T theta:
      TD    theta += alpha rho delta phi
      TDC   theta += alpha rho (delta phi - gamma phi' (phi^T w)),   w += beta (rho delta - phi^T w) phi
      GTD2  theta += alpha rho (phi - gamma phi') (phi^T w),         w += the same
    Their expectations are ``expected_iterates``' updates. Returns (replications, checkpoints, 2): ||theta_t|| and
    sqrt(MSPBE(theta_t)) with MSPBE = (A theta + b)^T C^+ (A theta + b), A and C under the behaviour's stationary
    weighting (b = 0 here: r must be zero)."""
    if method not in SAMPLED_METHODS:
        raise TabularEnvError(f"method must be one of {sorted(SAMPLED_METHODS)}, got {method!r}")
    Phi, Pb, Pt, r = (np.asarray(x, dtype=np.float64) for x in (Phi, P_behaviour, P_target, r))
    S = Pb.shape[0]
    if Pb.shape != (S, S) or Pt.shape != (S, S) or Phi.shape[0] != S or r.shape != (S,):
        raise TabularEnvError(f"need P_behaviour, P_target (S, S), Phi (S, d) and r (S,), got {Pb.shape}, "
                              f"{Pt.shape}, {Phi.shape}, {r.shape}")
    theta0 = np.asarray(theta0, dtype=np.float64)
    if not (np.all(np.isfinite(Phi)) and np.all(np.isfinite(theta0)) and theta0.shape == (Phi.shape[1],)):
        raise TabularEnvError(f"Phi must be finite and theta0 a finite vector of length {Phi.shape[1]}")
    if not 0 <= gamma < 1:
        raise TabularEnvError(f"gamma must lie in [0, 1), got {gamma!r}")
    if not (alpha > 0 and beta > 0 and np.isfinite(alpha) and np.isfinite(beta)):
        raise TabularEnvError(f"alpha and beta must be positive step sizes, got alpha={alpha!r}, beta={beta!r}")
    if np.any((Pt > 0) & (Pb == 0)):
        raise TabularEnvError("P_target puts mass where P_behaviour has none: the importance ratio is undefined")
    if np.any(r != 0):
        raise TabularEnvError("sampled_off_policy reports the MSPBE of the zero-reward problem: r must be zero")
    rho = np.divide(Pt, Pb, out=np.zeros_like(Pt), where=Pb > 0)
    d = stationary_distribution(Pb)
    d_cdf = np.cumsum(d)
    d_cdf[-1] = 1.0
    A = td_matrix(Phi, Pt, gamma, d)
    Cinv = np.linalg.pinv(Phi.T @ np.diag(d) @ Phi)
    ck = checkpoint_grid(checkpoints, int(np.max(checkpoints)), "steps")
    states, cdf = transition_support(Pb[:, None, :])
    out = np.zeros((int(n_replications), ck.size, 2))
    _sampled_many(states, cdf, rho, r, Phi, float(gamma), SAMPLED_METHODS[method], float(alpha), float(beta),
                  theta0, d_cdf, A, Cinv, np.uint64(seed), int(first_replication), ck,
                  out)
    return out


def expected_iterates(Phi, P, gamma: float, d, theta0, method: str, alpha: float, beta: float, T: int) -> np.ndarray:
    """(||theta_t||, sqrt(MSPBE(theta_t))) for t = 0..T, shape (T + 1, 2), of the expected off-policy updates with zero
    rewards (importance ratios make the target's transitions appear under the behaviour's state weighting d): "td"
    (semi-gradient TD(0)), "tdc", "gtd2". MSPBE(theta) = (A theta)^T C^{-1} (A theta), the projected Bellman error
    that TDC and GTD2 descend."""
    if method not in ("td", "tdc", "gtd2"):
        raise TabularEnvError(f"method must be td, tdc or gtd2, got {method!r}")
    D = np.diag(d)
    A = td_matrix(Phi, P, gamma, d)                  # E[rho delta phi] = A theta (zero rewards)
    C = Phi.T @ D @ Phi                              # E[phi phi^T]
    M = gamma * (P @ Phi).T @ D @ Phi                # E[rho gamma phi' phi^T]
    theta = np.array(theta0, dtype=np.float64)
    w = np.zeros(Phi.shape[1])
    Cinv = np.linalg.pinv(C)
    out = np.empty((T + 1, 2))

    def record(t):
        e = A @ theta
        out[t] = np.linalg.norm(theta), np.sqrt(max(float(e @ Cinv @ e), 0.0))
    record(0)
    for t in range(T):
        if method == "td":
            theta = theta + alpha * (A @ theta)
        elif method == "tdc":
            theta, w = theta + alpha * (A @ theta - M @ w), w + beta * (A @ theta - C @ w)
        else:
            theta, w = theta + alpha * ((C - M) @ w), w + beta * (A @ theta - C @ w)
        record(t + 1)
    return out
