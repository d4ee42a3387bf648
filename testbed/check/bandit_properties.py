"""Properties of bandit policies (Bernoulli arms), decided with the claims' verdict procedures. The best arm is
never at index 0 (a policy biased towards the first arm must not look consistent), and every property is
statistical, at 1 - delta/5 (Bonferroni over the five), delta = 0.01 by default, with fixed seeds:

- ``every_arm_tried`` (searched): on generated instances (K = 2..6, best arm anywhere), in 40 runs of 20 K rounds,
  the share of runs that leave some arm unpulled is not significantly above 1/2 (one-sided Clopper-Pearson at
  delta/5 divided by the number of instances searched). A correct randomised policy may miss an arm in a few runs
  (Thompson sampling on (0.5, 0, 0.7, 0, 1) at T = 100: about 4%); a policy that never tries an arm misses it in
  all of them. The first failing instance is shrunk by Hypothesis.
- ``consistency``: no lock-in: on mu = (0.3, 0.9, 0.4) and (0.5, 0.6, 0.45) (at standard budget also
  (0.5, 0.7, 0.45); T = 2000, 10^4 at standard), the fraction of runs (1000; 900 at standard) in which the best
  arm gets under a third of the T pulls is not significantly above 1% (one-sided Clopper-Pearson). A finite-T slope
  test would flag correct but slow explorers; a policy that stops exploring at t = 200 locks in about 3% of runs
  on the small gap.
- ``log_regret``: logarithmic instance-dependent regret: on mu = (0.4, 0.3, 0.9) (gaps >= 0.5) the slope over
  [T/10, T] is below 1/2 (an O(log T) regret has slope at most 1/ln 10 there, and tends to 0).
- ``not_below_lai_robbins``: on mu = (0.6, 0.9), E[R(T)] is not significantly below C(mu) ln T / 4; a policy that
  beats the Lai-Robbins rate by that much at finite T is suspicious (a bug in the policy or its regret accounting).
  The factor 1/4 leaves room for the pre-asymptotic regime (Thompson sampling sits near C(mu) ln T / 2).
- ``minimax_order``: on the worst-case family (K = 5, gap sqrt(K/T), a new instance per T, the best arm in the
  middle) the slope of E[R(T)] across T is below 3/4 (the minimax order sqrt(K T) has slope 1/2).

Zero regret is not a degenerate case to skip: on these instances every policy that learns pays for trying the
worse arms, so a mean regret of exactly 0 where a slope is read means the policy never tried them (it plays a
fixed arm that happens to be best, or its regret accounting is broken), and the property is violated with that
explanation. The false-alarm rate of every property on correct randomised policies is measured by
``testbed selftest --false-alarms`` (200 seeds each).
"""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from proofs_check import lai_robbins_constant
from tabular_envs import log_checkpoints
from tabular_envs.strategies import deterministic_find

from ..stats import HOLDS, INCONCLUSIVE, VIOLATED, bootstrap_slope_interval, clopper_pearson, t_bounds
from .protocols import BanditAdapter

__all__ = ["BANDIT_PROPERTIES", "BUDGETS", "every_arm_tried_fails"]

BUDGETS = {"quick": (2000, 100), "standard": (10000, 300)}         # horizon, replications
N_STATISTICAL = 5
# a large gap and a small one (0.1: a policy that stops exploring early locks onto a worse arm in about 5% of
# runs, while correct policies concentrate on the best arm by T = 2000 in all but 0.2% of runs)
CONSISTENCY_MU = {"quick": [(0.3, 0.9, 0.4), (0.5, 0.6, 0.45)],
                  "standard": [(0.3, 0.9, 0.4), (0.5, 0.7, 0.45), (0.5, 0.6, 0.45)]}
LOG_MU, LR_MU = (0.4, 0.3, 0.9), (0.6, 0.9)
CONSISTENCY_RUNS = {"quick": 1000, "standard": 900}   # runs per instance (lock-in in 3-5% of runs shows in 1000)
ARM_RUNS = 40                                   # runs per instance in every_arm_tried
ARM_SEARCH = {"quick": 15, "standard": 60}      # instances searched


def _instances():
    return st.lists(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]), min_size=2, max_size=6)


def _untried_share(adapter: BanditAdapter, means, seed: int) -> tuple[int, int]:
    """(runs that left some arm unpulled, runs) in ARM_RUNS runs of 20 K rounds."""
    K = len(means)
    _, pulls = adapter.run(means, 20 * K, ARM_RUNS, seed, [20 * K])
    return int(np.sum(np.any(pulls == 0, axis=1))), pulls.shape[0]


def every_arm_tried_fails(adapter: BanditAdapter, means, alpha: float = 1e-6, seed: int = 12345) -> bool:
    """True when the share of runs leaving an arm unpulled is significantly above 1/2 (lower bound at 1 - alpha)."""
    missed, runs = _untried_share(adapter, means, seed)
    return clopper_pearson(missed, runs, alpha)[0] > 0.5


