"""Linear TD(0) on a Markov reward process (Bhandari, Russo, Singal 2018), observations from the transition tape as
in ``tabular_envs.rl.td`` (i.i.d.: s ~ mu then s' from the tape; Markov: one trajectory from s_0 ~ mu):

    theta_{t+1} = Pi_R(theta_t + alpha_t (r(s_t) + gamma phi(s'_t)^T theta_t - phi(s_t)^T theta_t) phi(s_t)),

Pi_R the Euclidean projection on the ball of radius R (projected TD, the algorithm of their Markov-noise theorem;
R = None: no projection). The averaged iterate is the running mean of theta_1..theta_t. theta* solves the projected
Bellman equation Phi^T D (Phi - gamma P Phi) theta = Phi^T D r, D = diag(mu); errors are
||V_theta - V_theta*||_D^2 = (theta - theta*)^T Phi^T D Phi (theta - theta*).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..counter_rng import new_state
from ..errors import TabularEnvError
from .tape import checkpoint_grid, next_state_of_pair, transition_key, transition_support
from .td import _draw_state, stationary_distribution

__all__ = ["linear_td0", "linear_td0_reference", "td_fixed_point"]


def td_fixed_point(P: np.ndarray, r: np.ndarray, gamma: float, phi: np.ndarray) -> np.ndarray:
    """theta* of linear TD(0): the solution of Phi^T D (Phi - gamma P Phi) theta = Phi^T D r."""
    mu = stationary_distribution(P)
    D = np.diag(mu)
    return np.linalg.solve(phi.T @ D @ (phi - gamma * P @ phi), phi.T @ D @ r)


@njit(cache=True)
def _run_one(states, cdf, r, gamma, phi, mu_cdf, gram, theta_star, T, markov, alpha, radius, seed, rep,
             checkpoints, err_last, err_avg):
    S, d = phi.shape
    keys = np.empty(S, dtype=np.uint64)
    for s in range(S):
        keys[s] = transition_key(seed, rep, 0, s, 0, S, 1)
    visits = np.zeros(S, dtype=np.int64)
    st = new_state(seed, rep)
    theta = np.zeros(d)
    avg = np.zeros(d)
    diff = np.zeros(d)
    s = _draw_state(mu_cdf, st)
    ci = 0
    for t in range(1, T + 1):
        if not markov:
            s = _draw_state(mu_cdf, st)
        s2 = next_state_of_pair(states, cdf, s, 0, keys[s], visits[s])
        visits[s] += 1
        v, v2 = 0.0, 0.0
        for j in range(d):
            v += phi[s, j] * theta[j]
            v2 += phi[s2, j] * theta[j]
        delta = r[s] + gamma * v2 - v
        for j in range(d):
            theta[j] += alpha * delta * phi[s, j]
        if radius > 0:
            norm = 0.0
            for j in range(d):
                norm += theta[j] * theta[j]
            norm = math.sqrt(norm)
            if norm > radius:
                for j in range(d):
                    theta[j] *= radius / norm
        for j in range(d):
            avg[j] += (theta[j] - avg[j]) / t
        if markov:
            s = s2
        if ci < checkpoints.size and checkpoints[ci] == t:
            for which in range(2):
                for j in range(d):
                    diff[j] = (theta[j] if which == 0 else avg[j]) - theta_star[j]
                e = 0.0
                for i in range(d):
                    for j in range(d):
                        e += diff[i] * gram[i, j] * diff[j]
                if which == 0:
                    err_last[ci] = e
                else:
                    err_avg[ci] = e
            ci += 1


@njit(cache=True, parallel=True)
def _run_many(states, cdf, r, gamma, phi, mu_cdf, gram, theta_star, T, markov, alpha, radius, seed, first_rep,
              checkpoints, err_last, err_avg):
    for i in prange(err_last.shape[0]):
        _run_one(states, cdf, r, gamma, phi, mu_cdf, gram, theta_star, T, markov, alpha, radius, seed,
                 first_rep + i, checkpoints, err_last[i], err_avg[i])


def _prepare(P, r, gamma, phi, T, alpha, radius):
    P, r, phi = (np.asarray(x, dtype=np.float64) for x in (P, r, phi))
    if P.ndim != 2 or P.shape[0] != P.shape[1] or r.shape != (P.shape[0],) or not np.all(np.isfinite(r)):
        raise TabularEnvError(f"P must be (S, S) and r (S,) finite, got {P.shape} and {r.shape}")
    if phi.ndim != 2 or phi.shape[0] != P.shape[0] or not np.all(np.isfinite(phi)):
        raise TabularEnvError(f"phi must be a finite (S, d) feature matrix with S = {P.shape[0]}, got {phi.shape}")
    norms = np.linalg.norm(phi, axis=1)
    if norms.max() > 1 + 1e-12:
        raise TabularEnvError(f"features must have norm <= 1 (Bhandari et al.): ||phi[{int(norms.argmax())}]|| = "
                              f"{norms.max():.6g}")
    if not 0 <= gamma < 1:
        raise TabularEnvError(f"gamma must lie in [0, 1), got {gamma!r}")
    if not (alpha > 0 and math.isfinite(alpha)):
        raise TabularEnvError(f"alpha must be a positive step size, got {alpha!r}")
    if radius is not None and not radius > 0:
        raise TabularEnvError(f"radius must be positive (or None: no projection), got {radius!r}")
    if int(T) < 1:
        raise TabularEnvError(f"T must be a positive number of steps, got {T!r}")
    return P, r, phi


def linear_td0(P, r, gamma: float, phi, T: int, *, alpha: float, radius: float | None = None, markov: bool = False,
               seed: int = 0, n_replications: int = 1, first_replication: int = 0, checkpoints=None,
               theta_target=None):
    """(errors of the last iterate, errors of the averaged iterate), each (replications, checkpoints), in
    ||V_theta - V_theta*||_D^2 (``theta_target`` replaces theta* of this gamma). Constant step ``alpha``;
    ``radius``: projected TD."""
    P, r, phi = _prepare(P, r, gamma, phi, T, alpha, radius)
    ck = checkpoint_grid(checkpoints, int(T), "steps")
    mu = stationary_distribution(P)
    mu_cdf = np.cumsum(mu)
    mu_cdf[-1] = 1.0
    gram = phi.T @ np.diag(mu) @ phi
    theta_star = td_fixed_point(P, r, gamma, phi) if theta_target is None else np.asarray(theta_target, float)
    states, cdf = transition_support(P[:, None, :])
    n = int(n_replications)
    err_last, err_avg = np.zeros((n, ck.size)), np.zeros((n, ck.size))
    _run_many(states, cdf, r, float(gamma), phi, mu_cdf, gram, theta_star, int(T), bool(markov), float(alpha),
              float(radius or 0.0), np.uint64(seed), int(first_replication), ck, err_last, err_avg)
    return err_last, err_avg


def linear_td0_reference(P, r, gamma: float, phi, T: int, *, alpha: float, radius: float | None = None,
                         markov: bool = False, seed: int = 0, rep: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Plain-Python linear TD(0) on the same tape and stream (the kernel's reference): (theta_T, averaged iterate)."""
    from ..reference_rng import Stream
    from .tape import next_state, transition_cdf
    P, r, phi = _prepare(P, r, gamma, phi, T, alpha, radius)
    S = r.size
    mu_cdf = np.cumsum(stationary_distribution(P))
    mu_cdf[-1] = 1.0
    cdf = transition_cdf(P[:, None, :])
    stream = Stream(seed, rep)                     # the algorithm's uniforms, in pure Python

    def draw_state():
        return int(np.argmax(stream.uniform() <= mu_cdf))
    keys = [np.uint64(transition_key(np.uint64(seed), rep, 0, s, 0, S, 1)) for s in range(S)]
    visits = [0] * S
    theta, avg = np.zeros(phi.shape[1]), np.zeros(phi.shape[1])
    s = draw_state()
    for t in range(1, T + 1):
        if not markov:
            s = draw_state()
        s2 = next_state(cdf[s, 0], keys[s], visits[s])
        visits[s] += 1
        theta = theta + alpha * (r[s] + gamma * phi[s2] @ theta - phi[s] @ theta) * phi[s]
        if radius is not None and np.linalg.norm(theta) > radius:
            theta = theta * radius / np.linalg.norm(theta)
        avg += (theta - avg) / t
        if markov:
            s = s2
    return theta, avg
