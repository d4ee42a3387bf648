"""Effective horizon (Laidlaw, Russell, Dragan 2023) on finite-horizon tabular MDPs.

Time steps t = 0..H-1, start state s0, rewards r[s, a] (time-stationary), transitions P[s, a, s'].
- Q^1 = Q of the uniform random policy; Q^{i+1}_t(s, a) = r(s, a) + E_{s'} max_a' Q^i_{t+1}(s', a') (the last step
  keeps Q_{H-1} = r). ``k``-QVI-solvable: acting greedily on Q^k (every tied action) from s0 reaches only states
  where the greedy actions are optimal, Q*_t(s, a) >= V*_t(s) - 1e-4. ``min_k`` is the smallest such k;
  ``effective_planning_window`` (epw) is the same loop started from Q = r instead of Q^1.
- ``theorem_5_4_bound``: for each k = 1, 2, ... while k < current bound (initially H), if every state reached
  by greedy-on-Q^k moves (actions strictly above the best Q*-suboptimal one) has a positive gap
  Delta_k(t, s) = max_a Q^k - max over Q*-suboptimal a of Q^k, then m_k = max_{t,s} max(1, ceil(16 var_k(t, s) /
  Delta_k(t, s)^2 ln(2 H A^k))) with var_k(t, s) = max over actions of the k-step look-ahead maximum of
  (Q_rand - Q_worst)(Q* - Q_worst), and H_k = k + log_A m_k; the effective horizon is min_k H_k.
These follow the authors' reference implementation (commit 1a83eb7), including its order of operations: the
random-policy value is clipped into [V_worst, V*] at each step, the reachable set for the bound follows actions
whose Q^k is strictly above the best suboptimal one, and the reported (gap, var) pair is the one of the first
maximiser of m in (state, time) order.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InvalidMDPError, SolverError
from ..mdp.model import TabularMDP

__all__ = ["HorizonValues", "horizon_values", "min_k", "effective_planning_window", "EffectiveHorizonResult",
           "theorem_5_4_bound", "gorp1_failure_probability", "simulate_gorp", "reference_mdps", "REWARD_PRECISION",
           "REFERENCE_DATA", "smallest_gorp_m", "EffectiveHorizonAnalysis", "analyze_bridge"]

REWARD_PRECISION = 1e-4
REFERENCE_DATA = Path(__file__).resolve().parents[1] / "data" / "effective_horizon"


@dataclass(frozen=True)
class HorizonValues:
    """Q arrays of shape (H, S, A) for the random, optimal and worst policies."""
    P: np.ndarray
    r: np.ndarray
    horizon: int
    start: int
    q_rand: np.ndarray
    q_star: np.ndarray
    q_worst: np.ndarray

    @property
    def v_star(self) -> np.ndarray:
        return self.q_star.max(axis=2)


def _stationary(mdp: TabularMDP, horizon: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    if not isinstance(mdp, TabularMDP):
        raise InvalidMDPError(f"mdp must be a TabularMDP, got {type(mdp).__name__}")
    H = mdp.horizon if horizon is None else horizon
    if H is None or isinstance(H, bool) or not isinstance(H, (int, np.integer)) or H < 1:
        raise InvalidMDPError(f"a finite horizon >= 1 is needed (argument horizon or mdp.horizon), got {H!r}")
    if mdp.P.ndim != 3 or mdp.r.ndim != 2:
        raise InvalidMDPError("the effective-horizon quantities need time-stationary P (S, A, S) and r (S, A)")
    return mdp.P, mdp.r, int(H)


def horizon_values(mdp: TabularMDP, horizon: int | None = None, start: int = 0) -> HorizonValues:
    """Q of the uniform random policy, of the optimal and of the worst policy, for t = 0..H-1 (the quantities every
    effective-horizon computation starts from); the random policy's value is clipped into [V_worst, V*] at each step,
    as in the authors' code."""
    P, r, H = _stationary(mdp, horizon)
    S, A = r.shape
    if not 0 <= start < S:
        raise InvalidMDPError(f"start = {start} is not a state index in [0, {S})")
    q_rand, q_star, q_worst = (np.empty((H, S, A)) for _ in range(3))
    v_rand = v_star = v_worst = np.zeros(S)
    for t in range(H - 1, -1, -1):
        q_rand[t] = r + P @ v_rand
        q_star[t] = r + P @ v_star
        q_worst[t] = r + P @ v_worst
        v_star, v_worst = q_star[t].max(axis=1), q_worst[t].min(axis=1)
        v_rand = np.minimum(v_star, np.maximum(v_worst, q_rand[t].mean(axis=1)))
    return HorizonValues(P, r, H, start, q_rand, q_star, q_worst)


