"""Verdict procedures (DESIGN.md, contract) and the confidence bounds they use.

Means are bounded by Student-t bounds on independent replications, widened on the side that skewness makes too
narrow by Hall's skewness-removing transformation (``t_bounds``); proportions by exact Clopper-Pearson bounds;
log-log slopes of a mean by the same t bounds on linearised per-replication slopes (the delta method,
``loglog_slope_pseudovalues``; a percentile bootstrap missed its level by 10-100x at the replications quick
fidelity has, issue 22). Multiple comparisons are corrected with Bonferroni over every (instance, checkpoint) pair
a verdict looks at; the correction is stated in each verdict. Every (procedure, n, alpha) a suite decides with is
recorded (``recording_uses``) and the level measured there, within 2x nominal on skewed data, both sides, in
tests/test_false_alarms_at_uses.py. Beyond skewness of about 2, or for means carried by rare events (fewer than
about 20 expected in the sample), no CLT bound is reliable at alpha ~ 1e-3: such claims need more replications,
not another interval.

Every bound a procedure compares with passes through ``testbed.planting``, so a power analysis can plant an error
in it (``testbed.power``).
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import stats as _st

from .errors import ProcedureInputError
from .planting import (
    Plant,
    planted_coverage,
    planted_lower,
    planted_slope_at_least,
    planted_slope_below,
    planted_upper,
    planted_value,
    resampled_count,
    resampled_means,
    resampled_rows,
)

__all__ = ["recording_uses", "SKEWNESS_ALLOWANCE_SE", "LOGLOG_SLOPE_MIN_N", "loglog_slope_pseudovalues",
           "loglog_slope_interval", "format_confidence", "Verdict", "HOLDS", "VIOLATED", "INCONCLUSIVE", "VACUOUS",
           "VERDICT_WORDS",
           "PART_ROLES", "INCREMENT_SLOPE_MIN_N", "decide_vacuous", "decide_increment_slope",
           "increment_slope_pseudovalues", "t_bounds",
           "decide_upper_bound",
           "decide_lower_bound_exists", "replication_slopes", "loglog_slope", "bootstrap_slope_interval",
           "bootstrap_draws",
           "decide_slope_below", "decide_slope_above", "decide_slope_at_least", "decide_exact", "combine",
           "combine_verdicts",
           "decide_within_standard_errors", "decide_by_p_values", "chi_square_p_value", "clopper_pearson",
           "decide_proportion_at_least",
           "decide_proportion_equals", "verdict_confidence_text"]

HOLDS, VIOLATED, INCONCLUSIVE, VACUOUS = "holds", "violated", "inconclusive", "vacuous"
VERDICT_WORDS = (HOLDS, VIOLATED, INCONCLUSIVE, VACUOUS)
# what a part of a claim checks, strongest first: the theorem's own statement, an identity or derived fact the
# theorem rests on, the implementation's conformance to a transcription of the algorithm
PART_ROLES = ("theorem", "identity", "conformance")


@dataclass(frozen=True)
class Verdict:
    """``verdict`` in {holds, violated, inconclusive, vacuous}; ``confidence`` = 1 - delta for the whole claim.
    ``vacuous``: the part's bound is at or above the trivial maximum of its quantity at every tested size, so no
    data could contradict it; it is not a test and spends no alpha (confidence 1).

    Immutable: a claim adds to what a procedure returned with :meth:`with_evidence` or ``dataclasses.replace``
    and joins several procedures with :func:`combine_verdicts`, so no procedure's statement is edited after the
    fact."""
    verdict: str
    confidence: float
    correction: str
    method: str
    tightness: float | None
    n_samples: int
    evidence: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.verdict not in VERDICT_WORDS:
            raise ProcedureInputError(f"verdict must be one of {VERDICT_WORDS}, got {self.verdict!r}")
        if not 0 < self.confidence <= 1:
            raise ProcedureInputError(f"confidence must lie in (0, 1], got {self.confidence!r}")

    def with_evidence(self, **extra) -> "Verdict":
        """The same verdict with more evidence (new keys only: a procedure's own evidence is not overwritten)."""
        clash = sorted(set(extra) & set(self.evidence))
        if clash:
            raise ProcedureInputError(f"evidence keys {clash} are already set by the procedure")
        return replace(self, evidence={**self.evidence, **extra})

    def replace(self, **changes) -> "Verdict":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "confidence": self.confidence, "correction": self.correction,
                "method": self.method, "tightness": self.tightness, "n_samples": self.n_samples,
                "evidence": self.evidence}


# (procedure, n, alpha) of every confidence bound built inside ``recording_uses()``: the runner stores them with each
# verdict, and tests/test_false_alarms_at_uses.py measures each procedure's level at exactly those pairs
_USES: contextvars.ContextVar[set | None] = contextvars.ContextVar("testbed_procedure_uses", default=None)


@contextmanager
def recording_uses():
    """Within the block, every confidence bound a procedure builds records (procedure, n, alpha per side); yields
    the set. ``procedure`` names the data the bound is on: "mean" (a mean over replications, per-replication
    slopes included), "loglog_slope", "increment_slope", "clopper_pearson", "z_comparison" (n None: the claim
    passes means and standard errors) and "p_value" (n None)."""
    uses: set = set()
    token = _USES.set(uses)
    try:
        yield uses
    finally:
        _USES.reset(token)


def _record_use(procedure: str, n: int | None, alpha: float) -> None:
    uses = _USES.get()
    if uses is not None:
        uses.add((procedure, None if n is None else int(n), float(alpha)))


def _check_delta(delta: float) -> None:
    if not (0 < delta < 1):
        raise ProcedureInputError(f"delta must lie in (0, 1), got {delta!r}")


# the allowance on the sample skewness in t_bounds, in its large-sample standard errors sqrt(6/n): with the plain
# estimate the upper bound of exponential data missed 2.4x nominal at (n, alpha) = (200, 7e-6) and 4.3x at (60, 2e-4)
SKEWNESS_ALLOWANCE_SE = 2.0


