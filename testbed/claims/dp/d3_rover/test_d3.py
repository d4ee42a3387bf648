"""ROVER (claim D3): the paper's toy by hand, Theorems 3.1 and 3.2 on generated trees and DAGs, and the
relaxations that break them."""
import numpy as np
import pytest
from hypothesis import given, settings

from proofs_check import rover_softmax_he2025_thm3_2
from tabular_envs import TabularMDP, tree_mdp
from tabular_envs.strategies import layered_mdps, tree_mdps

from .model import (
    greedy_worst_value,
    optimal_value,
    path_state,
    rover_toy,
    softmax_bound,
    softmax_bound_terms,
    softmax_value,
    uniform_policy_q,
)


def test_the_papers_toy_values():
    m = rover_toy()
    q = uniform_policy_q(m)
    # each first letter has one correct leaf among its 16: mean 1/16; after A, only C leads on (1 of 4 below)
    np.testing.assert_array_equal(q[0, 0], [1 / 16] * 4)
    np.testing.assert_array_equal(q[1, path_state("A")], [0, 0, 1 / 4, 0])
    np.testing.assert_array_equal(q[2, path_state("AC")], [0, 0, 0, 1])
    assert path_state("AC") == 1 + 4 + 2


def test_softmax_at_rho_one_is_far_from_certain_success_on_the_toy():
    # the catalogue trap: with exact Q^{pi_u}, rho = 1 gives success ~0.14 (three key states in a row, each picked
    # with probability e^q / (3 + e^q) for q in {1/16, 1/4, 1}), not the trained algorithm's 100%
    m = rover_toy()
    q = uniform_policy_q(m)
    by_hand = (np.e ** (1 / 16) / (4 * np.e ** (1 / 16))) * 4 * (np.e**0.25 / (3 + np.e**0.25)) * (np.e / (3 + np.e))
    assert softmax_value(m, q, 1.0) == pytest.approx(by_hand, rel=1e-12)


def _check_theorems(mdp):
    q = uniform_policy_q(mdp)
    assert greedy_worst_value(mdp, q) == pytest.approx(optimal_value(mdp), abs=1e-12)
    if optimal_value(mdp) == 1.0:
        for rho in (2.0, 0.5, 0.1, 0.02):
            assert softmax_bound(mdp, q, rho, 1.0) <= softmax_value(mdp, q, rho) + 1e-12


@settings(max_examples=80)
@given(tree_mdps(max_depth=3, max_branching=3))
def test_theorems_hold_on_binary_trees(mdp):
    _check_theorems(mdp)


@settings(max_examples=80)
@given(layered_mdps("dag"))
def test_theorems_also_hold_on_deterministic_dags_with_binary_rewards(mdp):
    _check_theorems(mdp)


def test_an_intermediate_reward_breaks_greedy_optimality():
    # a0: nothing now, then a correct leaf behind one of two actions (Q = 1/2); a1: 1/2 now, then nothing
    P = np.zeros((4, 2, 4))
    P[0, 0, 1] = P[0, 1, 2] = 1
    P[1:, :, 3] = 1
    r = np.zeros((4, 2))
    r[0, 1], r[1, 1] = 0.5, 1.0
    m = TabularMDP(P, r, horizon=2)
    q = uniform_policy_q(m)
    np.testing.assert_array_equal(q[0, 0], [0.5, 0.5])
    assert greedy_worst_value(m, q) == 0.5 < optimal_value(m) == 1.0


def test_the_softmax_bound_needs_a_correct_leaf():
    m = tree_mdp(2, 2, [0, 0, 0, 0])
    q = uniform_policy_q(m)
    assert softmax_bound(m, q, 0.5, 1.0) == 1.0 > softmax_value(m, q, 0.5) == 0.0


@settings(max_examples=30)
@given(tree_mdps(max_depth=3, max_branching=3))
def test_softmax_bound_equals_the_transcribed_theorem(mdp):
    q = uniform_policy_q(mdp)
    for rho in (2.0, 0.3):
        reach, N, top = softmax_bound_terms(mdp, q, rho)
        if reach.size == 0:
            assert softmax_bound(mdp, q, rho, 1.0) == 1.0
            continue
        expected = rover_softmax_he2025_thm3_2().evaluate(p_reach=reach, N=N, Q=top, R=1.0, rho=rho)
        assert softmax_bound(mdp, q, rho, 1.0) == pytest.approx(expected, abs=1e-12)
