"""Stock-augmented return-distribution optimisation (Pires et al. 2025; reconstructed from the abstract).

Finite-horizon MDPs with integer rewards and gamma = 1, start state 0. The stock c is the reward collected so far
(the catalogue's reconstruction c_{t+1} = (c_t + r_t)/gamma with gamma = 1), so c0 + G = c_H. For an expected
utility E f(c0 + G), the augmented backward induction
    U_H(s, c) = f(c),   U_t(s, c) = max_a sum_s' P(s'|s, a) U_{t+1}(s', c + r(s, a))
is optimal over all history-dependent policies (the stock summarises the history for this objective).
CVaR_tau(G) = max_c {c - E[(c - G)_+]/tau}: for each c the inner problem is the expected utility f(x) = min(x, 0)
with c0 = -c, so max_pi CVaR_tau(G^pi) = max_c {c + max_pi E[min(G - c, 0)]/tau}, an outer search over the
finitely many achievable returns.

Independent routes for the checks: ``enumerate_history_policies`` enumerates every deterministic history-dependent
policy on the reachable histories (tiny instances), ``best_markov_value`` every deterministic Markov policy.
"""
from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

from tabular_envs.errors import InvalidMDPError
from tabular_envs.mdp.model import TabularMDP

__all__ = ["validate_integer_mdp", "augmented_optimum", "return_distribution", "enumerate_history_policies",
           "best_markov_value", "cvar", "cvar_optimum", "mean_variance",
           "stagewise_mean_variance_value"]


def validate_integer_mdp(mdp: TabularMDP) -> None:
    """Check a finite-horizon MDP with integer rewards (the stock takes integer values)."""
    if not isinstance(mdp, TabularMDP) or not mdp.is_finite_horizon or mdp.P.ndim != 3:
        raise InvalidMDPError("stock augmentation needs a finite-horizon, time-stationary TabularMDP")
    bad = np.argwhere(mdp.r != np.round(mdp.r))
    if bad.size:
        s, a = bad[0]
        raise InvalidMDPError(f"r[{s}, {a}] = {mdp.r[s, a]!r} is not an integer (the stock grid needs integer rewards)")


def augmented_optimum(mdp: TabularMDP, f, c0: int = 0) -> float:
    """max over history-dependent policies of E f(c0 + G), by augmented backward induction over (t, s, c)."""
    validate_integer_mdp(mdp)
    H, r = mdp.horizon, mdp.r.astype(np.int64)
    lo = c0 + H * min(0, int(r.min()))
    hi = c0 + H * max(0, int(r.max()))
    cs = np.arange(lo, hi + 1)
    U = np.tile(np.array([f(c) for c in cs], dtype=np.float64), (mdp.n_states, 1))        # U[s, c - lo]
    for _ in range(H):
        new = np.full_like(U, -np.inf)
        for a in range(mdp.n_actions):
            # stocks reachable from c0 never leave the grid; entries that would (unreachable) get a filler
            shifted = np.zeros_like(U)
            for s in range(mdp.n_states):
                k = int(r[s, a])
                idx = np.arange(cs.size) + k
                ok = (idx >= 0) & (idx < cs.size)
                cont = mdp.P[s, a] @ U                                                       # (n_c,)
                shifted[s, ok] = cont[idx[ok]]
            new = np.maximum(new, shifted)
        U = new
    return float(U[0, c0 - lo])


def return_distribution(mdp: TabularMDP, policy) -> dict[int, float]:
    """Law of G under ``policy(history)`` -> action, history = (s0, a0, s1, a1, ..., s_t)."""
    validate_integer_mdp(mdp)
    out: dict[int, float] = {}

    def walk(history, t, g, prob):
        if prob == 0:
            return
        if t == mdp.horizon:
            out[g] = out.get(g, 0.0) + prob
            return
        s = history[-1]
        a = policy(history)
        for s2 in np.flatnonzero(mdp.P[s, a] > 0):
            walk(history + (a, int(s2)), t + 1, g + int(mdp.r[s, a]), prob * mdp.P[s, a, s2])
    walk((0,), 0, 0, 1.0)
    return out


