"""Stochastic linear bandits with a finite action set and OFUL / LinUCB (Lattimore & Szepesvari 2020, ch. 19-20).

X_t = <A_t, theta*> + eta_t with eta_t ~ N(0, 1) (1-subgaussian). OFUL plays argmax_a <a, theta_hat> +
sqrt(beta_{t-1}) ||a||_{V_{t-1}^{-1}}, V_t = lambda I + sum_s A_s A_s^T, with
sqrt(beta_t) = sqrt(lambda) m2 + sqrt(2 log(1/delta) + d log((d lambda + t L^2)/(d lambda))) (Theorem 20.5).
Each replication also returns the elliptical potential sum_t min(1, ||A_t||^2_{V_{t-1}^{-1}}) of its actions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from proofs_check import elliptical_potential_ls_lemma19_4
from tabular_envs.counter_rng import new_state, next_normal
from tabular_envs.errors import InvalidBanditError

__all__ = ["LinearResult", "simulate_oful", "elliptical_potential", "elliptical_potential_bound", "oful_sqrt_beta",
           "random_linear_instance", "worst_case_linear_search"]


@njit(cache=True)
def oful_sqrt_beta(t, d, lam, L, m2, delta):
    """sqrt(beta_t) of Lattimore & Szepesvari (2020), Theorem 20.5 (``proofs_check.oful_sqrt_beta_ls_thm20_5``): the
    confidence radius OFUL uses at round t."""
    return np.sqrt(lam) * m2 + np.sqrt(2.0 * np.log(1.0 / delta) + d * np.log((d * lam + t * L * L) / (d * lam)))


@njit(cache=True)
def _oful_one(actions, theta, T, lam, m2, delta, seed, rep, checkpoints, regret_out, potential_out):
    """One replication. The products with V^{-1} are written as loops over preallocated vectors: the array
    expressions they replace allocated K + 3 arrays a round, which cost more than the arithmetic at d = 5."""
    K, d = actions.shape
    L = 0.0
    for k in range(K):
        L = max(L, np.sqrt(np.sum(actions[k] ** 2)))
    means = actions @ theta
    best = means.max()
    st = new_state(seed, rep)
    V_inv = np.eye(d) / lam
    b = np.zeros(d)
    theta_hat = np.zeros(d)
    w = np.empty(d)
    cum, potential, ci = 0.0, 0.0, 0
    for t in range(T):
        radius = oful_sqrt_beta(t, d, lam, L, m2, delta)
        best_index, a = -np.inf, 0
        for k in range(K):
            quad, mean_k = 0.0, 0.0
            for i in range(d):
                wi = 0.0
                for j in range(d):
                    wi += V_inv[i, j] * actions[k, j]
                quad += actions[k, i] * wi
                mean_k += actions[k, i] * theta_hat[i]
            v = mean_k + radius * np.sqrt(max(quad, 0.0))
            if v > best_index:
                best_index, a = v, k
        norm2 = 0.0
        for i in range(d):
            wi = 0.0
            for j in range(d):
                wi += V_inv[i, j] * actions[a, j]
            w[i] = wi
            norm2 += actions[a, i] * wi
        potential += min(1.0, norm2)
        reward = means[a] + next_normal(st)
        # Sherman-Morrison: (V + x x^T)^{-1} = V^{-1} - w w^T / (1 + x^T V^{-1} x)
        denominator = 1.0 + norm2
        for i in range(d):
            for j in range(d):
                V_inv[i, j] -= w[i] * w[j] / denominator
            b[i] += reward * actions[a, i]
        for i in range(d):
            th = 0.0
            for j in range(d):
                th += V_inv[i, j] * b[j]
            theta_hat[i] = th
        cum += best - means[a]
        if ci < checkpoints.size and checkpoints[ci] == t + 1:
            regret_out[ci] = cum
            potential_out[ci] = potential
            ci += 1


@njit(cache=True, parallel=True)
def _oful_many(actions, theta, T, lam, m2, delta, seed, first, checkpoints, regret, potential):
    for i in prange(regret.shape[0]):
        _oful_one(actions, theta, T, lam, m2, delta, seed, first + i, checkpoints, regret[i], potential[i])


@dataclass(frozen=True)
class LinearResult:
    """OFUL runs: pseudo-regret and elliptical potential of the played actions at the checkpoints."""
    checkpoints: np.ndarray
    regret: np.ndarray       # (replications, checkpoints) pseudo-regret
    potential: np.ndarray    # (replications, checkpoints) elliptical potential of the played actions


def simulate_oful(actions, theta, horizon: int, n_replications: int, seed: int, *, lam: float = 1.0,
                  m2: float | None = None, delta: float = 0.05, checkpoints=None, first_replication: int = 0,
                  parallel: bool = True) -> LinearResult:
    """OFUL on ``n_replications`` independent runs; replication i depends on (seed, i) only. ``parallel=False``
    runs them one after another (what a single-threaded worker wants: it compiles only the one-replication kernel,
    not the parallel driver)."""
    A = np.ascontiguousarray(actions, dtype=np.float64)
    th = np.ascontiguousarray(theta, dtype=np.float64)
    if A.ndim != 2 or th.shape != (A.shape[1],) or A.shape[0] < 1:
        raise InvalidBanditError(f"actions must be (K, d) and theta (d,), got {A.shape} and {th.shape}")
    if not (np.isfinite(A).all() and np.isfinite(th).all()):
        raise InvalidBanditError("actions and theta must be finite")
    if np.abs(A @ th).max() > 1 + 1e-12:
        k = int(np.argmax(np.abs(A @ th)))
        raise InvalidBanditError(f"|<actions[{k}], theta>| = {abs(A[k] @ th):.4g} exceeds 1 (the theorems assume <= 1)")
    m2 = float(np.linalg.norm(th)) if m2 is None else float(m2)
    if m2 < np.linalg.norm(th) - 1e-12:
        raise InvalidBanditError(f"m2 = {m2} is below ||theta|| = {np.linalg.norm(th):.4g}")
    if not (lam > 0 and 0 < delta < 1):
        raise InvalidBanditError(f"need lam > 0 and 0 < delta < 1, got lam={lam!r}, delta={delta!r}")
    ck = np.array([horizon] if checkpoints is None else checkpoints, dtype=np.int64)
    if ck[0] < 1 or ck[-1] > horizon or (np.diff(ck) <= 0).any():
        raise InvalidBanditError(f"checkpoints must be strictly increasing rounds in [1, {horizon}]")
    regret = np.zeros((n_replications, ck.size))
    potential = np.zeros_like(regret)
    args = (A, th, int(horizon), float(lam), m2, float(delta), np.uint64(seed))
    if parallel:
        _oful_many(*args, int(first_replication), ck, regret, potential)
    else:
        for i in range(n_replications):
            _oful_one(*args, int(first_replication) + i, ck, regret[i], potential[i])
    return LinearResult(checkpoints=ck, regret=regret, potential=potential)


def elliptical_potential(xs, V0) -> float:
    """sum_t min(1, ||x_t||^2_{V_{t-1}^{-1}}), V_t = V_0 + sum_{s<=t} x_s x_s^T (direct solves, no updates)."""
    V = np.array(V0, dtype=np.float64)
    total = 0.0
    for x in np.asarray(xs, dtype=np.float64):
        total += min(1.0, float(x @ np.linalg.solve(V, x)))
        V += np.outer(x, x)
    return total


def elliptical_potential_bound(V0, T: int, L: float) -> float:
    """The right side of Lattimore & Szepesvari (2020), Lemma 19.4 (``proofs_check.elliptical_potential_ls_lemma19_4``),
    2 d log((tr V_0 + T L^2) / (d det(V_0)^(1/d))), for the initial design matrix ``V0``."""
    V0 = np.asarray(V0, dtype=np.float64)
    d = V0.shape[0]
    sign, logdet = np.linalg.slogdet(V0)
    if sign <= 0:
        raise InvalidBanditError("V0 must be positive definite")
    return float(elliptical_potential_ls_lemma19_4().evaluate(d=d, T=T, L=L, trV_0=np.trace(V0), detV_0=np.exp(logdet)))


def random_linear_instance(d: int, K: int, m2: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """K unit actions drawn uniformly on the sphere of R^d and theta* of norm ``m2`` (so |<a, theta*>| <= m2 <= 1),
    a pure function of its arguments."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(K, d))
    A /= np.linalg.norm(A, axis=1, keepdims=True)
    theta = rng.normal(size=d)
    return A, m2 * theta / np.linalg.norm(theta)


