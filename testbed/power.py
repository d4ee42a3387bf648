"""Power: how large an error in a claim's bound its own procedure would catch, on the simulations already stored.

``minimal_detectable_error(claim, tasks, results, delta=...)`` re-decides the claim at ``delta`` with a planted error
(``claim.decide_at(tasks, results, delta=..., plant=testbed.planting.Plant(...))``: both are arguments of the decision):
bounds wrong by a factor k (upper bounds divided by k, lower bounds and constants multiplied), claimed failure rates
wrong by a factor c (divided), and slope thresholds moved by s towards the data, one kind at a time on fixed grids,
and reports the smallest k, c and s whose decision is ``violated``. The bound and the failure rate are planted
apart, so "a bound wrong by k is detected" means by the comparison with the bound alone. Nothing is simulated
again: a verdict is a function of the stored results, so the same results decided against a wrong bound say
whether the check could have seen the error.

The decision is monotone in k, c and s (a smaller upper bound can only add violations), so the grid is searched by
bisection: about five decisions per grid. A claim whose decision passes no bound through the planting functions
(an exact identity, a search for counterexamples) has no detectable factor; the record says so.
"""
from __future__ import annotations

from .errors import TestbedError
from .planting import Plant, resampling
from .stats import VIOLATED, Verdict

__all__ = ["FACTOR_GRID", "SHIFT_GRID", "DETECTION_DRAWS", "decide_recording_plants", "minimal_detectable_error",
           "detection_probability", "coverage_tightness", "claim_power"]

# consecutive points at most 1.25 apart, so a detectable factor is within 1.25 of the exact crossing and the rule
# "detectable factor <= 1.5 / searched tightness" (issue 22) measures the claim, not the grid (until 2026-12-04 the
# grid jumped 5 -> 10 -> 20 -> 50 -> 100 -> 1000; then, until 2026-12-05, steps of up to 1.5, 2 -> 3 included)
FACTOR_GRID = (1.05, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0, 18.0, 22.0,
               27.0, 33.0, 40.0, 50.0, 60.0, 75.0, 90.0, 110.0, 135.0, 165.0, 200.0, 250.0, 300.0, 375.0, 450.0, 560.0,
               675.0, 840.0, 1000.0)
SHIFT_GRID = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 1.0)   # 2 and 0.25: the referee's marks
# bootstrap re-decisions behind a detection probability: its standard error is at most 0.5 / sqrt(20) = 0.11
DETECTION_DRAWS, DETECTION_SEED = 20, 20261204


def detection_probability(claim, tasks, results, kind: str, value: float, draws: int = DETECTION_DRAWS,
                          seed: int = DETECTION_SEED, delta: float | None = None) -> float | None:
    """The share of ``draws`` re-decisions, each on a bootstrap resample of the stored replications
    (``testbed.planting.resampling``), that call the claim violated with the error ``kind`` = ``value`` planted:
    an estimate of the probability that an experiment of the same size detects that error, where the smallest
    detectable error of :func:`minimal_detectable_error` is one realised crossing (about even odds). None when the
    decision resamples nothing (exact checks: their re-decision is the stored one). A re-decision that stops with an
    error (a resample whose mean is not positive) counts as not detecting."""
    hits = 0
    for b in range(draws):
        with resampling(seed + b) as state:
            try:
                hits += claim.decide_at(tasks, results, delta=_delta(claim, delta),
                                        plant=Plant(**{kind: value})).verdict == VIOLATED
            except TestbedError:
                pass
        if not state["used"]:
            return None
    return hits / draws


def _delta(claim, delta: float | None) -> float:
    return float(claim.delta) if delta is None else float(delta)


def decide_recording_plants(claim, tasks, results, delta: float | None = None) -> tuple[Verdict, set]:
    """The claim's verdict at ``delta`` (default: the claim's own), and which kinds of planted error ("factor",
    "coverage", "shift") its decision passes through."""
    plant = Plant()
    verdict = claim.decide_at(tasks, results, delta=_delta(claim, delta), plant=plant)
    return verdict, set(plant.consumed)


