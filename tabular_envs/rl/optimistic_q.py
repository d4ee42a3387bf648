"""Episodic Q-learning: UCB-Hoeffding (Jin, Allen-Zhu, Bubeck, Jordan 2018, Algorithm 1) and epsilon-greedy.

Stage-dependent P_h (one tape stream per (h, s, a), indexed by the visits of (s, a) at stage h; a time-homogeneous
P is read as P_h = P). Q_h = H and V_h = H initially (V_{H} = 0); at stage h in state x the agent plays
a = argmax_a Q_h(x, a), observes x', sets t = N_h(x, a) after the increment and

    Q_h(x, a) <- (1 - alpha_t) Q_h(x, a) + alpha_t [r_h(x, a) + V_{h+1}(x') + b_t],
    V_h(x) = min(H, max_a Q_h(x, a)),  alpha_t = (H + 1)/(H + t),  b_t = c sqrt(H^3 iota / t),

iota = log(S A T / p), T = K H. The policy of episode k is greedy in the Q at the start of the episode (an update
at stage h does not change the actions at the other stages of the same episode), so its pseudo-regret is exact.
``rate="one_over_t"`` replaces alpha_t by 1/t (not UCB-H: the catalogue's trap, whose error compounds over H).

``epsilon_greedy``: the same update with b = 0 and Q_h = 0 initially; the action is uniform with probability eps,
else greedy with ties broken uniformly at random (both from the algorithm's own counter-based stream). Until the
first reward every Q stays 0, so the agent acts uniformly at random: the episodes to the first reward are what
Jin et al. (App. A) bound below on a combination lock.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..counter_rng import new_state, next_uniform
from ..errors import TabularEnvError
from .drivers import driver
from .episodic import EpisodicModel, greedy_into, policy_value, policy_value_into, require_episodic, stream_keys
from .tape import checkpoint_grid, next_state, next_state_of_pair, transition_cdf, transition_key

__all__ = ["ucb_hoeffding", "ucb_hoeffding_first_reward", "ucb_hoeffding_reference", "epsilon_greedy_first_reward",
           "epsilon_greedy_first_reward_reference"]

RATES = {"jin": 0, "one_over_t": 1}


@njit(cache=True)
def _alpha(rate, H, t):
    return (H + 1.0) / (H + t) if rate == 0 else 1.0 / t


@njit(cache=True)
def _ucb_replication(P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, rep, checkpoints, regret_out, first_out,
                     until_first, keys, visits, N, Q, V, pi, V_pi):
    """One replication of UCB-H on handed scratch, which it initialises: tape keys and visits (Hp, S, A), N and Q
    (H, S, A), V and V_pi (H + 1, S), pi (H, S). Written once, for the CPU (:func:`_ucb_many`) and the GPU
    (``gpu_kernels.rl``)."""
    S, A = P.shape[1], P.shape[2]
    Hp = P.shape[0]
    for h in range(Hp):
        for s in range(S):
            for a in range(A):
                keys[h, s, a] = transition_key(seed, rep, h, s, a, S, A)
                visits[h, s, a] = 0
    for h in range(H + 1):
        for s in range(S):
            V[h, s] = H * 1.0 if h < H else 0.0
            V_pi[h, s] = 0.0
            if h < H:
                pi[h, s] = 0
                for a in range(A):
                    N[h, s, a] = 0.0
                    Q[h, s, a] = H * 1.0
    gap = 0.0
    total, ci = 0.0, 0
    first_out[0] = -1
    for k in range(K):
        if (greedy_into(Q, pi) or k == 0) and not until_first:   # evaluated only when the policy changed
            policy_value_into(P, r, pi, H, V_pi)
            gap = v_star - V_pi[0, x1]
        total += gap
        s = x1
        got = 0.0
        for h in range(H):
            hp = h if Hp > 1 else 0
            hr = h if r.shape[0] > 1 else 0
            a = pi[h, s]
            y = next_state_of_pair(states[hp], cdf[hp], s, a, keys[hp, s, a], visits[hp, s, a])
            visits[hp, s, a] += 1
            N[h, s, a] += 1.0
            t = N[h, s, a]
            al = _alpha(rate, H, t)
            b = c * math.sqrt(H ** 3 * iota / t)
            got += r[hr, s, a]
            Q[h, s, a] = (1.0 - al) * Q[h, s, a] + al * (r[hr, s, a] + V[h + 1, y] + b)
            best = Q[h, s, 0]
            for a2 in range(1, A):
                best = max(best, Q[h, s, a2])
            V[h, s] = min(H * 1.0, best)
            s = y
        if got > 0 and first_out[0] < 0:
            first_out[0] = k + 1
            if until_first:
                return
        if ci < checkpoints.size and checkpoints[ci] == k + 1:
            regret_out[ci] = total
            ci += 1


@njit(cache=True, parallel=True)
def _ucb_many(P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, first_rep, checkpoints, regret, first,
              until_first):
    Hp, S, A = P.shape[0], P.shape[1], P.shape[2]
    for i in prange(regret.shape[0]):
        _ucb_replication(P, r, states, cdf, H, K, x1, v_star, c, iota, rate, seed, first_rep + i, checkpoints,
                         regret[i], first[i:i + 1], until_first, np.empty((Hp, S, A), dtype=np.uint64),
                         np.empty((Hp, S, A), dtype=np.int64), np.empty((H, S, A)), np.empty((H, S, A)),
                         np.empty((H + 1, S)), np.empty((H, S), dtype=np.int64), np.empty((H + 1, S)))


def _checked(model, K, c, p, rate):
    require_episodic(model).require_unit_rewards("UCB-Hoeffding")
    if int(K) < 1:
        raise TabularEnvError(f"K must be a positive number of episodes, got {K!r}")
    if not (c >= 0 and math.isfinite(c)):
        raise TabularEnvError(f"c must be a finite bonus constant >= 0, got {c!r}")
    if not 0 < p < 1:
        raise TabularEnvError(f"p must lie in (0, 1), got {p!r}")
    if rate not in RATES:
        raise TabularEnvError(f"unknown rate {rate!r}; known: {', '.join(RATES)}")
    return math.log(model.S * model.A * int(K) * model.H / p)


def ucb_hoeffding(model: EpisodicModel, K: int, *, c: float = 1.0, p: float = 0.1, seed: int = 0,
                  n_replications: int = 1, first_replication: int = 0, checkpoints=None, rate: str = "jin"):
    """Q-learning with UCB-Hoeffding for K episodes. Returns (regret, first_reward): regret[i, j] the cumulative
    pseudo-regret after checkpoints[j] episodes; first_reward[i] the first episode with a positive realised reward
    (-1 if none)."""
    iota = _checked(model, K, c, p, rate)
    ck = checkpoint_grid(checkpoints, int(K), "episodes")
    n = int(n_replications)
    regret = np.zeros((n, ck.size))
    first = np.zeros(n, dtype=np.int64)
    driver("ucb_hoeffding", _ucb_many)(model.P, model.r, model.states, model.cdf, model.H, int(K), model.x1,
                                       model.v_star, float(c), iota, RATES[rate], np.uint64(seed),
                                       int(first_replication), ck, regret, first, False)
    return regret, first


def ucb_hoeffding_first_reward(model: EpisodicModel, K: int, *, c: float = 1.0, p: float = 0.1, seed: int = 0,
                               n_replications: int = 1, first_replication: int = 0, rate: str = "jin") -> np.ndarray:
    """The first episode with a positive realised reward of ``ucb_hoeffding`` run with a budget of K episodes
    (iota = log(S A K H / p) as there), stopping there and computing no regret: the same actions as the full run
    up to that episode, at the cost of the episodes actually played (-1 if none within K)."""
    iota = _checked(model, K, c, p, rate)
    first = np.zeros(int(n_replications), dtype=np.int64)
    driver("ucb_hoeffding", _ucb_many)(model.P, model.r, model.states, model.cdf, model.H, int(K), model.x1,
                                       model.v_star, float(c), iota, RATES[rate], np.uint64(seed),
                                       int(first_replication), np.zeros(0, dtype=np.int64),
                                       np.zeros((first.size, 0)), first, True)
    return first


def ucb_hoeffding_reference(model: EpisodicModel, K: int, *, c: float = 1.0, p: float = 0.1, seed: int = 0,
                            rep: int = 0, rate: str = "jin"):
    """Plain-Python UCB-H on the same tape (the kernel's reference), from the update in the module docstring.
    Returns (per-episode pseudo-regrets, actions (K, H), final Q)."""
    iota = _checked(model, K, c, p, rate)
    S, A, H = model.S, model.A, model.H
    Hp = model.P.shape[0]
    cdf = transition_cdf(model.P)
    keys = stream_keys.py_func(np.uint64(seed), rep, Hp, S, A)
    visits = np.zeros((Hp, S, A), dtype=np.int64)
    N = np.zeros((H, S, A))
    Q = np.full((H, S, A), float(H))
    V = np.full((H + 1, S), float(H))
    V[H] = 0.0
    regrets, actions = [], []
    for _ in range(K):
        pi = Q.argmax(axis=2)
        regrets.append(model.v_star - policy_value.py_func(model.P, model.r, pi, H)[0, model.x1])
        s, taken = model.x1, []
        for h in range(H):
            hp, hr = (h if Hp > 1 else 0), (h if model.r.shape[0] > 1 else 0)
            a = int(pi[h, s])
            y = next_state(cdf[hp, s, a], keys[hp, s, a], visits[hp, s, a])
            visits[hp, s, a] += 1
            N[h, s, a] += 1
            t = N[h, s, a]
            alpha = (H + 1) / (H + t) if rate == "jin" else 1 / t
            Q[h, s, a] = (1 - alpha) * Q[h, s, a] + alpha * (
                model.r[hr, s, a] + V[h + 1, y] + c * np.sqrt(H**3 * iota / t)
            )
            V[h, s] = min(H, Q[h, s].max())
            taken.append(a)
            s = y
        actions.append(taken)
    return np.array(regrets), np.array(actions), Q


@njit(cache=True)
def _eps_one(P, r, states, cdf, H, K, x1, eps, seed, rep):
    S, A = P.shape[1], P.shape[2]
    Hp = P.shape[0]
    keys = stream_keys(seed, rep, Hp, S, A)
    visits = np.zeros((Hp, S, A), dtype=np.int64)
    st = new_state(seed, rep)
    N = np.zeros((H, S, A))
    Q = np.zeros((H, S, A))
    V = np.zeros((H + 1, S))
    for k in range(K):
        s = x1
        for h in range(H):
            hp = h if Hp > 1 else 0
            hr = h if r.shape[0] > 1 else 0
            if next_uniform(st) <= eps:
                a = min(int(next_uniform(st) * A - 1e-12), A - 1)
            else:
                best, ties = Q[h, s, 0], 1
                for a2 in range(1, A):
                    if Q[h, s, a2] > best:
                        best, ties = Q[h, s, a2], 1
                    elif Q[h, s, a2] == best:
                        ties += 1
                pick = min(int(next_uniform(st) * ties - 1e-12), ties - 1)
                a = 0
                for a2 in range(A):
                    if Q[h, s, a2] == best:
                        if pick == 0:
                            a = a2
                            break
                        pick -= 1
            y = next_state_of_pair(states[hp], cdf[hp], s, a, keys[hp, s, a], visits[hp, s, a])
            visits[hp, s, a] += 1
            if r[hr, s, a] > 0:
                return k + 1
            N[h, s, a] += 1.0
            al = (H + 1.0) / (H + N[h, s, a])
            Q[h, s, a] = (1.0 - al) * Q[h, s, a] + al * (r[hr, s, a] + V[h + 1, y])
            best = Q[h, s, 0]
            for a2 in range(1, A):
                best = max(best, Q[h, s, a2])
            V[h, s] = min(H * 1.0, best)
            s = y
    return -1


@njit(cache=True, parallel=True)
def _eps_many(P, r, states, cdf, H, K, x1, eps, seed, first_rep, out):
    for i in prange(out.size):
        out[i] = _eps_one(P, r, states, cdf, H, K, x1, eps, seed, first_rep + i)


def epsilon_greedy_first_reward(model: EpisodicModel, K: int, *, eps: float = 0.1, seed: int = 0,
                                n_replications: int = 1, first_replication: int = 0) -> np.ndarray:
    """Episodes until epsilon-greedy Q-learning first collects a positive reward (-1 if not within K)."""
    require_episodic(model)
    if not 0 <= eps <= 1:
        raise TabularEnvError(f"eps must lie in [0, 1], got {eps!r}")
    out = np.zeros(int(n_replications), dtype=np.int64)
    _eps_many(model.P, model.r, model.states, model.cdf, model.H, int(K), model.x1, float(eps), np.uint64(seed),
              int(first_replication), out)
    return out


def epsilon_greedy_first_reward_reference(model: EpisodicModel, K: int, *, eps: float = 0.1, seed: int = 0,
                                          rep: int = 0) -> int:
    """Plain-Python epsilon-greedy Q-learning on the same tape and algorithm stream (the kernel's reference): the
    first episode with a positive reward, or -1. Draws per step: one uniform for the epsilon coin, then one for the
    uniform action or for the tie among the greedy actions."""
    from ..reference_rng import Stream
    require_episodic(model)
    H, S, A = model.H, model.S, model.A
    Hp = model.P.shape[0]
    cdf = transition_cdf(model.P)
    keys = stream_keys.py_func(np.uint64(seed), rep, Hp, S, A)
    uniform = Stream(seed, rep).uniform            # the algorithm's uniforms, in pure Python
    visits = np.zeros((Hp, S, A), dtype=np.int64)
    N, Q, V = np.zeros((H, S, A)), np.zeros((H, S, A)), np.zeros((H + 1, S))
    for k in range(K):
        s = model.x1
        for h in range(H):
            hp, hr = (h if Hp > 1 else 0), (h if model.r.shape[0] > 1 else 0)
            if uniform() <= eps:
                a = min(int(uniform() * A - 1e-12), A - 1)
            else:
                tied = [b for b in range(A) if Q[h, s, b] == Q[h, s].max()]
                a = tied[min(int(uniform() * len(tied) - 1e-12), len(tied) - 1)]
            y = next_state(cdf[hp, s, a], keys[hp, s, a], visits[hp, s, a])
            visits[hp, s, a] += 1
            if model.r[hr, s, a] > 0:
                return k + 1
            N[h, s, a] += 1
            alpha = (H + 1) / (H + N[h, s, a])
            Q[h, s, a] = (1 - alpha) * Q[h, s, a] + alpha * (model.r[hr, s, a] + V[h + 1, y])
            V[h, s] = min(H, Q[h, s].max())
            s = y
    return -1
