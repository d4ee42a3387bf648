"""Planted errors: the bound or threshold a verdict procedure compares with, made wrong on purpose.

A power analysis (``testbed.power``) re-decides a claim on its stored simulations with a ``Plant(factor=k)``,
``Plant(coverage=c)`` or ``Plant(shift=s)``, one kind at a time, passed as an argument: ``claim.decide_at(tasks,
results, delta=..., plant=...)``. A declared claim (``testbed.declare``) hands the Plant to its procedures, which
pass it to the functions below; a hand-written ``decide`` meets it through the same functions, which read it from
the ``applying(plant)`` block ``decide_at`` opens (``planted(...)`` opens one in a test). Without either they are the
identity. The direction is always the one that makes the claim wrong:

=========================  ===============================================  ==========================
what the claim compares    planted error                                    function
=========================  ===============================================  ==========================
mean <= upper bound        bound / k                                        ``planted_upper``
mean >= lower bound        bound * k                                        ``planted_lower``
mean == exact value        value * k                                        ``planted_value``
P(success) >= p            failure probability (1 - p) / c                  ``planted_coverage``
slope <= threshold         threshold - s                                    ``planted_slope_below``
slope >= threshold         threshold + s                                    ``planted_slope_at_least``
=========================  ===============================================  ==========================

A claim whose decision compares with a bound outside these procedures calls the same functions itself, so its
power is measured the same way. Each call records that the claim's decision consumed a planted error of that kind,
so the analysis knows which searches (factor, coverage, shift) apply. A bound and a claimed failure rate are
planted apart: a claim that compares both (S4: regret <= bound with probability >= 1 - delta) has one detectable
factor for its bound alone and one for its failure rate alone, not a joint one that overstates either.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .errors import ProcedureInputError, TestbedError

__all__ = ["planted", "applying", "planted_upper", "planted_lower", "planted_value", "planted_coverage",
           "planted_slope_below", "planted_slope_at_least", "Plant", "resampling", "resampled_rows",
           "resampled_count", "resampled_means"]


@dataclass
class Plant:
    """A planted error: every bound wrong by ``factor`` (>= 1), every claimed failure rate by ``coverage`` (>= 1),
    every slope threshold by ``shift`` (>= 0). ``consumed`` records which kinds a decision passed through. A
    declared claim (``testbed.declare``) receives it as an argument of ``decide_at`` and hands it to its procedures;
    a hand-written ``decide`` meets it through the functions below, which read the ``planted`` block."""
    factor: float = 1.0
    shift: float = 0.0
    coverage: float = 1.0
    consumed: set = field(default_factory=set)      # {"factor", "coverage", "shift"}: what the decision passed through

    def __post_init__(self):
        if not (np.isfinite(self.factor) and self.factor >= 1.0 and np.isfinite(self.shift) and self.shift >= 0.0
                and np.isfinite(self.coverage) and self.coverage >= 1.0):
            raise ProcedureInputError(f"a planted error needs factor >= 1, coverage >= 1 and shift >= 0, got "
                                      f"factor={self.factor!r}, coverage={self.coverage!r}, shift={self.shift!r}")
        self.factor, self.shift, self.coverage = float(self.factor), float(self.shift), float(self.coverage)


_PLANT: contextvars.ContextVar[Plant | None] = contextvars.ContextVar("testbed_planted_error", default=None)


@contextmanager
def applying(plant: Plant):
    """Within the block, the functions below use ``plant`` (and record on it what they consume)."""
    token = _PLANT.set(plant)
    try:
        yield plant
    finally:
        _PLANT.reset(token)


@contextmanager
def planted(factor: float = 1.0, shift: float = 0.0, coverage: float = 1.0):
    """Within the block, every bound is wrong by ``factor`` (>= 1), every claimed failure rate by ``coverage``
    (>= 1) and every slope threshold by ``shift`` (>= 0); yields the Plant, whose ``consumed`` says which kinds the
    decision used. ``planted()`` plants nothing and only records what the decision consumes."""
    with applying(Plant(factor, shift, coverage)) as plant:
        yield plant


def _planted(kind: str, identity: float, plant: Plant | None = None) -> float:
    """The planted error of ``kind`` ("factor", "coverage" or "shift"): ``plant``'s when given, else the current
    block's; recorded as consumed; ``identity`` (no error) when there is neither."""
    p = plant if plant is not None else _PLANT.get()
    if p is None:
        return identity
    p.consumed.add(kind)
    return getattr(p, kind)


