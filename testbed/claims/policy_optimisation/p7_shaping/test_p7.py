"""P7: shaping by hand, and the discount-mismatch trap decided violated by the claim's own procedure."""
import numpy as np
from hypothesis import given, settings

from tabular_envs import value_iteration
from tabular_envs.policy_opt.shaping import potential_shaping, toward_goal_chain
from tabular_envs.strategies import mdps
from testbed.controls import decide_control, with_spec

from .claim import cycling_threshold


@settings(max_examples=30, deadline=None)
@given(mdps(max_states=4, max_actions=3, gamma=0.8))
def test_shaped_q_is_q_minus_phi_on_generated_mdps(mdp):
    phi = np.linspace(-2, 3, mdp.n_states)
    Q = value_iteration(mdp, 1e-12).q_values
    Qs = value_iteration(potential_shaping(mdp, phi), 1e-12).q_values
    assert np.allclose(Qs, Q - phi[:, None], atol=1e-9)


def test_cycling_threshold_by_hand():
    # the bisection's c* is where the policies change (below it the optimal policy walks, above it does not)
    c = cycling_threshold()
    g = 0.9
    walk = value_iteration(toward_goal_chain(5, g, 0.99 * c), 1e-12).policy
    cyc = value_iteration(toward_goal_chain(5, g, 1.01 * c), 1e-12).policy
    assert np.all(walk[:-1] == 1) and not np.all(cyc[:-1] == 1)
    # by hand: from state 2, cycling right/left collects c every other step, c / (1 - g^2); walking collects
    # c + g (c + 1); the two are equal at c*
    assert abs(c / (1 - g ** 2) - (c + g * (c + 1))) < 1e-6


def test_discount_mismatch_is_violated():
    assert decide_control("P7", with_spec(shaping="mismatched")).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P7").verdict == "holds"
