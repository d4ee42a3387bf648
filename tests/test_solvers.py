import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linprog

from tabular_envs import (
    InvalidMDPError,
    InvalidPolicyError,
    backward_induction,
    bellman_optimality,
    garnet,
    policy_evaluation,
    policy_iteration,
    q_of_policy,
    tree_mdp,
    uniform_policy,
    value_iteration,
)
from tabular_envs.mdp.solvers import finite_horizon_policy_evaluation
from tabular_envs.strategies import mdps

discounted = mdps(max_states=6, max_actions=3, gamma=st.floats(0.0, 0.98))


def _lp_values(mdp):
    S, A = mdp.n_states, mdp.n_actions
    A_ub = np.concatenate([mdp.gamma * mdp.P[:, a, :] - np.eye(S) for a in range(A)])
    b_ub = np.concatenate([-mdp.r[:, a] for a in range(A)])
    res = linprog(np.ones(S), A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * S, method="highs",
                  options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    assert res.status == 0
    return res.x


@given(discounted)
def test_vi_reported_error_bounds_hold_against_the_exact_solution(mdp):
    v_star = policy_iteration(mdp).values
    for eps in (1e-2, 1e-6):
        vi = value_iteration(mdp, eps)
        assert vi.converged
        slack = 1e-10 * max(1.0, np.abs(v_star).max())
        assert np.abs(vi.values - v_star).max() <= vi.value_error_bound + slack
        v_pi = policy_evaluation(mdp, vi.policy)
        assert np.abs(v_pi - v_star).max() <= vi.policy_error_bound + slack
        assert vi.policy_error_bound < eps or mdp.gamma == 0


@given(discounted)
def test_vi_pi_and_linear_program_agree(mdp):
    pi = policy_iteration(mdp)
    vi = value_iteration(mdp, 1e-9)
    lp = _lp_values(mdp)
    scale = max(1.0, np.abs(pi.values).max())
    assert np.abs(vi.values - pi.values).max() <= 1e-8 * scale
    assert np.abs(lp - pi.values).max() <= 1e-6 * scale
    # PI's policy is optimal: its value is V* whatever tie it picked
    np.testing.assert_allclose(policy_evaluation(mdp, pi.policy), lp, atol=1e-6 * scale)


@given(discounted, st.data())
def test_bellman_operator_is_a_gamma_contraction(mdp, data):
    vec = st.lists(st.floats(-50, 50), min_size=mdp.n_states, max_size=mdp.n_states)
    V, U = np.array(data.draw(vec)), np.array(data.draw(vec))
    lhs = np.abs(bellman_optimality(mdp, V) - bellman_optimality(mdp, U)).max()
    assert lhs <= mdp.gamma * np.abs(V - U).max() + 1e-12 * (1 + np.abs(V).max() + np.abs(U).max())


@given(discounted)
def test_policy_iteration_improves_monotonically(mdp):
    _, history = policy_iteration(mdp, return_history=True)
    for a, b in itertools.pairwise(history):
        assert (b >= a - 1e-10 * max(1.0, np.abs(a).max())).all()


@given(mdps(discounted=False, max_states=3, max_actions=2, max_horizon=3))
def test_backward_induction_equals_brute_force_over_deterministic_policies(mdp):
    H, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    best = np.full(S, -np.inf)
    for flat in itertools.product(range(A), repeat=H * S):
        V, _ = finite_horizon_policy_evaluation(mdp, np.array(flat).reshape(H, S))
        best = np.maximum(best, V[0])
    np.testing.assert_allclose(backward_induction(mdp).values[0], best, atol=1e-12)


def test_policy_evaluation_is_the_bellman_fixed_point():
    mdp = garnet(15, 3, 4, gamma=0.95, rng=3)
    pi = uniform_policy(mdp)
    V = policy_evaluation(mdp, pi)
    r_pi = (pi * mdp.r).sum(1)
    P_pi = np.einsum("sa,sat->st", pi, mdp.P)
    np.testing.assert_allclose(V, r_pi + mdp.gamma * P_pi @ V, atol=1e-12)
    np.testing.assert_allclose((pi * q_of_policy(mdp, pi)).sum(1), V, atol=1e-12)


def test_sup_norm_rule_needs_many_more_sweeps_than_a_span_rule():
    """Catalogue trap (D1): on a dense random MDP a span rule stops after a handful of sweeps."""
    mdp = garnet(100, 5, gamma=0.99, rng=0)
    vi = value_iteration(mdp, 1e-3)
    assert vi.iterations > 500 and "sup-norm" in vi.stopping_rule


def test_solver_input_errors():
    mdp = garnet(4, 2, gamma=0.9, rng=0)
    with pytest.raises(InvalidMDPError, match="epsilon"):
        value_iteration(mdp, 0.0)
    with pytest.raises(InvalidMDPError, match="V0"):
        value_iteration(mdp, V0=np.ones(3))
    with pytest.raises(InvalidPolicyError, match=r"policy\[1\] = 7"):
        policy_evaluation(mdp, np.array([0, 7, 0, 0]))
    with pytest.raises(InvalidPolicyError, match=r"policy\[0, :\] sums"):
        policy_evaluation(mdp, np.full((4, 2), 0.3))
    with pytest.raises(InvalidMDPError, match="discounted"):
        value_iteration(tree_mdp(1, 2, [0.0, 1.0]))
