"""A blocked optimistic learner for dynamical linear bandits (a reconstruction in the spirit of DynLin-UCB,
Mussi, Metelli, Restelli 2023; the exact algorithm is not transcribed here).

Model as in ``tabular_envs.dynamical``: x_{t+1} = A x_t + B u_t + eps_t, y_t = <omega, x_t> + <theta, u_t> + eta_t,
eps and eta Gaussian with standard deviation sigma per coordinate, x_0 = 0. Since a constant action u settles the
state geometrically, the learner plays each chosen action for a block of H rounds, with
H = 2 ceil(ln T / (2 ln(1/rho_bar))) (rho_bar >= rho(A) known, as in the paper) so that the transient left after
H/2 rounds is below 1/sqrt(T); the mean of the last H/2 rewards of a block is an observation of <h, u> with
sub-Gaussian scale R = sigma sqrt(1 + ||omega||^2 / (1 - rho_bar)^2) / sqrt(H/2) (a heuristic scale).
Across blocks it runs OFUL (Lattimore & Szepesvari 2020, Thm 20.5 radius, lambda = 1, m2 = ||h||_2 bound given)
over the vertices of U = {u in [0, 1]^m : sum u <= budget}, the maximisers of a convex UCB.

Regret: R(T) = T J* - sum_t ybar_t (J* = <h, u*>), ybar_t the noise-free reward of the realised actions (the
state driven by the actions alone). The state noise enters x linearly and independently of the actions, so
ybar_t differs from E[y_t] by a zero-mean term: R(T) is an unbiased, low-variance pseudo-regret.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from tabular_envs.counter_rng import new_state, next_normal
from tabular_envs.errors import InvalidBanditError

from .model import optimal_constant_action, polytope_vertices, steady_state_gain, validate_system

__all__ = ["block_length", "simulate_blocked_oful"]


def block_length(T: int, rho_bar: float) -> int:
    """How long the blocked learner holds an action: about ln T / ln(1/rho) rounds, so the state settles to within
    1/T of its steady state."""
    if not 0 <= rho_bar < 1:
        raise InvalidBanditError(f"rho_bar must lie in [0, 1), got {rho_bar!r}")
    if rho_bar == 0:
        return 2
    return max(2, 2 * math.ceil(math.log(T) / (2 * math.log(1 / rho_bar))))


@njit(cache=True)
def _run(A, B, omega, theta, vertices, sigma, T, H, R, m2, delta, seed, rep, checkpoints, j_star, out):
    n, m = B.shape
    st = new_state(seed, rep)
    x = np.zeros(n)
    x_det = np.zeros(n)
    V = np.eye(m)
    bvec = np.zeros(m)
    u = vertices[0].copy()
    cum, ci, block_sum, k = 0.0, 0, 0.0, 0
    for t in range(T):
        pos = t % H
        if pos == 0:
            Vinv = np.linalg.inv(V)
            th = Vinv @ bvec
            logdet = np.log(np.linalg.det(V))
            sqrt_beta = m2 + R * np.sqrt(2.0 * np.log(1.0 / delta) + logdet)
            best = -np.inf
            for v in range(vertices.shape[0]):
                z = vertices[v]
                val = th @ z + sqrt_beta * np.sqrt(z @ Vinv @ z)
                if val > best:
                    best = val
                    u = z.copy()
            block_sum = 0.0
        y = omega @ x + theta @ u + sigma * next_normal(st)
        cum += j_star - (omega @ x_det + theta @ u)
        if pos >= H // 2:
            block_sum += y
        if pos == H - 1:
            zobs = block_sum / (H - H // 2)
            V += np.outer(u, u)
            bvec += zobs * u
            k += 1
        noise = np.empty(n)
        for i in range(n):
            noise[i] = sigma * next_normal(st)
        x = A @ x + B @ u + noise
        x_det = A @ x_det + B @ u
        if ci < checkpoints.size and checkpoints[ci] == t + 1:
            out[ci] = cum
            ci += 1


def simulate_blocked_oful(A, B, omega, theta, budget: float, sigma: float, T: int, n_replications: int, seed: int,
                          *, rho_bar: float | None = None, checkpoints=None, delta: float | None = None,
                          first_replication: int = 0) -> np.ndarray:
    """Regret R(t) at ``checkpoints`` (default [T]), shape (n_replications, n_checkpoints). ``rho_bar`` defaults
    to rho(A); delta to 1/T."""
    A, B, omega, theta = validate_system(A, B, omega, theta)
    rho = float(np.max(np.abs(np.linalg.eigvals(A))))
    rho_bar = rho if rho_bar is None else float(rho_bar)
    if rho_bar < rho:
        raise InvalidBanditError(f"rho_bar = {rho_bar} is below rho(A) = {rho:.6g}")
    if not (np.isfinite(sigma) and sigma >= 0):
        raise InvalidBanditError(f"sigma must be a finite number >= 0, got {sigma!r}")
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 2:
        raise InvalidBanditError(f"T must be an integer >= 2, got {T!r}")
    H = block_length(int(T), rho_bar)
    h = steady_state_gain(A, B, omega, theta)
    _, j_star = optimal_constant_action(h, budget)
    R = max(sigma, 1e-12) * math.sqrt(1 + float(omega @ omega) / (1 - rho_bar) ** 2) / math.sqrt(H // 2)
    ck = np.array([T] if checkpoints is None else checkpoints, dtype=np.int64)
    if ck.ndim != 1 or ck.size == 0 or ck[0] < 1 or ck[-1] > T or (np.diff(ck) <= 0).any():
        raise InvalidBanditError(f"checkpoints must be strictly increasing rounds in [1, {T}]")
    out = np.zeros((n_replications, ck.size))
    verts = np.ascontiguousarray(polytope_vertices(B.shape[1], budget))
    for i in range(n_replications):
        _run(A, B, omega, theta, verts, float(sigma), int(T), H, R, float(np.linalg.norm(h)),
             1.0 / T if delta is None else float(delta), np.uint64(seed), first_replication + i, ck, j_star, out[i])
    return out
