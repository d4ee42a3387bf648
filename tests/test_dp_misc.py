"""BEER (D9), model error (D10), edge of reach (D11), min-form credit (D12), model-based generalization (D13)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import chain, garnet
from tabular_envs.credit import argmin_zeroed_values, min_form_values, softmin_weighted, sum_form_values
from tabular_envs.offline import (_factored_next, consistent_tabular_values, edge_of_reach, factored_consistent_values,
                                  optimal_q, truncated_q_iteration)
from tabular_envs.representation import (beer_cosine_bound, cosines, linear_bellman_instance, lipschitz_constant_line,
                                         wasserstein1_line)


@settings(max_examples=50)
@given(st.integers(0, 2 ** 30))
def test_beer_bound_holds_when_the_bellman_equation_holds(seed):
    rng = np.random.default_rng(seed)
    mdp = garnet(4, 2, gamma=0.9, rng=seed)
    phi, w = rng.normal(size=(4, 2, 3)), rng.normal(size=3)
    r, Q, phibar = linear_bellman_instance(mdp, np.full((4, 2), 0.5), phi, w)
    # the constructed rewards really make Q a fixed point of the evaluation operator
    np.testing.assert_allclose(Q, r + 0.9 * mdp.P @ (0.5 * Q.sum(axis=1)), atol=1e-12)
    assert np.all(cosines(phi, phibar) <= beer_cosine_bound(phi, phibar, r, w, 0.9) + 1e-12)


def test_w1_on_the_line_by_hand():
    assert wasserstein1_line([1, 0, 0, 0], [0, 0, 0, 1]) == 3.0
    assert wasserstein1_line([0.5, 0.5, 0], [0, 0.5, 0.5]) == 1.0
    assert lipschitz_constant_line([0.0, 2.0, 1.5]) == 2.0


def test_edge_states_are_never_updated_and_patching_removes_overestimation():
    mdp = chain(8, gamma=0.9, slip=0.0)
    updated, edge = edge_of_reach(mdp, [0], 2)
    assert edge.any() and not (edge & updated).any()
    Q = truncated_q_iteration(mdp, updated, 100.0)
    np.testing.assert_array_equal(Q[edge], 100.0)
    q_star = optimal_q(mdp)
    assert np.max(Q[updated] - q_star[updated]) > 1.0
    patched = truncated_q_iteration(mdp, updated, 100.0, edge_value=0.0)
    assert np.all(patched[updated] <= q_star[updated] + 1e-9)


@settings(max_examples=100)
@given(st.lists(st.floats(-1, 1), min_size=1, max_size=10), st.floats(1e-3, 0.5), st.integers(0, 2 ** 30))
def test_min_form_is_eps_stable_and_the_sum_form_moves_by_at_most_eps_times_the_horizon_weight(r, eps, seed):
    r = np.array(r)
    r_hat = r + np.random.default_rng(seed).uniform(-eps, eps, r.size)
    assert np.max(np.abs(min_form_values(r_hat) - min_form_values(r))) <= eps + 1e-15
    geo = np.array([sum(0.9 ** i for i in range(r.size - t)) for t in range(r.size)])
    assert np.all(np.abs(sum_form_values(r_hat, 0.9) - sum_form_values(r, 0.9)) <= eps * geo + 1e-12)
    for T in (1.0, 0.1, 0.001):
        assert r.min() - 1e-15 <= softmin_weighted(r, T) <= r.min() + T * np.log(r.size) + 1e-15


def test_argmin_zeroed_definition_jumps_when_the_argmin_moves():
    r = np.array([-0.5, -0.49])
    r_hat = np.array([-0.5, -0.51])             # eps = 0.02
    assert np.max(np.abs(argmin_zeroed_values(r_hat) - argmin_zeroed_values(r))) == pytest.approx(0.51)


def test_factored_values_sit_inside_the_bellman_consistent_values():
    rng = np.random.default_rng(1)
    true = ((0, 1, 1, 0), (1, 1, 0, 0))
    r = rng.choice([0.0, 1.0], size=(4, 2))
    known = {(0, 0): _factored_next(true, 0, 0, 2), (3, 1): _factored_next(true, 3, 1, 2)}
    fac = factored_consistent_values(r, 0.9, known, 2, 2)
    tab = consistent_tabular_values(r, 0.9, known, 4, 2)
    assert fac <= tab and len(fac) < len(tab)
