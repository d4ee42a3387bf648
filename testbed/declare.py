"""Declared claims: a claim lists its parts, one generic decision runs them.

A ``DeclaredClaim`` sets ``parts``, a tuple of ``Part``: for each part of the verdict, the named procedure that
decides it (``PROCEDURES``), its decision parameters (a threshold, a tolerance), its share of the claim's
false-alarm level and its role (``testbed.stats.PART_ROLES``). The claim itself writes only what is particular to
it: its sweep (``tasks``), its simulation (``run_task``) and, per part, a pure function from the stored results to
the ``Unit``s the procedure decides (the method that ``Part.units`` names). The bound reaches the procedure as the
``proofs_check.Bound`` itself, evaluated there at each unit's coordinates (``Unit.at``), not as numbers computed
in the claim. ``decide_at(tasks, results, delta=..., plant=...)`` runs every part at ``share * delta`` with the
planted error ``plant`` handed to its procedure as an argument, joins the parts with
``testbed.stats.combine_verdicts`` (their false-alarm probabilities add up) and adds the claim's report-only
evidence (``extra_evidence``). The parts are validated when the class is defined and are part of the claim's
declared decision parameters: changing a procedure, a parameter, a share or a role changes the claim's
``decision_version``.

The generic evidence lines cover what the procedures write, so a declared claim needs no ``evidence_lines`` of
its own.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from .claim import Claim
from .errors import ClaimDefinitionError, ProcedureInputError
from .planting import Plant, applying, planted_upper
from .stats import (
    PART_ROLES,
    Verdict,
    chi_square_p_value,
    combine_verdicts,
    decide_by_p_values,
    decide_exact,
    decide_proportion_at_least,
    decide_slope_above,
    decide_slope_below,
    decide_upper_bound,
    decide_vacuous,
)

__all__ = ["Unit", "Part", "Procedure", "PROCEDURES", "DeclaredClaim"]


@dataclass(frozen=True)
class Unit:
    """What one procedure decides about one instance (or one series).

    ``samples``: replications x points for the statistical procedures, or one exact value per point.
    ``at``: the bound's arguments at the points (``bound.evaluate(**at)``); ``x``: the points' horizons for a slope.
    ``bound``: this unit's ``Bound`` when it is not the claim's (two bounds decided in one Bonferroni family).
    ``trivial_max``: the largest value the quantity can take at the points (K V*, T rho*): when the bound is at or
    above it at every point of every unit, the part is ``vacuous`` (not a test, no alpha spent).
    ``n``: for an exact check, the number of generated instances behind its value (the verdict's sample count).
    ``info``: copied into the unit's evidence (its name, instance, horizons; a ``note`` is a line of the report).
    ``search``: set for the worst instance
    a search found (``{"instance": "...", "screened": n}``): it is decided with the others, reported as the claim's
    ``worst_case`` and left out of the tightness the catalogue instances give."""
    label: str
    samples: np.ndarray
    at: dict = field(default_factory=dict)
    x: np.ndarray | None = None
    bound: object = None
    trivial_max: np.ndarray | None = None
    n: int = 0
    info: dict = field(default_factory=dict)
    search: dict | None = None


@dataclass(frozen=True)
class Procedure:
    """A named decision: ``run(units, bound, params, delta, plant) -> Verdict``; ``plants`` is the kind of planted
    error it passes through (what the power analysis searches; "" for none); ``params`` the parameters a part must
    declare."""
    run: Callable[..., Verdict]
    plants: str
    params: tuple[str, ...] = ()
    spends_alpha: bool = True       # False for exact checks: their share of delta is not spent


def _bound_values(unit: Unit, bound) -> np.ndarray:
    b = unit.bound if unit.bound is not None else bound
    if b is None:
        raise ProcedureInputError(f"unit {unit.label!r}: no bound to compare with (the claim's bound() is None)")
    return np.atleast_1d(np.asarray(b.evaluate(**unit.at), dtype=np.float64))


def _with_worst_case(v: Verdict, ratios: list[float], units: list[Unit]) -> Verdict:
    """Tightness from the catalogue units' final ratios, the searched unit reported as ``worst_case``."""
    catalogue = [r for r, u in zip(ratios, units, strict=True) if u.search is None]
    searched = [(r, u) for r, u in zip(ratios, units, strict=True) if u.search is not None]
    v = v.replace(tightness=max(catalogue) if catalogue else v.tightness)
    if searched:
        ratio, u = max(searched, key=lambda s: s[0])
        v = v.with_evidence(worst_case={"tightness": ratio, **u.search})
    return v


def _upper_bound(units: list[Unit], bound, params: dict, delta: float, plant: Plant | None) -> Verdict:
    """E[sample] <= bound at every point of every unit: ``testbed.stats.decide_upper_bound`` (one-sided Student-t,
    Bonferroni over every (unit, point)); ``vacuous`` when every unit declares a ``trivial_max`` that the bound
    reaches at every point (``params['trivial']`` names it)."""
    values = [_bound_values(u, bound) for u in units]
    if all(u.trivial_max is not None for u in units):
        tops = [np.broadcast_to(np.asarray(u.trivial_max, dtype=np.float64), b.shape) for u, b in zip(units, values,
                                                                                                        strict=True)]
        vacuous = decide_vacuous(np.concatenate(values), np.concatenate(tops), ", ".join(u.label for u in units),
                                 params.get("trivial", "the trivial maximum"), plant)
        if vacuous is not None:
            return vacuous
    v = decide_upper_bound([np.asarray(u.samples, dtype=np.float64) for u in units], values, delta,
                           unit_info=[dict(u.info) for u in units], plant=plant)
    return _with_worst_case(v, [r["ratio"][-1] for r in v.evidence["units"]], units)


def _exact_upper_bound(units: list[Unit], bound, params: dict, delta: float, plant: Plant | None) -> Verdict:
    """An exactly computed value (no sampling) at most the bound at every point: the largest value / bound over the
    units is at most 1 (``testbed.stats.decide_exact``; the planted factor divides the bound)."""
    rows = []
    for u in units:
        values = np.atleast_1d(np.asarray(u.samples, dtype=np.float64))
        b = _bound_values(u, bound)
        for value, bv in zip(values, np.broadcast_to(b, values.shape), strict=True):
            rows.append({**u.info, params["value"]: float(value), "bound": float(bv), "ratio": float(value) / bv})
    worst = f"max over units of {params['value']} / bound"
    v = decide_exact({worst: max(r["ratio"] for r in rows) / float(planted_upper(1.0, plant))}, {worst: 1.0})
    v = v.with_evidence(rows=rows).replace(tightness=max(r["ratio"] for r in rows), n_samples=len(rows))
    return v


def _exact(units: list[Unit], bound, params: dict, delta: float, plant: Plant | None) -> Verdict:
    """Deterministic checks, one per unit: the unit's error (the largest of its values) at most
    ``params['tolerance']`` (``testbed.stats.decide_exact``; no alpha, no planted error)."""
    errors = {u.label: float(np.max(np.atleast_1d(np.asarray(u.samples, dtype=np.float64)))) for u in units}
    return decide_exact(errors, dict.fromkeys(errors, float(params["tolerance"]))).replace(
        n_samples=sum(u.n for u in units))


def _proportion_at_least(units: list[Unit], bound, params: dict, delta: float, plant: Plant | None) -> Verdict:
    """Each unit's samples are 0/1 outcomes (1 a success); its success probability is claimed to be at least
    ``params['at_least']`` when the part declares it, else the bound at the unit's ``at`` (one number, e.g.
    1 - delta for a delta-correct strategy):
    ``testbed.stats.decide_proportion_at_least`` (one-sided Clopper-Pearson, Bonferroni over the units; a planted
    ``coverage`` error divides the claimed failure rate)."""
    counts, thresholds = [], []
    for u in units:
        outcomes = np.asarray(u.samples).ravel()
        if outcomes.size == 0 or not np.all((outcomes == 0) | (outcomes == 1)):
            raise ProcedureInputError(f"unit {u.label!r}: a proportion needs a non-empty array of 0/1 outcomes")
        p = np.atleast_1d(np.asarray(params["at_least"], dtype=np.float64)) if "at_least" in params else \
            _bound_values(u, bound)
        if p.size != 1 or not 0 < float(p[0]) <= 1:
            raise ProcedureInputError(f"unit {u.label!r}: the claimed success probability must be one number in "
                                      f"(0, 1], got {p!r}")
        counts.append((int(outcomes.sum()), int(outcomes.size)))
        thresholds.append(float(p[0]))
    if plant is None:
        return decide_proportion_at_least(counts, thresholds, delta, [u.label for u in units])
    with applying(plant):
        return decide_proportion_at_least(counts, thresholds, delta, [u.label for u in units])


def _law_equals(units: list[Unit], bound, params: dict, delta: float, plant: Plant | None) -> Verdict:
    """Each unit's samples are the observed counts of the outcomes of n independent draws, ``at['probabilities']``
    the exactly computed law in the same order: Pearson's chi-square goodness-of-fit test per unit
    (``testbed.stats.chi_square_p_value``: cells with an expected count below 5 pooled), then
    ``testbed.stats.decide_by_p_values`` (violated when a p-value is at most delta/m, Bonferroni over the m units).
    An equality cannot be confirmed beyond the test's power: the controls in the claims' tests say what it detects.
    """
    p_values, total, rows = {}, 0, []
    for u in units:
        try:
            p_values[u.label], cells = chi_square_p_value(u.samples, u.at.get("probabilities", []))
        except ProcedureInputError as exc:
            raise ProcedureInputError(f"unit {u.label!r}: {exc}") from None
        n = int(np.asarray(u.samples).sum())
        total += n
        rows.append({**u.info, "label": u.label, "cells": cells, "draws": n, "p_value": p_values[u.label]})
    v = decide_by_p_values(p_values, delta, "Pearson chi-square goodness of fit against the exact law")
    return v.replace(n_samples=total).with_evidence(laws=rows)


def _slope(decide):
    def run(units: list[Unit], bound, params: dict, delta: float, plant: Plant | None) -> Verdict:
        for u in units:
            if u.x is None:
                raise ProcedureInputError(f"unit {u.label!r}: a slope needs its horizons x")
        return decide([np.asarray(u.samples, dtype=np.float64) for u in units],
                      [np.asarray(u.x, dtype=np.float64) for u in units], float(params["threshold"]), delta,
                      [u.label for u in units], plant=plant)
    run.__doc__ = (f"The log-log slope of each unit's mean over its ``x`` against ``params['threshold']``: "
                   f"``testbed.stats.{decide.__name__}`` (linearised t, Bonferroni over the units).")
    return run


PROCEDURES: dict[str, Procedure] = {     # each run's docstring says what it decides and how
    "upper_bound": Procedure(_upper_bound, "factor"),
    "exact_upper_bound": Procedure(_exact_upper_bound, "factor", ("value",), spends_alpha=False),
    "exact": Procedure(_exact, "", ("tolerance",), spends_alpha=False),
    "proportion_at_least": Procedure(_proportion_at_least, "coverage"),
    "law_equals": Procedure(_law_equals, ""),
    "slope_below": Procedure(_slope(decide_slope_below), "shift", ("threshold",)),
    "slope_above": Procedure(_slope(decide_slope_above), "shift", ("threshold",)),
}


def _plain(value) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Part:
    """One part of a declared verdict: ``procedure`` (a key of ``PROCEDURES``) decides the units that the claim's
    method ``units`` returns from the stored results, at ``share`` of the claim's delta, with ``params`` (plain
    data, declared before any data). ``role`` is the part's strength (``testbed.stats.PART_ROLES``)."""
    name: str
    procedure: str
    units: str
    share: float = 1.0
    role: str = "theorem"
    params: dict = field(default_factory=dict)

    def describe(self) -> dict:
        return asdict(self)


class DeclaredClaim(Claim):
    """A claim decided from its declared ``parts`` (module docstring). Subclasses set ``parts`` and write, besides
    ``tasks`` and ``run_task``, one method per part returning its units; ``extra_evidence`` adds what the report shows
    without deciding it (curves, reported slopes)."""
    parts: tuple[Part, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "id" not in cls.__dict__:
            return
        where = f"declared claim {cls.__qualname__} ({cls.__module__})"
        parts = cls.parts
        if not isinstance(parts, tuple) or not parts or not all(isinstance(p, Part) for p in parts):
            raise ClaimDefinitionError(f"{where}: parts must be a non-empty tuple of testbed.declare.Part")
        names = [p.name for p in parts]
        if len(set(names)) < len(names):
            raise ClaimDefinitionError(f"{where}: part names must be distinct, got {names}")
        for i, p in enumerate(parts):
            at = f"{where}: parts[{i}] ({p.name!r})"
            if p.procedure not in PROCEDURES:
                raise ClaimDefinitionError(f"{at}: unknown procedure {p.procedure!r}; choose one of "
                                           f"{', '.join(sorted(PROCEDURES))}")
            if not callable(getattr(cls, p.units, None)):
                raise ClaimDefinitionError(f"{at}: units names {p.units!r}, which is not a method of the claim")
            if not (isinstance(p.share, float) and 0 < p.share <= 1):
                raise ClaimDefinitionError(f"{at}: share must be a float in (0, 1], got {p.share!r}")
            if p.role not in PART_ROLES:
                raise ClaimDefinitionError(f"{at}: role must be one of {PART_ROLES}, got {p.role!r}")
            missing = [k for k in PROCEDURES[p.procedure].params if k not in p.params]
            if missing:
                raise ClaimDefinitionError(f"{at}: procedure {p.procedure!r} needs the parameters {missing}")
            if not isinstance(p.params, dict) or not _plain(p.params):
                raise ClaimDefinitionError(f"{at}: params must be plain data (JSON numbers, strings, lists), got "
                                           f"{p.params!r}")
        total = sum(p.share for p in parts if PROCEDURES[p.procedure].spends_alpha)
        if total > 1 + 1e-12:
            raise ClaimDefinitionError(f"{where}: the statistical parts' shares of delta add up to {total:g} > 1")

    @property
    def decision_parameters(self) -> dict:
        return {**super().decision_parameters, "PARTS": [p.describe() for p in self.parts]}

    def extra_evidence(self, tasks, results, delta: float) -> dict:
        """Report-only evidence (not decided): curves for the figure, reported slopes (intervals at ``delta``)."""
        return {}

    def decide(self, tasks, results) -> Verdict:
        return self.decide_at(tasks, results, delta=self.delta)

    def decide_at(self, tasks, results, *, delta: float, plant: Plant | None = None) -> Verdict:
        self.check_delta(delta)
        verdicts = {p.name: self.decide_part(p.name, tasks, results, delta=delta, plant=plant) for p in self.parts}
        return combine_verdicts(verdicts, roles={p.name: p.role for p in self.parts},
                                evidence=self.extra_evidence(tasks, results, delta))

    def decide_part(self, name: str, tasks, results, *, delta: float, plant: Plant | None = None) -> Verdict:
        """The declared part ``name`` alone, at its share of ``delta`` (a control that concerns one part)."""
        part = next((p for p in self.parts if p.name == name), None)
        if part is None:
            raise ProcedureInputError(f"{self.id} has no part {name!r}; its parts: {[p.name for p in self.parts]}")
        units = getattr(self, part.units)(tasks, results)
        if not units:
            raise ProcedureInputError(f"{self.id}: part {name!r} has no units in these results")
        return PROCEDURES[part.procedure].run(units, self.bound(), part.params, part.share * delta, plant)

    def evidence_lines(self, evidence: dict) -> list[str]:
        lines = super().evidence_lines(evidence)
        lines += [f"{u.get('name', u.get('label', ''))}: {u['note']}" for u in evidence.get("units", []) if "note" in u]
        for r in (r for r in evidence.get("rows", []) if "bound" in r and "ratio" in r):    # exact_upper_bound's
            what = [k for k in r if k not in ("bound", "ratio")]
            lines.append(", ".join(f"{k} = {r[k]:.4g}" if isinstance(r[k], float) else f"{k} = {r[k]}"
                                   for k in what) + f" vs bound {r['bound']:.4g} (ratio {r['ratio']:.3f})")
        for c in evidence.get("reported", []):
            lines.append(f"reported, not decided: {c['label']}: slope {c['slope']:.3f} [{c['lower']:.3f}, "
                         f"{c['upper']:.3f}]")
        return lines