def _first_violated(decide, grid) -> tuple[float | None, int]:
    """The smallest grid value whose decision is violated (None when even the largest is not), assuming
    monotonicity; and the number of decisions made."""
    calls = 0

    def violated(i):
        nonlocal calls
        calls += 1
        return decide(grid[i]) == VIOLATED

    if not violated(len(grid) - 1):
        return None, calls
    lo, hi = -1, len(grid) - 1          # grid[lo] not violated (or none), grid[hi] violated
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if violated(mid):
            hi = mid
        else:
            lo = mid
    return grid[hi], calls


def minimal_detectable_error(claim, tasks, results, baseline: Verdict | None = None,
                             consumed: set | None = None, detection: bool = True, delta: float | None = None) -> dict:
    """The power record of a claim: ``detectable_factor`` (smallest k on FACTOR_GRID with a violated decision when
    the bounds alone are wrong by k, None when none up to 1000), ``detects_factor_2``; ``detectable_coverage_factor``
    and ``detects_coverage_factor_2`` likewise for the claimed failure rates alone; ``detectable_shift`` on
    SHIFT_GRID; the number of decisions, and a ``note``. ``baseline``/``consumed`` from
    :func:`decide_recording_plants` save a decision. With ``detection``, ``detection`` holds per kind the
    :func:`detection_probability` at the smallest detected error and at the mark (2, or 0.25) when that is smaller."""
    if baseline is None or consumed is None:
        baseline, consumed = decide_recording_plants(claim, tasks, results, delta)
    out = {"applies": sorted(consumed), "detectable_factor": None, "detects_factor_2": None,
           "detectable_coverage_factor": None, "detects_coverage_factor_2": None,
           "detectable_shift": None, "detects_shift_quarter": None, "decisions": 0, "note": ""}
    if baseline.verdict == VIOLATED:
        out["note"] = "the claim is already violated on the stored data; no planted error is needed"
        return out
    if not consumed:
        out["note"] = ("the decision compares no bound or threshold (an identity, an exact equality or a search "
                       "for counterexamples): no planted error applies")
        return out
    searches = (("factor", FACTOR_GRID, "detectable_factor", "detects_factor_2", 2.0),
                ("coverage", FACTOR_GRID, "detectable_coverage_factor", "detects_coverage_factor_2", 2.0),
                ("shift", SHIFT_GRID, "detectable_shift", "detects_shift_quarter", 0.25))
    for kind, grid, key, mark_key, mark in searches:
        if kind not in consumed:
            continue

        def at(value, kind=kind):
            return claim.decide_at(tasks, results, delta=_delta(claim, delta), plant=Plant(**{kind: value})).verdict
        found, calls = _first_violated(at, grid)
        out["decisions"] += calls
        out[key] = found
        out[mark_key] = found is not None and found <= mark     # the mark is on the grid and the decision monotone
        if detection:
            # the probability at the smallest detected error, and at the referee's mark when that is smaller
            points = sorted({v for v in (found, mark) if v is not None and (found is None or v <= found)})
            probabilities = {v: detection_probability(claim, tasks, results, kind, v, delta=delta) for v in points}
            out["decisions"] += DETECTION_DRAWS * len(points)
            if any(p is not None for p in probabilities.values()):
                out.setdefault("detection", {})[kind] = {"draws": DETECTION_DRAWS, "at": [
                    {"value": v, "probability": p} for v, p in probabilities.items()]}
    parts = []
    if "factor" in consumed:
        parts.append(f"a bound wrong by a factor {out['detectable_factor']:g} is detected"
                     if out["detectable_factor"] is not None else "no bound error up to a factor 1000 is detected")
    if "coverage" in consumed:
        parts.append(f"a failure rate wrong by a factor {out['detectable_coverage_factor']:g} is detected"
                     if out["detectable_coverage_factor"] is not None
                     else "no failure-rate error up to a factor 1000 is detected")
    if "shift" in consumed:
        parts.append(f"a rate exponent wrong by {out['detectable_shift']:g} is detected"
                     if out["detectable_shift"] is not None else "no exponent error up to 1 is detected")
    out["note"] = "; ".join(parts)
    if out.get("detection"):
        out["note"] += ". " + detection_text(out["detection"])
    return out


