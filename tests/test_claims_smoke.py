"""Every claim runs end to end at quick fidelity: tasks -> store -> decision -> figure -> report lines.

One quick-suite run (2 worker processes, seed 0) is shared by the per-claim tests. At quick fidelity every claim
must hold, except those listed in QUICK_INCONCLUSIVE with the reason; a claim that turns violated or inconclusive
fails its test."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from testbed.registry import all_claims  # noqa: E402
from testbed.runner import run_claims  # noqa: E402
from testbed.store import Store  # noqa: E402

# B2's statement is asymptotic: at T = 10^4 Thompson sampling's R(T)/ln T is still below C(mu) (catalogue B2)
QUICK_INCONCLUSIVE = {"B2"}
CLAIMS = [c.id for c in all_claims()]


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    path = tmp_path_factory.mktemp("quick") / "quick.sqlite"
    with Store(path) as store:
        runs = run_claims(all_claims(), "quick", store, workers=2, root_seed=0, progress=False)
    return {r.claim.id: r for r in runs}


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
