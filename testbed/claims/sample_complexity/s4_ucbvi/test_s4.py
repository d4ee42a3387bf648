"""Claim S4 by hand: the bound's two forms agree, the kernel equals the transcription, UCBVI's look-alikes are told
apart by the claim's conformance check, and certainty equivalence (no bonus) is caught by its event and rate checks."""
import math

import numpy as np
import pytest

from proofs_check import ucbvi_ch_regret_bound
from testbed.registry import get_claim

from .claim import _UNITS, ALGORITHM_DELTA, _bound_of, decide_conformance, decide_events, decide_rate


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
    for t in claim.tasks("standard", 0):         # bf/H4 runs at standard and full fidelity
        if t.spec["unit"] == "bf/H4":
            t.spec.update(reps=100, variant={"bonus": "none"})
            results[t.spec["unit"]] = claim.run_task(t)
    assert list(results) == ["bf/H4"]
    optimism, _, _ = decide_events(results, 0.005, 0.005)
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


def test_instance_search_is_a_function_of_its_seed_and_keeps_its_best_screened_instance():
    from .model import searched_model, worst_case_ucbvi_search
    a = worst_case_ucbvi_search(2, (100, 200), _bound_of, 3, n_random=3, reps_screen=2, reps_final=3)
    b = worst_case_ucbvi_search(2, (100, 200), _bound_of, 3, n_random=3, reps_screen=2, reps_final=3)
    np.testing.assert_array_equal(a["regret"], b["regret"])
    np.testing.assert_array_equal(a["instance"], b["instance"])
    assert a["screen_ratios"].size == 3 and a["regret"].shape == (3, 2)
    model = searched_model(a["instance"], 2)
    assert (int(a["S"]), int(a["A"])) == (model.S, model.A) and float(a["v_star"]) == model.v_star


def test_the_searched_unit_joins_the_bound_decision_and_can_fail_it():
    """A searched unit whose every replication exceeds Thm 1's bound, on an instance where the bound is below
    K V* (V* made large by hand), violates the bound part; the same unit inside the bound holds."""
    K = np.array([100, 200])
    bound = _bound_of(2, 2, 2, K)
    unit = {"K": K, "optimism_failures": np.zeros(200, dtype=np.int64), "H": np.array(2), "S": np.array(2),
            "A": np.array(2), "v_star": np.array(10 * bound[-1] / 100)}
    over = {"ch/H2/worst_case": {**unit, "regret": np.tile(1.5 * bound, (200, 1))}}
    under = {"ch/H2/worst_case": {**unit, "regret": np.tile(0.5 * bound, (200, 1))}}
    assert decide_events(over, 0.005, 0.005)[1].verdict == "violated"
    assert decide_events(under, 0.005, 0.005)[1].verdict == "holds"


@pytest.mark.slow
def test_ucbvi_ch_rate_holds_on_its_gap_instance_and_a_one_percent_linear_loss_is_violated():
    """The CH rate unit at standard fidelity (64 replications to K = 3e6, about a minute), decided at the
    suite's delta: UCBVI-CH's increments decay like 1 / K (the rate holds), and the same run plus a loss of 1 % of V*
    per episode is violated (issue 22: S4's CH unit with a planted linear loss)."""
    from testbed.controls import suite_delta
    claim = get_claim("S4")
    task = [t for t in claim.tasks("standard", 0) if t.spec["unit"] == "ch/H2/gap"][0]
    rate, control = decide_rate({"ch/H2/gap": claim.run_task(task)}, suite_delta("S4") / 2)
    assert rate.verdict == "holds", rate.evidence["slopes"]
    assert control.verdict == "violated", control.evidence["slopes"]


def test_hard_gap_family_values_by_hand():
    """At H = 2 from state 0 the value of an action is the probability of reaching the rewarding state 1 (reward 1
    at stage 2, 0 at stage 1): 1/2 + gap for the last action, 1/2 for the other."""
    from .claim import hard_gap_family
    for gap in (0.0, 0.01, 0.5):
        assert abs(float(hard_gap_family(gap).v_star) - (0.5 + gap)) < 1e-12
    with pytest.raises(ValueError, match="gap"):
        hard_gap_family(0.6)


def test_hard_family_is_not_violated_refutes_a_rate_faster_by_a_quarter_and_a_frozen_gap_fails_it(hard_family_checks):
    """Quick fidelity's family run (100 replications, K = 16000, 64000, 256000) at the part's share of the suite's
    delta: UCBVI-BF (slope about 0.45 to 0.5) is not violated; with an exponent error of 0.25 planted (a claimed
    K^(1/4) rate) the part is violated; the same K with the gap frozen at 0.5 (an MDP UCBVI-BF learns: measured slope
    0.084 [0.076, 0.092]) fail the part's lower side."""
    from testbed.controls import suite_delta

    from .claim import FAMILY_RUN, decide_hard_family, run_hard_family
    horizons, reps, _ = FAMILY_RUN["quick"]
    hard_family_checks(decide_hard_family, run_hard_family(horizons, reps, 5),
                       run_hard_family(horizons, reps, 5, frozen_gap=0.5), suite_delta("S4") / 8)
