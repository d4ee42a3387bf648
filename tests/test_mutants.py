"""Deliberately broken algorithms must be caught by the claims that cover them (issue 3).

Each mutant is a plausible bug, implemented here with NumPy and run on the claim's own tasks (same sequences,
same seeds); its results go through the claim's own verdict procedure, at the suite's delta."""
import numpy as np
import pytest
from numba import njit

from tabular_envs import bernoulli_bandit, log_checkpoints
from tabular_envs.bandits.adversarial import best_in_hindsight, oblivious_table
from tabular_envs.bandits.kernels import kl_ucb_index
from testbed.bandit_sweep import bandit_tasks
from testbed.claims.bandits.b8_exp3.claim import exp3_rate
from testbed.controls import decide_at_suite_delta
from testbed.registry import get_claim


def exp3_without_importance_weighting(table, variant, rate, n_reps, seed):
    """EXP3 whose reward estimate forgets to divide by the probability of the played arm."""
    rng = np.random.default_rng(seed)
    T, K = table.shape
    log_w = np.zeros((n_reps, K))
    gain = np.zeros(n_reps)
    rows = np.arange(n_reps)
    for t in range(T):
        w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
        p = w / w.sum(axis=1, keepdims=True)
        if variant == "auer2002":
            p = (1 - rate) * p + rate / K
        a = (rng.random((n_reps, 1)) > np.cumsum(p, axis=1)).sum(axis=1).clip(max=K - 1)
        gain += p @ table[t]
        x = table[t, a]
        if variant == "auer2002":
            log_w[rows, a] += rate * x / K            # bug: x instead of x / p[a]
        else:
            log_w[rows, a] -= rate * (1 - x)          # bug: (1 - x) instead of (1 - x) / p[a]
    return best_in_hindsight(table, np.array([T]))[0] - gain


@pytest.mark.parametrize("variant", ["auer2002", "lattimore2020"])
def test_exp3_without_importance_weighting_is_caught_by_B8(variant):
    claim = get_claim("B8")
    tasks = [t for t in claim.tasks("quick", 0) if t.spec["variant"] == variant]
    results = []
    for t in tasks:
        s = t.spec
        table = oblivious_table(s["table"], s["T"], s["K"], np.random.default_rng(t.seed))
        regret = exp3_without_importance_weighting(table, variant, exp3_rate(variant, s["K"], s["T"]),
                                                   s["n_replications"], t.seed)
        results.append({"regret": regret[:, None]})
    verdict = decide_at_suite_delta(claim, tasks, results)
    assert verdict.verdict == "violated"
    switching = [u for u in verdict.evidence["units"] if u["table"] == "switching" and u["T"] == 10_000]
    assert switching[0]["lower"][0] > switching[0]["bound"][0]


def _run_mutant(claim, tasks, policy):
    """Results for ``claim.decide`` from a NumPy mutant, on the claim's own tasks (instances, horizons, seeds)."""
    from tabular_envs import BanditInstance
    results = []
    for t in tasks:
        s = t.spec
        inst = BanditInstance.from_dict(s["instance"])
        ck = np.array(s["checkpoints"] if s["checkpoints"] is not None else [s["horizon"]])
        results.append({"regret": policy(inst.means, s["horizon"], s["n_replications"], ck, t.seed),
                        "pulls": np.zeros((s["n_replications"], inst.n_arms)), "checkpoints": ck})
    return results


def _index_policy(index_fn, update_wrong_arm=False):
    """A vectorised index policy over replications: play each arm once, then argmax index_fn(...)."""
    def run(means, T, n, ck, seed):
        rng = np.random.default_rng(seed)
        K = means.size
        gaps = means.max() - means
        counts, sums, cum = np.zeros((n, K)), np.zeros((n, K)), np.zeros(n)
        rows, out, j = np.arange(n), np.zeros((n, ck.size)), 0
        for t in range(T):
            a = np.full(n, t) if t < K else np.argmax(index_fn(sums, counts, t, rng), axis=1)
            x = (rng.random(n) < means[a]).astype(float)
            upd = (a + 1) % K if update_wrong_arm else a
            counts[rows, upd] += 1
            sums[rows, upd] += x
            cum += gaps[a]
            if j < ck.size and ck[j] == t + 1:
                out[:, j] = cum
                j += 1
        return out
    return run


def test_ucb1_with_a_wrong_exploration_constant_is_caught_by_B5():
    """Bug: the bonus sqrt(2 ln n / n_j) typed as sqrt(0.02 ln n / n_j): UCB1 turns greedy and locks onto arms."""
    mutant = _index_policy(lambda s, c, t, rng: s / np.maximum(c, 1) + np.sqrt(0.02 * np.log(t) / np.maximum(c, 1)))
    claim = get_claim("B5")
    tasks = [t for t in claim.tasks("quick", 0) if t.spec["algorithm"] == "ucb1"]
    verdict = decide_at_suite_delta(claim, tasks, _run_mutant(claim, tasks, mutant))
    assert verdict.verdict == "violated"


