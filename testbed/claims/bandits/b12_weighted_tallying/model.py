"""Weighted tallying bandits (Malik et al. 2023; model reconstructed from the abstract, see claim B12).

The reward of arm a at round t depends on its weighted tally over the last m rounds,
x_a(t) = sum_{i=1}^{m} w_i 1[a_{t-i} = a] (W = sum_i w_i): playing a at t pays Bernoulli(mu_a h(x_a(t) / W)) with
h(x) = (1 + x) / 2 (increasing, h(1) = 1). Then, for every sequence, the round-t mean is at most
mu* h(c_t / W), c_t = sum_{i <= min(t - 1, m)} w_i, and the constant sequence on a* = argmax mu attains it: the
instance is Repeated Exposure Optimal, and OPT(T) = mu* sum_t h(c_t / W) exactly. The complete policy regret
(CPR) of a run is OPT(T) - sum_t mu_{a_t} h(x_{a_t}(t) / W) (a pseudo-regret: expected rewards on the realised path).

Policies:
- ``blocked_elimination`` (a reconstruction of the paper's modified successive elimination, which needs only
  M >= m): in phase r = 0, 1, ... every active arm is played for one block of M + M 2^r consecutive rounds; the
  first M rounds saturate its tally and are discarded, the rest have mean mu_a exactly and feed the estimate.
  After each phase an arm is eliminated when its UCB falls below another's LCB (radius sqrt(2 ln T / n)); one arm
  left is played to the end. Doubling keeps the number of switches O(K log T), so the warm-up costs
  O((m + M) K log T) in all.
- ``fixed_block_elimination``: the same with blocks of a fixed 2M rounds. Its warm-up losses recur every phase, so
  while exploration lasts (the whole horizon on the worst-case gap sqrt(K/T)) the CPR grows linearly in T: a
  plausible but wrong reconstruction, kept as a negative control.
- ``naive_ucb1``: UCB1 on the observed rewards, blind to the tallies.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from tabular_envs.counter_rng import stream_key, tape_reward
from tabular_envs.errors import InvalidBanditError

__all__ = ["validate_tallying", "tallying_opt", "sequence_value", "simulate_tallying", "TALLYING_POLICIES"]

TALLYING_POLICIES = {"blocked_elimination": 0, "naive_ucb1": 1, "fixed_block_elimination": 2}


def validate_tallying(means, weights, M: int):
    """Check means in [0, 1], positive weights and M >= m; returns them as arrays."""
    means = np.asarray(means, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    if means.ndim != 1 or means.size < 1:
        raise InvalidBanditError(f"means must be a non-empty 1-D array, got shape {means.shape}")
    for name, arr in (("means", means), ("weights", weights)):
        bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0) | ((arr > 1) if name == "means" else False))
        if bad.size:
            raise InvalidBanditError(f"{name}[{bad[0]}] = {arr[bad[0]]!r} is outside "
                                     f"{'[0, 1]' if name == 'means' else '[0, inf)'}")
    if weights.ndim != 1 or weights.size < 1 or weights.sum() <= 0:
        raise InvalidBanditError("weights must be a non-empty 1-D array with a positive sum")
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)) or M < weights.size:
        raise InvalidBanditError(f"M must be an integer >= m = len(weights) = {weights.size}, got {M!r}")
    return means, weights, int(M)


def tallying_opt(means, weights, T: int) -> float:
    """OPT(T) = mu* sum_{t=1}^T h(c_t / W): the constant sequence on the best arm from an empty history."""
    means, weights, _ = validate_tallying(means, weights, len(np.atleast_1d(weights)))
    c = np.concatenate([[0.0], np.cumsum(weights)])
    prefix = c[np.minimum(np.arange(T), weights.size)]
    return float(means.max() * np.sum((1 + prefix / weights.sum()) / 2))


def sequence_value(means, weights, actions) -> float:
    """Expected total reward sum_t mu_{a_t} h(x_{a_t}(t) / W) of a fixed action sequence (plain Python)."""
    means, weights, _ = validate_tallying(means, weights, len(np.atleast_1d(weights)))
    total, W = 0.0, weights.sum()
    for t, a in enumerate(actions):
        x = sum(weights[i - 1] for i in range(1, weights.size + 1) if t - i >= 0 and actions[t - i] == a)
        total += means[a] * (1 + x / W) / 2
    return total


@njit(cache=True)
def _tally(history, t, a, weights):
    x = 0.0
    for i in range(1, weights.size + 1):
        if t - i >= 0 and history[t - i] == a:
            x += weights[i - 1]
    return x


@njit(cache=True)
def _run(policy, means, weights, M, T, seed, rep, checkpoints, out):
    K = means.size
    W = weights.sum()
    keys = np.empty(K, dtype=np.uint64)
    for a in range(K):
        keys[a] = stream_key(seed, rep, a)
    history = np.empty(T, dtype=np.int64)
    counts = np.zeros(K, dtype=np.int64)        # tape position of each arm
    n_est = np.zeros(K, dtype=np.int64)         # samples feeding the estimate
    sums = np.zeros(K)
    active = np.ones(K, dtype=np.bool_)
    best_mu = means.max()
    c_run = 0.0
    logT = np.log(max(T, 2))
    opt, got, ci = 0.0, 0.0, 0
    arm_in_block, block_pos, n_active, phase_len = 0, 0, K, 2 * M
    for t in range(T):
        if policy != 1:
            if n_active == 1:
                a = 0
                while not active[a]:
                    a += 1
            else:
                a = arm_in_block
        else:
            if t < K:
                a = t
            else:
                best, a = -np.inf, 0
                for k in range(K):
                    v = sums[k] / n_est[k] + np.sqrt(2.0 * np.log(t) / n_est[k])
                    if v > best:
                        best, a = v, k
        mean = means[a] * 0.5 * (1.0 + _tally(history, t, a, weights) / W)
        r = tape_reward(keys[a], counts[a], False, mean, 0.0)
        counts[a] += 1
        history[t] = a
        if 1 <= t <= weights.size:
            c_run += weights[t - 1]
        opt += best_mu * 0.5 * (1.0 + c_run / W)
        got += mean
        if policy == 1:
            sums[a] += r
            n_est[a] += 1
        elif n_active > 1:
            if block_pos >= M:
                sums[a] += r
                n_est[a] += 1
            block_pos += 1
            if block_pos == phase_len:
                block_pos = 0
                nxt = arm_in_block + 1
                while nxt < K and not active[nxt]:
                    nxt += 1
                if nxt < K:
                    arm_in_block = nxt
                else:                             # end of a phase: eliminate
                    best_lcb = -np.inf
                    for k in range(K):
                        if active[k]:
                            best_lcb = max(best_lcb, sums[k] / n_est[k] - np.sqrt(2.0 * logT / n_est[k]))
                    for k in range(K):
                        if active[k] and sums[k] / n_est[k] + np.sqrt(2.0 * logT / n_est[k]) < best_lcb:
                            active[k] = False
                            n_active -= 1
                    arm_in_block = 0
                    while not active[arm_in_block]:
                        arm_in_block += 1
                    if policy == 0:
                        phase_len = M + 2 * (phase_len - M)
        if ci < checkpoints.size and checkpoints[ci] == t + 1:
            out[ci] = opt - got
            ci += 1


def simulate_tallying(means, weights, M: int, policy: str, T: int, n_replications: int, seed: int,
                      checkpoints=None, first_replication: int = 0) -> np.ndarray:
    """CPR of ``policy`` at ``checkpoints`` (default [T]) for replications first_replication, ...; shape
    (n_replications, n_checkpoints). Replication i depends only on (seed, i)."""
    means, weights, M = validate_tallying(means, weights, M)
    if policy not in TALLYING_POLICIES:
        raise InvalidBanditError(f"unknown policy {policy!r}; known: {', '.join(TALLYING_POLICIES)}")
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise InvalidBanditError(f"T must be an integer >= 1, got {T!r}")
    ck = np.array([T] if checkpoints is None else checkpoints, dtype=np.int64)
    if ck.ndim != 1 or ck.size == 0 or ck[0] < 1 or ck[-1] > T or (np.diff(ck) <= 0).any():
        raise InvalidBanditError(f"checkpoints must be strictly increasing rounds in [1, {T}]")
    out = np.zeros((n_replications, ck.size))
    for i in range(n_replications):
        _run(TALLYING_POLICIES[policy], means, weights, M, int(T), np.uint64(seed), first_replication + i, ck, out[i])
    return out
