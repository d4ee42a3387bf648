"""RF-Express (Ménard, Domingues, Jonsson, Kaufmann, Leurent, Valko 2021), reward-free exploration, as coded by the
authors' group (the catalogue's transcription; the paper text was not read: [unconfirmed]).

Stage-dependent P_h (a time-homogeneous P is read as P_h = P), counts n_h(s, a) per stage. Before episode k:

    beta(n, delta) = ln(3 S A H / delta) + S ln(8 e (n + 1)),
    W_h(s, a) = min(H, 15 H^2 beta(n_h(s, a), delta) / n_h(s, a)
                       + (1 + 1/H) sum_s' P_hat_h(s' | s, a) max_a' W_{h+1}(s', a')),   W_{H+1} = 0,

(W = H where n_h(s, a) = 0). Stop when 3 e sqrt(max_a W_1(s_1, a)) + max_a W_1(s_1, a) < eps / 2; otherwise play the
episode greedily in W (ties to the lowest action). The planning phase (``plan_for_reward``) computes the optimal
policy of the empirical model P_hat for any reward; the guarantee is that, with probability >= 1 - delta, it is
eps-optimal in the true model for EVERY reward function in [0, 1] at once.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..errors import TabularEnvError
from .episodic import EpisodicModel, backward_induction, policy_value, require_episodic, stream_keys
from .tape import next_state, next_state_of_pair, transition_cdf

__all__ = ["rf_express", "rf_express_reference", "rf_express_bonus_values", "empirical_stage_model", "planning_gap"]


@njit(cache=True)
def rf_express_bonus_values(N, H, delta, W):
    """W_h(s, a) of RF-Express from per-stage counts N (H, S, A, S), in place on W (H + 1, S, A)."""
    S, A = N.shape[1], N.shape[2]
    for s in range(S):
        for a in range(A):
            W[H, s, a] = 0.0
    for h in range(H - 1, -1, -1):
        for s in range(S):
            for a in range(A):
                n = 0.0
                for y in range(S):
                    n += N[h, s, a, y]
                if n == 0:
                    W[h, s, a] = H
                    continue
                beta = math.log(3.0 * S * A * H / delta) + S * math.log(8.0 * math.e * (n + 1.0))
                nxt = 0.0
                for y in range(S):
                    if N[h, s, a, y] > 0:
                        best = W[h + 1, y, 0]
                        for a2 in range(1, A):
                            best = max(best, W[h + 1, y, a2])
                        nxt += N[h, s, a, y] / n * best
                W[h, s, a] = min(H * 1.0, 15.0 * H * H * beta / n + (1.0 + 1.0 / H) * nxt)


@njit(cache=True)
def _run_one(P, states, cdf, H, x1, eps, delta, max_episodes, sqrt_term, seed, rep, N):
    S, A = P.shape[1], P.shape[2]
    Hp = P.shape[0]
    keys = stream_keys(seed, rep, Hp, S, A)
    visits = np.zeros((Hp, S, A), dtype=np.int64)
    W = np.zeros((H + 1, S, A))
    for k in range(max_episodes + 1):
        rf_express_bonus_values(N, H, delta, W)
        w1 = W[0, x1, 0]
        for a in range(1, A):
            w1 = max(w1, W[0, x1, a])
        if (3.0 * math.e * math.sqrt(w1) if sqrt_term else 0.0) + w1 < eps / 2.0:
            return k
        if k == max_episodes:
            break
        s = x1
        for h in range(H):
            hp = h if Hp > 1 else 0
            a = 0
            for a2 in range(1, A):
                if W[h, s, a2] > W[h, s, a]:
                    a = a2
            y = next_state_of_pair(states[hp], cdf[hp], s, a, keys[hp, s, a], visits[hp, s, a])
            visits[hp, s, a] += 1
            N[h, s, a, y] += 1.0
            s = y
    return -1


@njit(cache=True, parallel=True)
def _run_many(P, states, cdf, H, x1, eps, delta, max_episodes, sqrt_term, seed, first_rep, stops, counts):
    for i in prange(stops.size):
        stops[i] = _run_one(P, states, cdf, H, x1, eps, delta, max_episodes, sqrt_term, seed, first_rep + i,
                            counts[i])


def rf_express(model: EpisodicModel, eps: float, *, delta: float = 0.1, max_episodes: int = 10 ** 8, seed: int = 0,
               n_replications: int = 1, first_replication: int = 0, sqrt_term: bool = True):
    """Explore until RF-Express's stopping rule fires. Returns (episodes, counts): episodes[i] the number of
    exploration episodes (-1 if ``max_episodes`` passed first), counts[i] (H, S, A, S) the per-stage transitions.
    ``sqrt_term=False`` drops 3e sqrt(W) from the stopping rule (not RF-Express: it stops after ~1/eps episodes)."""
    require_episodic(model).require_unit_rewards("RF-Express")
    if not (eps > 0 and math.isfinite(eps)):
        raise TabularEnvError(f"eps must be a positive accuracy, got {eps!r}")
    if not 0 < delta < 1:
        raise TabularEnvError(f"delta must lie in (0, 1), got {delta!r}")
    n = int(n_replications)
    stops = np.zeros(n, dtype=np.int64)
    counts = np.zeros((n, model.H, model.S, model.A, model.S))
    _run_many(model.P, model.states, model.cdf, model.H, model.x1, float(eps), float(delta), int(max_episodes),
              bool(sqrt_term), np.uint64(seed), int(first_replication), stops, counts)
    return stops, counts


def rf_express_reference(model: EpisodicModel, eps: float, *, delta: float = 0.1, seed: int = 0, rep: int = 0,
                         max_episodes: int = 10 ** 6):
    """Plain-Python RF-Express on the same tape (the kernel's reference), W computed with NumPy from the
    equations in the module docstring. Returns (episodes, counts (H, S, A, S))."""
    H, S, A = model.H, model.S, model.A
    Hp = model.P.shape[0]
    cdf = transition_cdf(model.P)
    keys = stream_keys.py_func(np.uint64(seed), rep, Hp, S, A)
    visits = np.zeros((Hp, S, A), dtype=np.int64)
    N = np.zeros((H, S, A, S))
    for k in range(max_episodes + 1):
        W = np.zeros((H + 1, S, A))
        for h in reversed(range(H)):
            n = N[h].sum(axis=2)
            beta = np.log(3 * S * A * H / delta) + S * np.log(8 * np.e * (n + 1))
            p_hat = N[h] / np.maximum(n, 1)[..., None]
            w = np.minimum(H, 15 * H ** 2 * beta / np.maximum(n, 1) + (1 + 1 / H) * p_hat @ W[h + 1].max(axis=1))
            W[h] = np.where(n > 0, w, H)
        w1 = W[0, model.x1].max()
        if 3 * np.e * np.sqrt(w1) + w1 < eps / 2:
            return k, N
        if k == max_episodes:
            break
        s = model.x1
        for h in range(H):
            hp = h if Hp > 1 else 0
            a = int(W[h, s].argmax())
            y = next_state(cdf[hp, s, a], keys[hp, s, a], visits[hp, s, a])
            visits[hp, s, a] += 1
            N[h, s, a, y] += 1
            s = y
    return -1, N


def empirical_stage_model(counts: np.ndarray) -> np.ndarray:
    """P_hat_h(s' | s, a) = counts / n, uniform over next states where n = 0 (any choice is allowed there: the
    guarantee charges unexplored pairs through W = H)."""
    n = counts.sum(axis=-1, keepdims=True)
    S = counts.shape[-1]
    return np.where(n > 0, counts / np.maximum(n, 1), 1.0 / S)


def planning_gap(model: EpisodicModel, P_hat: np.ndarray, rewards: np.ndarray) -> np.ndarray:
    """For each reward function rewards[j] (H, S, A) in [0, 1]: V*_1(x_1) - V^{pi_hat}_1(x_1) in the true model,
    pi_hat optimal in (P_hat, rewards[j])."""
    out = np.empty(len(rewards))
    for j, r in enumerate(rewards):
        Q_hat, _ = backward_induction(P_hat, r, model.H)
        _, V = backward_induction(model.P, r, model.H)
        pi = Q_hat.argmax(axis=2)
        out[j] = V[0, model.x1] - policy_value(model.P, r, pi, model.H)[0, model.x1]
    return out