_KIND_WORDS = {"factor": "a bound wrong by a factor", "coverage": "a failure rate wrong by a factor",
               "shift": "an exponent wrong by"}


def detection_text(detection: dict) -> str:
    """One sentence per planted kind: how often bootstrap re-decisions detect the error."""
    parts = []
    for kind, rec in detection.items():
        words = _KIND_WORDS[kind]
        at = "; ".join(f"{words} {a['value']:g}: {100 * a['probability']:.0f} %" for a in rec["at"]
                       if a["probability"] is not None)
        if at:
            parts.append(at)
    return (f"Detection probability in {next(iter(detection.values()))['draws']} bootstrap re-decisions of the "
            f"stored replications: " + "; ".join(parts)) if parts else ""


def coverage_tightness(verdict: Verdict) -> dict:
    """How close the data come to a claimed failure rate: the largest observed failure share / claimed failure
    rate over the units of ``decide_proportion_at_least`` in the verdict's evidence (``coverage_tightness``), with
    the failures and trials behind it. The analogue of a bound's tightness: a claimed failure rate wrong by c is
    an error the data can show only when the algorithm's failure rate exceeds (claimed rate) / c, so a detectable
    factor up to 1.5 / this tightness is the theorem's slack, not the check's; 0 failures in every unit means
    every smaller claimed rate is also true of the data (no planted failure rate is an error for this algorithm).
    Empty when the evidence holds no such units."""
    rows = verdict.evidence.get("proportions") if isinstance(verdict.evidence, dict) else None
    rows = [r for r in rows or [] if isinstance(r, dict) and "threshold" in r and r.get("trials")]
    if not rows:
        return {}
    ratios = [((r["trials"] - r["successes"]) / r["trials"]) / max(1.0 - float(r["threshold"]), 1e-300)
              for r in rows]
    worst = rows[max(range(len(rows)), key=ratios.__getitem__)]
    return {"coverage_tightness": max(ratios), "coverage_failures": int(worst["trials"] - worst["successes"]),
            "coverage_trials": int(worst["trials"]), "coverage_units": len(rows),
            "coverage_all_trials": int(sum(r["trials"] for r in rows))}


def claim_power(claim, tasks, results, verdict: Verdict, consumed: set, delta: float | None = None) -> dict:
    """The power record stored with a verdict: :func:`minimal_detectable_error`, the worst-case tightness a
    claim's instance search found (``evidence['worst_case']``, when the claim has one: ``tightness``, ``instance``
    and, for a lower bound, ``lower`` True with the tightness of the best policy found), and the claim's
    ``power_note`` (why a factor-2 error cannot be seen) when its decision does not detect one."""
    out = minimal_detectable_error(claim, tasks, results, verdict, consumed, delta=delta)
    worst = verdict.evidence.get("worst_case") if isinstance(verdict.evidence, dict) else None
    out["worst_case_tightness"] = worst.get("tightness") if isinstance(worst, dict) else None
    out["worst_case_instance"] = worst.get("instance") if isinstance(worst, dict) else None
    # a lower bound's tightness is empirical / bound >= 1 and the planted error multiplies it: the rule reads
    # factor <= 1.5 x tightness (``testbed.report.low_power_explained``)
    out["worst_case_lower"] = bool(worst.get("lower")) if isinstance(worst, dict) else False
    out.update(coverage_tightness(verdict) if "coverage" in consumed else {})
    detects_2 = out["detects_factor_2"] if "factor" in consumed else out["detects_coverage_factor_2"]
    if getattr(claim, "power_note", None) and not detects_2:
        out["why_not"] = claim.power_note
    elif "shift" in consumed and not consumed & {"factor", "coverage"}:
        out["why_not"] = ("the statement is an order without a constant (a rate): a factor in front is not part of "
                          "it; an error in the exponent is what the check can detect (the shift shown)")
    return out
