"""Planted errors and the minimal detectable error (testbed.planting, testbed.power)."""
import numpy as np
import pytest

from testbed.claim import Claim, Source
from testbed.planting import planted, planted_coverage, planted_lower, planted_slope_below, planted_upper
from testbed.power import FACTOR_GRID, SHIFT_GRID, decide_recording_plants, minimal_detectable_error
from testbed.stats import (
    combine_verdicts,
    decide_lower_bound_exists,
    decide_proportion_at_least,
    decide_slope_below,
    decide_upper_bound,
)


def test_planting_is_the_identity_outside_a_block_and_wrong_in_the_right_direction_inside():
    assert planted_upper(2.0) == 2.0 and planted_lower(2.0) == 2.0 and planted_slope_below(0.5) == 0.5
    with planted(factor=4.0, shift=0.1) as p:
        assert planted_upper(2.0) == 0.5 and planted_lower(2.0) == 8.0
        assert planted_coverage(0.99) == 0.99                     # a bound's error leaves the failure rate alone
        assert planted_slope_below(0.5) == pytest.approx(0.4)
    assert p.consumed == {"factor", "coverage", "shift"}
    with planted(coverage=4.0) as p:
        assert planted_coverage(0.99) == pytest.approx(1 - 0.01 / 4) and planted_upper(2.0) == 2.0
    assert p.consumed == {"coverage", "factor"}
    for bad in ({"factor": 0.5}, {"coverage": 0.5}, {"shift": -0.1}, {"coverage": float("nan")}):
        with pytest.raises(ValueError):
            with planted(**bad):
                pass


class _Toy(Claim):
    """A claim whose regret samples have mean 1 (sd 0.1, 400 replications) against an upper bound of 2."""
    id = "TOY1"
    family = "toy"
    title = "toy"
    source = Source("nobody", 2026, "none", "none")
    status = "confirmed"
    kind = ("upper_bound", "statistical")
    statement = "E[X] <= 2"
    no_bound = "a test double"

    def tasks(self, fidelity, root_seed):
        return []

    def run_task(self, task):
        return {}

    def decide(self, tasks, results):
        x = 1.0 + 0.1 * np.random.default_rng(0).standard_normal((400, 1))
        return decide_upper_bound([x], [np.array([2.0])], self.delta)


def test_minimal_detectable_factor_of_a_known_case():
    """Mean 1 against a bound of 2: the bound divided by k is violated once 2/k is below the lower confidence bound
    (about 0.98), i.e. for k > 2.04: the first grid factor is 2.5; a factor 2 is not detected."""
    claim = _Toy()
    v, consumed = decide_recording_plants(claim, [], [])
    assert v.verdict == "holds" and consumed == {"factor"}
    power = minimal_detectable_error(claim, [], [], v, consumed, detection=False)
    assert power["detectable_factor"] == 2.5 and power["detects_factor_2"] is False
    assert power["decisions"] <= 6                               # bisection, not a scan of the grid
    assert power["detectable_shift"] is None


class _ToyWithCoverage(_Toy):
    """The same bound part, and a success probability claimed >= 0.9 with 396 successes in 400 (0.99)."""
    id = "TOY2"

    def decide(self, tasks, results):
        bound = super().decide(tasks, results)
        cover = decide_proportion_at_least([(396, 400)], [0.9], self.delta, ["P(within bound)"])
        return combine_verdicts({"bound": bound, "coverage": cover})


def test_a_bound_and_a_failure_rate_are_planted_apart():
    """Planting the failure rate together with the bound overstated 'bound wrong by k' (issue 22: S4 50 jointly,
    100 on the bound alone). Here the bound alone is detected at 2.5, as without the coverage part; the claimed failure
    rate 0.1 is seen wrong once 0.1/c is below the lower 99% Clopper-Pearson bound of 4 failures in 400 (0.00206,
    by scipy's beta quantile): c > 48.5, 50 on the grid."""
    claim = _ToyWithCoverage()
    v, consumed = decide_recording_plants(claim, [], [])
    assert v.verdict == "holds" and consumed == {"factor", "coverage"}
    power = minimal_detectable_error(claim, [], [], v, consumed)
    assert power["detectable_factor"] == 2.5 and power["detects_factor_2"] is False
    assert power["detectable_coverage_factor"] == 50.0 and power["detects_coverage_factor_2"] is False
    assert "a failure rate wrong by a factor 50 is detected" in power["note"]


