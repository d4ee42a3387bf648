"""tabular_envs.policy_opt against independent routes: finite differences for the policy gradient, iterative
evaluation for the regularised values, enumeration for the occupancy LP, direct sums for shaping."""
import numpy as np
import pytest
from hypothesis import given, settings

from tabular_envs import garnet, value_iteration
from tabular_envs.errors import InvalidBanditError, InvalidMDPError, InvalidPolicyError
from tabular_envs.policy_opt.occupancy import (
    ConstrainedMDP,
    best_deterministic_feasible,
    cmdp_lp,
    occupancy,
    scalarised_lp,
)
from tabular_envs.policy_opt.shaping import finite_horizon_q, finite_horizon_shaping, potential_shaping
from tabular_envs.policy_opt.soft_bellman import regularised_policy_evaluation, soft_max, soft_value_iteration
from tabular_envs.policy_opt.softmax_pg import (
    bandit_policy_gradient,
    mdp_policy_gradient,
    policy_gradient_mdp,
    policy_values,
    softmax,
)
from tabular_envs.policy_opt.strategies import cmdps, regularised_mdps


def test_policy_gradient_equals_finite_differences():
    mdp = garnet(4, 3, gamma=0.8, rng=11)
    mu = np.array([0.1, 0.2, 0.3, 0.4])
    theta = np.random.default_rng(2).normal(0, 1, (4, 3))

    def value(th):
        return float(mu @ policy_values(mdp, softmax(th))[0])
    numeric = np.zeros_like(theta)
    h = 1e-6
    for idx in np.ndindex(theta.shape):
        e = np.zeros_like(theta)
        e[idx] = h
        numeric[idx] = (value(theta + e) - value(theta - e)) / (2 * h)
    np.testing.assert_allclose(mdp_policy_gradient(mdp, theta, mu), numeric, atol=1e-8)


def test_mdp_policy_gradient_run_uses_the_same_gradient():
    mdp = garnet(3, 2, gamma=0.5, rng=1)
    mu = np.full(3, 1 / 3)
    theta = np.zeros((3, 2))
    for _ in range(5):
        theta = theta + 0.1 * mdp_policy_gradient(mdp, theta, mu)
    out = policy_gradient_mdp(mdp, 0.1, 5, mu, [5])
    assert out["values"][0] == pytest.approx(float(mu @ policy_values(mdp, softmax(theta))[0]), rel=1e-13)


def test_bandit_inputs_are_validated():
    with pytest.raises(InvalidBanditError, match="unique best arm"):
        bandit_policy_gradient([1.0, 1.0, 0.0], 0.4, 10)
    with pytest.raises(InvalidBanditError, match="update"):
        bandit_policy_gradient([1.0, 0.0], 0.4, 10, update="adam")
    with pytest.raises(InvalidBanditError, match="checkpoints"):
        bandit_policy_gradient([1.0, 0.0], 0.4, 10, checkpoints=[11])


@settings(max_examples=30, deadline=None)
@given(regularised_mdps(max_states=4, max_actions=3))
def test_regularised_evaluation_equals_iterating_its_bellman_equation(case):
    mdp, tau = case
    pi = softmax(np.random.default_rng(0).normal(0, 1, mdp.r.shape))
    Q, V = regularised_policy_evaluation(mdp, pi, tau)
    W = np.zeros(mdp.n_states)
    for _ in range(3000):
        W = np.sum(pi * (mdp.r + mdp.gamma * mdp.P @ W - tau * np.log(pi)), axis=1)
    np.testing.assert_allclose(V, W, atol=1e-9 / (1 - mdp.gamma))


def test_soft_value_iteration_limits():
    mdp = garnet(4, 3, gamma=0.9, rng=3)
    hard = value_iteration(mdp, epsilon=1e-12).values
    _, V, _ = soft_value_iteration(mdp, 1e-4, tol=1e-12)
    assert np.all(V >= hard - 1e-9) and np.all(V <= hard + 1e-4 * np.log(3) / 0.1 + 1e-9)
    with pytest.raises(InvalidMDPError, match="tau"):
        soft_max(np.zeros(2), 0.0)
    with pytest.raises(InvalidPolicyError):
        regularised_policy_evaluation(mdp, np.full((4, 3), 0.5), 0.1)


def test_occupancy_sums_and_values():
    mdp = garnet(5, 2, gamma=0.7, rng=4)
    pol = np.array([0, 1, 1, 0, 1])
    d = occupancy(mdp, pol)
    assert d.sum() == pytest.approx(1 / 0.3, rel=1e-12)
    from tabular_envs import policy_evaluation
    assert np.sum(d * mdp.r) == pytest.approx(mdp.initial @ policy_evaluation(mdp, pol), rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(cmdps())
def test_lp_optimum_is_at_least_the_best_deterministic_feasible_policy(cm):
    value, _, _ = cmdp_lp(cm)
    det, _ = best_deterministic_feasible(cm, slack=1e-9)
    assert value >= det - 1e-7


def test_unconstrained_lp_equals_value_iteration_and_errors_are_named():
    mdp = garnet(4, 3, gamma=0.9, rng=6)
    best, _ = scalarised_lp(mdp, mdp.r[:, :, None], np.array([1.0]))
    assert best[0] == pytest.approx(mdp.initial @ value_iteration(mdp, epsilon=1e-12).values, abs=1e-7)
    with pytest.raises(InvalidMDPError, match="cost"):
        ConstrainedMDP(mdp, np.zeros((2, 2)), 1.0)


def test_potential_shaping_by_hand_and_finite_horizon():
    mdp = garnet(3, 2, gamma=0.9, rng=7)
    phi = np.array([1.0, -2.0, 0.5])
    shaped = potential_shaping(mdp, phi)
    s, a = 1, 0
    assert shaped.r[s, a] == pytest.approx(mdp.r[s, a] + 0.9 * mdp.P[s, a] @ phi - phi[s], rel=1e-14)
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(3), size=(4, 3, 2))
    r = rng.uniform(0, 1, (4, 3, 2))
    mu = np.vstack([rng.normal(0, 1, (4, 3)), np.zeros((1, 3))])
    np.testing.assert_allclose(finite_horizon_q(P, finite_horizon_shaping(P, r, mu)), finite_horizon_q(P, r)
                               - mu[:-1, :, None], atol=1e-12)
    with pytest.raises(InvalidMDPError, match="phi"):
        potential_shaping(mdp, np.zeros(2))
