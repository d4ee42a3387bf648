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

from ..errors import TabularEnvError

__all__ = ["stationary_distribution", "d_norm", "projection", "td_fixed_point", "td_matrix",
           "baird_star", "expected_iterates"]


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