def _backup(P, r, q) -> np.ndarray:
    """One Bellman optimality backup of a time-indexed Q; the last step is unchanged."""
    out = q.copy()
    out[:-1] = r[None] + np.einsum("sab,tb->tsa", P, q[1:].max(axis=2))
    return out


def _greedy_optimal(hv: HorizonValues, q: np.ndarray) -> bool:
    """Acting greedily on q (all tied actions) from the start state picks only optimal actions."""
    reach = np.zeros(hv.P.shape[0], dtype=bool)
    reach[hv.start] = True
    for t in range(hv.horizon):
        qt = q[t][reach]
        greedy = qt >= qt.max(axis=1, keepdims=True)
        optimal = hv.q_star[t][reach] >= hv.v_star[t][reach][:, None] - REWARD_PRECISION
        if (greedy & ~optimal).any():
            return False
        if t + 1 < hv.horizon:
            moves = np.einsum("sa,sab->b", greedy.astype(float), hv.P[reach])
            reach = moves > 0
    return True


def _first_solvable_k(hv: HorizonValues, q: np.ndarray) -> int:
    k = 1
    while not _greedy_optimal(hv, q):
        q = _backup(hv.P, hv.r, q)
        k += 1
        if k > hv.horizon + 1:   # Q^H = Q*: cannot happen for a correct backup
            raise SolverError("no k <= H + 1 makes greedy-on-Q^k optimal (Q^H = Q* must be: a bug)")
    return k


def min_k(mdp: TabularMDP, horizon: int | None = None, start: int = 0) -> int:
    """Smallest k such that the MDP is k-QVI-solvable (greedy on Q^k is optimal from ``start``)."""
    hv = horizon_values(mdp, horizon, start)
    return _first_solvable_k(hv, hv.q_rand.copy())


def effective_planning_window(mdp: TabularMDP, horizon: int | None = None, start: int = 0) -> int:
    """The same as ``min_k`` started from Q = r at every step instead of Q of the random policy."""
    hv = horizon_values(mdp, horizon, start)
    return _first_solvable_k(hv, np.broadcast_to(hv.r, hv.q_rand.shape).copy())


@dataclass
class EffectiveHorizonResult:
    """Theorem 5.4 as the authors' code reports it: for each k whose greedy-on-Q^k policy has positive gaps, the bound
    m_k and the (gap, variance) pair that attains it; ``effective_horizon`` = min_k (k + log_A m_k), or H."""
    ks: list[int] = field(default_factory=list)
    ms: list[int] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)
    vars: list[float] = field(default_factory=list)
    effective_horizon: float = math.inf