def t_bounds(samples: np.ndarray, alpha: float, use: str = "mean") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and one-sided lower / upper confidence bounds, each at level 1 - alpha, per column: Hall's
    skewness-removing transformation of the studentised mean, never narrower than Student's t.

    Regret is right-skewed (a few runs lock onto a wrong arm), and then the studentised mean
    T = sqrt(n) (mean - mu) / s is left-skewed: the plain t upper bound falls below the true mean far more often
    than alpha (measured: 4.7x nominal at n = 200 and alpha = 7e-6 on exponential data). Hall (1992, On the removal
    of skewness by transformation, JRSS B 54, 221-228) maps T through the monotone cubic
    g(T) = T + a T^2 + a^2 T^3 / 3 + b, a = gamma / (3 sqrt(n)), b = gamma / (6 sqrt(n)), whose distribution is normal
    up to O(1/n); the bounds invert it at the normal quantiles. gamma is the sample skewness moved away from zero by
    ``SKEWNESS_ALLOWANCE_SE`` standard errors sqrt(6/n): the sample skewness is low exactly in the samples whose mean
    is low (no large observation drawn), which is where the upper bound misses. With that allowance the level is
    within 2x nominal at every (n, alpha) the suite uses, on exponential and log-normal data, both sides
    (tests/test_false_alarms_at_uses.py); neither bound is ever narrower than Student's t.

    ``samples`` is (n, m) with n >= 2 independent replications; a column with zero spread gets a point interval.
    ``use`` names what the samples are for ``recording_uses``.
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    if n < 2:
        raise ProcedureInputError(f"need at least 2 replications for a confidence bound, got {n}")
    _record_use(use, n, alpha)
    x = resampled_rows(x)            # a detection probability's re-decision (testbed.planting.resampling)
    mean = x.mean(axis=0)
    sd = x.std(axis=0, ddof=1)
    q_t = _st.t.ppf(1 - alpha, n - 1)
    z = _st.norm.ppf(1 - alpha)
    root_n = np.sqrt(n)
    centred = x - mean
    # the third central moment as d * d * d: NumPy's ** 3 calls pow() per element, 50x slower at (3000, 174)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = np.where(sd > 0, (centred * centred * centred).mean(axis=0) / np.where(sd > 0, sd, 1.0) ** 3, 0.0)
    gamma = np.sign(gamma) * (np.abs(gamma) + SKEWNESS_ALLOWANCE_SE * np.sqrt(6.0 / n))
    a = gamma / (3 * root_n)
    b = gamma / (6 * root_n)
    safe_a = np.where(a != 0, a, 1.0)

    def g_inverse(y):
        return np.where(a != 0, (np.cbrt(1 + 3 * a * (y - b)) - 1) / safe_a, y - b)

    # P(g(T) <= z) = 1 - alpha: mu >= mean - s g^-1(z) / sqrt(n) and mu <= mean - s g^-1(-z) / sqrt(n)
    q_lower = np.maximum(q_t, g_inverse(z))
    q_upper = np.maximum(q_t, -g_inverse(-z))
    scale = sd / root_n
    return mean, mean - q_lower * scale, mean + q_upper * scale


def decide_upper_bound(samples: list[np.ndarray], bounds: list[np.ndarray], delta: float,
                       unit_info: list[dict] | None = None, plant: Plant | None = None) -> Verdict:
    """Claim: E[X_u[:, j]] <= bounds[u][j] for every unit u and column j (``unit_info[u]``, when given, is copied
    into unit u's evidence: its name, instance, horizons ...).

    violated when some lower confidence bound exceeds its bound; holds when every upper confidence bound is
    within its bound; else inconclusive. Bonferroni over all M (unit, column) pairs: each bound at 1 - delta/M.
    Tightness = max over units of mean / bound at the last column (the largest horizon).
    """
    _check_delta(delta)
    M = sum(np.atleast_1d(b).size for b in bounds)
    alpha = delta / M
    units, any_violation, all_within, n_total = [], False, True, 0
    infos = unit_info if unit_info is not None else [{}] * len(samples)
    if len(infos) != len(samples) or len(bounds) != len(samples):
        raise ProcedureInputError("samples, bounds and unit_info must have one entry per unit")
    for x, b, info in zip(samples, bounds, infos, strict=True):
        mean, lo, hi = t_bounds(x, alpha)
        b = np.asarray(planted_upper(np.asarray(b, dtype=np.float64), plant), dtype=np.float64)
        any_violation |= bool((lo > b).any())
        all_within &= bool((hi <= b).all())
        n_total += x.shape[0]
        units.append({**info, "mean": mean.tolist(), "lower": lo.tolist(), "upper": hi.tolist(), "bound": b.tolist(),
                      "ratio": (mean / b).tolist()})
    verdict = VIOLATED if any_violation else (HOLDS if all_within else INCONCLUSIVE)
    tight = max(u["ratio"][-1] for u in units)
    return Verdict(verdict, 1 - delta, f"Bonferroni over {M} (instance, checkpoint) pairs",
                   "one-sided Student-t bounds on the mean over replications", tight, n_total, {"units": units})


def decide_lower_bound_exists(samples: list[np.ndarray], bound: float, delta: float) -> Verdict:
    """Claim: max_u E[X_u] >= bound (some instance of the family reaches the bound); X_u are 1-D samples.

    violated when EVERY upper confidence bound is below the bound (an intersection-union test: each at
    1 - delta, family-wise level delta); holds when SOME lower confidence bound reaches it (Bonferroni over the
    units, each at 1 - delta/m); else inconclusive. Tightness = max_u mean / bound.
    """
    _check_delta(delta)
    bound = float(planted_lower(bound))
    m = len(samples)
    means, lows, highs = [], [], []
    for x in samples:
        mean, _, hi = t_bounds(x, delta)
        _, lo, _ = t_bounds(x, delta / m)
        means.append(float(mean[0]))
        lows.append(float(lo[0]))
        highs.append(float(hi[0]))
    if max(highs) < bound:
        verdict = VIOLATED
    elif max(lows) >= bound:
        verdict = HOLDS
    else:
        verdict = INCONCLUSIVE
    return Verdict(verdict, 1 - delta, f"violation: intersection-union over {m} instances; holds: Bonferroni over {m}",
                   "one-sided Student-t bounds on the mean over replications",
                   max(means) / bound if bound != 0 else None,
                   sum(len(x) for x in samples),
                   {"means": means, "lower": lows, "upper": highs, "bound": bound})


