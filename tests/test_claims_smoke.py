"""Every claim runs end to end at quick fidelity: tasks -> store -> decision -> power -> figure -> report lines.

One quick-suite run (2 worker processes, seed 0, the suite's false-alarm budget split over its statistical
claims) is shared by the per-claim tests. At quick fidelity every claim must hold, except those listed in
QUICK_INCONCLUSIVE with the reason; a claim that turns violated or inconclusive fails its test. Every statistical
or rate claim must also have a negative control that its own procedure calls violated: a planted error in its
bound or exponent (the power record), or, where no planted error applies, a wrong algorithm in its tests.

Default tier: the run starts from tests/data/quick-seed0.sqlite, the suite's task results at seed 0, so every claim
is decided, analysed for power and drawn without simulating again; a claim whose code changed since that file was
written finds no task under its new code version and is simulated (a warning names it; refresh the file with
``python tests/data/refresh_quick_store.py``). Slow tier: the whole suite from an empty store, which must compute
what the file holds (byte for byte on the machine that wrote it, to rounding elsewhere) and reach the same
verdicts."""
import io
import json
import shutil
import sqlite3
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from testbed.registry import SUITE_FALSE_ALARM_BUDGET, all_claims  # noqa: E402
from testbed.runner import is_statistical, run_claims  # noqa: E402
from testbed.store import Store, unpack_arrays  # noqa: E402

QUICK_STORE = Path(__file__).parent / "data" / "quick-seed0.sqlite"
# S2 (2026-12-05): at quick fidelity, seed 0, the TD exponent's upper bound is 1.6998 at the suite's former level
# 0.05/29 and 1.7012 at 0.05/33 (E1, E3, E6 and E8 became statistical), against the threshold 1.7: inconclusive, on
# the threshold's edge with 300 replications; the standard report (400 replications, 2^18 iterations) decides it
QUICK_INCONCLUSIVE: set[str] = {"S2"}
# statistical claims whose decision no planted error can flip, and the test holding their negative control instead
CONTROLLED_ELSEWHERE = {
    "E1": "an exact law has no planted-error kind; the four traps are decided violated by the sampled part alone in "
          "testbed/claims/estimation/e1_speculative_sampling/test_e1.py",
    "D11": "the share compared is 1 in every run (no threshold below 1 is violated); "
           "testbed/claims/dp/d11_edge_of_reach/test_d11.py",
}
CLAIMS = [c.id for c in all_claims()]


def _run_quick_suite(path: Path, with_power: bool = True) -> dict:
    with Store(path) as store:
        runs = run_claims(all_claims(), "quick", store, workers=2, root_seed=0, progress=False,
                          false_alarm_budget=SUITE_FALSE_ALARM_BUDGET, with_power=with_power)
    return {r.claim.id: r for r in runs}


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    path = tmp_path_factory.mktemp("quick") / "quick.sqlite"
    shutil.copyfile(QUICK_STORE, path)
    runs = _run_quick_suite(path)
    simulated = sorted(cid for cid, r in runs.items() if r.n_cached < r.n_tasks)
    if simulated:
        warnings.warn(f"{QUICK_STORE.name} holds no results for the current code of {', '.join(simulated)}: "
                      "simulated again (python tests/data/refresh_quick_store.py refreshes the file)", stacklevel=1)
    return runs


def _task_results(path: Path) -> dict[str, bytes]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT key, result FROM tasks"))


# Float results agree across processors only to rounding: BLAS and SIMD code paths differ by processor (some of
# this workplace's machines set OPENBLAS_CORETYPE). Measured 2026-12-03: the store written on one machine against
# a fresh run on an AMD EPYC, 81 of 486 tasks differed in their bytes, by at most 4.6e-12 of the array's largest
# magnitude, and 2.6e-8 for B16's iteratively solved "numeric" iterations. Integer and boolean arrays must be equal.
FLOAT_AGREEMENT = 1e-6


def _differences(fresh: bytes, stored: bytes) -> list[str]:
    """The arrays of one task's results that differ beyond rounding (names, dtypes and shapes must match)."""
    if fresh == stored:
        return []
    a, b = unpack_arrays(fresh), unpack_arrays(stored)
    if a.keys() != b.keys():
        return [f"arrays {sorted(a)} != {sorted(b)}"]
    out = []
    for name in a:
        x, y = np.asarray(a[name]), np.asarray(b[name])
        if x.dtype != y.dtype or x.shape != y.shape:
            out.append(f"{name}: {x.dtype}{x.shape} != {y.dtype}{y.shape}")
        elif x.dtype.kind not in "fc":
            if not np.array_equal(x, y):
                out.append(f"{name}: integer values differ")
        elif x.size:
            finite = np.isfinite(y)
            if not np.array_equal(np.isfinite(x), finite) or not np.array_equal(x[~finite], y[~finite],
                                                                                 equal_nan=True):
                out.append(f"{name}: non-finite entries differ")
            scale = max(1.0, float(np.max(np.abs(y[finite]), initial=0.0)))
            gap = float(np.max(np.abs(x[finite] - y[finite]), initial=0.0)) / scale
            if gap > FLOAT_AGREEMENT:
                out.append(f"{name}: differs by {gap:.3g} of its scale")
    return out


