"""B3's wrong-algorithm control. A lower bound can be contradicted only by a policy whose regret is below it on
every instance of the hard family; no honest policy is (MOSS has several times the bound). The control is a policy
with a leak: it is told which instance it faces and plays its best arm after a uniform burn-in of ``n`` rounds,
so its largest regret over the family is about n x (mean gap of uniform play). The decision must say violated when
that falls below (1/27) sqrt((K - 1) T), and must not when it is well above."""
import numpy as np
import pytest

from testbed.controls import decide_control


def _leaky(burn_in: int):
    def run(task):
        s = task.spec
        means = np.asarray(s["instance"]["means"])
        n, T = s["n_replications"], s["horizon"]
        # pseudo-regret of uniform play for burn_in rounds, then the best arm (no randomness left to simulate)
        regret = min(burn_in, T) * float(np.mean(means.max() - means))
        return {"regret": np.full((n, 1), regret), "pulls": np.zeros((n, means.size)), "checkpoints": np.array([T])}
    return run


def test_a_policy_that_knows_the_instance_is_violated():
    v = decide_control("B3", results=_leaky(0))
    assert v.verdict == "violated"
    assert all(c["verdict"] == "violated" for c in v.evidence["cells"])


@pytest.mark.parametrize("burn_in,expected", [(50, "violated"), (200, "holds")])
def test_the_leak_is_caught_only_while_its_regret_is_below_the_bound(burn_in, expected):
    v = decide_control("B3", results=_leaky(burn_in))
    assert v.verdict == expected, [(c["max_mean"], c["bound"]) for c in v.evidence["cells"]]
