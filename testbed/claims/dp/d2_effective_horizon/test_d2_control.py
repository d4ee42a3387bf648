"""D2's wrong-algorithm control: GORP(1, m) that uses half the rollouts it is given (a bug in the rollout count),
on the claim's quick reference tasks and seeds, decided at the suite's delta. On freeway (m = 18 -> 9) its success
probability is 0.31 instead of the exact 0.50, so the two-sided Clopper-Pearson part "simulated = exact success"
must say violated (400 runs at the suite's delta detect a difference of about 0.09), the exact parts still hold."""
import numpy as np

from tabular_envs.dp.effective_horizon import gorp1_failure_probability, reference_mdps, simulate_gorp
from testbed.controls import decide_control
from testbed.registry import get_claim


def _half_rollouts(task):
    out = dict(get_claim("D2").run_task(task))
    mdp = reference_mdps()[task.spec["reference"]]["mdp"]
    m = max(1, int(out["m_exact"]) // 2)
    out["gorp_successes"] = np.array(int(simulate_gorp(mdp, 1, m, task.spec["runs"], task.seed).sum()))
    return out


def test_gorp_with_half_its_rollouts_is_violated():
    v = decide_control("D2", keep=lambda t: "reference" in t.spec, results=_half_rollouts)
    assert v.verdict == "violated"
    parts = {p["name"]: p["verdict"] for p in v.evidence["parts"]}
    assert parts["GORP(1, m): simulated = exact success"] == "violated"
    assert parts["published outputs and generated MDPs (exact)"] == "holds"


def test_halving_m_changes_the_exact_success_probability_on_freeway():
    mdp = reference_mdps()["freeway_10_fs30"]["mdp"]
    assert gorp1_failure_probability(mdp, 9) - gorp1_failure_probability(mdp, 18) > 0.15
