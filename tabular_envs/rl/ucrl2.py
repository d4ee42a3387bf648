"""UCRL2 (Jaksch, Ortner, Auer 2010, Fig. 1 and 2), average reward, one long trajectory.

Episode k starts at t_k with counts N_k(s, a) and empirical means r_hat, p_hat. The plausible set:
|r~ - r_hat| <= sqrt(7 ln(2 S A t_k / delta) / (2 max(1, N))), ||p~ - p_hat||_1 <= sqrt(14 S ln(2 A t_k / delta) /
max(1, N)). Extended value iteration u_{i+1}(s) = max_a [r~(s, a) + max_{p in P(s, a)} p . u_i] with the inner max
of Fig. 2 (sort by u; raise the best state's mass by d/2, capped at 1; take the excess from the lowest states),
stopped when span(u_{i+1} - u_i) < 1/sqrt(t_k); pi_k is greedy in the last sweep. Play pi_k until some pair's
in-episode count v_k(s, a) reaches max(1, N_k(s, a)).

Rewards are the model's r(s, a) in [0, 1], observed exactly (UCRL2 still estimates them with its confidence
radius). Next states come from the transition tape: pair (s, a), its pooled visit count. Regret is realised, as
Thm 2 states it: Delta(T) = T rho* - sum_{t <= T} r_t.

``evi_sweeps`` > 0 replaces the span stopping rule by that fixed number of sweeps (not UCRL2: the catalogue's
trap). ``evi_cap`` bounds the sweeps of the stopping rule; the number of episodes that reached it is returned.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..errors import TabularEnvError
from .episodic import stream_keys
from .tape import checkpoint_grid, next_state, next_state_of_pair, transition_cdf, transition_support

__all__ = ["ucrl2", "ucrl2_reference", "optimistic_transition", "extended_value_iteration"]


@njit(cache=True)
def optimistic_transition(p_hat, d, order, out):
    """argmax_{p in simplex, ||p - p_hat||_1 <= d} p . u, given ``order`` = states sorted by u, decreasing
    (Jaksch et al. 2010, Fig. 2); written into ``out``."""
    S = p_hat.size
    for j in range(S):
        out[j] = p_hat[j]
    best = order[0]
    out[best] = min(1.0, p_hat[best] + d / 2.0)
    ell = S - 1
    while ell > 0:
        total = 0.0
        for j in range(S):
            total += out[j]
        if total <= 1.0:
            break
        s = order[ell]
        out[s] = max(0.0, 1.0 - (total - out[s]))
        ell -= 1


@njit(cache=True)
def extended_value_iteration(r_tilde, p_hat, d_p, tolerance, fixed_sweeps, cap):
    """(policy, u, sweeps) of EVI: span stopping rule at ``tolerance`` (or exactly ``fixed_sweeps`` sweeps when
    positive; at most ``cap`` sweeps otherwise)."""
    S, A = r_tilde.shape
    u = np.zeros(S)
    new = np.zeros(S)
    policy = np.zeros(S, dtype=np.int64)
    p = np.zeros(S)
    sweeps = 0
    while True:
        order = np.argsort(-u, kind="mergesort")
        for s in range(S):
            best, arg = -1e300, 0
            for a in range(A):
                optimistic_transition(p_hat[s, a], d_p[s, a], order, p)
                q = r_tilde[s, a]
                for y in range(S):
                    q += p[y] * u[y]
                if q > best:
                    best, arg = q, a
            new[s] = best
            policy[s] = arg
        sweeps += 1
        lo, hi = 1e300, -1e300
        for s in range(S):
            diff = new[s] - u[s]
            lo = min(lo, diff)
            hi = max(hi, diff)
        # u is shifted to start at 0 (the span rule and the greedy policy do not see a constant)
        m = new.min()
        for s in range(S):
            u[s] = new[s] - m
        if fixed_sweeps > 0:
            if sweeps >= fixed_sweeps:
                break
        elif hi - lo < tolerance or sweeps >= cap:
            break
    return policy, u, sweeps


@njit(cache=True)
def _run_one(states, cdf, r, x1, T, delta, rho_star, fixed_sweeps, cap, seed, rep, checkpoints, regret_out):
    S, A = r.shape
    keys = stream_keys(seed, rep, 1, S, A)
    visits = np.zeros((S, A), dtype=np.int64)
    N = np.zeros((S, A))
    trans = np.zeros((S, A, S))
    rsum = np.zeros((S, A))
    r_tilde = np.zeros((S, A))
    p_hat = np.zeros((S, A, S))
    d_p = np.zeros((S, A))
    v = np.zeros((S, A))
    s = x1
    t = 1
    gained = 0.0
    ci = 0
    episodes = 0
    capped = 0
    while t <= T:
        tk = t
        for x in range(S):
            for a in range(A):
                n = max(1.0, N[x, a])
                r_tilde[x, a] = min(1.0, rsum[x, a] / n + math.sqrt(7.0 * math.log(2.0 * S * A * tk / delta) / (2 * n)))
                d_p[x, a] = math.sqrt(14.0 * S * math.log(2.0 * A * tk / delta) / n)
                for y in range(S):
                    p_hat[x, a, y] = trans[x, a, y] / N[x, a] if N[x, a] > 0 else 1.0 / S
                v[x, a] = 0.0
        policy, _, sweeps = extended_value_iteration(r_tilde, p_hat, d_p, 1.0 / math.sqrt(tk), fixed_sweeps, cap)
        episodes += 1
        if fixed_sweeps <= 0 and sweeps >= cap:
            capped += 1
        while t <= T:
            a = policy[s]
            if v[s, a] >= max(1.0, N[s, a]):
                break
            y = next_state_of_pair(states[0], cdf[0], s, a, keys[0, s, a], visits[s, a])
            visits[s, a] += 1
            gained += r[s, a]
            rsum[s, a] += r[s, a]
            v[s, a] += 1.0
            trans[s, a, y] += 1.0
            if ci < checkpoints.size and checkpoints[ci] == t:
                regret_out[ci] = rho_star * t - gained
                ci += 1
            s = y
            t += 1
        for x in range(S):
            for a in range(A):
                N[x, a] += v[x, a]
    return episodes, capped


@njit(cache=True, parallel=True)
def _run_many(states, cdf, r, x1, T, delta, rho_star, fixed_sweeps, cap, seed, first_rep, checkpoints, regret,
              episodes, capped):
    for i in prange(regret.shape[0]):
        episodes[i], capped[i] = _run_one(states, cdf, r, x1, T, delta, rho_star, fixed_sweeps, cap, seed,
                                          first_rep + i, checkpoints, regret[i])


def _checked(P, r, T, delta, x1):
    P, r = np.asarray(P, dtype=np.float64), np.asarray(r, dtype=np.float64)
    transition_cdf(P)
    if P.ndim != 3 or r.shape != P.shape[:2]:
        raise TabularEnvError(f"P must be (S, A, S) and r (S, A) matching it, got {P.shape} and {r.shape}")
    bad = np.argwhere(~((r >= 0) & (r <= 1)))
    if bad.size:
        raise TabularEnvError(f"r must lie in [0, 1]: r{tuple(int(i) for i in bad[0])} = {float(r[tuple(bad[0])])!r}")
    if int(T) < 1:
        raise TabularEnvError(f"T must be a positive number of steps, got {T!r}")
    if not 0 < delta < 1:
        raise TabularEnvError(f"delta must lie in (0, 1), got {delta!r}")
    if not 0 <= int(x1) < P.shape[0]:
        raise TabularEnvError(f"x1 must be a state in [0, {P.shape[0]}), got {x1!r}")
    return P, r


def ucrl2(P, r, T: int, rho_star: float, *, delta: float = 0.1, x1: int = 0, seed: int = 0, n_replications: int = 1,
          first_replication: int = 0, checkpoints=None, evi_sweeps: int = 0, evi_cap: int = 1_000_000):
    """Run UCRL2 for T steps. Returns (regret, episodes, capped): regret[i, j] = rho* t - sum of rewards at
    t = checkpoints[j]; the number of episodes; the episodes whose EVI stopped at ``evi_cap``."""
    P, r = _checked(P, r, T, delta, x1)
    if not math.isfinite(rho_star):
        raise TabularEnvError(f"rho_star must be the finite optimal gain (tabular_envs.mdp.average_reward."
                              f"optimal_gain), got {rho_star!r}")
    if int(evi_sweeps) < 0 or int(evi_cap) < 1:
        raise TabularEnvError(f"evi_sweeps must be >= 0 and evi_cap >= 1, got {evi_sweeps!r} and {evi_cap!r}")
    ck = checkpoint_grid(checkpoints, int(T), "steps")
    n = int(n_replications)
    regret = np.zeros((n, ck.size))
    episodes = np.zeros(n, dtype=np.int64)
    capped = np.zeros(n, dtype=np.int64)
    states, cdf = transition_support(P[None])
    _run_many(states, cdf, r, int(x1), int(T), float(delta), float(rho_star), int(evi_sweeps), int(evi_cap),
              np.uint64(seed), int(first_replication), ck, regret, episodes, capped)
    return regret, episodes, capped


def ucrl2_reference(P, r, T: int, *, delta: float = 0.1, x1: int = 0, seed: int = 0, rep: int = 0,
                    evi_sweeps: int = 0):
    """Plain-Python UCRL2 on the same tape (the kernel's reference), with the inner max written as in Fig. 2.
    Returns (rewards per step, actions per step)."""
    P, r = _checked(P, r, T, delta, x1)
    S, A = r.shape
    cdf = transition_cdf(P)
    keys = stream_keys.py_func(np.uint64(seed), rep, 1, S, A)[0]
    N = np.zeros((S, A))
    trans = np.zeros((S, A, S))
    rsum = np.zeros((S, A))
    visits = np.zeros((S, A), dtype=np.int64)
    s, t, rewards, actions = int(x1), 1, [], []
    while t <= T:
        tk = t
        n = np.maximum(1.0, N)
        r_tilde = np.minimum(1.0, rsum / n + np.sqrt(7 * np.log(2 * S * A * tk / delta) / (2 * n)))
        d = np.sqrt(14 * S * np.log(2 * A * tk / delta) / n)
        p_hat = np.where(N[..., None] > 0, trans / np.maximum(N, 1)[..., None], 1.0 / S)
        u = np.zeros(S)
        sweeps = 0
        while True:
            order = np.argsort(-u, kind="mergesort")
            q = np.empty((S, A))
            for x in range(S):
                for a in range(A):
                    p = [float(v) for v in p_hat[x, a]]          # Python floats, summed left to right
                    p[order[0]] = min(1.0, p[order[0]] + d[x, a] / 2)
                    ell = S - 1
                    while ell > 0 and sum(p) > 1.0:
                        p[order[ell]] = max(0.0, 1.0 - (sum(p) - p[order[ell]]))
                        ell -= 1
                    value = float(r_tilde[x, a])
                    for y in range(S):
                        value += p[y] * float(u[y])
                    q[x, a] = value
            new = q.max(axis=1)
            policy = q.argmax(axis=1)
            sweeps += 1
            diff = new - u
            u = new - new.min()
            done = sweeps >= evi_sweeps if evi_sweeps > 0 else diff.max() - diff.min() < 1 / np.sqrt(tk)
            if done:
                break
        v = np.zeros((S, A))
        while t <= T:
            a = int(policy[s])
            if v[s, a] >= max(1.0, N[s, a]):
                break
            y = next_state(cdf[s, a], keys[s, a], visits[s, a])
            visits[s, a] += 1
            rewards.append(r[s, a])
            actions.append(a)
            rsum[s, a] += r[s, a]
            v[s, a] += 1
            trans[s, a, y] += 1
            s = y
            t += 1
        N += v
    return np.array(rewards), np.array(actions)