def _reachable_histories(mdp: TabularMDP) -> list[tuple]:
    """Every history (s0, a0, ..., s_t), t < H, reachable with positive probability under some policy."""
    out, frontier = [], [(0,)]
    for _ in range(mdp.horizon):
        out.extend(frontier)
        nxt = []
        for h in frontier:
            for a in range(mdp.n_actions):
                nxt.extend(h + (a, int(s2)) for s2 in np.flatnonzero(mdp.P[h[-1], a] > 0))
        frontier = nxt
    return out


def enumerate_history_policies(mdp: TabularMDP, max_policies: int = 1 << 16):
    """Yield the return distribution of every deterministic history-dependent policy (None if too many)."""
    histories = _reachable_histories(mdp)
    if mdp.n_actions ** len(histories) > max_policies:
        return None
    index = {h: i for i, h in enumerate(histories)}
    return (return_distribution(mdp, lambda h, c=choice: c[index[h]])
            for choice in itertools.product(range(mdp.n_actions), repeat=len(histories)))


def best_markov_value(mdp: TabularMDP, objective) -> float:
    """max over deterministic Markov policies (action = pi[t][s]) of objective(law of G)."""
    S, A, H = mdp.n_states, mdp.n_actions, mdp.horizon
    best = -np.inf
    for flat in itertools.product(range(A), repeat=S * H):
        table = np.array(flat).reshape(H, S)
        best = max(best, objective(return_distribution(mdp, lambda h, table=table: table[(len(h) - 1) // 2, h[-1]])))
    return float(best)


def expected_utility(dist: dict[int, float], f, c0: int = 0) -> float:
    """E f(c0 + G) for the law ``dist`` of the return G (a dict value -> probability)."""
    return float(sum(p * f(c0 + g) for g, p in dist.items()))


def cvar(dist: dict[int, float], tau: float) -> float:
    """CVaR_tau(G) = max_c {c - E[(c - G)_+]/tau} (the mean of the worst tau-fraction); the max is at an atom."""
    return float(max(c - sum(p * max(c - g, 0) for g, p in dist.items()) / tau for c in dist))


def _achievable_returns(mdp: TabularMDP) -> np.ndarray:
    H, r = mdp.horizon, mdp.r.astype(np.int64)
    return np.arange(H * min(0, int(r.min())), H * max(0, int(r.max())) + 1)


def cvar_optimum(mdp: TabularMDP, tau: float) -> tuple[float, int]:
    """max_pi CVaR_tau(G^pi) by the outer search over c of the augmented expected-utility problem; returns
    (value, the maximising c)."""
    if not 0 < tau <= 1:
        raise InvalidMDPError(f"tau must lie in (0, 1], got {tau!r}")
    best, arg = -np.inf, None
    for c in _achievable_returns(mdp):
        v = c + augmented_optimum(mdp, lambda x: min(x, 0), c0=-int(c)) / tau
        if v > best:
            best, arg = v, int(c)
    return float(best), arg


def mean_variance(dist: dict[int, float], lam: float) -> float:
    """E[G] - lam Var(G) for the law ``dist`` of the return G (not an expected utility: time-inconsistent)."""
    m = sum(p * g for g, p in dist.items())
    return float(m - lam * sum(p * (g - m) ** 2 for g, p in dist.items()))


def stagewise_mean_variance_value(mdp: TabularMDP, lam: float) -> float:
    """Backward induction on (t, s, c) that picks, at each node, the action whose continuation return law (under
    the already-chosen later actions) maximises mean - lam var of c + G: the natural but time-inconsistent DP.
    Returns mean - lam var of the resulting policy's return."""
    validate_integer_mdp(mdp)

    @lru_cache(maxsize=None)
    def law(t: int, s: int, c: int) -> tuple:
        if t == mdp.horizon:
            return ((c, 1.0),)
        best, best_val = None, -np.inf
        for a in range(mdp.n_actions):
            acc: dict[int, float] = {}
            for s2 in np.flatnonzero(mdp.P[s, a] > 0):
                for g, p in law(t + 1, int(s2), c + int(mdp.r[s, a])):
                    acc[g] = acc.get(g, 0.0) + p * mdp.P[s, a, s2]
            val = mean_variance(acc, lam)
            if val > best_val + 1e-12:
                best, best_val = tuple(sorted(acc.items())), val
        return best
    return mean_variance(dict(law(0, 0, 0)), lam)
