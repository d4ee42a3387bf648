"""P6: scalarisation by hand, and the deterministic-front trap decided violated by the claim's own procedure."""
import numpy as np
import pytest
from hypothesis import given, settings

from tabular_envs.policy_opt.occupancy import occupancy, scalarised_lp
from tabular_envs.policy_opt.strategies import multi_objective_mdps
from testbed.controls import decide_control, with_spec


@settings(max_examples=25, deadline=None)
@given(multi_objective_mdps())
def test_weighted_optimum_is_at_least_every_deterministic_policy(case):
    mdp, rewards = case
    w = np.array([0.3, 0.7])
    best, d = scalarised_lp(mdp, rewards, w)
    assert np.einsum("sa,san->n", occupancy(mdp, np.argmax(d, axis=1)), rewards) @ w == pytest.approx(w @ best,
                                                                                                       abs=1e-7)


def test_front_over_deterministic_policies_is_violated():
    assert decide_control("P6", with_spec(policies="deterministic")).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P6").verdict == "holds"
