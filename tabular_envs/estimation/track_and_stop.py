"""Track-and-Stop for Gaussian best-arm identification with fixed confidence (Garivier & Kaufmann 2016, COLT).

Arms are N(mu_a, 1). The agent
- samples by D-tracking (Sec. 3.1): if some arm has N_a(t) < sqrt(t) - K/2 it pulls the least pulled of those
  (forced exploration), else the arm maximising t w*_a(mu_hat(t)) - N_a(t), with w* the optimal allocation of the
  empirical means;
- stops by the generalised likelihood ratio (Chernoff) rule (Sec. 3.2): Z(t) = min_{b != a_hat}
  (N_a_hat N_b / (N_a_hat + N_b)) (mu_hat_a_hat - mu_hat_b)^2 / 2 > beta(t, delta), and recommends
  a_hat = argmax mu_hat.

The optimal allocation is computed by Garivier & Kaufmann's Theorem 5 specialised to Gaussian arms (a third route
beside ``best_arm.characteristic_time`` and its grid): with x_a(y) = 2y / (Delta_a^2 - 2y) (the solution of
g_a(x) = x Delta_a^2 / (2 (1 + x)) = y) and y* the root of F(y) = sum_{a != 1} x_a(y)^2 = 1 on (0, min Delta^2/2),
w* is proportional to (1, x_2(y*), ..., x_K(y*)) and T* = (1 + sum_a x_a(y*)) / y*.

The threshold beta(t, delta) = log((K - 1) t^3 / delta) is proved here, not taken from the paper (whose Prop. 12
gives log(C t^alpha / delta) with an unspecified C). Read the n-th reward of arm a from a fixed stack (the
``rewards`` argument). An error means that at some t the recommended arm b is not the best arm 1 and
Z_{b,1}(t) > beta(t). As mu_hat_b >= mu_hat_1 while mu_b < mu_1, Z_{b,1} is at most
Z~ = (n_b n_1 / (n_b + n_1)) ((mu_hat_b - mu_hat_1) - (mu_b - mu_1))^2 / 2. For fixed counts (n_b, n_1) from the
stacks, Z~ is chi^2_1 / 2, so P(Z~ > beta) = erfc(sqrt(beta)) <= exp(-beta). Since t >= n_b + n_1 = s and beta
increases in t, a union bound over b and over the s - 1 count pairs with n_b + n_1 = s gives
P(error) <= (K - 1) sum_{s >= 2} (s - 1) exp(-beta(s, delta)) = delta sum_{s >= 2} (s - 1)/s^3
= delta (zeta(2) - zeta(3)) < 0.443 delta.
So Track-and-Stop with this threshold is delta-correct, whatever its sampling rule. Theorem 14 (as recalled)
covers thresholds log(C t^alpha / delta) with alpha in [1, e/2] and bounds lim sup E[tau_delta]/log(1/delta) by
alpha T*; t^3 lies outside that range. The limit T* is argued here instead: with tracking, Z(t) grows like t / T*,
so tau_delta solves tau ~ T* (log(1/delta) + log(K - 1) + 3 log tau), and 3 log tau = O(log log(1/delta)).

One path gives every delta: the sampling rule does not depend on delta, so tau_delta is the first t with
Z(t) > log(1/delta) + log(K - 1) + 3 log t on the same path.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import TabularEnvError

__all__ = ["SAMPLING_RULES", "THRESHOLDS", "STATISTICS", "gaussian_optimal_weights", "glr_threshold", "track_and_stop"]

# "tracking": D-tracking of w*(mu_hat) with forced exploration; "no_forcing": the same without the forced
# exploration (a trap: the catalogue says it can stall); "uniform": round-robin sampling (a control for the rate)
SAMPLING_RULES = {"tracking": 0, "no_forcing": 1, "uniform": 2}
# "union": log((K - 1) t^3 / delta) (delta-correct, module docstring); "log_only": log(1/delta) without its log t
# terms (the catalogue's trap)
THRESHOLDS = {"union": 0, "log_only": 1}
# "glr": the Gaussian GLR statistic (n_a n_b / (n_a + n_b)) d^2 / 2; "sum_counts": (n_a + n_b) d^2 / 2, the
# harmonic count replaced by the total (a control: at least 4 times too large, so it stops too early)
STATISTICS = {"glr": 0, "sum_counts": 1}


@njit(cache=True)
def _weights(mu, w):
    """Garivier & Kaufmann (2016) Theorem 5, Gaussian arms of variance 1: the optimal allocation of ``mu`` written
    into ``w`` (mu's order); returns 1/T* (0 if the best arm is not unique)."""
    K = mu.size
    best = 0
    for a in range(1, K):
        if mu[a] > mu[best]:
            best = a
    dmin = np.inf
    for a in range(K):
        if a != best:
            d2 = (mu[best] - mu[a]) ** 2
            if d2 < dmin:
                dmin = d2
    if dmin <= 0.0:
        return 0.0
    lo, hi = 0.0, dmin / 2.0
    for _ in range(200):                 # bisection on F(y) = sum_a x_a(y)^2 = 1, F increasing from 0 to infinity
        y = 0.5 * (lo + hi)
        if y <= lo or y >= hi:
            break
        f = 0.0
        for a in range(K):
            if a != best:
                x = 2.0 * y / ((mu[best] - mu[a]) ** 2 - 2.0 * y)
                f += x * x
        if f > 1.0:
            hi = y
        else:
            lo = y
    y = 0.5 * (lo + hi)
    total = 1.0
    for a in range(K):
        if a == best:
            w[a] = 1.0
        else:
            w[a] = 2.0 * y / ((mu[best] - mu[a]) ** 2 - 2.0 * y)
            total += w[a]
    for a in range(K):
        w[a] /= total
    return y / total


def gaussian_optimal_weights(mu) -> tuple[float, np.ndarray]:
    """(T*, w*) for Gaussian arms of variance 1 by Garivier & Kaufmann (2016) Theorem 5 (module docstring)."""
    mu = np.asarray(mu, dtype=np.float64)
    if mu.ndim != 1 or mu.size < 2 or not np.all(np.isfinite(mu)):
        raise TabularEnvError(f"mu must be a finite vector of >= 2 arm means, got {mu!r}")
    w = np.empty(mu.size)
    inv = _weights(mu, w)
    if inv <= 0.0:
        raise TabularEnvError(f"mu must have a unique best arm, got {mu!r}")
    return 1.0 / inv, w


def glr_threshold(t, log_inv_delta: float, n_arms: int, rule: str = "union"):
    """beta(t, delta): ``"union"`` log((K - 1) t^3 / delta) (delta-correct, module docstring) or ``"log_only"``
    log(1/delta) (the trap without its log t terms)."""
    t = np.asarray(t, dtype=np.float64)
    if rule == "union":
        return log_inv_delta + np.log(n_arms - 1) + 3.0 * np.log(t)
    if rule == "log_only":
        return log_inv_delta + 0.0 * t
    raise TabularEnvError(f"rule must be one of {sorted(THRESHOLDS)}, got {rule!r}")


@njit(cache=True)
def _run(rewards, log_inv_deltas, sampling, threshold, statistic, taus, answers):
    K, cap = rewards.shape
    L = log_inv_deltas.size
    n = np.zeros(K, dtype=np.int64)
    s = np.zeros(K)
    mu_hat = np.empty(K)
    w = np.empty(K)
    stopped = 0
    for i in range(L):
        taus[i] = -1
        answers[i] = -1
    t = 0
    while t < cap and stopped < L:
        if t < K:
            arm = t
        elif sampling == 2:
            arm = t % K
        else:
            arm = -1
            if sampling == 0:
                # forced exploration: an arm pulled fewer than sqrt(t) - K/2 times, the least pulled first
                floor = np.sqrt(t) - K / 2.0
                for a in range(K):
                    if n[a] < floor and (arm < 0 or n[a] < n[arm]):
                        arm = a
            if arm < 0:
                for a in range(K):
                    mu_hat[a] = s[a] / n[a]
                if _weights(mu_hat, w) <= 0.0:          # tied empirical best arms: pull the least pulled
                    arm = 0
                    for a in range(1, K):
                        if n[a] < n[arm]:
                            arm = a
                else:
                    arm = 0
                    for a in range(1, K):
                        if t * w[a] - n[a] > t * w[arm] - n[arm]:
                            arm = a
        s[arm] += rewards[arm, n[arm]]
        n[arm] += 1
        t += 1
        if t < K:
            continue
        best = 0
        for a in range(1, K):
            if s[a] / n[a] > s[best] / n[best]:
                best = a
        z = np.inf
        for b in range(K):
            if b != best:
                d = s[best] / n[best] - s[b] / n[b]
                if statistic == 0:
                    zb = n[best] * n[b] / (n[best] + n[b]) * d * d / 2.0
                else:
                    zb = (n[best] + n[b]) * d * d / 2.0
                if zb < z:
                    z = zb
        for i in range(L):
            if taus[i] < 0:
                beta = log_inv_deltas[i]
                if threshold == 0:
                    beta += np.log(K - 1.0) + 3.0 * np.log(t)
                if z > beta:
                    taus[i] = t
                    answers[i] = best
                    stopped += 1


def track_and_stop(mu, log_inv_deltas, n_runs: int, seed: int, *, sampling: str = "tracking",
                   threshold: str = "union", statistic: str = "glr", cap: int = 200_000) -> dict:
    """Run Track-and-Stop ``n_runs`` times on Gaussian arms N(mu_a, 1); one path per run serves every
    log(1/delta) in ``log_inv_deltas``. Run r reads its rewards from the stack
    ``np.random.default_rng([seed, r]).standard_normal((K, cap))`` (arm a's n-th reward is row a, column n), so the
    result does not depend on how runs are split over workers, and the sampling rules see the same rewards.

    Returns ``tau`` (n_runs x len(log_inv_deltas), the stopping times; ``cap`` where it did not stop),
    ``correct`` (1 when it stopped and recommended the best arm), ``stopped`` (1 when it stopped within ``cap``).
    """
    mu = np.asarray(mu, dtype=np.float64)
    L = np.asarray(log_inv_deltas, dtype=np.float64)
    if mu.ndim != 1 or mu.size < 2 or not np.all(np.isfinite(mu)):
        raise TabularEnvError(f"mu must be a finite vector of >= 2 arm means, got {mu!r}")
    if np.sum(mu == mu.max()) != 1:
        raise TabularEnvError(f"mu must have a unique best arm, got {mu!r}")
    if L.ndim != 1 or L.size == 0 or not np.all(np.isfinite(L)) or np.any(L <= 0):
        raise TabularEnvError(f"log_inv_deltas must be positive numbers (log(1/delta), delta < 1), got {L!r}")
    if sampling not in SAMPLING_RULES:
        raise TabularEnvError(f"sampling must be one of {sorted(SAMPLING_RULES)}, got {sampling!r}")
    if threshold not in THRESHOLDS:
        raise TabularEnvError(f"threshold must be one of {sorted(THRESHOLDS)}, got {threshold!r}")
    if statistic not in STATISTICS:
        raise TabularEnvError(f"statistic must be one of {sorted(STATISTICS)}, got {statistic!r}")
    if not (isinstance(n_runs, int) and n_runs >= 1 and isinstance(cap, int) and cap > mu.size):
        raise TabularEnvError(f"n_runs must be >= 1 and cap > K, got n_runs={n_runs!r}, cap={cap!r}")
    best = int(np.argmax(mu))
    tau = np.empty((n_runs, L.size), dtype=np.int64)
    answer = np.empty((n_runs, L.size), dtype=np.int64)
    for r in range(n_runs):
        rewards = mu[:, None] + np.random.default_rng([seed, r]).standard_normal((mu.size, cap))
        _run(rewards, L, SAMPLING_RULES[sampling], THRESHOLDS[threshold], STATISTICS[statistic], tau[r], answer[r])
    stopped = tau >= 0
    return {"tau": np.where(stopped, tau, cap), "correct": (stopped & (answer == best)).astype(np.int64),
            "stopped": stopped.astype(np.int64)}
