"""Dynamical linear bandits (Mussi, Metelli, Restelli 2023): x_{t+1} = A x_t + B u_t + eps_t,
y_t = <omega, x_t> + <theta, u_t> + eta_t, spectral radius rho(A) < 1.

For a constant action u the state settles at (I - A)^{-1} B u, so the steady-state reward is J(u) = <h, u> with
h = theta + B^T (I - A)^{-T} omega; over a convex action set U the optimum is a constant action
u* = argmax_{u in U} <h, u> (a linear program over the polytope {0 <= u <= 1, sum u <= budget} here).
"""
from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

from tabular_envs.errors import InvalidBanditError, SolverError

__all__ = ["validate_system", "steady_state_gain", "optimal_constant_action", "polytope_vertices",
           "noise_free_rewards", "transient_constant", "mussi2023_instance"]


def validate_system(A, B, omega, theta):
    """Check the shapes of (A, B, omega, theta) and that the spectral radius of A is below 1."""
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    omega, theta = np.asarray(omega, dtype=np.float64), np.asarray(theta, dtype=np.float64)
    n, m = B.shape if B.ndim == 2 else (0, 0)
    if A.shape != (n, n) or omega.shape != (n,) or theta.shape != (m,) or n == 0 or m == 0:
        raise InvalidBanditError(f"shapes must be A (n, n), B (n, m), omega (n,), theta (m,); got {A.shape}, "
                                 f"{B.shape}, {omega.shape}, {theta.shape}")
    rho = float(np.max(np.abs(np.linalg.eigvals(A))))
    if not rho < 1:
        raise InvalidBanditError(f"the spectral radius of A is {rho:.6g}; the model needs rho(A) < 1")
    return A, B, omega, theta


def steady_state_gain(A, B, omega, theta, budget=None, sigma=None) -> np.ndarray:
    """h = theta + B^T (I - A)^{-T} omega, so that the steady-state reward of the constant action u is <h, u>.

    ``budget`` and ``sigma`` are accepted (and unused) so that an instance dict works as it is:
    ``steady_state_gain(**mussi2023_instance())``."""
    A, B, omega, theta = validate_system(A, B, omega, theta)
    return theta + B.T @ np.linalg.solve((np.eye(len(A)) - A).T, omega)


def optimal_constant_action(h, budget: float) -> tuple[np.ndarray, float]:
    """argmax <h, u> over {u in [0, 1]^m : sum u <= budget} by linear programming; returns (u*, J*)."""
    h = np.asarray(h, dtype=np.float64)
    res = linprog(-h, A_ub=np.ones((1, h.size)), b_ub=[budget], bounds=[(0, 1)] * h.size, method="highs")
    if res.status != 0:
        raise SolverError(f"the linear program over the action polytope failed: {res.message}")
    return res.x, float(h @ res.x)


def polytope_vertices(m: int, budget: float) -> np.ndarray:
    """Vertices of {u in [0, 1]^m : sum u <= budget}: points of {0, 1}^m within the budget, and points with
    m - 1 coordinates in {0, 1} and the last one closing the budget inside (0, 1)."""
    points = []
    for corner in itertools.product((0.0, 1.0), repeat=m):
        if sum(corner) <= budget + 1e-12:
            points.append(corner)
    for free in range(m):
        for rest in itertools.product((0.0, 1.0), repeat=m - 1):
            value = budget - sum(rest)
            if 0 < value < 1:
                points.append(rest[:free] + (value,) + rest[free:])
    return np.array(points)


def noise_free_rewards(A, B, omega, theta, actions, x0=None) -> np.ndarray:
    """y_t = <omega, x_t> + <theta, u_t> along x_{t+1} = A x_t + B u_t from x_0 (zero by default)."""
    A, B, omega, theta = validate_system(A, B, omega, theta)
    x = np.zeros(len(A)) if x0 is None else np.asarray(x0, dtype=np.float64)
    out = []
    for u in np.asarray(actions, dtype=np.float64):
        out.append(omega @ x + theta @ u)
        x = A @ x + B @ u
    return np.array(out)


def transient_constant(A, B, omega, u_max_norm: float, terms: int = 10_000) -> float:
    """C with |sum_t <omega, x_t> - <omega, (I - A)^{-1} B sum_t u_t>| <= C for every action sequence with
    ||u_t||_2 <= u_max_norm from x_0 = 0: C = ||(I - A)^{-T} omega|| sum_k ||A^k|| ||B|| u_max_norm (operator
    2-norms)."""
    A = np.asarray(A, dtype=np.float64)
    powers, P = 0.0, np.eye(len(A))
    for _ in range(terms):
        nrm = np.linalg.norm(P, 2)
        powers += nrm
        if nrm < 1e-18:
            break
        P = P @ A
    w = np.linalg.solve((np.eye(len(A)) - A).T, np.asarray(omega, dtype=np.float64))
    return float(np.linalg.norm(w) * powers * np.linalg.norm(np.asarray(B, dtype=np.float64), 2) * u_max_norm)


def mussi2023_instance() -> dict:
    """The authors' synthetic instance (Mussi, Metelli, Restelli 2023): U = {u in [0, 1]^3 : sum u <= 1.5},
    noise standard deviation 0.01."""
    return {"A": np.diag([0.2, 0.0, 0.1]), "B": np.diag([0.45, 0.0, 0.1]), "omega": np.array([1.0, 0.0, 0.1]),
            "theta": np.array([0.0, 0.5, 0.1]), "budget": 1.5, "sigma": 0.01}