def theorem_5_4_bound(mdp: TabularMDP, horizon: int | None = None, start: int = 0) -> EffectiveHorizonResult:
    """The Theorem 5.4 effective-horizon bound (Laidlaw et al. 2023), as the authors' code computes it."""
    hv = horizon_values(mdp, horizon, start)
    P, r, H = hv.P, hv.r, hv.horizon
    S, A = r.shape
    var = (hv.q_rand - hv.q_worst) * (hv.q_star - hv.q_worst)
    q = hv.q_rand.copy()
    suboptimal = hv.q_star < hv.v_star[:, :, None] - REWARD_PRECISION
    res = EffectiveHorizonResult(effective_horizon=float(H))
    k = 1
    while k < res.effective_horizon:
        ms = np.zeros((H, S), dtype=object)
        gaps = np.zeros((H, S))
        state_vars = np.zeros((H, S))
        works = True
        reach = np.zeros(S, dtype=bool)
        reach[hv.start] = True
        log_term = math.log(2 * H * float(A) ** k)
        for t in range(H):
            nxt = np.zeros(S, dtype=bool)
            for s in np.flatnonzero(reach):
                qs = q[t, s]
                max_q = qs.max()
                max_sub = qs[suboptimal[t, s]].max() if suboptimal[t, s].any() else -math.inf
                if max_q == max_sub:
                    works = False
                else:
                    gap = max_q - max_sub
                    v = max(0.0, float(var[t, s].max()))
                    gaps[t, s], state_vars[t, s] = gap, v
                    ms[t, s] = max(1, math.ceil(16 * v / gap ** 2 * log_term))
                if t + 1 < H:
                    for a in np.flatnonzero(qs > max_sub):
                        nxt |= P[s, a] > 0
            reach = nxt
            if not works:
                break
        if works:
            flat = ms.T.ravel()                  # (state, time) order: the first maximiser wins ties
            i = max(range(flat.size), key=lambda j: (flat[j], -j))
            s_i, t_i = divmod(i, H)
            m = int(flat[i])
            res.ks.append(k)
            res.ms.append(m)
            res.gaps.append(float(gaps[t_i, s_i]) if math.isfinite(gaps[t_i, s_i]) else None)
            res.vars.append(float(state_vars[t_i, s_i]))
            res.effective_horizon = min(res.effective_horizon, k + math.log(m) / math.log(A))
        q = _backup(P, r, q)
        var = var.copy()
        var[:-1] = _max_over_successors(P, np.maximum(var[1:].max(axis=2), 0.0))
        k += 1
    return res


def _max_over_successors(P, values_next):
    """out[t, s, a] = max over successors s' of (s, a) of values_next[t, s'] (deterministic MDPs have one)."""
    H1, S = values_next.shape
    out = np.empty((H1, S, P.shape[1]))
    support = P > 0
    for s in range(S):
        for a in range(P.shape[1]):
            out[:, s, a] = values_next[:, support[s, a]].max(axis=1)
    return out


def _argmax_probabilities(q: np.ndarray, m: int) -> np.ndarray:
    """P(action a has the highest empirical mean) for independent Binomial(m, q_a) success counts, ties broken
    uniformly at random: for each count x, every other action ties (count x) or falls below it, and a tie among
    j + 1 actions is won with probability 1/(j + 1). The polynomial in the number of ties is built for all x at
    once (vectorised over the counts: O(A^2) array operations of size m + 1)."""
    from scipy.stats import binom
    A = q.size
    x = np.arange(m + 1)
    pmf = binom.pmf(x[None, :], m, q[:, None])                        # (A, m+1)
    below = np.concatenate([np.zeros((A, 1)), np.cumsum(pmf, axis=1)[:, :-1]], axis=1)
    win_share = 1.0 / np.arange(1, A + 1)                             # a tie of j + 1 actions is won w.p. 1/(j + 1)
    out = np.zeros(A)
    for a in range(A):
        poly = np.zeros((m + 1, A))                                   # poly[x, j]: P(j others tie at x, rest below)
        poly[:, 0] = 1.0
        for b in range(A):
            if b != a:
                poly[:, 1:] = poly[:, 1:] * below[b, :, None] + poly[:, :-1] * pmf[b, :, None]
                poly[:, 0] *= below[b]
        out[a] = float(pmf[a] @ (poly @ win_share))
    return out


