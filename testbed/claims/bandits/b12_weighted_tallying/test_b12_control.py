"""B12's wrong-algorithm control: elimination with fixed blocks of 2M rounds (a plausible wrong reconstruction whose
warm-up losses recur every phase) run in place of the blocked successive elimination on the claim's quick tasks, and
decided as if it were the claim's algorithm, at the suite's delta: its slope must be violated. UCB1 blind to the
tallies is reported by the claim too; on the worst-case gap family its complete policy regret grows like sqrt(T)
(slope about 0.54), so it is not a control for this rate (the claim's rate is a shape, not a constant)."""
import dataclasses

from testbed.controls import decide_control
from testbed.registry import get_claim

from .claim import POLICIES, rate_threshold


def _run_as(policy):
    claim = get_claim("B12")
    return lambda task: claim.run_task(dataclasses.replace(task, spec={**task.spec, "policy": policy}))


def test_fixed_block_elimination_is_violated():
    v = decide_control("B12", keep=lambda t: t.spec["policy"] == POLICIES[0],
                       results=_run_as("fixed_block_elimination"))
    assert v.verdict == "violated"
    assert any(s["lower"] > s["threshold"] for s in v.evidence["slopes"])
    assert {s["threshold"] for s in v.evidence["slopes"]} == {rate_threshold([1_000, 3_162, 10_000])}
