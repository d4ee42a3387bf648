"""UCBVI (Azar, Osband, Munos 2017, Algorithms 1-4), episodic, time-homogeneous P, known rewards in [0, 1].

Episode k: with counts N(x, a, y) pooled over the stages, P_hat = N / N(x, a), backward induction

    Q_{k,h}(x, a) = min(Q_{k-1,h}(x, a), H, r(x, a) + P_hat V_{k,h+1}(x, a) + b)      (Q = H where N(x, a) = 0)

with V_{k,h}(x) = max_a Q_{k,h}(x, a); act greedily (ties to the lowest action). L = ln(5 S A T / delta), T = K H.
Bonuses (``BONUSES``):
- ``ch`` (UCBVI-CH, Alg. 3): b = 7 H L / sqrt(N);
- ``bf`` (UCBVI-BF, Alg. 4): b = sqrt(8 L Var_{P_hat}(V_{k,h+1}) / N) + 14 H L / (3 N)
  + sqrt(8 sum_y P_hat(y) min(100^2 H^3 S^2 A L^2 / N'_{k,h+1}(y), H^2) / N), N'_{k,h+1}(y) the visits of y at
  stage h+1 (min(., H^2) = H^2 where y was never seen there; the term is 0 at the last stage, where V_{H+1} = 0
  and there is no next-stage estimation error to pay for);
- ``none``: b = 0 (certainty equivalence; a negative control, not UCBVI).
Variants that are NOT UCBVI, for the checks that must tell them apart: ``log_power`` 0.5 (sqrt(L) in the CH bonus),
``per_step_counts`` (counts N_h kept per stage, the stage-dependent setting's estimator), ``T_is_K`` (L computed
with T = K episodes instead of K H steps).

Per replication the kernel returns the cumulative pseudo-regret at checkpoint episodes (each policy evaluated
exactly in P), the number of episodes whose optimistic value max_a Q_{k,1}(x_1, a) fell below V*_1(x_1) (UCBVI's
optimism event fails), and the final visit counts of each pair.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..errors import TabularEnvError
from .drivers import driver
from .episodic import EpisodicModel, greedy_into, policy_value, policy_value_into, require_episodic, stream_keys
from .tape import checkpoint_grid, next_state, next_state_of_pair, transition_cdf, transition_key

__all__ = ["BONUSES", "ucbvi", "ucbvi_reference", "ucbvi_log_term"]

BONUSES = {"ch": 0, "bf": 1, "none": 2}


def ucbvi_log_term(S: int, A: int, K: int, H: int, delta: float, T_is_K: bool = False) -> float:
    """L = ln(5 S A T / delta) of the bonuses, T = K H (``T_is_K``: the mutant's T = K)."""
    T = K if T_is_K else K * H
    return math.log(5 * S * A * T / delta)


@njit(cache=True)
def _plan(r, H, L, code, log_power, per_step, N, Nsa, Nh_state, Q, V, support, n_support, cap):
    """One episode's optimistic backward induction, in place on Q (holding Q_{k-1}) and V; ``cap`` (S,) is scratch.

    Sums run over the support of P(x, a, .) in increasing order (``support``, ``n_support``:
    ``transition_support``): N(x, a, y) = 0 off it, so the terms skipped are exact zeros and the sums equal the full
    ones bit for bit, at a cost in the branching of P instead of S. The BF bonus's three sums (P_hat V, P_hat V^2 and
    P_hat min(., H^2)) share one pass, each accumulated in the same order as alone; the capped term
    min(100^2 H^3 S^2 A L^2 / N'_{k,h+1}(y), H^2) depends on y only, so it is computed once per stage. ``ch_numerator``
    (7 H L^power) and ``cap_numerator`` are computed once per episode: their powers cost more than the loop."""
    S, A = r.shape[1], r.shape[2]
    ch_numerator = 7.0 * H * L ** log_power
    cap_numerator = 100.0 ** 2 * H ** 3 * S ** 2 * A * L ** 2
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        hc = h if per_step else 0
        hr = h if r.shape[0] > 1 else 0
        capped = code == 1 and h + 1 < H        # the BF term is 0 at the last stage (V_{H+1} = 0)
        if capped:
            for y in range(S):
                m = Nh_state[h + 1, y]
                c = H * H * 1.0
                if m > 0:
                    c = min(cap_numerator / m, c)
                cap[y] = c
        for x in range(S):
            best = -1e300
            for a in range(A):
                n = Nsa[hc, x, a]
                q = Q[h, x, a]
                if n > 0:
                    pv = 0.0
                    if code == 1:
                        mean = 0.0
                        second = 0.0
                        acc = 0.0
                        for j in range(n_support[x, a]):
                            y = support[x, a, j]
                            Nxy = N[hc, x, a, y]
                            v = V[h + 1, y]
                            pv += Nxy * v
                            p = Nxy / n
                            mean += p * v
                            second += p * v ** 2
                            if capped and p > 0:
                                acc += p * cap[y]
                        var = max(second - mean * mean, 0.0)
                        b = math.sqrt(8.0 * L * var / n) + 14.0 * H * L / (3.0 * n)
                        if capped:
                            b += math.sqrt(8.0 * acc / n)
                    else:
                        for j in range(n_support[x, a]):
                            y = support[x, a, j]
                            pv += N[hc, x, a, y] * V[h + 1, y]
                        b = ch_numerator / math.sqrt(n) if code == 0 else 0.0
                    target = r[hr, x, a] + pv / n + b
                    q = min(q, H * 1.0, target)
                Q[h, x, a] = q
                if q > best:
                    best = q
            V[h, x] = best


@njit(cache=True)
def _replication(P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step, seed, rep, checkpoints,
                 regret_out, counts_out, keys, N, Nsa, Nh_state, Q, V, pi, V_pi, cap):
    """One replication on handed scratch, which it initialises: tape keys (1, S, A), counts N (Hc, S, A, S) and Nsa
    (Hc, S, A), Nh_state (H, S), Q (H, S, A), V and V_pi (H + 1, S), pi (H, S), cap (S,); the visits of each pair are
    kept in ``counts_out``. Returns the optimism failures. Written once, for the CPU (:func:`_run_many`) and the GPU
    (``gpu_kernels.rl``)."""
    S, A = P.shape[1], P.shape[2]
    for x in range(S):
        cap[x] = 0.0
        for a in range(A):
            keys[0, x, a] = transition_key(seed, rep, 0, x, a, S, A)
            counts_out[x, a] = 0
            for hc in range(N.shape[0]):
                Nsa[hc, x, a] = 0.0
                for y in range(S):
                    N[hc, x, a, y] = 0.0
        for h in range(H + 1):
            V[h, x] = 0.0
            V_pi[h, x] = 0.0
            if h < H:
                Nh_state[h, x] = 0.0
                pi[h, x] = 0
                for a in range(A):
                    Q[h, x, a] = H * 1.0
    visits = counts_out
    gap = 0.0
    total, ci, optimism_failures = 0.0, 0, 0
    for k in range(K):
        _plan(r, H, L, code, log_power, per_step, N, Nsa, Nh_state, Q, V, states[0], n_support, cap)
        if V[0, x1] < v_star - 1e-9:
            optimism_failures += 1
        if greedy_into(Q, pi) or k == 0:      # late in a run the greedy policy rarely changes: evaluate it then
            policy_value_into(P, r, pi, H, V_pi)
            gap = v_star - V_pi[0, x1]
        total += gap
        s = x1
        for h in range(H):
            a = pi[h, s]
            y = next_state_of_pair(states[0], cdf[0], s, a, keys[0, s, a], visits[s, a])
            visits[s, a] += 1
            hc = h if per_step else 0
            N[hc, s, a, y] += 1.0
            Nsa[hc, s, a] += 1.0
            Nh_state[h, s] += 1.0
            s = y
        if ci < checkpoints.size and checkpoints[ci] == k + 1:
            regret_out[ci] = total
            ci += 1
    return optimism_failures


@njit(cache=True, parallel=True)
def _run_many(P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step, seed, first_rep,
              checkpoints, regret, counts, failures):
    S, A = P.shape[1], P.shape[2]
    Hc = H if per_step else 1
    for i in prange(regret.shape[0]):
        failures[i] = _replication(P, r, states, cdf, n_support, H, K, x1, v_star, code, L, log_power, per_step, seed,
                                   first_rep + i, checkpoints, regret[i], counts[i],
                                   np.empty((1, S, A), dtype=np.uint64), np.empty((Hc, S, A, S)), np.empty((Hc, S, A)),
                                   np.empty((H, S)), np.empty((H, S, A)), np.empty((H + 1, S)),
                                   np.empty((H, S), dtype=np.int64), np.empty((H + 1, S)), np.empty(S))


def _arguments(model, K, bonus, delta, log_power, T_is_K):
    require_episodic(model).require_unit_rewards("UCBVI")
    if model.stage_dependent:
        raise TabularEnvError("UCBVI's theorems are for time-homogeneous P: pass P of shape (S, A, S)")
    if bonus not in BONUSES:
        raise TabularEnvError(f"unknown bonus {bonus!r}; known: {', '.join(BONUSES)}")
    if int(K) < 1:
        raise TabularEnvError(f"K must be a positive number of episodes, got {K!r}")
    if not 0 < delta < 1:
        raise TabularEnvError(f"delta must lie in (0, 1), got {delta!r}")
    if log_power not in (0.5, 1.0):
        raise TabularEnvError(f"log_power must be 1 (UCBVI-CH) or 0.5 (the sqrt(L) variant), got {log_power!r}")
    return ucbvi_log_term(model.S, model.A, int(K), model.H, delta, T_is_K)


def ucbvi(model: EpisodicModel, K: int, *, bonus: str = "ch", delta: float = 0.1, seed: int = 0,
          n_replications: int = 1, first_replication: int = 0, checkpoints=None, log_power: float = 1.0,
          per_step_counts: bool = False, T_is_K: bool = False):
    """Run UCBVI for K episodes in ``n_replications`` replications. Returns (regret, optimism_failures, counts):
    regret[i, j] the cumulative pseudo-regret after checkpoints[j] episodes, optimism_failures[i] the episodes with
    max_a Q_{k,1}(x_1, a) < V*_1(x_1), counts[i, x, a] the visits of each pair."""
    L = _arguments(model, K, bonus, delta, log_power, T_is_K)
    ck = checkpoint_grid(checkpoints, int(K), "episodes")
    n = int(n_replications)
    regret = np.zeros((n, ck.size))
    counts = np.zeros((n, model.S, model.A), dtype=np.int64)
    failures = np.zeros(n, dtype=np.int64)
    run_many = driver("ucbvi", _run_many)
    run_many(model.P, model.r, model.states, model.cdf, model.n_support[0], model.H, int(K), model.x1, model.v_star,
             BONUSES[bonus], L, float(log_power), bool(per_step_counts), np.uint64(seed), int(first_replication), ck,
             regret, counts, failures)
    return regret, failures, counts


def ucbvi_reference(model: EpisodicModel, K: int, *, bonus: str = "ch", delta: float = 0.1, seed: int = 0,
                    rep: int = 0, log_power: float = 1.0, per_step_counts: bool = False, T_is_K: bool = False):
    """Plain-Python UCBVI on the same tape (the kernel's reference), written from the equations in the module
    docstring with NumPy arrays. Returns (per-episode regrets, actions taken (K, H), final Q, visits (S, A))."""
    L = _arguments(model, K, bonus, delta, log_power, T_is_K)
    S, A, H = model.S, model.A, model.H
    r = model.r[0]
    cdf = transition_cdf(model.P)[0]
    keys = stream_keys.py_func(np.uint64(seed), rep, 1, S, A)[0]
    Hc = H if per_step_counts else 1
    N = np.zeros((Hc, S, A, S))
    state_visits = np.zeros((H, S))
    visits = np.zeros((S, A), dtype=np.int64)
    Q = np.full((H, S, A), float(H))
    regrets, actions = [], []
    for _ in range(K):
        V = np.zeros((H + 1, S))
        for h in reversed(range(H)):
            Nh = N[h if per_step_counts else 0]                  # (S, A, S): all pairs at once
            n = Nh.sum(axis=2)
            seen = n > 0
            p_hat = Nh / np.maximum(n, 1)[..., None]
            mean = p_hat @ V[h + 1]
            if bonus == "ch":
                b = 7 * H * L ** log_power / np.sqrt(np.maximum(n, 1))
            elif bonus == "none":
                b = np.zeros((S, A))
            else:
                var = np.maximum(p_hat @ V[h + 1] ** 2 - mean ** 2, 0.0)
                b = np.sqrt(8 * L * var / np.maximum(n, 1)) + 14 * H * L / (3 * np.maximum(n, 1))
                if h + 1 < H:
                    m = state_visits[h + 1]
                    cap = np.where(m > 0, np.minimum(1e4 * H ** 3 * S ** 2 * A * L ** 2 / np.maximum(m, 1), H ** 2),
                                   H ** 2)
                    b = b + np.sqrt(8 * (p_hat * (p_hat > 0)) @ cap / np.maximum(n, 1))
            Q[h] = np.where(seen, np.minimum(np.minimum(Q[h], H), r + mean + b), Q[h])
            V[h] = Q[h].max(axis=1)
        pi = Q.argmax(axis=2)
        regrets.append(model.v_star - policy_value.py_func(model.P, model.r, pi, H)[0, model.x1])
        s, taken = model.x1, []
        for h in range(H):
            a = int(pi[h, s])
            y = next_state(cdf[s, a], keys[s, a], visits[s, a])
            visits[s, a] += 1
            N[h if per_step_counts else 0, s, a, y] += 1
            state_visits[h, s] += 1
            taken.append(a)
            s = y
        actions.append(taken)
    return np.array(regrets), np.array(actions), Q, visits