def gorp1_failure_probability(mdp: TabularMDP, m: int, horizon: int | None = None, start: int = 0) -> float:
    """Exact failure probability of GORP(k = 1, m) on a deterministic MDP whose every episode return is 0 or the
    optimal value R (rewards in {0, R} with at most one reward per episode: 'binomial' MDPs): at step t in state
    s, each action's m rollouts (the action, then uniformly random actions) succeed with probability
    Q_rand(t, s, a)/R; the action with the most successes is kept (ties uniformly at random). GORP fails when it
    keeps a Q*-suboptimal action at some step along its path."""
    hv = horizon_values(mdp, horizon, start)
    P, H = hv.P, hv.horizon
    R = float(hv.v_star[0, start])
    if R <= 0 or not np.all(np.isin(hv.r, [0.0, R])) or (hv.q_rand.max() > R + 1e-12):
        raise InvalidMDPError("gorp1_failure_probability needs rewards in {0, R} with returns in {0, R}, R = V*(s0)")
    if not np.all((P == 0) | (P == 1)):
        raise InvalidMDPError("gorp1_failure_probability needs a deterministic MDP")
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise InvalidMDPError(f"m must be an integer >= 1, got {m!r}")
    nxt = P.argmax(axis=2)
    optimal = hv.q_star >= hv.v_star[:, :, None] - REWARD_PRECISION
    on_path = np.zeros((H, P.shape[0]), dtype=bool)                    # states GORP can reach without failing
    on_path[0, start] = True
    for t in range(H - 1):
        for s in np.flatnonzero(on_path[t]):
            on_path[t + 1, nxt[s, optimal[t, s]]] = True
    fail_next = np.zeros(P.shape[0])                                   # failure probability from step t + 1
    for t in range(H - 1, -1, -1):
        fail = np.ones(P.shape[0])
        for s in np.flatnonzero(on_path[t]):
            choose = _argmax_probabilities(np.clip(hv.q_rand[t, s] / R, 0, 1), int(m))
            after = np.where(optimal[t, s], fail_next[nxt[s]] if t + 1 < H else 0.0, 1.0)
            fail[s] = float(choose @ after)
        fail_next = fail
    return float(fail_next[start])


