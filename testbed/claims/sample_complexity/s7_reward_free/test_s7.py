"""Claim S7 by hand: the kernel equals its transcription on the same tape, and a stopping rule without the
3e sqrt(W) term (it stops after ~1/eps episodes) is caught by the claim's own slope decision."""
import numpy as np

from tabular_envs.rl.reward_free import rf_express, rf_express_reference
from testbed.registry import get_claim

from .claim import instance


def test_kernel_equals_transcription_on_the_same_tape():
    m = instance()
    stops, counts = rf_express(m, 8.0, seed=4, n_replications=2)
    for i in range(2):
        k, N = rf_express_reference(m, 8.0, seed=4, rep=i)
        assert k == stops[i] > 0
        np.testing.assert_array_equal(N, counts[i])


def _verdict(variant):
    claim = get_claim("S7")
    tasks = claim.tasks("quick", 0)
    for t in tasks:
        t.spec.update(reps=2, variant=variant)
    return claim.decide(tasks, [claim.run_task(t) for t in tasks])


def test_stopping_rule_without_the_sqrt_term_is_caught_and_rf_express_passes():
    bad = _verdict({"sqrt_term": False})
    assert bad.verdict == "violated"
    assert bad.evidence["stopping_slope"] < 1.5
    assert _verdict({}).verdict == "holds"
