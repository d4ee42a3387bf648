"""E4: the index's limits by hand, the belief DP against a plain recursion, and the traps decided violated by the
claim's own procedure."""
import dataclasses
from functools import lru_cache

import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.gittins import gittins_index, two_arm_bayes_q
from testbed.controls import decide_control, suite_delta, with_spec
from testbed.registry import get_claim

BAYES = "two arms: the Bayes-optimal arm has the larger index at every certified belief"


def test_index_is_above_the_mean_and_below_one_and_grows_with_the_discount():
    lo = gittins_index(3, 5, 0.5, depth=200)
    assert 3 / 8 < lo < 1
    assert gittins_index(3, 5, 0.9, depth=300) > lo
    # a myopic arm (g -> 0) is worth its mean
    assert gittins_index(3, 5, 1e-6, depth=50) == pytest.approx(3 / 8, abs=1e-5)
    with pytest.raises(TabularEnvError, match="0 < g < 1"):
        gittins_index(1, 1, 1.0)


@pytest.mark.parametrize("change", [{"index": "ucb"}, {"depth": {"0.8": 150, "0.9": 300, "0.99": 30}}],
                         ids=["posterior mean plus a UCB bonus", "truncation of 30 pulls at g = 0.99"])
def test_traps_are_violated(change):
    assert decide_control("E4", with_spec(**change)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E4").verdict == "holds"


def test_belief_dp_against_a_plain_recursion():
    priors, g, depth = ((1, 2), (2, 1)), 0.7, 7

    @lru_cache(maxsize=None)
    def value(a1, b1, a2, b2, left, upper):
        if left == 0:
            return (1.0 if upper else max(a1 / (a1 + b1), a2 / (a2 + b2))) / (1 - g)
        return max(q(a1, b1, a2, b2, left, upper))

    def q(a1, b1, a2, b2, left, upper):
        p1, p2 = a1 / (a1 + b1), a2 / (a2 + b2)
        return (p1 * (1 + g * value(a1 + 1, b1, a2, b2, left - 1, upper)) + (1 - p1) * g * value(a1, b1 + 1, a2, b2,
                                                                                                left - 1, upper),
                p2 * (1 + g * value(a1, b1, a2 + 1, b2, left - 1, upper)) + (1 - p2) * g * value(a1, b1, a2, b2 + 1,
                                                                                                left - 1, upper))
    out = two_arm_bayes_q(priors, g, depth, 3)
    for (k, n1, s1, s2, _), lo, up in zip(out["states"], out["q_low"], out["q_up"], strict=True):
        state = (1 + s1, 2 + n1 - s1, 2 + s2, 1 + (k - n1) - s2, depth - k)
        np.testing.assert_allclose(lo, q(*state, False), rtol=1e-13)
        np.testing.assert_allclose(up, q(*state, True), rtol=1e-13)
    with pytest.raises(TabularEnvError, match="report_depth"):
        two_arm_bayes_q(priors, g, 3, 3)


def test_ucb_like_index_is_not_bayes_optimal():
    claim = get_claim("E4")
    tasks = [dataclasses.replace(t, spec={**t.spec, "index": "ucb"}) for t in claim.tasks("standard", 0)
             if t.unit.startswith("bayes")]
    v = claim.decide_part(BAYES, tasks, [claim.run_task(t) for t in tasks], delta=suite_delta("E4"))
    assert v.verdict == "violated"
