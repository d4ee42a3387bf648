"""B1's wrong-algorithm controls, decided by the claim's own procedure on its quick tasks at the suite's delta.

Auer et al.'s bound is loose for UCB1 (tightness below 1/2, see the claim's power note), so only a policy whose
regret exceeds the bound by the decision's margin can be caught: explore-then-commit with one pull per arm
(it commits on a single sample, wrongly with constant probability) and uniform play are; UCB1 with its exploration
cut fifty-fold (c = 0.02 instead of 2) is not (its mean regret at T = 1e4 stays below half the bound), which is the
size of error this claim cannot see."""
import pytest

from testbed.controls import decide_control, with_spec


def _sweep(task):
    return "search" not in task.spec and not task.spec["group"]


@pytest.mark.parametrize("algorithm,params", [("etc", {"m": 1.0}), ("epsilon_greedy", {"c": 1e6})],
                         ids=["ETC with one pull per arm", "uniform play (epsilon = 1)"])
def test_policies_with_linear_regret_are_violated(algorithm, params):
    v = decide_control("B1", with_spec(algorithm=algorithm, params=params), keep=_sweep)
    assert v.verdict == "violated"
    catalogue = next(u for u in v.evidence["units"] if u["name"] == "catalogue_K10")
    assert catalogue["lower"][-1] > catalogue["bound"][-1]


def test_undetectable_error_size_is_what_the_power_note_says():
    """UCB1 with c = 0.02 is a wrong algorithm this bound cannot expose: the decision says holds."""
    v = decide_control("B1", with_spec(algorithm="ucb1", params={"c": 0.02}), keep=_sweep)
    assert v.verdict == "holds"
    assert max(u["ratio"][-1] for u in v.evidence["units"]) < 0.5
