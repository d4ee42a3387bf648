"""P5: the CMDP pieces on generated CMDPs, and the traps decided violated by the claim's own procedure."""
import numpy as np
import pytest
from hypothesis import given, settings

from tabular_envs.policy_opt.occupancy import cmdp_lp, lagrangian_dual, occupancy, policy_from_occupancy
from tabular_envs.policy_opt.strategies import cmdps
from testbed.controls import decide_control, with_spec

from .model import catalogue_cmdp


@settings(max_examples=25, deadline=None)
@given(cmdps())
def test_lp_optimum_is_feasible_attained_by_its_policy_and_equals_the_dual(cm):
    value, d, lam = cmdp_lp(cm)
    pi = policy_from_occupancy(d)
    d_pi = occupancy(cm.mdp, pi)                              # the policy's own occupancy, by a linear solve
    assert np.sum(d_pi * cm.cost) <= cm.budget + 1e-7
    assert np.sum(d_pi * cm.mdp.r) == pytest.approx(value, abs=1e-7)
    assert lagrangian_dual(cm, lam) == pytest.approx(value, abs=1e-7)


def test_catalogue_optimum_is_randomised_in_one_state():
    value, d, _ = cmdp_lp(catalogue_cmdp())
    pi = policy_from_occupancy(d)
    assert np.sum(np.sum(pi > 1e-9, axis=1) >= 2) == 1
    assert np.sum(d * catalogue_cmdp().cost) == pytest.approx(2.0, abs=1e-9)     # the constraint is active


@pytest.mark.parametrize("change", [{"report": "deterministic"}, {"sign": -1.0}],
                         ids=["the best deterministic policy reported as the optimum", "lambda's step sign flipped"])
def test_traps_are_violated(change):
    assert decide_control("P5", with_spec(**change)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P5").verdict == "holds"
