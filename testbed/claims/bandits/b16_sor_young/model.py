"""Successive over-relaxation (SOR) for A x = b and Young's theorem (Khodak et al. 2024 treat omega as a bandit arm).

A = D + L + U (diagonal, strictly lower, strictly upper). SOR with relaxation omega iterates with
M_omega = D/omega + L, so the error contracts by C_omega = I - M_omega^{-1} A.
"""
from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular

from proofs_check import young_optimal_omega as _young_optimal_omega
from proofs_check import young_sor_spectral_radius as _young_sor_spectral_radius
from tabular_envs.errors import TabularEnvError

__all__ = ["sor_iteration_matrix", "spectral_radius", "jacobi_spectral_radius", "young_spectral_radius",
           "young_optimal_omega", "laplacian_2d", "laplacian_1d", "sor_solve", "sor_iterations",
           "shifted_laplacian_iterations"]


def _split(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.isfinite(A).all():
        raise TabularEnvError(f"A must be a finite square matrix, got shape {A.shape}")
    d = np.diag(A)
    if (d == 0).any():
        i = int(np.argmax(d == 0))
        raise TabularEnvError(f"A[{i}, {i}] is 0: SOR needs a non-zero diagonal")
    return np.diag(d), np.tril(A, -1), np.triu(A, 1)


def sor_iteration_matrix(A, omega: float) -> np.ndarray:
    """C_omega = I - (D/omega + L)^{-1} A."""
    if not (0 < omega < 2):
        raise TabularEnvError(f"omega must lie in (0, 2), got {omega!r}")
    D, L, _ = _split(A)
    M = D / omega + L
    return np.eye(len(D)) - np.linalg.solve(M, np.asarray(A, dtype=np.float64))


def spectral_radius(C) -> float:
    """The spectral radius max |eigenvalue| of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(C))))


def jacobi_spectral_radius(A) -> float:
    """beta = rho(I - D^{-1} A)."""
    D, _, _ = _split(A)
    return spectral_radius(np.eye(len(D)) - np.asarray(A, dtype=np.float64) / np.diag(D)[:, None])


def young_optimal_omega(beta: float) -> float:
    """Young (1954): omega* = 2 / (1 + sqrt(1 - beta^2)) (``proofs_check.young_optimal_omega``)."""
    return float(_young_optimal_omega().evaluate(beta=beta))


def young_spectral_radius(omega, beta: float):
    """Young's theorem, rho(C_omega) as a function of omega (``proofs_check.young_sor_spectral_radius``)."""
    return _young_sor_spectral_radius().evaluate(omega=omega, beta=beta)


def laplacian_1d(n: int) -> np.ndarray:
    """The n x n one-dimensional Laplacian tridiag(-1, 2, -1) (consistently ordered)."""
    return 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)


def laplacian_2d(m: int) -> np.ndarray:
    """Five-point Laplacian on an m x m grid (natural ordering, consistently ordered); Jacobi radius cos(pi/(m+1))."""
    T1 = laplacian_1d(m)
    return np.kron(np.eye(m), T1) + np.kron(T1, np.eye(m))


def sor_solve(A, b, omega: float, tol: float = 1e-8, max_iterations: int = 100_000) -> tuple[np.ndarray, int]:
    """Run SOR from x = 0 until ||b - A x|| <= tol ||b||; returns (x, iterations)."""
    D, L, U = _split(A)
    A = np.asarray(A, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    x = np.zeros_like(b)
    d = np.diag(D)
    nb = np.linalg.norm(b)
    for k in range(1, max_iterations + 1):
        for i in range(len(b)):
            sigma = A[i] @ x - A[i, i] * x[i]
            x[i] = (1 - omega) * x[i] + omega * (b[i] - sigma) / d[i]
        if np.linalg.norm(b - A @ x) <= tol * nb:
            return x, k
    return x, max_iterations


def sor_iterations(A, b, omega: float, tol: float = 1e-8, max_iterations: int = 100_000) -> int:
    """The iteration count of ``sor_solve`` in the matrix form x <- x + (D/omega + L)^{-1} (b - A x): one
    triangular solve per sweep instead of a Python loop over rows (the same iterates up to rounding)."""
    if not (0 < omega < 2):
        raise TabularEnvError(f"omega must lie in (0, 2), got {omega!r}")
    D, L, _ = _split(A)
    A = np.asarray(A, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    M = D / omega + L
    x = np.zeros_like(b)
    nb = np.linalg.norm(b)
    for k in range(1, max_iterations + 1):
        x = x + solve_triangular(M, b - A @ x, lower=True)
        if np.linalg.norm(b - A @ x) <= tol * nb:
            return k
    return max_iterations


def shifted_laplacian_iterations(m: int, shifts, omegas, tol: float = 1e-6, max_iterations: int = 10_000) -> np.ndarray:
    """iterations[s, k]: SOR sweeps (``sor_iterations``, b = ones) to relative residual ``tol`` on the m x m
    Laplacian plus shifts[s] I with omega = omegas[k]: a family of related systems whose best omega moves with
    the shift (the Jacobi radius is 4 cos(pi/(m+1)) / (4 + shift)), as in Khodak et al.'s sequences of systems."""
    A0 = laplacian_2d(m)
    b = np.ones(m * m)
    return np.array([[sor_iterations(A0 + s * np.eye(m * m), b, w, tol, max_iterations) for w in omegas]
                     for s in np.asarray(shifts, dtype=np.float64)], dtype=np.float64)