def _no_nan(bound, what: str):
    """Every bound a procedure compares with passes here, so a formula that evaluates to NaN over a claim's range
    (an overflow such as Gamma(t)/Gamma(i) at large t) stops the decision with a named error instead of comparing
    as False and passing silently."""
    try:
        values = np.asarray(bound, dtype=np.float64)
    except (TypeError, ValueError):
        return bound                   # not numbers (the procedure itself will say so)
    if np.isnan(values).any():
        bad = np.flatnonzero(np.isnan(values.ravel()))
        raise TestbedError(f"the {what} compared with is NaN at {bad.size} of {values.size} points (first at flat "
                           f"index {int(bad[0])}): the formula does not evaluate over this range")
    return bound


def planted_upper(bound, plant: Plant | None = None):
    """An upper bound as the procedure should use it: ``bound / k`` under ``planted(factor=k)``."""
    _no_nan(bound, "upper bound")
    k = _planted("factor", 1.0, plant)
    return bound if k == 1.0 else np.asarray(bound, dtype=np.float64) / k


def planted_lower(bound, plant: Plant | None = None):
    """A lower bound: ``bound * k`` under ``planted(factor=k)``."""
    _no_nan(bound, "lower bound")
    k = _planted("factor", 1.0, plant)
    return bound if k == 1.0 else np.asarray(bound, dtype=np.float64) * k


def planted_value(value, plant: Plant | None = None):
    """An exactly computed value the data must equal: ``value * k`` under ``planted(factor=k)`` (a relative error
    of k - 1)."""
    _no_nan(value, "exact value")
    k = _planted("factor", 1.0, plant)
    return value if k == 1.0 else np.asarray(value, dtype=np.float64) * k


def planted_coverage(p, plant: Plant | None = None):
    """A success probability claimed to be at least ``p``: its failure probability divided by c, ``1 - (1 - p)/c``
    under ``planted(coverage=c)`` (a claimed failure rate c times too small)."""
    c = _planted("coverage", 1.0, plant)
    return p if c == 1.0 else 1.0 - (1.0 - np.asarray(p, dtype=np.float64)) / c


def planted_slope_below(threshold, plant: Plant | None = None):
    """A slope claimed to lie below ``threshold``: ``threshold - s`` under ``planted(shift=s)``."""
    s = _planted("shift", 0.0, plant)
    return threshold if s == 0.0 else threshold - s


def planted_slope_at_least(threshold, plant: Plant | None = None):
    """A slope claimed to be at least ``threshold``: ``threshold + s`` under ``planted(shift=s)``."""
    s = _planted("shift", 0.0, plant)
    return threshold if s == 0.0 else threshold + s


# --- resampled re-decisions --------------------------------------------------------------------------------------
# A detection probability (testbed.power.detection_probability) re-decides a claim many times, each on a bootstrap
# resample of its stored replications. The confidence procedures of testbed.stats draw the resample where they
# meet the replications: rows of a t bound's samples (per-replication values, slopes or their delta-method
# linearisations) and of a percentile bootstrap, a binomial count given its observed rate, a Monte Carlo mean given
# its standard error. Quantities a claim reduces from its data outside those procedures stay as stored. Outside a
# ``resampling`` block the functions are the identity.
_RESAMPLE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("testbed_resampling", default=None)


@contextmanager
def resampling(seed: int):
    """Within the block, the confidence procedures decide on a bootstrap resample drawn from ``seed``; yields a
    dict whose ``used`` says whether any procedure resampled (False: the decision has no replications to
    resample, e.g. an exact check)."""
    state = {"rng": np.random.default_rng(seed), "used": False}
    token = _RESAMPLE.set(state)
    try:
        yield state
    finally:
        _RESAMPLE.reset(token)


def resampled_rows(x: np.ndarray) -> np.ndarray:
    """``x`` (n, ...) with its n rows (replications) drawn with replacement, in a ``resampling`` block."""
    state = _RESAMPLE.get()
    if state is None:
        return x
    state["used"] = True
    return x[state["rng"].integers(0, x.shape[0], x.shape[0])]


def resampled_count(k: int, n: int) -> int:
    """A binomial count drawn at the observed rate k / n, in a ``resampling`` block."""
    state = _RESAMPLE.get()
    if state is None:
        return k
    state["used"] = True
    return int(state["rng"].binomial(n, k / n)) if n > 0 else k


def resampled_means(means: np.ndarray, standard_errors: np.ndarray) -> np.ndarray:
    """Monte Carlo means drawn around themselves with their standard errors, in a ``resampling`` block."""
    state = _RESAMPLE.get()
    if state is None:
        return means
    state["used"] = True
    return means + standard_errors * state["rng"].standard_normal(means.shape)