def replication_slopes(values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Least-squares slope of each row of ``values`` (n, m) against ``x`` (m,)."""
    xc = np.asarray(x, dtype=np.float64) - np.mean(x)
    return (np.asarray(values, dtype=np.float64) @ xc) / (xc @ xc)


def decide_slope_at_least(slopes: list[np.ndarray], thresholds: list[float], delta: float,
                          labels: list[str], asymptotic: bool = False, plant: str = "shift",
                          direction: str = "at least") -> Verdict:
    """Claim: the mean slope of unit u is >= thresholds[u] (``direction="at most"``: <=). Two-sided t-interval
    of the per-replication slopes per unit at 1 - delta/m (Bonferroni over m units): violated when an interval
    lies on the wrong side of its threshold, holds when every interval lies on the claimed side, else
    inconclusive. With ``asymptotic`` the claim is about T -> infinity, which finite-T data cannot contradict: an
    interval on the wrong side gives ``inconclusive`` (pre-asymptotic), never ``violated``.

    ``plant`` says what a threshold is for a power analysis: an exponent (``"shift"``: moved by s) or a constant
    such as C(mu) in a slope of R(T) against ln T (``"factor"``: a lower threshold multiplied by k, an upper one
    divided). Tightness is None (it means empirical / bound); each unit's ``slope_ratio`` (mean slope /
    threshold) is in the evidence."""
    _check_delta(delta)
    if direction not in ("at least", "at most") or plant not in ("shift", "factor"):
        raise ProcedureInputError(f"direction must be 'at least' or 'at most' and plant 'shift' or 'factor', got "
                                  f"{direction!r}, {plant!r}")
    m = len(slopes)
    rows, verdicts = [], []
    for s, thr, label in zip(slopes, thresholds, labels, strict=True):
        if plant == "factor":
            thr = float(planted_lower(thr) if direction == "at least" else planted_upper(thr))
        else:
            thr = float(planted_slope_at_least(thr) if direction == "at least" else planted_slope_below(thr))
        mean, lo, hi = t_bounds(s, delta / (2 * m))
        lo, hi, mean = float(lo[0]), float(hi[0]), float(mean[0])
        wrong, right = (hi < thr, lo >= thr) if direction == "at least" else (lo > thr, hi <= thr)
        v = (INCONCLUSIVE if asymptotic else VIOLATED) if wrong else (HOLDS if right else INCONCLUSIVE)
        verdicts.append(v)
        rows.append({"label": label, "slope": mean, "lower": lo, "upper": hi, "threshold": float(thr),
                     "direction": direction, "verdict": v, "wrong_side": bool(wrong),
                     "slope_ratio": mean / thr if thr != 0 else None})
    return Verdict(combine(verdicts), 1 - delta, f"Bonferroni over {m} units (two-sided intervals)",
                   "Student-t interval of per-replication least-squares slopes",
                   None, sum(len(s) for s in slopes), {"slopes": rows})


def increment_slope_pseudovalues(cumulative: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Per-window increments of a cumulative quantity and the slope of their log mean against log x.

    ``cumulative`` (n, m) holds R_i(x_j) for n replications at m >= 3 increasing points; the increments are
    d_ij = (R_i(x_{j+1}) - R_i(x_j)) / (x_{j+1} - x_j) at the windows' geometric midpoints. The slope
    b = sum_j c_j log(mean_i d_ij) (least squares: c_j the centred log midpoints over their sum of squares) is
    linearised per replication (the delta method: b_i = b + sum_j c_j (d_ij - mean_j) / mean_j), so a Student-t
    interval of the b_i is an interval for b whose level is measured, at the n and alpha where it is used, in
    tests/test_stats_false_alarms.py. Returns (b, b_i, mean increments). A window whose mean increment is not
    positive has no logarithm: ValueError (a cumulative quantity that stopped growing is a different claim)."""
    R = np.asarray(cumulative, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if R.ndim != 2 or x.ndim != 1 or R.shape[1] != x.size or x.size < 3:
        raise ProcedureInputError(f"need cumulative values (n, m) at m >= 3 points, got {R.shape} at {x.shape}")
    if not np.all(np.diff(x) > 0):
        raise ProcedureInputError("the points must increase")
    inc = np.diff(R, axis=1) / np.diff(x)
    mean = inc.mean(axis=0)
    if not np.all(mean > 0):
        raise ProcedureInputError(f"every window's mean increment must be positive to take its logarithm, got {mean}")
    slope, pseudo = loglog_slope_pseudovalues(inc, np.sqrt(x[:-1] * x[1:]))
    return slope, pseudo, mean


def loglog_slope_pseudovalues(samples: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
    """The least-squares slope b of log(mean_i y_ij) against log x_j, and its linearisation per replication (the
    delta method): b_i = b + sum_j c_j (y_ij - m_j) / m_j with c_j the centred log x_j over their sum of squares,
    so mean_i b_i = b and a Student-t interval of the b_i is an interval for b (its level measured at every (n,
    alpha) the suite uses, tests/test_false_alarms_at_uses.py). ``samples`` is (n, m), m >= 2 increasing x. A mean
    that is not positive has no logarithm: ValueError (callers decide what zero regret means)."""
    y = np.asarray(samples, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if y.ndim != 2 or x.ndim != 1 or y.shape[1] != x.size or x.size < 2:
        raise ProcedureInputError(f"need samples (n, m) at m >= 2 points, got {y.shape} at {x.shape}")
    mean = y.mean(axis=0)
    if not np.all(mean > 0):
        raise ProcedureInputError(f"the mean must be positive at every point to take its logarithm, got {mean}")
    lx = np.log(x)
    c = (lx - lx.mean()) / np.sum((lx - lx.mean()) ** 2)
    slope = float(c @ np.log(mean))
    return slope, slope + ((y - mean) / mean) @ c


def _detectable_linear_loss(mean_inc: np.ndarray, x: np.ndarray, threshold: float, width: float) -> float:
    """The smallest loss g per unit of x added to every increment (a linear term g x in the cumulative quantity)
    whose slope estimate exceeds the threshold by the interval's half-width: the linear error this decision would
    see about half the time (bisection on log g)."""
    lx = 0.5 * (np.log(x[:-1]) + np.log(x[1:]))
    c = (lx - lx.mean()) / np.sum((lx - lx.mean()) ** 2)
    def slope(g):
        return float(c @ np.log(mean_inc + g))
    lo, hi = 1e-12 * float(mean_inc.max()), 1e6 * float(mean_inc.max())
    if slope(hi) < threshold + width:
        return float("inf")
    for _ in range(200):
        mid = np.sqrt(lo * hi)
        lo, hi = (mid, hi) if slope(mid) < threshold + width else (lo, mid)
    return float(hi)


# the smallest numbers of replications at which the linearised slope intervals' levels are measured within 2x
# nominal at the suites' alphas, on exponential and shared log-normal data (tests/test_false_alarms_at_uses.py).
# The increments' interval: at n = 8 and 24 it missed 2-5x nominal, at 60 it is within 2x. The log-log slope's:
# at n = 60 it missed 2.76 +- 0.14 x nominal on the shared log-normal data (10^6 runs at alpha = 1.4e-4), at 100 it
# is within 2x at every pair the suites use
INCREMENT_SLOPE_MIN_N = 60
LOGLOG_SLOPE_MIN_N = 100


def decide_increment_slope(samples: list[np.ndarray], xs: list[np.ndarray], thresholds, delta: float,
                           labels: list[str]) -> Verdict:
    """Claim: the per-window increments of each unit's cumulative quantity (regret) decay at least as fast as
    x^thresholds[u]: the log-log slope of the mean increments is <= the threshold (``increment_slope_pseudovalues``).
    A rate check on the slope of cumulative regret cannot see linear regret behind a burn-in (the slope of C + g x
    is g x / (C + g x)); increments can: linear regret has increment slope 0.

    Student-t interval (``t_bounds``, skewness-corrected on the skewed side) of the linearised per-replication slopes,
    each side at delta/(2m), Bonferroni over m units: violated when an interval lies above its threshold, holds
    when every interval lies below it, else inconclusive. Each unit's evidence gives the smallest linear loss per
    unit of x it would detect (``detectable_linear_loss``). Fewer than ``INCREMENT_SLOPE_MIN_N`` replications:
    ValueError (the interval's level is not measured there: at n = 8 and 24 it missed 2-5x nominal)."""
    _check_delta(delta)
    small = [len(x) for x in samples if len(x) < INCREMENT_SLOPE_MIN_N]
    if small:
        raise ProcedureInputError(f"decide_increment_slope needs at least {INCREMENT_SLOPE_MIN_N} replications per "
                                  f"unit, got {small}")
    m = len(samples)
    thresholds = [thresholds] * m if np.isscalar(thresholds) else list(thresholds)
    rows, verdicts = [], []
    for data, x, thr, label in zip(samples, xs, thresholds, labels, strict=True):
        thr = float(planted_slope_below(float(thr)))
        x = np.asarray(x, dtype=np.float64)
        slope, pseudo, mean_inc = increment_slope_pseudovalues(data, x)
        _, lo, hi = t_bounds(pseudo, delta / (2 * m), use="increment_slope")
        lo, hi = float(lo[0]), float(hi[0])
        v = VIOLATED if lo > thr else (HOLDS if hi < thr else INCONCLUSIVE)
        verdicts.append(v)
        rows.append({"label": label, "slope": slope, "lower": lo, "upper": hi, "threshold": thr,
                     "direction": "below", "verdict": v, "n": int(pseudo.size),
                     "mean_increments": mean_inc.tolist(),
                     "detectable_linear_loss": _detectable_linear_loss(mean_inc, x, thr, (hi - lo) / 2)})
    return Verdict(combine(verdicts), 1 - delta, f"Bonferroni over {m} units (each side at delta/(2m))",
                   "Student-t interval (skewness-corrected) of linearised per-replication slopes of the per-window "
                   "increments", None, sum(len(s) for s in samples), {"slopes": rows})


def decide_exact(errors: dict[str, float], tolerances: dict[str, float],
                 searched: dict[str, int] | None = None) -> Verdict:
    """Deterministic checks: holds when every max error is within its tolerance, else violated.

    ``searched`` names the checks that searched N generated instances for a counterexample to the claim. A
    counterexample found is certain (confidence 1), but a search that found none proves nothing beyond its
    instances: the verdict says "no counterexample in N instances" and gives the rule-of-three bound (the share
    of the generator's instances that violate the claim is below 3/N at 95% confidence)."""
    failed = [k for k in errors if not errors[k] <= tolerances[k]]
    evidence = {"errors": errors, "tolerances": tolerances, "failed": failed}
    method = "max error against tolerance"
    if searched:
        n = min(searched.values())
        evidence["searched"] = {k: int(v) for k, v in searched.items()}
        method += (f"; searches: no counterexample in {n} generated instances (rule of three: the generator's "
                   f"failure rate is below {3 / n:.2g} at 95% confidence)" if not failed else "")
    return Verdict(VIOLATED if failed else HOLDS, 1.0, "none (exact check)", method, None, 0, evidence)


def verdict_confidence_text(verdict: str, confidence, evidence: dict | None) -> str:
    """The confidence as shown to a reader: ``format_confidence``, except for a verdict that holds because a search
    found no counterexample, which says so instead of claiming certainty (after the statistical confidence when the
    verdict also has statistical parts)."""
    searched = (evidence or {}).get("searched") if isinstance(evidence, dict) else None
    if verdict == HOLDS and isinstance(searched, dict) and searched:
        n = min(searched.values())
        text = f"no counterexample in {n} instances"
        return text if confidence is None or confidence >= 1 else f"{format_confidence(confidence)}; {text}"
    return format_confidence(confidence)


def combine(verdicts: list[str]) -> str:
    """violated if any is violated; vacuous parts are not tests and are left out; holds if every other part holds
    (and there is one); vacuous if every part is; else inconclusive."""
    if VIOLATED in verdicts:
        return VIOLATED
    tested = [v for v in verdicts if v != VACUOUS]
    if not tested:
        return VACUOUS if verdicts else INCONCLUSIVE
    return HOLDS if all(v == HOLDS for v in tested) else INCONCLUSIVE


def decide_vacuous(bound_values, trivial_max, label: str, trivial_name: str,
                   plant: Plant | None = None) -> Verdict | None:
    """A ``vacuous`` part when the bound (planted errors included) is at or above the trivial maximum of the
    quantity it bounds at EVERY tested size (``trivial_max``: K V* for episodic regret, T rho* for average-reward
    regret, ...): no algorithm's data could contradict it, so it spends no alpha and counts as no evidence for the
    theorem. None when the bound is below the trivial maximum somewhere (then it is a test: decide it)."""
    b = np.asarray(planted_upper(np.asarray(bound_values, dtype=np.float64), plant), dtype=np.float64)
    top = np.broadcast_to(np.asarray(trivial_max, dtype=np.float64), b.shape)
    if not np.all(b >= top):
        return None
    ratio = float(np.min(b / top))
    return Verdict(VACUOUS, 1.0, "none (not a test: no alpha spent)",
                   f"bound against the trivial maximum {trivial_name}", None, 0,
                   {"vacuous": [{"label": label, "bound_over_trivial_min": ratio, "trivial": trivial_name}]})


def _strength(parts: dict[str, Verdict], roles: dict[str, str]) -> dict:
    """The claim's strongest non-vacuous part (by ``PART_ROLES``) and its vacuous parts, with one line for the
    reader: a claim whose theorem parts are all vacuous does not hold the theorem, and says so."""
    rows = [{"name": n, "role": roles.get(n, "theorem"), "verdict": v.verdict} for n, v in parts.items()]
    vacuous = [r["name"] for r in rows if r["verdict"] == VACUOUS]
    tested = [r for r in rows if r["verdict"] != VACUOUS]
    strongest = min((PART_ROLES.index(r["role"]) for r in tested), default=None)
    role = None if strongest is None else PART_ROLES[strongest]
    if role is None:
        line = "every part is vacuous: nothing was tested"
    elif role == "theorem":
        line = "the theorem's statement is tested" + (f"; vacuous (not counted): {', '.join(vacuous)}"
                                                     if vacuous else "")
    else:
        line = (f"the theorem is not tested: its strongest tested part is {role}"
                + (f" (vacuous: {', '.join(vacuous)})" if vacuous else ""))
    return {"strongest": role, "vacuous": vacuous, "line": line, "roles": {r["name"]: r["role"] for r in rows}}


def combine_verdicts(parts: dict[str, Verdict], *, tightness: float | None = None, evidence: dict | None = None,
                     n_samples: int | None = None, roles: dict[str, str] | None = None) -> Verdict:
    """One verdict for a claim decided in several parts (an exact part and a statistical part, say).

    ``violated`` if any part is, ``holds`` if every non-vacuous part holds, else ``inconclusive`` (``combine``).
    The false-alarm probabilities of the parts add up (union bound): confidence = 1 - sum of (1 - confidence of
    each part); exact and vacuous parts (confidence 1) add nothing (one part: its own correction). ``roles`` names
    each part's role in ``PART_ROLES`` (default "theorem"); the evidence's ``strength`` says which is the strongest
    tested part and lists the vacuous ones apart. Evidence: the parts' evidence merged (lists under the same key
    are concatenated, dicts with disjoint keys joined; any other clash is an error), plus ``parts`` (each part's
    verdict, confidence, correction and role) and ``evidence``. ``tightness`` defaults to the largest tightness of
    the non-vacuous parts."""
    if not parts:
        raise ProcedureInputError("combine_verdicts needs at least one part")
    roles = dict(roles or {})
    bad = {n: r for n, r in roles.items() if r not in PART_ROLES or n not in parts}
    if bad:
        raise ProcedureInputError(f"roles must name parts and be one of {PART_ROLES}, got {bad}")
    merged: dict = {}
    for name, v in parts.items():
        for key, value in v.evidence.items():
            if key not in merged:
                merged[key] = value
            elif isinstance(merged[key], list) and isinstance(value, list):
                merged[key] = merged[key] + value
            elif isinstance(merged[key], dict) and isinstance(value, dict) and not set(merged[key]) & set(value):
                merged[key] = {**merged[key], **value}
            elif merged[key] != value:
                raise ProcedureInputError(f"evidence key {key!r} set differently by two parts (second: {name!r})")
    merged["parts"] = [{"name": name, "verdict": v.verdict, "confidence": v.confidence, "correction": v.correction,
                        "method": v.method, "role": roles.get(name, "theorem")} for name, v in parts.items()]
    merged["strength"] = _strength(parts, roles)
    clash = sorted(set(evidence or {}) & set(merged))
    if clash:
        raise ProcedureInputError(f"evidence keys {clash} are already set by the parts")
    merged.update(evidence or {})
    alarm = sum(1 - v.confidence for v in parts.values())
    tights = [v.tightness for v in parts.values() if v.tightness is not None and v.verdict != VACUOUS]
    only = next(iter(parts.values())) if len(parts) == 1 else None
    return Verdict(combine([v.verdict for v in parts.values()]), 1 - alarm,
                   only.correction if only is not None else
                   "union bound over the parts: " + "; ".join(f"{n}: {v.correction}" for n, v in parts.items()),
                   "; ".join(f"{n}: {v.method}" for n, v in parts.items()),
                   tightness if tightness is not None else (max(tights) if tights else None),
                   sum(v.n_samples for v in parts.values()) if n_samples is None else n_samples, merged)


def decide_within_standard_errors(means, standard_errors, targets, z_max: float | None, labels: list[str],
                                  delta: float | None = None) -> Verdict:
    """Claim: each Monte Carlo mean equals its exactly computed target. ``holds`` when every |mean - target| is
    within ``z_max`` standard errors, else ``violated``. Under normal errors a single comparison raises a false
    alarm with probability 2 Phi(-z_max) (6.3e-5 at z_max = 4), so m comparisons together with at most
    m 2 Phi(-z_max) (Bonferroni), the stated confidence. With ``delta`` instead of ``z_max`` the threshold is
    chosen so that this is delta: z_max = Phi^-1(1 - delta / (2 m)). A difference below 1e-12 of the target's scale
    counts as zero whatever the standard error (a constant quantity has a standard error of rounding size)."""
    means, ses, targets = (np.atleast_1d(np.asarray(x, dtype=np.float64)).ravel()
                           for x in (means, standard_errors, planted_value(targets)))
    if not (means.size == ses.size == targets.size == len(labels)):
        raise ProcedureInputError("means, standard_errors, targets and labels must have the same length")
    means = resampled_means(means, ses)
    if (z_max is None) == (delta is None):
        raise ProcedureInputError("give exactly one of z_max and delta")
    if delta is not None:
        _check_delta(delta)
        z_max = float(_st.norm.isf(delta / (2 * means.size)))
    diff = means - targets
    negligible = np.abs(diff) <= 1e-12 * np.maximum(1.0, np.abs(targets))
    z = np.where(negligible, 0.0, diff / np.where(ses > 0, ses, np.inf))
    z = np.where(~negligible & (ses <= 0), np.inf, z)
    per = 2 * _st.norm.sf(z_max)
    _record_use("z_comparison", None, per / 2)
    rows = [{"label": lab, "mean": float(m), "se": float(e), "target": float(t), "z": float(zz)}
            for lab, m, e, t, zz in zip(labels, means, ses, targets, z, strict=True)]
    verdict = HOLDS if np.all(np.abs(z) <= z_max) else VIOLATED
    return Verdict(verdict, 1 - per * means.size, f"Bonferroni over {means.size} comparisons, each at "
                   f"|z| <= {z_max:g} (false alarm {per:.2g} each under normal errors)",
                   "Monte Carlo means against exact values, in standard errors", None, 0,
                   {"comparisons": rows, "max_abs_z": float(np.max(np.abs(z))), "z_max": float(z_max)})


def decide_by_p_values(p_values: dict[str, float], delta: float, method: str) -> Verdict:
    """Claim: every null hypothesis of a family of two-sided tests holds (each ``p_values[label]`` from a test
    whose p-value is uniform or conservative under its null). ``violated`` when some p-value is at most delta/m
    (Bonferroni over the m tests), else ``holds``: the family-wise false-alarm probability is at most delta."""
    _check_delta(delta)
    m = len(p_values)
    if m == 0:
        raise ProcedureInputError("decide_by_p_values needs at least one test")
    _record_use("p_value", None, delta / m)
    rows = [
        {"label": lab, "p_value": float(p), "verdict": VIOLATED if p <= delta / m else HOLDS}
        for lab, p in p_values.items()
    ]
    return Verdict(
        combine([r["verdict"] for r in rows]),
        1 - delta,
        f"Bonferroni over {m} tests (each at {delta / m:.3g})",
        method,
        None,
        0,
        {"tests": rows},
    )


MIN_EXPECTED_COUNT = 5.0     # the chi-square approximation's usual condition; smaller cells are pooled


def chi_square_p_value(counts, probabilities) -> tuple[float, int]:
    """Pearson's chi-square goodness-of-fit p-value of observed ``counts`` against an exact law ``probabilities``
    (same order), and the number of cells tested: cells whose expected count is below 5 are pooled into one,
    itself merged into the smallest other cell if still below 5 (a count in a cell of probability 0 is pooled
    the same way, so it raises the statistic)."""
    counts = np.asarray(counts, dtype=np.float64).ravel()
    prob = np.asarray(probabilities, dtype=np.float64).ravel()
    if counts.size < 2 or prob.shape != counts.shape or (counts < 0).any() or (prob < 0).any() \
            or abs(prob.sum() - 1) > 1e-9 or counts.sum() <= 0:
        raise ProcedureInputError("a chi-square test needs >= 2 cells of counts (not all 0) and probabilities "
                                  "summing to 1 in the same order")
    n = counts.sum()
    expected = n * prob
    small = expected < MIN_EXPECTED_COUNT
    obs, exp = list(counts[~small]), list(expected[~small])
    if small.any():
        if expected[small].sum() >= MIN_EXPECTED_COUNT or not exp:
            obs.append(counts[small].sum())
            exp.append(expected[small].sum())
        else:
            j = int(np.argmin(exp))
            obs[j] += counts[small].sum()
            exp[j] += expected[small].sum()
    if len(exp) < 2:
        raise ProcedureInputError("a chi-square test needs >= 2 cells with an expected count >= 5")
    return float(_st.chisquare(obs, exp).pvalue), len(exp)


def loglog_slope(mean: np.ndarray, x: np.ndarray) -> float:
    """Least-squares slope of log(mean) against log(x)."""
    return float(replication_slopes(np.log(np.asarray(mean, dtype=np.float64))[None, :], np.log(x))[0])


# below this many replications the percentile bootstrap's level is not measured (with 6 and 8 replications of
# log-normal noise it missed 5.8% and 3.0% against nominal 8e-4 and 3e-4, issue 22)
BOOTSTRAP_MIN_N = 100


def bootstrap_draws(alpha: float, per_tail: int = 20, minimum: int = 2000) -> int:
    """Bootstrap draws for a two-sided interval at 1 - alpha: at least ``per_tail`` draws beyond each quantile
    (``per_tail / (alpha / 2)``), so the interval's ends are not decided by one or two draws."""
    return max(minimum, int(np.ceil(per_tail / (alpha / 2))))


def bootstrap_slope_interval(samples: np.ndarray, x: np.ndarray, alpha: float, seed: int = 0,
                             n_boot: int | None = None) -> tuple[float, float, float]:
    """Slope of log(mean over replications) against log(x), with a two-sided percentile-bootstrap interval at
    1 - alpha: replications resampled with replacement (as counts per replication), ``bootstrap_draws(alpha)`` draws
    unless ``n_boot`` is given, a fixed seed so that the interval is reproducible. A mean of 0 at some x has no
    logarithm: ValueError (callers decide what zero regret means)."""
    data = np.asarray(samples, dtype=np.float64)
    if data.shape[0] < BOOTSTRAP_MIN_N:
        raise ProcedureInputError(f"a percentile-bootstrap interval needs at least {BOOTSTRAP_MIN_N} replications, "
                                  f"got {data.shape[0]}: below that it misses its level by 10-100x (issue 22); use a t "
                                  "interval on per-replication slopes (decide_slope_at_least) or more replications")
    if (data.mean(axis=0) <= 0).any():
        raise ProcedureInputError("the mean must be positive at every point to take its logarithm")
    data = resampled_rows(data)      # a detection probability's re-decision (testbed.planting.resampling)
    rng = np.random.default_rng(seed)
    n = data.shape[0]
    n_boot = bootstrap_draws(alpha) if n_boot is None else int(n_boot)
    lx = np.log(np.asarray(x, dtype=np.float64))
    slopes = np.empty(n_boot)
    chunk = max(1, 4_000_000 // max(n, 1))
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        picks = rng.integers(0, n, (size, n)) + (np.arange(size) * n)[:, None]
        weights = np.bincount(picks.ravel(), minlength=size * n).reshape(size, n).astype(np.float64)
        means = np.maximum(weights @ data / n, np.finfo(float).tiny)
        slopes[start:start + size] = replication_slopes(np.log(means), lx)
    lo, hi = np.quantile(slopes, [alpha / 2, 1 - alpha / 2])
    return loglog_slope(data.mean(axis=0), x), float(lo), float(hi)


def loglog_slope_interval(samples: np.ndarray, x: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """The log-log slope of the mean over replications and a two-sided interval at 1 - alpha (each side at
    alpha/2): t bounds of the linearised per-replication slopes (``loglog_slope_pseudovalues``). At least
    ``LOGLOG_SLOPE_MIN_N`` replications."""
    if len(samples) < LOGLOG_SLOPE_MIN_N:
        raise ProcedureInputError(f"a log-log slope interval needs at least {LOGLOG_SLOPE_MIN_N} replications, got "
                                  f"{len(samples)}")
    slope, pseudo = loglog_slope_pseudovalues(samples, x)
    _, lo, hi = t_bounds(pseudo, alpha / 2, use="loglog_slope")
    return slope, float(lo[0]), float(hi[0])


def _loglog_slope_decision(samples, xs, threshold, delta, labels, below: bool, plant: Plant | None = None) -> Verdict:
    """Per unit, a two-sided interval of the log-log slope of the mean, each side at delta/(2m) (Bonferroni over m
    units): Student-t bounds (skewness-corrected on the skewed side) of the linearised per-replication slopes
    (``loglog_slope_pseudovalues``), compared with ``threshold`` on the claimed side (below it, or at least it).
    Fewer than ``LOGLOG_SLOPE_MIN_N`` replications: ValueError (the level is not measured there)."""
    _check_delta(delta)
    threshold = float(planted_slope_below(threshold, plant) if below else planted_slope_at_least(threshold, plant))
    m = len(samples)
    rows, verdicts = [], []
    for x_samples, x, label in zip(samples, xs, labels, strict=True):
        slope, lo, hi = loglog_slope_interval(x_samples, x, delta / m)
        wrong, right = (lo > threshold, hi < threshold) if below else (hi < threshold, lo >= threshold)
        v = VIOLATED if wrong else (HOLDS if right else INCONCLUSIVE)
        verdicts.append(v)
        rows.append({"label": label, "slope": slope, "lower": lo, "upper": hi, "threshold": threshold,
                     "direction": "below" if below else "at least", "verdict": v, "n": len(x_samples),
                     "slope_ratio": slope / threshold if threshold else None})
    return Verdict(combine(verdicts), 1 - delta, f"Bonferroni over {m} units (each side at delta/(2m))",
                   "Student-t interval (skewness-corrected) of linearised per-replication log-log slopes of the mean",
                   None, sum(len(s) for s in samples), {"slopes": rows})


def decide_slope_below(samples: list[np.ndarray], xs: list[np.ndarray], threshold: float, delta: float,
                       labels: list[str], plant: Plant | None = None) -> Verdict:
    """Claim: the log-log slope of each unit's mean is below ``threshold``. Linearised t interval per unit at
    1 - delta/m (Bonferroni over m units, ``_loglog_slope_decision``): violated when an interval lies above the
    threshold, holds when every interval lies below it, else inconclusive. Tightness is None (it means empirical /
    bound); each unit's ``slope_ratio`` (slope / threshold) is in the evidence, with each unit's threshold (so that
    several such decisions, with different thresholds, combine)."""
    return _loglog_slope_decision(samples, xs, threshold, delta, labels, below=True, plant=plant)


def decide_slope_above(samples: list[np.ndarray], xs: list[np.ndarray], threshold: float, delta: float,
                       labels: list[str], plant: Plant | None = None) -> Verdict:
    """Claim: the log-log slope of each unit's mean is at least ``threshold`` (a lower bound on a growth exponent):
    violated when an interval lies below the threshold, holds when every interval lies at or above it."""
    return _loglog_slope_decision(samples, xs, threshold, delta, labels, below=False, plant=plant)


def decide_slope_between(samples: np.ndarray, x: np.ndarray, lower: float, upper: float, delta: float,
                         label: str) -> Verdict:
    """Claim: the log-log slope of the mean lies in [``lower``, ``upper``] (a rate attained on a hard family, S4 and
    S6): ``decide_slope_above`` at ``lower`` and ``decide_slope_below`` at ``upper`` on one unit, each side at
    delta / 2; violated when either side is, holds when both hold. The evidence's ``slopes`` has a row per side."""
    at_least = decide_slope_above([samples], [x], lower, delta / 2, [label])
    at_most = decide_slope_below([samples], [x], upper, delta / 2, [label])
    return Verdict(combine([at_most.verdict, at_least.verdict]), 1 - delta,
                   f"both sides at delta/2: {at_most.correction}", at_most.method, None,
                   at_most.n_samples, {"slopes": at_most.evidence["slopes"] + at_least.evidence["slopes"]})


def clopper_pearson(k: int, n: int, alpha: float) -> tuple[float, float]:
    """Exact one-sided Clopper-Pearson bounds for a binomial proportion from k successes in n trials: the lower
    bound holds with probability >= 1 - alpha, and so does the upper bound."""
    if not (0 <= k <= n and n >= 1):
        raise ProcedureInputError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    _record_use("clopper_pearson", n, alpha)
    k = resampled_count(k, n)        # a detection probability's re-decision (testbed.planting.resampling)
    lower = float(_st.beta.ppf(alpha, k, n - k + 1)) if k > 0 else 0.0
    upper = float(_st.beta.ppf(1 - alpha, k + 1, n - k)) if k < n else 1.0
    return lower, upper


def decide_proportion_at_least(counts: list[tuple[int, int]], thresholds: list[float], delta: float,
                               labels: list[str]) -> Verdict:
    """Claim: each unit's success probability is >= its threshold. One-sided Clopper-Pearson bounds at
    1 - delta/m (Bonferroni over m units): violated when an upper bound is below its threshold, holds when every
    lower bound reaches its threshold, else inconclusive."""
    _check_delta(delta)
    m = len(counts)
    rows, verdicts = [], []
    for (k, n), p, label in zip(counts, thresholds, labels, strict=True):
        p = float(planted_coverage(p))
        lo, hi = clopper_pearson(int(k), int(n), delta / m)
        v = VIOLATED if hi < p else (HOLDS if lo >= p else INCONCLUSIVE)
        verdicts.append(v)
        rows.append({"label": label, "successes": int(k), "trials": int(n), "lower": lo, "upper": hi,
                     "threshold": p, "verdict": v})
    return Verdict(combine(verdicts), 1 - delta, f"Bonferroni over {m} units (one-sided Clopper-Pearson)",
                   "exact binomial confidence bounds", None, sum(int(n) for _, n in counts), {"proportions": rows})


def decide_proportion_equals(counts: list[tuple[int, int]], values: list[float], delta: float,
                             labels: list[str], replication: list[tuple[int, int]] | None = None) -> Verdict:
    """Claim: each unit's success probability equals an exactly computed value. Two-sided Clopper-Pearson
    intervals (each side at delta/(2m), Bonferroni over m units): violated when a value lies outside its
    interval, else holds (equality cannot be confirmed beyond the interval's width, which is reported).

    With ``replication`` (independent counts of the same units), a unit whose interval excludes its value is
    violated only if its replication's interval excludes it too. Under the claim the two rejections are
    independent, so the false-alarm probability drops from delta to at most m (delta/m)^2 <= delta, while a real
    discrepancy, which makes both reject, is still found."""
    _check_delta(delta)
    m = len(counts)
    if replication is not None and len(replication) != m:
        raise ProcedureInputError("replication must have one (successes, trials) pair per unit")
    rows, verdicts = [], []
    for u, ((k, n), p, label) in enumerate(zip(counts, values, labels, strict=True)):
        p = float(np.clip(planted_value(p), 0.0, 1.0))
        lo, hi = clopper_pearson(int(k), int(n), delta / (2 * m))
        v = HOLDS if lo <= p <= hi else VIOLATED
        row = {"label": label, "successes": int(k), "trials": int(n), "lower": lo, "upper": hi, "value": p}
        if v == VIOLATED and replication is not None:
            k2, n2 = replication[u]
            lo2, hi2 = clopper_pearson(int(k2), int(n2), delta / (2 * m))
            v = HOLDS if lo2 <= p <= hi2 else VIOLATED
            row["replication"] = {"successes": int(k2), "trials": int(n2), "lower": lo2, "upper": hi2,
                                  "confirmed": v == VIOLATED}
        row["verdict"] = v
        verdicts.append(v)
        rows.append(row)
    alarm = m * (delta / m) ** 2 if replication is not None else delta
    correction = f"Bonferroni over {m} units (two-sided Clopper-Pearson)" + (
        "; a rejection must be confirmed on an independent replication" if replication is not None else "")
    return Verdict(combine(verdicts), 1 - alarm, correction,
                   "exact binomial confidence intervals around a computed probability", None,
                   sum(int(n) for _, n in counts) + sum(int(n) for _, n in (replication or [])), {"proportions": rows})


def format_confidence(confidence) -> str:
    """One format for every verdict's confidence: exact checks say so; statistical ones show 1 - delta to six
    significant digits (0.99, 0.995, 0.999999), and a confidence that would round to 1 is written 1 - delta
    (1 - 1e-12), never a bare 1."""
    if not isinstance(confidence, (int, float)) or isinstance(confidence, bool):
        return str(confidence)
    if confidence >= 1.0:
        return "1 (exact)"
    text = f"{confidence:.6g}"
    return f"1 - {1 - confidence:.2g}" if text == "1" else text
