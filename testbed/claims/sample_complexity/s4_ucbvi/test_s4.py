"""Claim S4 by hand: the bound's two forms agree, the kernel equals the transcription, UCBVI's look-alikes are told
apart by the claim's conformance check, and certainty equivalence (no bonus) is caught by its event and rate checks."""
import math

import numpy as np
import pytest

from proofs_check import ucbvi_ch_regret_bound
from testbed.registry import get_claim

from .claim import _UNITS, ALGORITHM_DELTA, decide_conformance, decide_events, decide_rate


def test_ch_bound_leading_term_is_20_H_L_sqrt_SAT_with_T_equal_KH():
    """Two routes to Thm 1: 20 H^{3/2} L sqrt(SAK) + 250 H^2 S^2 A L^2 with T = KH, against 20 H L sqrt(S A T)
    + 250 H^2 S^2 A L^2 computed by hand. T = K (a setting slip) shrinks the leading term by sqrt(H)."""
    H, S, A, K, d = 5.0, 3.0, 2.0, 1e4, 0.1
    T = K * H
    L = math.log(5 * H * S * A * T / d)
    by_hand = 20 * H * L * math.sqrt(S * A * T) + 250 * H ** 2 * S ** 2 * A * L ** 2
    assert math.isclose(float(ucbvi_ch_regret_bound().evaluate(H=H, S=S, A=A, K=K, delta=d)), by_hand, rel_tol=1e-12)
    leading_with_T_equal_K = 20 * H * L * math.sqrt(S * A * K)
    assert math.isclose((by_hand - 250 * H ** 2 * S ** 2 * A * L ** 2) / leading_with_T_equal_K, math.sqrt(H))


def _conformance(variant):
    claim = get_claim("S4")
    task = [t for t in claim.tasks("quick", 0) if t.spec["unit"] == "conformance"][0]
    task.spec["variant"] = variant
    return decide_conformance(claim.run_task(task))


@pytest.mark.parametrize("variant", [{"log_power": 0.5}, {"per_step_counts": True}, {"T_is_K": True}],
                         ids=["sqrt-L bonus", "per-step counts", "T = K"])
def test_ucbvi_look_alikes_are_caught_by_conformance(variant):
    assert _conformance(variant).verdict == "violated"


def test_correct_ucbvi_passes_conformance():
    assert _conformance({}).verdict == "holds"


def test_certainty_equivalence_is_caught_by_optimism_and_rate():
    """The negative control: UCBVI without its bonus. Optimism fails in every replication, and on H = 4 some
    replications lock onto a suboptimal policy, so the mean regret grows linearly."""
    claim = get_claim("S4")
    results = {}
    for t in claim.tasks("quick", 0):
        if t.spec["unit"] == "bf/H4":
            t.spec.update(reps=100, variant={"bonus": "none"})
            results[t.spec["unit"]] = claim.run_task(t)
    optimism, _, _ = decide_events(results, 0.01)
    assert optimism.verdict == "violated"
    rate, _ = decide_rate(results, 0.01)
    assert rate.verdict == "violated"


def test_units_pin_time_homogeneous_counts_and_delta():
    assert ALGORITHM_DELTA == 0.1
    assert {u.split("/")[0] for u in _UNITS} == {"ch", "bf"}
    assert np.all([len(w) >= 3 for _, _, _, w, _ in _UNITS.values()])


def test_every_unit_has_a_legend_in_words():
    from testbed.claims.sample_complexity.s4_ucbvi.claim import _UNITS
    from testbed.claims.sample_complexity.s4_ucbvi.figure import legend_label
    for unit, (bonus, H, *_rest) in _UNITS.items():
        label = legend_label(unit)
        assert f"UCBVI-{bonus.upper()}" in label and f"H = {H}" in label and "/" not in label, label
