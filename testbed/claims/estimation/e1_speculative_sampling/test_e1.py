"""E1: the sampler by hand, and the four traps decided violated by the claim's own procedure (exact and sampled)."""
import dataclasses

import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.speculative import (
    context_free,
    output_law,
    speculative_step,
    target_law,
    total_variation,
)
from testbed.controls import decide_control, suite_delta, with_spec
from testbed.registry import get_claim

SAMPLED = "sampled: the first 3 tokens' law is the target's (chi-square)"


def decide_sampled_part(variant):
    """E1's sampled part on its quick sampled task run with ``variant``, at the suite's share for E1."""
    claim = get_claim("E1")
    tasks = [t for t in claim.tasks("quick", 0) if t.unit == "sampled"]
    tasks = [dataclasses.replace(t, spec={**t.spec, "variant": variant}) for t in tasks]
    return claim.decide_part(SAMPLED, tasks, [claim.run_task(t) for t in tasks], delta=suite_delta("E1"))


def test_one_token_law_by_hand():
    # gamma = 1, L = 1: P(emit x) = q(x) min(1, p/q) + (1 - alpha) residual(x) = p(x)
    p, q = np.array([0.7, 0.3]), np.array([0.5, 0.5])
    law = output_law(context_free(p), context_free(q), 1, 1)
    assert law[(0,)] == pytest.approx(0.5 + 0.2 * 1.0)          # accepted 0.5; rejected 0.2, residual (1, 0)
    assert total_variation(law, target_law(context_free(p), 1)) < 1e-15
    with pytest.raises(TabularEnvError, match="variant"):
        output_law(context_free(p), context_free(q), 1, 1, variant="greedy")


@pytest.mark.parametrize("variant", ["resample_target", "inverted_ratio", "token_equality", "mismatched_draft"])
def test_traps_are_violated(variant):
    assert decide_control("E1", with_spec(variant=variant)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E1").verdict == "holds"


@pytest.mark.parametrize("variant", ["resample_target", "inverted_ratio", "token_equality", "mismatched_draft"])
def test_traps_are_violated_by_the_sampled_part_alone(variant):
    assert decide_sampled_part(variant).verdict == "violated"


def test_sampled_step_by_hand():
    # q = p: every draft is accepted, so one step emits n_draft + 1 tokens; the residual is never used
    p = context_free(np.array([0.5, 0.5]))
    out = speculative_step(p, p, (), 3, np.random.default_rng(0))
    assert len(out) == 4 and set(out) <= {0, 1}
    # q puts all mass on token 0 while p has none there: the draft is always rejected, the residual is p
    step = speculative_step(context_free(np.array([0.0, 1.0])), context_free(np.array([1.0, 0.0])), (), 2,
                            np.random.default_rng(1))
    assert step == [1]


@pytest.mark.slow
@pytest.mark.parametrize("draws", [20_000, 100_000])
def test_chi_square_false_alarm_rate_at_the_level_it_is_used(draws):
    """The sampled part's test, at the suite's per-test level (Bonferroni over its 3 units) and at its draw counts:
    under the exact law, P(p-value <= alpha) must be within 2x nominal (3.72 standard errors of slack)."""
    from scipy.stats import chi2

    law = target_law(context_free(np.array([0.4, 0.3, 0.2, 0.1])), 3)
    p = np.array([law[k] for k in sorted(law)])
    alpha = suite_delta("E1") / 3
    runs = 200_000
    rng = np.random.default_rng(20261205)
    misses = 0
    for _ in range(runs // 20_000):
        counts = rng.multinomial(draws, p, size=20_000)
        stat = ((counts - draws * p) ** 2 / (draws * p)).sum(axis=1)
        misses += int(np.sum(chi2.sf(stat, p.size - 1) <= alpha))
    rate = misses / runs
    se = np.sqrt(alpha * (1 - alpha) / runs)
    assert rate - 3.72 * se <= 2 * alpha, f"miss rate {rate / alpha:.2f}x nominal"
