"""Adversarial (oblivious) bandits and full-information experts.

A reward table ``rewards[t, a]`` in [0, 1] is fixed in advance. Regret against the best fixed arm in hindsight:
R(t) = max_a sum_{s<=t} x_s(a) - sum_{s<=t} p_s . x_s, where p_s is the algorithm's distribution at round s. Using
the conditional expectation p_s . x_s of the collected reward (instead of the realised x_s(A_s)) gives an
unbiased estimate of the expected regret with lower variance; the randomness left is the algorithm's own.

- ``simulate_exp3``: EXP3 of Auer, Cesa-Bianchi, Freund, Schapire (2002, Fig. 1) with exploration gamma, or of
  Lattimore & Szepesvari (2020, Thm 11.2) with learning rate eta; replication i draws its arms from its
  own counter-based stream, so numbers do not depend on threads or blocks.
- ``simulate_tsallis_inf``: Tsallis-INF with alpha = 1/2 (Zimmert & Seldin 2021) on the losses 1 - x, learning rate
  eta_t = 2 / sqrt(t) and importance-weighted loss estimates; anytime.
- ``hedge_costs``: Hedge on a cost table, exact (deterministic) expected costs, and ``adaptive_hard_costs``,
  the adversary that charges the arm Hedge currently favours.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from ..counter_rng import new_state, next_categorical, softmax_into
from ..errors import InvalidBanditError

__all__ = ["EXP3_VARIANTS", "TABLE_KINDS", "AdversarialResult", "simulate_exp3", "hedge_costs",
           "adaptive_hard_costs", "switching_table", "oblivious_table", "validate_table", "best_in_hindsight",
           "simulate_tsallis_inf", "tsallis_inf_weights"]

EXP3_VARIANTS = {"auer2002": 0, "lattimore2020": 1}


def validate_table(name: str, table) -> np.ndarray:
    """Check a reward table (T, K) with entries in [0, 1]; returns it as a float array (InvalidBanditError naming the
    first bad entry)."""
    arr = np.asarray(table, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 2:
        raise InvalidBanditError(f"{name} must be a (T, K) array with T >= 1 and K >= 2, got shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if bad.any():
        t, a = np.argwhere(bad)[0]
        raise InvalidBanditError(f"{name}[{t}, {a}] = {float(arr[t, a])!r} lies outside [0, 1]")
    return np.ascontiguousarray(arr)


@njit(cache=True)
def _exp3_one(rewards, variant, rate, seed, rep, checkpoints, gain_out):
    T, K = rewards.shape
    st = new_state(seed, rep)
    log_w = np.zeros(K)
    p = np.empty(K)
    gain, ci = 0.0, 0
    for t in range(T):
        softmax_into(log_w, p)
        if variant == 0:
            for k in range(K):
                p[k] = (1.0 - rate) * p[k] + rate / K
        a = next_categorical(st, p)
        for k in range(K):
            gain += p[k] * rewards[t, k]
        x = rewards[t, a]
        if variant == 0:
            log_w[a] += rate * (x / p[a]) / K          # Auer et al.: w_a <- w_a exp(gamma xhat / K)
        else:
            log_w[a] -= rate * (1.0 - x) / p[a]        # LS: S_i += 1 - 1{A=i}(1 - X)/P_i (the +1 cancels)
        if ci < checkpoints.size and checkpoints[ci] == t + 1:
            gain_out[ci] = gain
            ci += 1


@njit(cache=True, parallel=True)
def _exp3_many(rewards, variant, rate, seed, first_rep, checkpoints, gains):
    for i in prange(gains.shape[0]):
        _exp3_one(rewards, variant, rate, seed, first_rep + i, checkpoints, gains[i])


@dataclass(frozen=True)
class AdversarialResult:
    """regret[i, j]: regret of replication i after round checkpoints[j] against the best fixed arm."""
    checkpoints: np.ndarray
    regret: np.ndarray
    best_gain: np.ndarray


@njit(cache=True)
def tsallis_inf_weights(cum_loss, eta, p):
    """Write into p the Tsallis-INF (alpha = 1/2) distribution p_i = 4 (eta (L_i - x))^-2, with the normaliser
    x < min_i L_i found by Newton's method on sum_i p_i(x) = 1 (Zimmert & Seldin 2021, Algorithm 2). The sum is
    convex and increasing in x, so Newton from x0 = min L - 2/eta (where the sum is >= 1) decreases monotonically."""
    K = cum_loss.size
    x = cum_loss.min() - 2.0 / eta
    for _ in range(100):
        total, deriv = 0.0, 0.0
        for k in range(K):
            w = 4.0 / (eta * (cum_loss[k] - x)) ** 2
            total += w
            deriv += eta * w ** 1.5
        step = (total - 1.0) / deriv
        x -= step
        if abs(total - 1.0) < 1e-13:
            break
    total = 0.0
    for k in range(K):
        p[k] = 4.0 / (eta * (cum_loss[k] - x)) ** 2
        total += p[k]
    for k in range(K):
        p[k] /= total


@njit(cache=True)
def _tsallis_one(rewards, seed, rep, checkpoints, gain_out):
    T, K = rewards.shape
    st = new_state(seed, rep)
    cum_loss = np.zeros(K)
    p = np.empty(K)
    gain, ci = 0.0, 0
    for t in range(T):
        tsallis_inf_weights(cum_loss, 2.0 / np.sqrt(t + 1.0), p)
        a = next_categorical(st, p)
        for k in range(K):
            gain += p[k] * rewards[t, k]
        cum_loss[a] += (1.0 - rewards[t, a]) / p[a]
        if ci < checkpoints.size and checkpoints[ci] == t + 1:
            gain_out[ci] = gain
            ci += 1


@njit(cache=True, parallel=True)
def _tsallis_many(rewards, seed, first_rep, checkpoints, gains):
    for i in prange(gains.shape[0]):
        _tsallis_one(rewards, seed, first_rep + i, checkpoints, gains[i])


def best_in_hindsight(table: np.ndarray, checkpoints: np.ndarray) -> np.ndarray:
    """Total reward of the best fixed arm of a reward table, max_a sum_t x_t(a)."""
    return np.cumsum(table, axis=0)[checkpoints - 1].max(axis=1)


def simulate_exp3(rewards, variant: str, rate: float, n_replications: int, seed: int, *, checkpoints=None,
                  first_replication: int = 0) -> AdversarialResult:
    """Run EXP3 on an oblivious reward table. ``rate`` is gamma (auer2002) or eta (lattimore2020)."""
    if variant not in EXP3_VARIANTS:
        raise InvalidBanditError(f"unknown EXP3 variant {variant!r}; known: {', '.join(EXP3_VARIANTS)}")
    if not (np.isfinite(rate) and rate > 0) or (variant == "auer2002" and rate > 1):
        raise InvalidBanditError(f"rate must be in (0, 1] for auer2002 and > 0 for lattimore2020, got {rate!r}")
    table, ck, gains = _checked_run(rewards, n_replications, checkpoints)
    _exp3_many(table, EXP3_VARIANTS[variant], float(rate), np.uint64(seed), int(first_replication), ck, gains)
    best = best_in_hindsight(table, ck)
    return AdversarialResult(checkpoints=ck, regret=best[None, :] - gains, best_gain=best)


def _checked_run(rewards, n_replications, checkpoints):
    table = validate_table("rewards", rewards)
    if isinstance(n_replications, bool) or not isinstance(n_replications, (int, np.integer)) or n_replications < 1:
        raise InvalidBanditError(f"n_replications must be an integer >= 1, got {n_replications!r}")
    T = table.shape[0]
    ck = np.array([T] if checkpoints is None else checkpoints, dtype=np.int64)
    if ck.ndim != 1 or ck.size == 0 or ck[0] < 1 or ck[-1] > T or (np.diff(ck) <= 0).any():
        raise InvalidBanditError(f"checkpoints must be strictly increasing rounds in [1, {T}]")
    return table, ck, np.zeros((int(n_replications), ck.size))


def simulate_tsallis_inf(rewards, n_replications: int, seed: int, *, checkpoints=None,
                         first_replication: int = 0) -> AdversarialResult:
    """Run Tsallis-INF (alpha = 1/2, eta_t = 2/sqrt(t), importance-weighted losses 1 - x) on a reward table."""
    table, ck, gains = _checked_run(rewards, n_replications, checkpoints)
    _tsallis_many(table, np.uint64(seed), int(first_replication), ck, gains)
    best = best_in_hindsight(table, ck)
    return AdversarialResult(checkpoints=ck, regret=best[None, :] - gains, best_gain=best)


def hedge_costs(costs, epsilon: float) -> tuple[np.ndarray, np.ndarray]:
    """Hedge with weights w_t(a) = (1 - epsilon)^{C_{t-1}(a)}, C the cumulative cost (Slivkins 2019, ch. 5, Hedge; the
    update form as reconstructed in the catalogue). Returns (expected cost per round p_t . c_t, the distributions
    p_t)."""
    c = validate_table("costs", costs)
    if not (0 < epsilon < 1):
        raise InvalidBanditError(f"epsilon must lie in (0, 1), got {epsilon!r}")
    T, K = c.shape
    log_base = np.log1p(-epsilon)
    cum = np.zeros(K)
    probs = np.empty((T, K))
    for t in range(T):
        z = log_base * cum
        w = np.exp(z - z.max())
        probs[t] = w / w.sum()
        cum += c[t]
    return (probs * c).sum(axis=1), probs


def adaptive_hard_costs(T: int, K: int, epsilon: float) -> np.ndarray:
    """An adaptive adversary against Hedge: each round it charges cost 1 to the arm Hedge currently gives the
    largest probability (lowest index on ties), 0 to the others. Deterministic, so Hedge's expected regret on
    the resulting sequence is exact."""
    log_base = np.log1p(-epsilon)
    cum = np.zeros(K)
    costs = np.zeros((T, K))
    for t in range(T):
        a = int(np.argmax(log_base * cum))
        costs[t, a] = 1.0
        cum[a] += 1.0
    return costs


def switching_table(T: int, K: int, switch: float = 0.25, high: float = 1.0, low: float = 0.0, mid: float = 0.5
                    ) -> np.ndarray:
    """Oblivious switching sequence: arm 0 pays ``high`` before round switch*T and ``low`` after; arm 1 the reverse
    (so it is the best arm overall when switch < 1/2); the other arms pay ``mid`` throughout. An algorithm that
    locks onto the early leader pays regret linear in T after the switch."""
    if K < 2:
        raise InvalidBanditError(f"switching_table needs K >= 2 arms, got {K}")
    s = int(switch * T)
    table = np.full((T, K), mid)
    table[:, 0] = low
    table[:s, 0] = high
    table[:, 1] = high
    table[:s, 1] = low
    return table


TABLE_KINDS = ("switching", "bernoulli_linspace", "hard_gap", "uniform")


def oblivious_table(kind: str, T: int, K: int, rng=0) -> np.ndarray:
    """Named oblivious reward tables in [0, 1], drawn once before the game (``rng``: Generator or int seed):

    - ``switching``: :func:`switching_table` (the best arm changes at T/4);
    - ``bernoulli_linspace``: Bernoulli rewards with means linspace(0.1, 0.9, K);
    - ``hard_gap``: Bernoulli(1/2) rewards, the last arm Bernoulli(1/2 + sqrt(K/T)/2) (the order of the minimax
      lower-bound construction);
    - ``uniform``: i.i.d. uniform rewards.
    """
    g = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    if kind == "switching":
        return switching_table(T, K)
    if kind == "bernoulli_linspace":
        return (g.random((T, K)) < np.linspace(0.1, 0.9, K)).astype(np.float64)
    if kind == "hard_gap":
        means = np.full(K, 0.5)
        means[-1] = min(1.0, 0.5 + 0.5 * np.sqrt(K / T))
        return (g.random((T, K)) < means).astype(np.float64)
    if kind == "uniform":
        return g.random((T, K))
    raise InvalidBanditError(f"unknown table kind {kind!r}; known: {', '.join(TABLE_KINDS)}")
