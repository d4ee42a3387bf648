"""P3: the soft Bellman pieces by hand, and the traps decided violated by the claim's own procedure."""
import numpy as np
import pytest
from hypothesis import given, settings

from tabular_envs.policy_opt.soft_bellman import joint_soft_max, nested_soft_max, soft_max, soft_value_iteration
from tabular_envs.policy_opt.strategies import regularised_mdps
from testbed.controls import decide_control, with_spec


def test_soft_max_by_hand_and_its_limits():
    q = np.array([1.0, 0.0])
    assert soft_max(q, 1.0) == pytest.approx(np.log(np.e + 1.0), rel=1e-15)
    assert soft_max(q, 1e-4) == pytest.approx(1.0, abs=1e-12)          # tau -> 0: the max
    assert soft_max(np.zeros(3), 0.5) == pytest.approx(0.5 * np.log(3))  # identical actions: + tau log A


def test_nested_equals_joint_and_the_hard_inner_max_is_lower():
    Q = np.array([[0.0, 1.0], [2.0, -1.0]])
    joint = np.log(np.exp(0) + np.e + np.e ** 2 + np.exp(-1))
    assert joint_soft_max(Q, 1.0) == pytest.approx(joint, rel=1e-15)
    assert nested_soft_max(Q, 1.0) == pytest.approx(joint, rel=1e-14)
    assert nested_soft_max(Q, 1.0, inner="hard") == pytest.approx(np.log(np.e + np.e ** 2), rel=1e-14)


@settings(max_examples=30, deadline=None)
@given(regularised_mdps(max_states=4, max_actions=3))
def test_soft_optimum_is_the_boltzmann_fixed_point_on_generated_mdps(case):
    mdp, tau = case
    Q, V, _ = soft_value_iteration(mdp, tau, tol=1e-12)
    assert np.allclose(V, tau * np.log(np.sum(np.exp(Q / tau), axis=1)), atol=1e-9)


@pytest.mark.parametrize("change", [{"inner": "hard"}, {"policy_temperature": "missing"}],
                         ids=["hard max at the inner dimensions", "temperature missing from the policy"])
def test_traps_are_violated(change):
    assert decide_control("P3", with_spec(**change)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P3").verdict == "holds"
