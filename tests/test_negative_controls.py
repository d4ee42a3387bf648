"""Negative controls: wrong algorithms, run on a claim's own tasks (same instances, horizons and seeds) by the
project's simulators, must be decided `violated` by the claim's own procedure at the delta a suite run gives the
claim (testbed.controls); the correct algorithms on the same tasks hold (tests/test_claims_smoke.py). Each claim
folder's test_*_control.py holds that claim's controls; planted errors in the bounds are in test_power.py."""
import numpy as np
import pytest

from testbed.controls import decide_at_suite_delta, decide_control, with_spec
from testbed.registry import get_claim


@pytest.mark.parametrize("algorithm, params, why", [
    ("ucb1", {"c": 0.0}, "UCB1 without exploration (greedy): locks onto a wrong arm in some runs"),
    ("etc", {"m": 1.0}, "explore-then-commit with one pull per arm: commits to a wrong arm with constant probability"),
])
def test_B5_rejects_policies_without_logarithmic_regret(algorithm, params, why):
    v = decide_control("B5", with_spec(algorithm=algorithm, params=params),
                     keep=lambda t: t.spec["algorithm"] == "ucb1")
    assert v.verdict == "violated", why
    fixed_gap = [s for s in v.evidence["slopes"] if not s["label"].startswith("worst-case")]
    assert any(s["verdict"] == "violated" for s in fixed_gap)


def test_B4_rejects_an_exploration_schedule_with_the_wrong_exponent():
    """Explore-first with m = (T/K)^0.8 pulls per arm (the claimed schedule has exponent 2/3): regret ~ T^0.8."""
    def schedule(spec):
        T, K = spec["horizon"], len(spec["instance"]["means"])
        spec["params"] = {"m": float(np.ceil((T / K) ** 0.8))}
        return spec
    v = decide_control("B4", schedule, keep=lambda t: t.spec["algorithm"] == "etc" and t.spec["group"] == "constant")
    assert v.verdict == "violated"
    assert v.evidence["slopes"][0]["lower"] > 0.75


def _overconfident_thompson(sharpness):
    """Beta-Bernoulli Thompson sampling whose posterior counts are multiplied by ``sharpness`` (vectorised over
    replications): it explores too little, so at a finite horizon its regret grows more slowly than C(mu) ln T."""
    def run(means, T, n, checkpoints, seed):
        rng = np.random.default_rng(seed)
        K, gaps = means.size, means.max() - means
        wins, pulls, cum = np.zeros((n, K)), np.zeros((n, K)), np.zeros(n)
        rows, out, j = np.arange(n), np.zeros((n, checkpoints.size)), 0
        for t in range(T):
            a = np.argmax(rng.beta(1 + sharpness * wins, 1 + sharpness * (pulls - wins)), axis=1)
            wins[rows, a] += rng.random(n) < means[a]
            pulls[rows, a] += 1
            cum += gaps[a]
            if j < checkpoints.size and checkpoints[j] == t + 1:
                out[:, j] = cum
                j += 1
        return out
    return run


@pytest.mark.xfail(strict=True, reason="the control's premise is not established (2026-12-03): with the skewness-"
                   "corrected t bound (level measured at the suite's alpha) its slope interval is [2.40, 4.52] at "
                   "quick (was [2.5, 4.0] under the Edgeworth bound, which missed 2.6-7.6x nominal), above C(mu)/2 = "
                   "4.35; on 400 replications (4 seed sets) the mean slope is 6.10 [0.76, 24.1]: some runs lock onto "
                   "a wrong arm, so its expected slope need not be below C(mu)/2. B2 says inconclusive (issue 22)")
def test_B2_rejects_a_policy_that_beats_the_lai_robbins_constant():
    """An overconfident Thompson sampling (posterior counts doubled) on B2's own catalogue instance, horizon and
    seeds: its slope of R(T) against ln T, 3.3 [2.5, 4.0], lies below C(mu)/2 = 4.35 while its regret still has the
    logarithmic shape (the consistency premise holds at T = 1e4): it beats the bound, and B2 must say violated.
    (Sharper posteriors lock onto wrong arms and fail the consistency premise instead.)"""
    from tabular_envs import BanditInstance
    claim = get_claim("B2")
    tasks = [t for t in claim.tasks("quick", 0) if t.spec["algorithm"] == "thompson"]
    policy = _overconfident_thompson(2.0)
    results = []
    for t in tasks:
        s = t.spec
        inst = BanditInstance.from_dict(s["instance"])
        ck = np.array(s["checkpoints"])
        results.append({"regret": policy(inst.means, s["horizon"], s["n_replications"], ck, t.seed),
                        "pulls": np.zeros((s["n_replications"], inst.n_arms)), "checkpoints": ck})
    v = decide_at_suite_delta(claim, tasks, results)
    assert v.verdict == "violated"
    assert [s["verdict"] for s in v.evidence["slopes"]] == ["violated"]
    assert [s["verdict"] for s in v.evidence["consistency"]] == ["holds"]
