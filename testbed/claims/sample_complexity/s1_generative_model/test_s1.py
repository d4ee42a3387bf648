"""Claim S1 by hand: the Azar instance's values, and the simulation lemma on a random model."""
import numpy as np

from tabular_envs import TabularMDP, azar_hard_instance, policy_evaluation
from tabular_envs.rl import empirical_model, generative_counts

from .model import q_values, simulation_lemma_rhs


def test_azar_instance_values_by_hand():
    for g in (0.4, 0.8, 0.95):
        v = policy_evaluation(azar_hard_instance(g), [0, 0, 0])
        assert np.isclose(v[1], 3 / (4 * (1 - g)), rtol=1e-12)
        assert np.isclose(v[0], g * 3 / (4 * (1 - g)), rtol=1e-12)


def test_simulation_lemma_holds_and_a_wrong_sign_fails():
    rng = np.random.default_rng(1)
    P = rng.dirichlet(np.ones(4), size=(4, 2))
    mdp = TabularMDP(P, rng.uniform(0, 1, (4, 2)), gamma=0.8)
    hat = empirical_model(mdp, generative_counts(P, 30, 3)[0])
    pol = [0, 1, 1, 0]
    lhs = q_values(mdp, policy_evaluation(mdp, pol)) - q_values(hat, policy_evaluation(hat, pol))
    assert np.max(np.abs(lhs - simulation_lemma_rhs(mdp, hat, pol))) < 1e-12
    assert np.max(np.abs(lhs + simulation_lemma_rhs(mdp, hat, pol))) > 1e-3


def test_generative_counts_are_nested_in_n():
    P = np.array([[[0.2, 0.8]], [[0.5, 0.5]]])
    small, large = generative_counts(P, 10, 5, 2), generative_counts(P, 40, 5, 2)
    assert np.all(small <= large) and small.sum() == 2 * 2 * 10


def test_negative_control_a_truncated_planner_is_violated():
    """The catalogue's trap: planning in M_hat with a fixed number of value-iteration sweeps (20) leaves an error
    floor, so the error stops decaying like N^-1/2 and S1's own rate decision calls it violated."""
    from tabular_envs import policy_iteration, value_iteration
    from testbed.stats import decide_slope_below

    from .claim import SLOPE_THRESHOLD
    mdp = azar_hard_instance(0.9)
    q_star = q_values(mdp, policy_iteration(mdp).values)
    Ns = [50, 200, 800, 3200]
    err = np.zeros((200, len(Ns)))
    for j, N in enumerate(Ns):
        counts = generative_counts(mdp.P, N, 4, 200)
        for i in range(200):
            hat = empirical_model(mdp, counts[i])
            v = value_iteration(hat, 1e-12, max_iterations=20).values
            err[i, j] = np.max(np.abs(q_star - q_values(hat, v)))
    v = decide_slope_below([err], [np.array(Ns, dtype=float)], SLOPE_THRESHOLD, 0.005, ["VI, 20 sweeps"])
    assert v.verdict == "violated", v.evidence
