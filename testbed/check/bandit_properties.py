"""Properties of bandit policies (Bernoulli arms), decided with the claims' verdict procedures.

- ``every_arm_tried`` (exact, searched): on generated instances (K = 2..6), a run of 20 K rounds pulls every arm;
  the first failure is shrunk by Hypothesis.
- ``consistency``: no lock-in: on mu = (0.9, 0.4, 0.3), the fraction of runs in which the best arm gets under a
  third of the T pulls is not significantly above 1% (one-sided Clopper-Pearson). A finite-T slope test would flag
  correct but slow explorers (successive elimination is still in its linear phase on small gaps at T = 2000).
- ``log_regret``: logarithmic instance-dependent regret: on mu = (0.9, 0.4, 0.3) (gaps >= 0.5) the slope over
  [T/10, T] is below 1/2 (an O(log T) regret has slope at most 1/ln 10 there, and tends to 0).
- ``not_below_lai_robbins``: on mu = (0.9, 0.6), E[R(T)] is not significantly below C(mu) ln T / 4; a policy that
  beats the Lai-Robbins rate by that much at finite T is suspicious (a bug in the policy or its regret accounting).
  The factor 1/4 leaves room for the pre-asymptotic regime (Thompson sampling sits near C(mu) ln T / 2).
- ``minimax_order``: on the worst-case family (K = 5, gap sqrt(K/T), a new instance per T) the slope of E[R(T)]
  across T is below 3/4 (the minimax order sqrt(K T) has slope 1/2).
The statistical properties use percentile-bootstrap or Student-t bounds at 1 - delta/4 (Bonferroni over the four),
delta = 0.01 by default, with fixed seeds.
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
N_STATISTICAL = 4
CONSISTENCY_MU, LOG_MU, LR_MU = (0.9, 0.4, 0.3), (0.9, 0.4, 0.3), (0.9, 0.6)


def _instances():
    return st.lists(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]), min_size=2, max_size=6)


def every_arm_tried_fails(adapter: BanditAdapter, means) -> bool:
    K = len(means)
    _, pulls = adapter.run(means, 20 * K, 1, 12345, [20 * K])
    return bool(np.any(pulls[0] == 0))


def every_arm_tried(adapter, budget, delta, seed):
    means = deterministic_find(_instances(), lambda m: every_arm_tried_fails(adapter, m),
                               15 if budget == "quick" else 60)
    if means is None:
        return HOLDS, "no instance with an untried arm after 20 K rounds", None
    return VIOLATED, "an arm is never pulled in 20 K rounds", {"means": list(means), "horizon": 20 * len(means)}


def _slope_verdict(samples, xs, threshold, alpha, seed):
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
    bound of the fraction exceeds 1%."""
    T, reps = BUDGETS[budget]
    mu = np.array(CONSISTENCY_MU)
    _, pulls = adapter.run(mu, T, 3 * reps, seed, [T])
    locked = int(np.sum(pulls[:, int(np.argmax(mu))] < T / 3))
    lo, _ = clopper_pearson(locked, pulls.shape[0], delta / N_STATISTICAL)
    v = VIOLATED if lo > 0.01 else HOLDS
    return v, (f"mu = {CONSISTENCY_MU}, T = {T}: {locked}/{pulls.shape[0]} runs gave the best arm under a third of the "
               f"pulls (Clopper-Pearson lower bound {lo:.4f} vs 0.01)"), None if v != VIOLATED else {"means": list(mu)}


def log_regret(adapter, budget, delta, seed):
    samples, xs = _decade_run(adapter, LOG_MU, budget, seed)
    v, text = _slope_verdict(samples, xs, 0.5, delta / N_STATISTICAL, seed)
    return v, f"mu = {LOG_MU}: {text}", None if v != VIOLATED else {"means": list(LOG_MU)}


def not_below_lai_robbins(adapter, budget, delta, seed):
    T, reps = BUDGETS[budget]
    mu = np.array(LR_MU)
    C = lai_robbins_constant(means=mu, family="bernoulli")
    regret, _ = adapter.run(mu, T, reps, seed, [T])
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
        means[-1] = min(1.0, 0.5 + math.sqrt(5 / h))
        cols.append(adapter.run(means, h, reps, seed + h, [h])[0][:, 0])
    v, text = _slope_verdict(np.column_stack(cols), np.array(horizons, dtype=float), 0.75, delta / N_STATISTICAL, seed)
    return v, f"worst-case family K = 5, gap sqrt(K/T): {text}", None if v != VIOLATED else {"horizons": horizons}


BANDIT_PROPERTIES = {"every_arm_tried": every_arm_tried, "consistency": consistency, "log_regret": log_regret,
                     "not_below_lai_robbins": not_below_lai_robbins, "minimax_order": minimax_order}