def test_grids_are_increasing_and_hold_the_referees_marks():
    """Factor 2 and shift 0.25 are what issue 22 asks every claim to detect: both must be grid points, or a claim
    that detects 0.25 would be reported at the next grid point up (0.3) and counted as missing it."""
    assert list(FACTOR_GRID) == sorted(FACTOR_GRID) and 2.0 in FACTOR_GRID
    assert list(SHIFT_GRID) == sorted(SHIFT_GRID) and 0.25 in SHIFT_GRID


def test_factor_grid_steps_are_at_most_one_and_a_quarter():
    """The rule "detectable factor <= 1.5 / worst-case tightness" is only meaningful on a grid whose steps are well
    inside 1.5: a claim that detects 2.3 must not be reported at 3 (B2 was, on the 2 -> 3 step of the grid before
    2026-12-05), nor one that detects 21 at 50."""
    ratios = [b / a for a, b in zip(FACTOR_GRID, FACTOR_GRID[1:], strict=False)]
    assert max(ratios) <= 1.25 + 1e-12, dict(zip(FACTOR_GRID[1:], ratios, strict=True))
    assert FACTOR_GRID[0] == 1.05 and FACTOR_GRID[-1] == 1000.0


def test_every_procedure_consumes_its_plant():
    rng = np.random.default_rng(1)
    with planted(factor=10.0) as p:
        v = decide_lower_bound_exists([rng.normal(5, 1, 200)], 1.0, 0.01)     # 5 >= 1 * 10 is false
    assert p.consumed == {"factor"} and v.verdict == "violated"
    x = np.array([100, 200, 400, 800.0])
    samples = x ** 0.45 * np.exp(rng.normal(0, 0.05, (100, 4)))
    with planted(shift=0.1) as p:
        v = decide_slope_below([samples], [x], 0.5, 0.01, ["u"])              # slope 0.45 vs threshold 0.4
    assert p.consumed == {"shift"} and v.verdict == "violated"
    assert decide_slope_below([samples], [x], 0.5, 0.01, ["u"]).verdict == "holds"


def test_a_bound_that_evaluates_to_nan_stops_the_decision_with_a_named_error():
    """An overflowing formula (inf / inf) must not compare as False and pass: every procedure's bound goes through
    planting, which refuses NaN."""
    from testbed.errors import TestbedError
    from testbed.stats import decide_upper_bound
    samples = [np.ones((50, 3))]
    with pytest.raises(TestbedError, match="NaN at 1 of 3 points"):
        decide_upper_bound(samples, [np.array([2.0, np.inf / np.inf, 2.0])], 0.01)
    assert decide_upper_bound(samples, [np.array([2.0, 2.0, 2.0])], 0.01).verdict == "holds"


def test_detection_probability_is_the_share_of_bootstrap_re_decisions_that_detect():
    """The toy's mean is 1 (sd 0.1, 400 replications; standard error 0.005) against a bound of 2 divided by k: a
    resample's lower confidence bound sits about 3.2 standard errors below its mean. At k = 2 (bound 1) no resample
    can detect; at k = 2.5 (bound 0.8) every one does; near the crossing 2 / (1 - 0.016) = 2.033 about half do. An
    exact check resamples nothing: None."""
    from testbed.power import detection_probability
    from testbed.stats import decide_exact
    claim = _Toy()
    assert detection_probability(claim, [], [], "factor", 2.0) == 0.0
    assert detection_probability(claim, [], [], "factor", 2.5) == 1.0
    mid = detection_probability(claim, [], [], "factor", 2.033, draws=200)
    assert 0.2 < mid < 0.8
    # the same seed gives the same share; the record carries it at the smallest detected factor and at the mark
    assert detection_probability(claim, [], [], "factor", 2.033, draws=200) == mid
    rec = minimal_detectable_error(claim, [], [])
    assert rec["detection"]["factor"]["at"] == [{"value": 2.0, "probability": 0.0}, {"value": 2.5, "probability": 1.0}]
    assert "a bound wrong by a factor 2: 0 %; a bound wrong by a factor 2.5: 100 %" in rec["note"]

    class _Exact(_Toy):
        def decide(self, tasks, results):
            return decide_exact({"e": 0.0}, {"e": planted_upper(1e-9)})
    assert detection_probability(_Exact(), [], [], "factor", 2.0) is None
