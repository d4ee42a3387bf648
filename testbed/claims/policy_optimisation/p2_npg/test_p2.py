"""P2: the NPG steps by hand, and the traps decided violated by the claim's own procedure."""
import numpy as np

from tabular_envs import garnet
from tabular_envs.policy_opt.soft_bellman import regularised_policy_evaluation, soft_greedy_policy, soft_value_iteration
from tabular_envs.policy_opt.softmax_pg import entropy_npg_step
from testbed.controls import decide_control, with_spec


def test_soft_policy_iteration_at_the_largest_step_is_the_boltzmann_policy_of_q():
    mdp = garnet(3, 2, gamma=0.8, rng=4)
    pi = np.array([[0.3, 0.7], [0.5, 0.5], [0.9, 0.1]])
    tau = 0.5
    eta = (1 - 0.8) / tau              # eta tau / (1 - gamma) = 1: pi' = softmax(Q_tau / tau)
    Q = regularised_policy_evaluation(mdp, pi, tau)[0]
    np.testing.assert_allclose(entropy_npg_step(mdp, pi, eta, tau), soft_greedy_policy(Q, tau), atol=1e-14)


def test_the_regularised_optimum_is_a_fixed_point_of_the_step():
    mdp = garnet(4, 3, gamma=0.9, rng=5)
    Q, _, _ = soft_value_iteration(mdp, 0.2, tol=1e-14)
    pi = soft_greedy_policy(Q, 0.2)
    np.testing.assert_allclose(entropy_npg_step(mdp, pi, 0.25, 0.2), pi, atol=1e-10)


def test_q_without_the_entropy_term_is_violated():
    assert decide_control("P2", with_spec(entropy_in_q=False)).verdict == "violated"


def test_the_dropped_scaling_is_an_error_this_bound_cannot_see():
    """pi^{1 - eta tau} exp(eta Q) is the correct update at step eta (1 - gamma); it still beats the bound at eta
    (the iteration is much faster than C_1 gamma (1 - eta tau)^t), which is the power note's point."""
    v = decide_control("P2", with_spec(scaled=False))
    assert v.verdict == "holds"
    assert 0.4 < v.tightness < 1.0           # closer to the bound than the correct update (0.42), not above it


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P2").verdict == "holds"
