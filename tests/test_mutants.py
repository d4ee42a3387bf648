"""Deliberately broken algorithms must be caught by the claims that cover them (issue 3).

Each mutant is a plausible bug, implemented here with NumPy and run on the claim's own tasks (same sequences,
same seeds); its results go through the claim's own verdict procedure."""
import numpy as np
import pytest

from tabular_envs.adversarial import best_in_hindsight, oblivious_table
from testbed.claims.bandits.b8_exp3 import exp3_rate
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
    verdict = claim.decide(tasks, results)
    assert verdict.verdict == "violated"
    switching = [u for u in verdict.evidence["units"] if u["table"] == "switching" and u["T"] == 10_000]
    assert switching[0]["lower"][0] > switching[0]["bound"][0]
