"""Claim B5's wrong-algorithm controls: greedy play (UCB1 with c = 0) and explore-then-commit with one pull per
arm are decided violated by the claim's own worst-case decision at the delta a suite run gives the claim, on the
claim's quick tasks; UCB1 and successive elimination pass the same decision there."""
import numpy as np
import pytest

from testbed.bandit_sweep import run_bandit_task
from testbed.controls import suite_delta
from testbed.registry import get_claim

from .claim import ALGORITHMS, worst_case_tasks
from .model import mixed_gap_family


def _decide(algorithm: str, params: dict | None):
    claim = get_claim("B5")
    tasks = worst_case_tasks(claim, "quick", 0, (algorithm,), params=params)
    verdict = claim.decide_part("worst-case family", tasks, [run_bandit_task(t) for t in tasks],
                                delta=suite_delta("B5"))
    return {row["label"].split("/")[1]: row for row in verdict.evidence["slopes"]}


@pytest.mark.parametrize("algorithm,params", [("ucb1", {"c": 0.0}), ("etc", {"m": 1})],
                         ids=["greedy UCB1 (c = 0)", "ETC with m = 1"])
def test_policies_that_lock_onto_a_bad_arm_are_violated_by_the_mixed_family(algorithm, params):
    rows = _decide(algorithm, params)
    assert rows["mixed"]["verdict"] == "violated", rows["mixed"]
    # the classic family alone cannot catch them: every policy's regret there is at most sqrt(K T)
    assert rows["gap"]["verdict"] != "violated", rows["gap"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_the_claims_algorithms_hold_on_both_families(algorithm):
    rows = _decide(algorithm, None)
    assert rows["mixed"]["verdict"] == "holds" and rows["gap"]["verdict"] == "holds", rows


def test_mixed_family_gaps():
    for T in (1000, 10_000, 100_000):
        means = mixed_gap_family(T, "m").means
        assert means.argmax() == 2 and np.isclose(means[2] - means[1], np.sqrt(3 / T))
        assert np.isclose(means[2] - means[0], 0.4)
