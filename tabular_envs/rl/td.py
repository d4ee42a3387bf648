"""Tabular TD(0) on a Markov reward process, the setting of Bhandari, Russo, Singal (2018): one-hot features, so
theta = V and theta* = V^pi. Observations come from the transition tape (pair (s, 0), visit n):

- ``iid``: at step t a state s_t drawn from the stationary distribution mu (one uniform of the algorithm's stream
  by inversion) and its next state from the tape;
- ``markov``: one trajectory from s_0 ~ mu, each next state from the tape.

V_{t+1}(s_t) = V_t(s_t) + alpha_t (r(s_t) + gamma V_t(s'_t) - V_t(s_t)), with alpha_t constant (``alpha``) or
decaying beta/(lambda + t); the averaged iterate is the running mean of V_1..V_t. Errors are reported in the
stationary norm ||V - V^pi||_mu^2 = sum_s mu(s) (V(s) - V^pi(s))^2.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..counter_rng import ALGORITHM_STREAM, next_uniform, stream_key
from ..errors import TabularEnvError
from .drivers import driver
from .tape import checkpoint_grid, next_state_of_pair, transition_key, transition_support

__all__ = ["td0", "td0_reference", "stationary_distribution"]


def stationary_distribution(P: np.ndarray) -> np.ndarray:
    """mu with mu P = mu for a row-stochastic (S, S) matrix (the eigenvector of eigenvalue 1, normalised)."""
    w, v = np.linalg.eig(np.asarray(P, dtype=np.float64).T)
    mu = np.abs(np.real(v[:, np.argmin(np.abs(w - 1.0))]))
    return mu / mu.sum()


@njit(cache=True)
def _draw_state(mu_cdf, st):
    u = next_uniform(st)                       # in (0, 1]
    for j in range(mu_cdf.size):
        if u <= mu_cdf[j]:
            return j
    return mu_cdf.size - 1


@njit(cache=True)
def _replication(states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed, rep,
                 checkpoints, err_last, err_avg, keys, visits, st, V, avg):
    """One replication on handed scratch (each of size S but ``st``, the algorithm's stream [key, counter]): tape
    keys, visit counts, the iterate and its running average. Written once, for the CPU (:func:`_run_many`) and the
    GPU (``gpu_kernels.rl``)."""
    S = r.size
    for s in range(S):
        keys[s] = transition_key(seed, rep, 0, s, 0, S, 1)
        visits[s] = 0
        V[s] = 0.0
        avg[s] = 0.0
    st[0] = stream_key(seed, rep, ALGORITHM_STREAM)
    st[1] = np.uint64(0)
    s = _draw_state(mu_cdf, st)
    ci = 0
    for t in range(1, T + 1):
        if not markov:
            s = _draw_state(mu_cdf, st)
        s2 = next_state_of_pair(states, cdf, s, 0, keys[s], visits[s])
        visits[s] += 1
        a_t = beta / (lam + t) if decaying else alpha
        V[s] += a_t * (r[s] + gamma * V[s2] - V[s])
        for j in range(S):
            avg[j] += (V[j] - avg[j]) / t
        if markov:
            s = s2
        if ci < checkpoints.size and checkpoints[ci] == t:
            e1, e2 = 0.0, 0.0
            for j in range(S):
                e1 += mu[j] * (V[j] - v_pi[j]) ** 2
                e2 += mu[j] * (avg[j] - v_pi[j]) ** 2
            err_last[ci] = e1
            err_avg[ci] = e2
            ci += 1


@njit(cache=True, parallel=True)
def _run_many(states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed, first_rep,
              checkpoints, err_last, err_avg):
    S = r.size
    for i in prange(err_last.shape[0]):
        _replication(states, cdf, r, gamma, mu, mu_cdf, v_pi, T, markov, decaying, alpha, beta, lam, seed,
                     first_rep + i, checkpoints, err_last[i], err_avg[i], np.empty(S, dtype=np.uint64),
                     np.empty(S, dtype=np.int64), np.empty(2, dtype=np.uint64), np.empty(S), np.empty(S))


def _prepare(P, r, gamma, T, alpha, beta, lam, checkpoints):
    P, r = np.asarray(P, dtype=np.float64), np.asarray(r, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or r.shape != (P.shape[0],) or not np.all(np.isfinite(r)):
        raise TabularEnvError(f"P must be (S, S) and r (S,) finite, got {P.shape} and {r.shape}")
    if not 0 <= gamma < 1:
        raise TabularEnvError(f"gamma must lie in [0, 1), got {gamma!r}")
    if (alpha is None) == (beta is None):
        raise TabularEnvError("give either alpha (constant step) or beta (decaying step beta/(lambda + t))")
    if int(T) < 1:
        raise TabularEnvError(f"T must be a positive number of steps, got {T!r}")
    ck = checkpoint_grid(checkpoints, int(T), "steps")
    mu = stationary_distribution(P)
    v_pi = np.linalg.solve(np.eye(P.shape[0]) - gamma * P, r)
    return P, r, ck, mu, v_pi


def td0(P, r, gamma: float, T: int, *, alpha: float | None = None, beta: float | None = None, lam: float = 1.0,
        markov: bool = False, seed: int = 0, n_replications: int = 1, first_replication: int = 0, checkpoints=None,
        v_target=None):
    """(errors of the last iterate, errors of the averaged iterate), each (replications, checkpoints), in
    ||V - v_target||_mu^2 (v_target: V^pi of this gamma unless given). ``alpha``: constant step; ``beta`` (with
    ``lam``): alpha_t = beta/(lam + t)."""
    P, r, ck, mu, v_pi = _prepare(P, r, gamma, T, alpha, beta, lam, checkpoints)
    if v_target is not None:
        v_pi = np.asarray(v_target, dtype=np.float64)
    states, cdf = transition_support(P[:, None, :])
    mu_cdf = np.cumsum(mu)
    mu_cdf[-1] = 1.0
    n = int(n_replications)
    err_last, err_avg = np.zeros((n, ck.size)), np.zeros((n, ck.size))
    run_many = driver("td0", _run_many)
    run_many(states, cdf, r, float(gamma), mu, mu_cdf, v_pi, int(T), bool(markov), beta is not None,
             float(alpha or 0.0), float(beta or 0.0), float(lam), np.uint64(seed), int(first_replication), ck,
             err_last, err_avg)
    return err_last, err_avg


def td0_reference(P, r, gamma: float, T: int, *, alpha=None, beta=None, lam: float = 1.0, markov: bool = False,
                  seed: int = 0, rep: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Plain-Python TD(0) on the same tape and stream (the kernel's reference): (V_T, averaged iterate)."""
    from ..reference_rng import Stream
    from .tape import next_state, transition_cdf
    P, r, _, mu, _ = _prepare(P, r, gamma, T, alpha, beta, lam, None)
    S = r.size
    cdf = transition_cdf(P[:, None, :])
    mu_cdf = np.cumsum(mu)
    mu_cdf[-1] = 1.0
    stream = Stream(seed, rep)                     # the algorithm's uniforms, in pure Python

    def draw_state():
        return int(np.argmax(stream.uniform() <= mu_cdf))
    keys = [np.uint64(transition_key(np.uint64(seed), rep, 0, s, 0, S, 1)) for s in range(S)]
    visits = [0] * S
    V, avg = np.zeros(S), np.zeros(S)
    s = draw_state()
    for t in range(1, T + 1):
        if not markov:
            s = draw_state()
        s2 = next_state(cdf[s, 0], keys[s], visits[s])
        visits[s] += 1
        a_t = beta / (lam + t) if beta is not None else alpha
        V[s] += a_t * (r[s] + gamma * V[s2] - V[s])
        avg += (V - avg) / t
        if markov:
            s = s2
    return V, avg
