"""SQIRL with tabular regression (Laidlaw, Zhu, Russell, Dragan 2024; the catalogue's reading of the authors' code,
``effective_horizon/sb3/algorithms/sqirl.py``, whose regressions are neural; here they are per-(h, s, a) averages).

For i = 0..H-1: collect m fresh episodes that follow the policy learned so far at steps h < i and act uniformly at
random at steps h >= i; keep the transitions at steps h >= i with their Monte Carlo returns-to-go G_h.
Head 1 regresses G_h on (h, s, a) (an estimate of Q^rand_h); head j = 2..k regresses r_h + max_a' Q^{j-1}_{h+1}(s',
a') (fitted Q iteration on the same data; the max runs over the actions seen at (h+1, s')). The step-i policy is
greedy in head k at step i (ties to the lowest action; states not seen at step i keep action 0).
``reuse=True`` keeps the data of all earlier iterations (the catalogue's trap: episodes collected for iteration
i' < i act at random at steps i'..i-1, so reusing them estimates returns under the wrong policy prefix and biases
the state distribution; the regression targets at steps >= i remain those of the random policy).

With exact regression (m -> infinity) head 1 is Q^rand and head k is Q^k of k-QVI, so SQIRL's policy is greedy in
Q^k: optimal on every k-QVI-solvable MDP (``sqirl_exact``; the effective-horizon machinery decides k).
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..counter_rng import new_state, next_uniform
from ..errors import TabularEnvError
from .episodic import EpisodicModel, backward_induction, policy_value, require_episodic, stream_keys
from .tape import next_state_of_pair

__all__ = ["sqirl", "sqirl_exact", "sqirl_reference"]

SUCCESS_TOLERANCE = 1e-4


@njit(cache=True)
def _run_one(P, r, states, cdf, H, x1, k, m, reuse, myopic, seed, rep):
    S, A = P.shape[1], P.shape[2]
    Hp = P.shape[0]
    keys = stream_keys(seed, rep, Hp, S, A)
    visits = np.zeros((Hp, S, A), dtype=np.int64)
    st = new_state(seed, rep)
    pi = np.zeros((H, S), dtype=np.int64)
    cap = m * H * H if reuse else m * H
    hs = np.empty(cap, dtype=np.int64)
    ss = np.empty(cap, dtype=np.int64)
    as_ = np.empty(cap, dtype=np.int64)
    rs = np.empty(cap)
    nxt = np.empty(cap, dtype=np.int64)
    gs = np.empty(cap)
    n_kept = 0
    traj_s = np.empty(H, dtype=np.int64)
    traj_a = np.empty(H, dtype=np.int64)
    traj_r = np.empty(H)
    traj_y = np.empty(H, dtype=np.int64)
    count = np.zeros((H, S, A))
    acc = np.zeros((H, S, A))
    Q = np.zeros((H + 1, S, A))
    for i in range(H):
        if not reuse:
            n_kept = 0
        for _ in range(m):
            s = x1
            for h in range(H):
                hp = h if Hp > 1 else 0
                hr = h if r.shape[0] > 1 else 0
                if h < i:
                    a = pi[h, s]
                else:
                    a = min(int(next_uniform(st) * A - 1e-12), A - 1)
                y = next_state_of_pair(states[hp], cdf[hp], s, a, keys[hp, s, a], visits[hp, s, a])
                visits[hp, s, a] += 1
                traj_s[h], traj_a[h], traj_r[h], traj_y[h] = s, a, r[hr, s, a], y
                s = y
            g = 0.0
            for h in range(H - 1, i - 1, -1):
                g += traj_r[h]
                hs[n_kept], ss[n_kept], as_[n_kept] = h, traj_s[h], traj_a[h]
                rs[n_kept], nxt[n_kept], gs[n_kept] = traj_r[h], traj_y[h], traj_r[h] if myopic else g
                n_kept += 1
        count[:, :, :] = 0.0
        acc[:, :, :] = 0.0
        for j in range(n_kept):
            if hs[j] >= i:
                count[hs[j], ss[j], as_[j]] += 1.0
                acc[hs[j], ss[j], as_[j]] += gs[j]
        for h in range(H):
            for s in range(S):
                for a in range(A):
                    Q[h, s, a] = acc[h, s, a] / count[h, s, a] if count[h, s, a] > 0 else 0.0
        for _ in range(k - 1):
            acc[:, :, :] = 0.0
            for j in range(n_kept):
                h = hs[j]
                if h < i:
                    continue
                best = 0.0
                if h + 1 < H:
                    best = -1e300
                    for a2 in range(A):
                        if count[h + 1, nxt[j], a2] > 0 and Q[h + 1, nxt[j], a2] > best:
                            best = Q[h + 1, nxt[j], a2]
                acc[h, ss[j], as_[j]] += rs[j] + best
            for h in range(H):
                for s in range(S):
                    for a in range(A):
                        if count[h, s, a] > 0:
                            Q[h, s, a] = acc[h, s, a] / count[h, s, a]
        for s in range(S):
            b = -1
            for a in range(A):
                if count[i, s, a] > 0 and (b < 0 or Q[i, s, a] > Q[i, s, b]):
                    b = a
            pi[i, s] = max(b, 0)
    return pi


@njit(cache=True, parallel=True)
def _run_many(P, r, states, cdf, H, x1, k, m, reuse, myopic, seed, first_rep, out):
    for i in prange(out.shape[0]):
        out[i] = _run_one(P, r, states, cdf, H, x1, k, m, reuse, myopic, seed, first_rep + i)


@njit(cache=True)
def _policy_value_on_support(P, r, states, n_support, policy, H):
    """``episodic.policy_value`` summing over each row's support only (``EpisodicModel.states``, in increasing
    order): the terms it skips are zeros (0 * V for finite V) and adding a zero does not change a sum's value, so the
    result is the same in O(H S K) instead of O(H S^2) (S8's published MDPs: hundreds of states, a few successors
    per row)."""
    S = P.shape[1]
    V = np.zeros((H + 1, S))
    for h in range(H - 1, -1, -1):
        hp = h if P.shape[0] > 1 else 0
        hr = h if r.shape[0] > 1 else 0
        for s in range(S):
            a = policy[h, s]
            v = r[hr, s, a]
            for k in range(n_support[hp, s, a]):
                y = states[hp, s, a, k]
                v += P[hp, s, a, y] * V[h + 1, y]
            V[h, s] = v
    return V


def _check(model, k, m):
    require_episodic(model)
    if int(k) < 1 or int(m) < 1:
        raise TabularEnvError(f"k and m must be positive integers, got k={k!r}, m={m!r}")


def sqirl(model: EpisodicModel, k: int, m: int, *, seed: int = 0, n_replications: int = 1, first_replication: int = 0,
          reuse: bool = False, myopic: bool = False):
    """Run tabular SQIRL(k, m). Returns (success, policies): success[i] when the learned policy is optimal from x_1
    (V^pi_1(x_1) >= V*_1(x_1) - 1e-4, the effective-horizon tolerance), policies[i] (H, S). ``myopic=True``
    regresses head 1 on the immediate reward instead of the return (a bug, for the negative controls)."""
    _check(model, k, m)
    n = int(n_replications)
    pols = np.zeros((n, model.H, model.S), dtype=np.int64)
    _run_many(model.P, model.r, model.states, model.cdf, model.H, model.x1, int(k), int(m), bool(reuse), bool(myopic),
              np.uint64(seed), int(first_replication), pols)
    values = np.array([_policy_value_on_support(model.P, model.r, model.states, model.n_support, p, model.H)
                       [0, model.x1] for p in pols])
    return values >= model.v_star - SUCCESS_TOLERANCE, pols


def sqirl_reference(model: EpisodicModel, k: int, m: int, *, seed: int = 0, rep: int = 0) -> np.ndarray:
    """Plain-Python SQIRL(k, m) on the same tape and algorithm stream (the kernel's reference), the regressions
    written as dictionaries of per-(h, s, a) sample lists. Returns the learned policy (H, S)."""
    from ..reference_rng import Stream
    from .tape import next_state, transition_cdf
    _check(model, k, m)
    H, S, A = model.H, model.S, model.A
    Hp = model.P.shape[0]
    cdf = transition_cdf(model.P)
    keys = stream_keys.py_func(np.uint64(seed), rep, Hp, S, A)
    stream = Stream(seed, rep)                     # the algorithm's uniforms, in pure Python

    def uniform_action():
        return min(int(stream.uniform() * A - 1e-12), A - 1)
    visits = np.zeros((Hp, S, A), dtype=np.int64)
    pi = np.zeros((H, S), dtype=np.int64)
    for i in range(H):
        data = []                                                   # (h, s, a, r, s', G) at steps >= i
        for _ in range(m):
            s, traj = model.x1, []
            for h in range(H):
                hp, hr = (h if Hp > 1 else 0), (h if model.r.shape[0] > 1 else 0)
                a = int(pi[h, s]) if h < i else uniform_action()
                y = next_state(cdf[hp, s, a], keys[hp, s, a], visits[hp, s, a])
                visits[hp, s, a] += 1
                traj.append((h, s, a, float(model.r[hr, s, a]), int(y)))
                s = y
            g = 0.0
            for h, s_, a, rew, y in reversed(traj[i:]):
                g += rew
                data.append((h, s_, a, rew, y, g))
        samples = {}
        for h, s_, a, rew, y, g in data:
            samples.setdefault((h, s_, a), []).append((rew, y, g))
        Q = {key: sum(x[2] for x in v) / len(v) for key, v in samples.items()}
        for _ in range(k - 1):
            def best_next(h, y, Q=Q):
                if h + 1 >= H:
                    return 0.0
                return max(Q[(h + 1, y, b)] for b in range(A) if (h + 1, y, b) in Q)
            Q = {key: sum(rew + best_next(key[0], y) for rew, y, _ in v) / len(v) for key, v in samples.items()}
        for s in range(S):
            seen = [a for a in range(A) if (i, s, a) in Q]
            pi[i, s] = max(seen, key=lambda a: (Q[(i, s, a)], -a)) if seen else 0
    return pi


def sqirl_exact(model: EpisodicModel, k: int) -> tuple[bool, np.ndarray]:
    """SQIRL with exact regression: head 1 = Q^rand (the uniform random policy's Q, by backward induction), heads
    2..k = Bellman optimality backups; pi_i = greedy (lowest action on ties) in head k at step i. Returns (optimal
    from x_1, policy)."""
    _check(model, k, 1)
    H, S, A = model.H, model.S, model.A
    P, r = model.P, model.r
    q_rand = np.zeros((H + 1, S, A))
    for h in range(H - 1, -1, -1):
        hp, hr = (h if P.shape[0] > 1 else 0), (h if r.shape[0] > 1 else 0)
        q_rand[h] = r[hr] + P[hp] @ q_rand[h + 1].mean(axis=1)
    q = q_rand
    for _ in range(int(k) - 1):
        new = np.zeros_like(q)
        for h in range(H - 1, -1, -1):
            hp, hr = (h if P.shape[0] > 1 else 0), (h if r.shape[0] > 1 else 0)
            new[h] = r[hr] + P[hp] @ q[h + 1].max(axis=1)
        q = new
    pi = q[:H].argmax(axis=2)
    value = policy_value(P, r, pi, H)[0, model.x1]
    _, V = backward_induction(P, r, H)
    return bool(value >= V[0, model.x1] - SUCCESS_TOLERANCE), pi
