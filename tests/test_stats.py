"""The verdict procedures' own error rates. Each experiment uses a fixed seed; each assertion compares a
count with the binomial quantile at 1 - 1e-4, so a correct procedure fails one of them with probability
below 1e-4 (the false-alarm budget of this file: 6 assertions, below 1e-3 in all)."""
import numpy as np
import pytest
from scipy import stats

from testbed.stats import (
    decide_exact,
    decide_lower_bound_exists,
    decide_slope_at_least,
    decide_upper_bound,
    replication_slopes,
)

N_EXPERIMENTS = 2000
DELTA = 0.05


def _ceiling(p):
    return stats.binom.ppf(1 - 1e-4, N_EXPERIMENTS, p)


def test_upper_bound_false_alarm_rate_when_the_bound_equals_the_mean():
    rng = np.random.default_rng(1)
    alarms = 0
    for _ in range(N_EXPERIMENTS):
        x = rng.normal(2.0, 1.0, size=(60, 4))
        alarms += decide_upper_bound([x], [np.full(4, 2.0)], DELTA).verdict == "violated"
    assert alarms <= _ceiling(DELTA)


def test_upper_bound_false_alarm_rate_on_skewed_bounded_data():
    rng = np.random.default_rng(2)
    alarms = 0
    for _ in range(N_EXPERIMENTS):
        x = rng.binomial(1, 0.1, size=(400, 3)).astype(float)  # skewed, like regret
        alarms += decide_upper_bound([x[:, :1], x[:, 1:]], [np.array([0.1]), np.array([0.1, 0.1])],
                                     DELTA).verdict == "violated"
    assert alarms <= _ceiling(DELTA)


def test_upper_bound_power_and_holds():
    rng = np.random.default_rng(3)
    assert decide_upper_bound([rng.normal(1.3, 1, (200, 3))], [np.ones(3)], DELTA).verdict == "violated"
    v = decide_upper_bound([rng.normal(0.5, 1, (200, 3))], [np.ones(3)], DELTA)
    assert v.verdict == "holds" and "Bonferroni over 3" in v.correction and v.confidence == 1 - DELTA
    assert decide_upper_bound([rng.normal(1.0, 1, (20, 3))], [np.ones(3)], DELTA).verdict == "inconclusive"


def test_lower_bound_exists_false_alarm_rate():
    rng = np.random.default_rng(4)
    alarms = 0
    for _ in range(N_EXPERIMENTS):
        samples = [rng.normal(m, 1.0, 50) for m in (1.0, 0.2, 0.5)]  # max mean equals the bound
        alarms += decide_lower_bound_exists(samples, 1.0, DELTA).verdict == "violated"
    assert alarms <= _ceiling(DELTA)
    assert decide_lower_bound_exists([rng.normal(3, 1, 50), rng.normal(0, 1, 50)], 1.0, DELTA).verdict == "holds"
    assert decide_lower_bound_exists([rng.normal(0, 1, 80)] * 2, 1.0, DELTA).verdict == "violated"


def test_slope_false_alarm_rate_and_asymptotic_mode():
    rng = np.random.default_rng(5)
    x = np.log(np.array([100, 200, 500, 1000]))
    alarms = 0
    for _ in range(N_EXPERIMENTS):
        y = 3.0 * x + rng.normal(0, 1, (40, 4))
        alarms += decide_slope_at_least([replication_slopes(y, x)], [3.0], DELTA, ["u"]).verdict == "violated"
    assert alarms <= _ceiling(DELTA)
    low = [replication_slopes(1.0 * x + rng.normal(0, 0.1, (40, 4)), x)]
    assert decide_slope_at_least(low, [3.0], DELTA, ["u"]).verdict == "violated"
    assert decide_slope_at_least(low, [3.0], DELTA, ["u"], asymptotic=True).verdict == "inconclusive"