def _kl(p, q):
    p, q = np.clip(p, 1e-15, 1 - 1e-15), np.clip(q, 1e-15, 1 - 1e-15)
    return p * np.log(p / q) + (1 - p) * np.log((1 - p) / (1 - q))


def _kl_ucb_index(s, c, threshold):
    """max{q : n kl(p, q) <= threshold} by 40 bisection steps, vectorised."""
    p = s / np.maximum(c, 1)
    lo, hi = p.copy(), np.ones_like(p)
    for _ in range(40):
        mid = (lo + hi) / 2
        over = np.maximum(c, 1) * _kl(p, mid) > threshold
        hi = np.where(over, mid, hi)
        lo = np.where(over, lo, mid)
    return lo


@njit  # not cached: it calls a library kernel, whose changes Numba's cache would not see
def _kl_ucb_arm_count_threshold(means, T, n, ck, seed):
    """KL-UCB whose threshold ln t is written ln n_a (the arm's count instead of the round)."""
    np.random.seed(seed)
    K = means.size
    gaps = means.max() - means
    out = np.zeros((n, ck.size))
    for i in range(n):
        counts, sums = np.zeros(K), np.zeros(K)
        cum, j = 0.0, 0
        for t in range(T):
            if t < K:
                a = t
            else:
                best, a = -1.0, 0
                for k in range(K):
                    p = sums[k] / counts[k]
                    thr = np.log(counts[k])                      # the bug: should be ln(t + 1)
                    v = kl_ucb_index(p, counts[k], thr, min(1.0, p + np.sqrt(thr / (2 * counts[k]))))
                    if v > best:
                        best, a = v, k
            sums[a] += 1.0 if np.random.random() < means[a] else 0.0
            counts[a] += 1
            cum += gaps[a]
            if j < ck.size and ck[j] == t + 1:
                out[i, j] = cum
                j += 1
    return out


@pytest.mark.slow
def test_kl_ucb_with_the_arm_count_in_the_threshold_is_caught_by_B2():
    """Bug: the threshold ln t written as ln n_a: exploration of an arm stops growing while it is not played, so
    about one run in ten locks onto a wrong arm and the policy is not consistent. At the quick horizon (1e4) B2
    finds the slope interval straddling 1/2 (inconclusive: the locked runs are a minority); at T = 1e5, with B2's
    own instance, checkpoints and verdict, the linear part dominates."""
    claim = get_claim("B2")
    T = 100_000
    inst = bernoulli_bandit(np.linspace(0.1, 0.9, 10), name="catalogue_K10")
    tasks = bandit_tasks(claim, "quick", 0, inst, "kl_ucb", T, 100, 100, checkpoints=log_checkpoints(T))
    results = _run_mutant(claim, tasks, lambda means, T, n, ck, seed: _kl_ucb_arm_count_threshold(
        means, T, n, ck, seed % 2 ** 32))
    verdict = decide_at_suite_delta(claim, tasks, results)
    assert verdict.verdict == "violated"
    assert any(row["verdict"] == "violated" for row in verdict.evidence["consistency"])


def test_thompson_sampling_updating_the_wrong_arm_is_caught_by_B6():
    """Bug: the posterior of arm (a + 1) mod K is updated with the reward of arm a."""
    mutant = _index_policy(lambda s, c, t, rng: rng.beta(1 + s, 1 + c - s), update_wrong_arm=True)
    claim = get_claim("B6")
    tasks = claim.tasks("quick", 0)
    verdict = decide_at_suite_delta(claim, tasks, _run_mutant(claim, tasks, mutant))
    assert verdict.verdict == "violated"


def test_the_correct_vectorised_policies_pass_the_same_checks():
    """Control: the same NumPy harness without the bugs gives no alarm, so the mutants fail for their bugs."""
    claim = get_claim("B6")
    tasks = claim.tasks("quick", 0)
    correct_ts = _index_policy(lambda s, c, t, rng: rng.beta(1 + s, 1 + c - s))
    assert decide_at_suite_delta(claim, tasks, _run_mutant(claim, tasks, correct_ts)).verdict == "holds"
    claim = get_claim("B5")
    tasks = [t for t in claim.tasks("quick", 0) if t.spec["algorithm"] == "ucb1"]
    correct_ucb = _index_policy(lambda s, c, t, rng: s / np.maximum(c, 1) + np.sqrt(2 * np.log(t) / np.maximum(c, 1)))
    assert decide_at_suite_delta(claim, tasks, _run_mutant(claim, tasks, correct_ucb)).verdict == "holds"