def every_arm_tried(adapter, budget, delta, seed):
    n = ARM_SEARCH[budget]
    alpha = delta / N_STATISTICAL / n                    # Bonferroni over the instances the search may try
    means = deterministic_find(_instances(), lambda m: every_arm_tried_fails(adapter, m, alpha, seed), n)
    if means is None:
        return HOLDS, (f"no instance (of {n} searched) on which most of {ARM_RUNS} runs of 20 K rounds leave an arm "
                       "unpulled"), None
    missed, runs = _untried_share(adapter, means, seed)
    return VIOLATED, (f"on means {list(means)}, {missed} of {runs} runs of {20 * len(means)} rounds leave some arm "
                      "unpulled"), {"means": list(means), "horizon": 20 * len(means)}


def _zero_regret(samples) -> bool:
    return bool(np.any(np.asarray(samples, dtype=np.float64).mean(axis=0) <= 0))


_ZERO = ("mean regret 0: the policy never pulled a worse arm, so it cannot have learned which arm is best (it plays "
         "a fixed arm that happens to be the best one here, or its regret accounting is broken)")


def _slope_verdict(samples, xs, threshold, alpha, seed):
    if _zero_regret(samples):
        return VIOLATED, _ZERO
    slope, lo, hi = bootstrap_slope_interval(samples, xs, alpha, seed=seed)
    v = VIOLATED if lo > threshold else (HOLDS if hi < threshold else INCONCLUSIVE)
    return v, f"log-log slope {slope:.3f} [{lo:.3f}, {hi:.3f}] vs {threshold}"


def _decade_run(adapter, means, budget, seed):
    T, reps = BUDGETS[budget]
    ck = log_checkpoints(T)
    regret, _ = adapter.run(means, T, reps, seed, ck)
    window = ck >= T / 10
    return regret[:, window], ck[window].astype(float)


def consistency(adapter, budget, delta, seed):
    """Lock-in test: in how many runs does the best arm get under a third of the pulls? A consistent policy's share
    tends to 1, so that fraction tends to 0; a policy that can lock onto a worse arm for ever (greedy, or an
    exploration bonus that is too small) keeps a fixed fraction. Violated when the one-sided Clopper-Pearson lower
    bound of the fraction exceeds 1%. The instances share the false-alarm budget (Bonferroni), so the search stops
    at the first instance that violates."""
    T, _ = BUDGETS[budget]
    instances = CONSISTENCY_MU[budget]
    texts = []
    for k, means in enumerate(instances):
        mu = np.array(means)
        _, pulls = adapter.run(mu, T, CONSISTENCY_RUNS[budget], seed + k, [T])
        locked = int(np.sum(pulls[:, int(np.argmax(mu))] < T / 3))
        lo, _ = clopper_pearson(locked, pulls.shape[0], delta / N_STATISTICAL / len(instances))
        texts.append(f"mu = {means}, T = {T}: {locked}/{pulls.shape[0]} runs gave the best arm under a third of the "
                     f"pulls (Clopper-Pearson lower bound {lo:.4f} vs 0.01)")
        if lo > 0.01:
            return VIOLATED, "; ".join(texts), {"means": list(means)}
    return HOLDS, "; ".join(texts), None


def log_regret(adapter, budget, delta, seed):
    samples, xs = _decade_run(adapter, LOG_MU, budget, seed)
    v, text = _slope_verdict(samples, xs, 0.5, delta / N_STATISTICAL, seed)
    return v, f"mu = {LOG_MU}: {text}", None if v != VIOLATED else {"means": list(LOG_MU)}


def not_below_lai_robbins(adapter, budget, delta, seed):
    T, reps = BUDGETS[budget]
    mu = np.array(LR_MU)
    C = lai_robbins_constant(means=mu, family="bernoulli")
    regret, _ = adapter.run(mu, T, reps, seed, [T])
    if _zero_regret(regret):
        return VIOLATED, f"mu = {LR_MU}: {_ZERO}", {"means": list(LR_MU)}
    mean, _, hi = t_bounds(regret, delta / N_STATISTICAL)
    target = C * math.log(T) / 4
    v = VIOLATED if hi[0] < target else HOLDS
    return v, (f"mu = {LR_MU}: E[R({T})] = {mean[0]:.2f} (upper bound {hi[0]:.2f}) vs C(mu) ln T / 4 = {target:.2f}"
               + (" -- suspicious: a bug in the policy or in its regret accounting" if v == VIOLATED else "")), \
        None if v != VIOLATED else {"means": list(LR_MU)}


def minimax_order(adapter, budget, delta, seed):
    T, reps = BUDGETS[budget]
    horizons = [max(50, T // 10), int(T / math.sqrt(10)), T]
    cols = []
    for h in horizons:
        means = np.full(5, 0.5)
        means[2] = min(1.0, 0.5 + math.sqrt(5 / h))
        cols.append(adapter.run(means, h, reps, seed + h, [h])[0][:, 0])
    v, text = _slope_verdict(np.column_stack(cols), np.array(horizons, dtype=float), 0.75, delta / N_STATISTICAL, seed)
    return v, f"worst-case family K = 5, gap sqrt(K/T): {text}", None if v != VIOLATED else {"horizons": horizons}


BANDIT_PROPERTIES = {"every_arm_tried": every_arm_tried, "consistency": consistency, "log_regret": log_regret,
                     "not_below_lai_robbins": not_below_lai_robbins, "minimax_order": minimax_order}