@pytest.mark.slow
def test_an_empty_store_computes_what_the_stored_quick_results_hold(quick_runs, tmp_path):
    """The whole quick suite simulated from nothing (2 workers) stores, task by task, what the default tier decides
    on (the same bytes on the machine that wrote the file; elsewhere equal up to rounding, FLOAT_AGREEMENT), and
    reaches the same verdict for every claim."""
    fresh_runs = _run_quick_suite(tmp_path / "fresh.sqlite", with_power=False)    # the verdicts are compared
    fresh, stored = _task_results(tmp_path / "fresh.sqlite"), _task_results(QUICK_STORE)
    common = fresh.keys() & stored.keys()
    assert common, "the stored quick results match no task of the current code: refresh them"
    assert {k: d for k in sorted(common) if (d := _differences(fresh[k], stored[k]))} == {}
    assert {c: r.verdict.verdict for c, r in fresh_runs.items()} == {c: r.verdict.verdict
                                                                     for c, r in quick_runs.items()}


def test_the_suites_false_alarm_budget_is_kept(quick_runs):
    """Union bound over the claims: the false-alarm probabilities of all verdicts of the run add up to at most
    the declared budget."""
    total = sum(1 - r.verdict.confidence for r in quick_runs.values())
    assert 0 < total <= SUITE_FALSE_ALARM_BUDGET + 1e-12


def test_every_quick_verdict_rests_on_pairs_whose_level_is_measured(quick_runs):
    """tests/test_false_alarms_at_uses.py measures each procedure's level at the (procedure, n, alpha) pairs in
    tests/data/procedure_uses.json; a claim whose quick decision uses another pair must have it added there
    (benchmarks/procedure_uses.py)."""
    measured = {tuple(u) for u in json.loads((Path(__file__).parent / "data" / "procedure_uses.json").read_text())
                ["quick"]}
    used = {(cid, tuple(u)) for cid, r in quick_runs.items() for u in r.verdict.evidence.get("procedure_uses", [])}
    assert used, "no verdict recorded its procedure uses"
    assert {u for _, u in used} <= measured, sorted(x for x in used if x[1] not in measured)


# a planted error in the bound, in the claimed failure rate or in the rate exponent that the decision detects
DETECTED = ("detectable_factor", "detectable_coverage_factor", "detectable_shift")


@pytest.mark.parametrize("claim_id", [c.id for c in all_claims() if is_statistical(c)])
def test_statistical_claims_have_a_negative_control(quick_runs, claim_id):
    power = quick_runs[claim_id].power
    if claim_id in CONTROLLED_ELSEWHERE:
        assert all(power[k] is None for k in DETECTED), "update CONTROLLED_ELSEWHERE"
        return
    assert any(power[k] is not None for k in DETECTED), power


@pytest.mark.parametrize("claim_id", CLAIMS)
def test_claim_runs_decides_and_draws_at_quick_fidelity(quick_runs, claim_id):
    run = quick_runs[claim_id]
    expected = "inconclusive" if claim_id in QUICK_INCONCLUSIVE else "holds"
    assert run.verdict.verdict == expected, (run.verdict.verdict, run.verdict.correction)
    assert run.n_tasks > 0 and 0 < run.verdict.confidence <= 1
    claim = run.claim
    assert claim.bound() is not None or claim.no_bound
    fig = plt.figure()
    try:
        claim.plot(run.verdict.evidence, fig)
        assert fig.axes, "the figure has no axes"
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=40)
        assert buf.tell() > 1000
    finally:
        plt.close(fig)
    lines = claim.evidence_lines(run.verdict.evidence)
    assert lines and all(isinstance(x, str) and x for x in lines)


@pytest.mark.parametrize("claim_id", CLAIMS)
def test_declared_controls_are_violated_at_the_suite_delta(quick_runs, claim_id):
    """A control a claim decides on its own stored data (a planted linear loss, say) must come out violated at the
    delta the suite gave the claim, unless the claim declares it undetectable on its instances (then its evidence
    says how large an error the decision would detect instead)."""
    evidence = quick_runs[claim_id].verdict.evidence
    for control in evidence.get("controls", []):
        if control.get("expected") == "not detectable here":
            assert all("detectable_linear_loss" in row for row in control["slopes"]), control
            continue
        assert control["verdict"] == "violated", control