def worst_case_linear_search(horizon: int, ratio_bound, seed: int, *, n_random: int = 40, reps_screen: int = 24,
                             reps_final: int = 200, lam: float = 1.0, delta: float = 0.05) -> dict:
    """The linear instance maximising OFUL's E[R(T)] / bound, searched as one task (a pure function of ``seed``):
    ``n_random`` random instances (d in 2..8, K log-uniform in d + 1..100, ||theta*|| in [0.2, 1], actions and
    theta* from :func:`random_linear_instance`), each scored on ``reps_screen`` replications; the winner is
    re-simulated on ``reps_final`` fresh replications, so its ratio carries no winner's curse.
    ``ratio_bound(d, T, L, m2)`` is the bound the ratio divides by."""
    rng = np.random.default_rng(seed)
    best, best_score, trace = None, -np.inf, []
    for _ in range(n_random):
        d = int(rng.integers(2, 9))
        K = int(np.round(np.exp(rng.uniform(np.log(d + 1), np.log(100)))))
        x = (d, K, float(rng.uniform(0.2, 1.0)), int(rng.integers(2 ** 31)))
        A, theta = random_linear_instance(*x)
        res = simulate_oful(A, theta, horizon, reps_screen, int(rng.integers(2 ** 63)), lam=lam, delta=delta,
                            parallel=False)
        score = float(res.regret[:, -1].mean()) / float(ratio_bound(d, horizon, 1.0, x[2]))
        trace.append(score)
        if score > best_score:
            best, best_score = x, score
    A, theta = random_linear_instance(*best)
    final = simulate_oful(A, theta, horizon, reps_final, int(rng.integers(2 ** 63)), lam=lam, delta=delta,
                          parallel=False)
    return {"instance": np.array(best[:3], dtype=np.float64), "instance_seed": np.array(best[3]),
            "regret": final.regret[:, -1], "potential": final.potential[:, -1], "screen_ratios": np.array(trace)}
