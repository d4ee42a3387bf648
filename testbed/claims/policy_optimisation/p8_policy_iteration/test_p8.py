"""P8: PI counts by hand, and the fixed-sweep evaluation trap decided violated by the claim's own procedure."""
import numpy as np

from tabular_envs import garnet, policy_iteration
from tabular_envs.policy_opt.policy_iteration import policy_iteration_counts
from testbed.controls import decide_control, with_spec


def test_howard_counts_agree_with_the_library_policy_iteration():
    for seed in range(5):
        mdp = garnet(6, 3, gamma=0.9, rng=seed)
        mine = policy_iteration_counts(mdp)
        ref = policy_iteration(mdp)
        assert np.array_equal(mine["policy"], ref.policy)
        assert mine["iterations"] == ref.iterations - 1       # the library counts the final evaluation too


def test_fixed_sweep_evaluation_is_violated():
    assert decide_control("P8", with_spec(sweeps=1)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P8").verdict == "holds"