def test_replication_slopes_are_least_squares():
    x = np.array([1.0, 2.0, 4.0])
    y = np.array([[2.0, 4.0, 8.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(replication_slopes(y, x), [2.0, 0.0], atol=1e-14)


def test_exact_verdict():
    assert decide_exact({"a": 1e-12}, {"a": 1e-9}).verdict == "holds"
    v = decide_exact({"a": 1e-12, "b": np.nan}, {"a": 1e-9, "b": 1e-9})
    assert v.verdict == "violated" and v.evidence["failed"] == ["b"]  # NaN never passes


def test_clopper_pearson_procedures_false_alarm_rate_is_at_most_nominal():
    """Under the null (true proportion exactly at the threshold / the stated value), the one-sided 'at least' and
    two-sided 'equals' procedures reject at most delta of the time (2000 experiments, binomial ceiling)."""
    from scipy import stats as sst

    from testbed.stats import decide_proportion_at_least, decide_proportion_equals
    rng = np.random.default_rng(7)
    delta, n, p, runs = 0.05, 200, 0.3, 2000
    ks = rng.binomial(n, p, runs)
    at_least = sum(decide_proportion_at_least([(int(k), n)], [p], delta, ["x"]).verdict == "violated" for k in ks)
    equals = sum(decide_proportion_equals([(int(k), n)], [p], delta, ["x"]).verdict == "violated" for k in ks)
    ceiling = sst.binom.ppf(1 - 1e-4, runs, delta)
    assert at_least <= ceiling and equals <= ceiling
    # and they have power: a proportion of 0.2 against a claimed 0.3 is rejected nearly always
    low = rng.binomial(n, 0.15, 200)
    assert (
        np.mean([decide_proportion_at_least([(int(k), n)], [p], delta, ["x"]).verdict == "violated" for k in low]) > 0.9
    )


def test_a_vacuous_part_spends_no_alpha_and_is_never_counted_as_holding():
    from testbed.stats import VACUOUS, combine_verdicts, decide_exact, decide_proportion_at_least, decide_vacuous
    K = np.array([1e3, 1e4])
    vac = decide_vacuous(bound_values=K * 5.0, trivial_max=K * 2.0, label="regret bound", trivial_name="K V*")
    assert vac.verdict == VACUOUS and vac.confidence == 1.0
    # below the trivial maximum at one size: a test, not vacuous
    assert decide_vacuous(np.array([1.5e3, 5e4]), K * 2.0, "b", "K V*") is None
    exact = decide_exact({"e": 0.0}, {"e": 1e-12})
    stat = decide_proportion_at_least([(99, 100)], [0.9], 0.01, ["p"])
    only_identity = combine_verdicts({"bound": vac, "exact": exact}, roles={"exact": "identity"})
    assert only_identity.verdict == "holds"
    assert only_identity.evidence["strength"]["strongest"] == "identity"
    assert "not tested" in only_identity.evidence["strength"]["line"]
    with_theorem = combine_verdicts({"bound": vac, "exact": exact, "rate": stat}, roles={"exact": "identity"})
    assert with_theorem.evidence["strength"]["strongest"] == "theorem"
    assert with_theorem.evidence["strength"]["vacuous"] == ["bound"]
    assert with_theorem.confidence == pytest.approx(0.99)          # the vacuous part adds nothing to the alarm
    assert combine_verdicts({"bound": vac}).verdict == VACUOUS


def test_fitted_slope_threshold_against_hand_derivations():
    """proofs_check.fitted_slope_threshold: over three equally log-spaced points a least-squares slope is the end
    points' secant, so sqrt(T) ln T over (1e3, 1e4, 1e5) gives 1/2 + ln(ln 1e5 / ln 1e3) / ln 100 (= 0.611); a
    hidden log power adds the same as a written one; a constant term (a burn-in) is dropped with the lower-order
    terms; bad points are refused."""
    import math

    import sympy as sp

    from proofs_check import fitted_slope_threshold
    from proofs_check.errors import BoundError
    T, d, K, m = sp.symbols("T d K m", positive=True)
    by_hand = 0.5 + math.log(math.log(1e5) / math.log(1e3)) / math.log(100)
    assert by_hand == pytest.approx(0.6109, abs=1e-4)
    at = [1e3, 1e4, 1e5]
    assert fitted_slope_threshold(d * sp.sqrt(T), "T", at, hidden_log_power=1, d=3.0) == pytest.approx(by_hand,
                                                                                                       rel=1e-12)
    assert fitted_slope_threshold(sp.sqrt(K * T) * sp.log(T) + 40 * K * m, "T", at, K=5.0, m=2.0) == pytest.approx(
        by_hand, rel=1e-12)
    # five points: sqrt(T ln T) by a direct least-squares fit of 0.5 ln T + 0.5 ln ln T
    five = [1e3, 10 ** 3.5, 1e4, 10 ** 4.5, 1e5]
    x = [math.log(t) for t in five]
    y = [0.5 * math.log(t) + 0.5 * math.log(math.log(t)) for t in five]
    xm, ym = sum(x) / 5, sum(y) / 5
    direct = sum((a - xm) * (b - ym) for a, b in zip(x, y, strict=True)) / sum((a - xm) ** 2 for a in x)
    assert fitted_slope_threshold(sp.sqrt(K * T * sp.log(T)), "T", five, K=5.0) == pytest.approx(direct, rel=1e-12)
    assert fitted_slope_threshold(sp.sqrt(T), "T", at) == pytest.approx(0.5, rel=1e-12)
    for bad in ([1e3], [1e3, 1e3], [0.5, 10.0], [1e3, float("nan")]):
        with pytest.raises(BoundError, match="at must hold"):
            fitted_slope_threshold(sp.sqrt(T), "T", bad)
    with pytest.raises(BoundError, match="give values for d"):
        fitted_slope_threshold(d * sp.sqrt(T), "T", at)


def test_increment_slope_threshold_is_the_derivative_of_sqrt_K_log_K():
    """proofs_check.increment_slope_threshold against the hand derivation: for B = a sqrt(K) ln(cK) the local slope
    of log B'(K) is -1/2 + 1/(ln(cK) + 2); lower-order terms (constant in K) are dropped first."""
    import math

    import sympy as sp

    from proofs_check import increment_slope_threshold
    K, a, c = sp.symbols("K a c", positive=True)
    expr = a * sp.sqrt(K) * sp.log(c * K) + 250 * sp.log(c * K) ** 2
    for k in (1e3, 1e5, 1e7):
        got = increment_slope_threshold(expr, "K", [k], a=20.0, c=3.0)
        assert got == pytest.approx(-0.5 + 1 / (math.log(3.0 * k) + 2), rel=1e-12)


def test_slope_between_decides_each_side_and_reports_both():
    """Log-normal noise around a mean growing like x^(1/2) (every replication the same law; 200 replications, five
    points from 1e3 to 1.6e4): [1/4, 3/4] holds; an interval above the slope ([0.6, 0.9]) is violated on its lower
    side, one below it ([0.1, 0.4]) on its upper side; each side's row carries its own threshold and direction."""
    from testbed.stats import decide_slope_between
    rng = np.random.default_rng(4)
    x = 1e3 * 2.0 ** np.arange(5)
    samples = np.sqrt(x)[None, :] * rng.lognormal(0.0, 0.5, (200, x.size))
    ok = decide_slope_between(samples, x, 0.25, 0.75, 0.01, "unit")
    assert ok.verdict == "holds" and abs(ok.confidence - 0.99) < 1e-15
    assert [(r["direction"], r["threshold"]) for r in ok.evidence["slopes"]] == [("below", 0.75), ("at least", 0.25)]
    above = decide_slope_between(samples, x, 0.6, 0.9, 0.01, "unit")
    below = decide_slope_between(samples, x, 0.1, 0.4, 0.01, "unit")
    assert above.verdict == below.verdict == "violated"
    assert [r["verdict"] for r in above.evidence["slopes"]] == ["holds", "violated"]
    assert [r["verdict"] for r in below.evidence["slopes"]] == ["violated", "holds"]
