"""Synchronous Q-learning and TD(0) with a generative model (Even-Dar & Mansour 2003; Li, Cai, Chen, Wei, Chi
2021): at iteration t every pair (s, a) draws one next state s' from the transition tape (its t-th visit) and

    Q_t(s, a) = (1 - eta_t) Q_{t-1}(s, a) + eta_t (r(s, a) + gamma max_a' Q_{t-1}(s', a'))

(TD(0) for a policy pi: the max replaced by Q_{t-1}(s', pi(s')); on one action it is TD on the Markov reward
process). Learning rates (``SCHEDULES``): ``one_over_t`` eta_t = 1/t; ``rescaled_linear`` eta_t = 1/(1 + c (1 -
gamma) t / L), L = ln(T)^2 with ``log_factor`` (Li et al.) else 1; ``polynomial`` eta_t = 1/t^omega; ``constant``
eta_t = alpha.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..errors import TabularEnvError
from .drivers import driver
from .tape import checkpoint_grid, next_state, next_state_of_pair, transition_cdf, transition_key, transition_support

__all__ = ["SCHEDULES", "learning_rate", "synchronous_q_learning", "synchronous_q_learning_reference"]

SCHEDULES = {"one_over_t": 0, "rescaled_linear": 1, "polynomial": 2, "constant": 3}


@njit(cache=True)
def learning_rate(code, t, gamma, param, T, log_factor):
    """eta_t of the schedule with the given code at iteration t >= 1 (see the module docstring)."""
    if code == 0:
        return 1.0 / t
    if code == 1:
        L = math.log(T) ** 2 if log_factor else 1.0
        return 1.0 / (1.0 + param * (1.0 - gamma) * t / L)
    if code == 2:
        return 1.0 / t ** param
    return param


@njit(cache=True)
def _replication(states, cdf, r, gamma, policy, T, code, param, log_factor, seed, rep, q_star, checkpoints, err_out,
                 Q, keys, V):
    """One replication, Q (the initial iterate) updated in place, on handed scratch: ``keys`` (S, A) the tape keys,
    ``V`` (S). Written once, for the CPU (:func:`_run_many`) and the GPU (``gpu_kernels.rl``)."""
    S, A = r.shape
    for s in range(S):
        for a in range(A):
            keys[s, a] = transition_key(seed, rep, 0, s, a, S, A)
    ci = 0
    for t in range(1, T + 1):
        for s in range(S):                       # V_{t-1}(s') from Q_{t-1}, before any update of this iteration
            if policy[0] >= 0:
                V[s] = Q[s, policy[s]]
            else:
                best = Q[s, 0]
                for a in range(1, A):
                    if Q[s, a] > best:
                        best = Q[s, a]
                V[s] = best
        eta = learning_rate(code, t, gamma, param, T, log_factor)
        for s in range(S):
            for a in range(A):
                s2 = next_state_of_pair(states, cdf, s, a, keys[s, a], t - 1)
                Q[s, a] = (1.0 - eta) * Q[s, a] + eta * (r[s, a] + gamma * V[s2])
        if ci < checkpoints.size and checkpoints[ci] == t:
            e = 0.0
            for s in range(S):
                for a in range(A):
                    d = abs(Q[s, a] - q_star[s, a])
                    if d > e:
                        e = d
            err_out[ci] = e
            ci += 1


@njit(cache=True, parallel=True)
def _run_many(states, cdf, r, gamma, policy, T, code, param, log_factor, seed, first_rep, q_star, checkpoints, err,
              Q0, Qs):
    S, A = r.shape
    for i in prange(err.shape[0]):
        Qs[i] = Q0
        _replication(states, cdf, r, gamma, policy, T, code, param, log_factor, seed, first_rep + i, q_star,
                     checkpoints, err[i], Qs[i], np.empty((S, A), dtype=np.uint64), np.empty(S))


def _check(P, r, gamma, schedule, T, checkpoints):
    if r.ndim != 2 or P.shape[:2] != r.shape or not np.all(np.isfinite(r)):
        raise TabularEnvError(f"r must be a finite (S, A) array matching P {P.shape}, got shape {r.shape}")
    if schedule not in SCHEDULES:
        raise TabularEnvError(f"unknown schedule {schedule!r}; known: {', '.join(SCHEDULES)}")
    if not 0 <= gamma < 1:
        raise TabularEnvError(f"gamma must lie in [0, 1), got {gamma!r}")
    if int(T) < 1:
        raise TabularEnvError(f"T must be a positive number of iterations, got {T!r}")
    return checkpoint_grid(checkpoints, int(T), "iterations")


def synchronous_q_learning(P, r, gamma: float, T: int, q_star, *, schedule: str = "rescaled_linear",
                           param: float = 1.0, log_factor: bool = False, policy=None, seed: int = 0,
                           n_replications: int = 1, first_replication: int = 0, checkpoints=None, Q0=None):
    """Run ``n_replications`` replications for T iterations; returns (errors, Q_T): errors[i, j] =
    ||Q_{checkpoints[j]} - q_star||_inf of replication i (q_star: the fixed point the iterates should approach,
    Q* for Q-learning, Q^pi for TD), and the final iterates Q_T[i]. ``policy`` (S integer actions) turns the max
    into evaluation of that policy (TD(0))."""
    P, r = np.asarray(P, dtype=np.float64), np.asarray(r, dtype=np.float64)
    ck = _check(P, r, gamma, schedule, T, checkpoints)
    S, A = r.shape
    pol = np.full(S, -1, dtype=np.int64) if policy is None else np.asarray(policy, dtype=np.int64)
    err = np.zeros((int(n_replications), ck.size))
    Qs = np.zeros((int(n_replications), S, A))
    q0 = np.zeros((S, A)) if Q0 is None else np.asarray(Q0, dtype=np.float64)
    run_many = driver("synchronous_q_learning", _run_many)
    run_many(*transition_support(P), r, float(gamma), pol, int(T), SCHEDULES[schedule], float(param), bool(log_factor),
             np.uint64(seed), int(first_replication), np.asarray(q_star, dtype=np.float64), ck, err, q0, Qs)
    return err, Qs


def synchronous_q_learning_reference(P, r, gamma: float, T: int, *, schedule: str = "rescaled_linear",
                                     param: float = 1.0, log_factor: bool = False, policy=None, seed: int = 0,
                                     rep: int = 0, Q0=None) -> np.ndarray:
    """Plain-Python Q-learning on the same tape (the kernel's reference): Q_T of one replication."""
    P, r = np.asarray(P, dtype=np.float64), np.asarray(r, dtype=np.float64)
    _check(P, r, gamma, schedule, T, None)
    S, A = r.shape
    cdf = transition_cdf(P)
    code = SCHEDULES[schedule]
    Q = np.zeros((S, A)) if Q0 is None else np.array(Q0, dtype=np.float64)
    for t in range(1, T + 1):
        V = Q[np.arange(S), policy] if policy is not None else Q.max(axis=1)
        eta = learning_rate.py_func(code, t, gamma, param, T, log_factor)
        new = Q.copy()
        for s in range(S):
            for a in range(A):
                key = np.uint64(transition_key(np.uint64(seed), rep, 0, s, a, S, A))
                s2 = next_state(cdf[s, a], key, t - 1)
                new[s, a] = (1.0 - eta) * Q[s, a] + eta * (r[s, a] + gamma * V[s2])
        Q = new
    return Q