def simulate_gorp(mdp: TabularMDP, k: int, m: int, n_runs: int, seed: int, horizon: int | None = None,
                  start: int = 0) -> np.ndarray:
    """Run GORP(k, m) (Laidlaw et al. 2023) ``n_runs`` times on a deterministic MDP; returns a boolean array,
    True where every kept action was Q*-optimal. At step t, for every action sequence of length k (truncated at
    the horizon), m rollouts follow the fixed prefix, the sequence, then uniformly random actions; the first
    action of the sequence with the highest mean return is kept (ties uniformly at random)."""
    hv = horizon_values(mdp, horizon, start)
    P, r, H = hv.P, hv.r, hv.horizon
    if not np.all((P == 0) | (P == 1)):
        raise InvalidMDPError("simulate_gorp needs a deterministic MDP")
    for name, v in (("k", k), ("m", m), ("n_runs", n_runs)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise InvalidMDPError(f"{name} must be an integer >= 1, got {v!r}")
    S, A = r.shape
    nxt = P.argmax(axis=2)
    optimal = hv.q_star >= hv.v_star[:, :, None] - REWARD_PRECISION
    rng = np.random.default_rng(seed)
    seqs = np.array(np.unravel_index(np.arange(A ** k), (A,) * k)).T          # (A^k, k), first action first
    state = np.full(n_runs, start)
    ok = np.ones(n_runs, dtype=bool)
    for t in range(H):
        n_seq = seqs.shape[0]
        s = np.repeat(np.repeat(state[:, None], n_seq, axis=1)[:, :, None], m, axis=2)   # (runs, seqs, m)
        ret = np.zeros(s.shape)
        for j in range(H - t):
            a = (np.broadcast_to(seqs[:, j][None, :, None], s.shape) if j < k
                 else rng.integers(0, A, size=s.shape))
            ret += r[s, a]
            s = nxt[s, a]
        means = ret.mean(axis=2)                                                # (runs, seqs)
        best = means >= means.max(axis=1, keepdims=True)
        pick = np.array([rng.choice(np.flatnonzero(row)) for row in best])
        action = seqs[pick, 0]
        ok &= optimal[t, state, action]
        state = nxt[state, action]
    return ok


def reference_mdps() -> dict[str, dict]:
    """The bundled BRIDGE reference MDPs (a copy of ``shared/data/effective_horizon``, see its README): name ->
    {"mdp": TabularMDP, "analyzed": dict, "gorp_bounds": dict, "horizon": int}."""
    from ..mdp.generators import load_bridge
    base = REFERENCE_DATA
    out = {}
    for name, H in (("freeway_10_fs30", 10), ("maze_easy_l0_30_fs1", 30)):
        out[name] = {"mdp": load_bridge(base / name / "mdp.npz", H), "horizon": H,
                     "analyzed": json.loads((base / name / "analyzed.json").read_text()),
                     "gorp_bounds": json.loads((base / name / "gorp_bounds.json").read_text())}
    return out


def smallest_gorp_m(mdp: TabularMDP, target: float = 0.5, horizon: int | None = None, start: int = 0,
                    m_max: int = 10 ** 7) -> int:
    """The smallest m with P[GORP(1, m) succeeds] >= ``target``, from the exact failure probability
    (:func:`gorp1_failure_probability`, so the same 'binomial' deterministic MDPs), found by doubling m and then
    bisecting: O(log m) exact evaluations instead of a scan over every m. This is m_1 of Laidlaw et al. (2023), and
    H_1 = 1 + log_A m_1.

    Bisection assumes the failure probability is non-increasing in m; the result is verified against its
    predecessor (m - 1 must fail the target), and a linear scan agrees on the bundled reference MDPs and on
    generated ones (tests). Raises InvalidMDPError if no m <= ``m_max`` reaches the target."""
    if not 0 < target < 1:
        raise InvalidMDPError(f"target must lie in (0, 1), got {target!r}")

    def ok(m: int) -> bool:
        return 1.0 - gorp1_failure_probability(mdp, m, horizon, start) >= target
    hi = 1
    while not ok(hi):
        if hi >= m_max:
            raise InvalidMDPError(f"no m <= m_max = {m_max} makes GORP(1, m) succeed with probability {target}")
        hi = min(2 * hi, m_max)
    lo = hi // 2                                      # ok(lo) is False (or lo = 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class EffectiveHorizonAnalysis:
    """One MDP's effective-horizon quantities (Laidlaw, Russell, Dragan 2023): ``min_k`` (k-QVI solvability),
    ``epw`` (effective planning window), the Theorem 5.4 bound (its ks, m_k and effective horizon), and, for
    'binomial' MDPs, the exact smallest GORP(1, m) m_1 with success >= 1/2 and H_1 = 1 + log_A m_1 (else None)."""
    name: str
    n_states: int
    n_actions: int
    horizon: int
    min_k: int
    epw: int
    theorem_5_4: EffectiveHorizonResult
    gorp1_m: int | None
    gorp1_effective_horizon: float | None

    def to_dict(self) -> dict:
        return {"name": self.name, "S": self.n_states, "A": self.n_actions, "H": self.horizon, "min_k": self.min_k,
                "epw": self.epw, "ks": self.theorem_5_4.ks, "ms": self.theorem_5_4.ms,
                "effective_horizon": self.theorem_5_4.effective_horizon, "gorp1_m": self.gorp1_m,
                "gorp1_effective_horizon": self.gorp1_effective_horizon}


def analyze_bridge(path, horizon: int, start: int = 0) -> EffectiveHorizonAnalysis:
    """Load a BRIDGE-format MDP (``load_bridge``: ``transitions[s, a]`` next state or -1, ``rewards[s, a]``) with the
    given horizon and compute every effective-horizon quantity of :class:`EffectiveHorizonAnalysis` in one call::

        analyze_bridge("freeway_10_fs30/mdp.npz", horizon=10).to_dict()
    """
    from ..mdp.generators import load_bridge
    mdp = load_bridge(path, horizon)
    bound = theorem_5_4_bound(mdp, start=start)
    try:
        m1 = smallest_gorp_m(mdp, 0.5, start=start)
        h1 = 1 + math.log(m1) / math.log(mdp.n_actions) if mdp.n_actions > 1 else float(m1)
    except InvalidMDPError:                       # not a binomial MDP: no exact GORP probability
        m1, h1 = None, None
    return EffectiveHorizonAnalysis(mdp.name, mdp.n_states, mdp.n_actions, int(horizon), min_k(mdp, start=start),
                                    effective_planning_window(mdp, start=start), bound, m1, h1)
