"""Distributional DP (claim D4): distances against SciPy, operators on generated instances, the Numba sweep."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import energy_distance, wasserstein_distance

from tabular_envs import TabularEnvError, garnet
from tabular_envs.dp.distributional import (
    categorical_evaluation_sweep,
    categorical_projection,
    categorical_sweep_numpy,
    cramer,
    dirac,
    evaluation_operator,
    grid_to_dists,
    maximal_cramer,
    maximal_wasserstein,
    mean,
    normalize,
    quantile_projection,
    uniform_grid,
    wasserstein,
)
from tabular_envs.strategies import finite_distributions, mdps, return_distribution_pairs


@settings(max_examples=80)
@given(finite_distributions(6), finite_distributions(6))
def test_distances_match_scipy(d1, d2):
    assert wasserstein(d1, d2, 1) == pytest.approx(wasserstein_distance(d1[0], d2[0], d1[1], d2[1]), abs=1e-12)
    # SciPy's energy distance is sqrt(2) times the Cramer (l2 of CDFs) distance
    assert np.sqrt(2) * cramer(d1, d2) == pytest.approx(energy_distance(d1[0], d2[0], d1[1], d2[1]), abs=1e-12)
    assert wasserstein(d1, d2, 1) <= wasserstein(d1, d2, 2) + 1e-12 <= wasserstein(d1, d2, np.inf) + 2e-12


def test_w_inf_of_two_diracs_and_of_a_split():
    assert wasserstein(dirac(1.0), dirac(4.0), np.inf) == 3.0
    d = normalize([0.0, 10.0], [0.5, 0.5])
    assert wasserstein(d, dirac(0.0), np.inf) == 10.0 and wasserstein(d, dirac(0.0), 1) == 5.0


@st.composite
def instance(draw):
    mdp = draw(mdps(max_states=3, max_actions=2, gamma=st.floats(0.1, 0.95)))
    pi = np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)
    return mdp, pi, draw(return_distribution_pairs(mdp.n_states, 3))


@settings(max_examples=60)
@given(instance())
def test_evaluation_operator_is_a_gamma_contraction_in_every_wasserstein(inst):
    mdp, pi, (e1, e2) = inst
    t1, t2 = evaluation_operator(mdp, pi, e1), evaluation_operator(mdp, pi, e2)
    for p in (1, 2, np.inf):
        assert maximal_wasserstein(t1, t2, p) <= mdp.gamma * maximal_wasserstein(e1, e2, p) * (1 + 1e-9) + 1e-12


@settings(max_examples=60)
@given(instance())
def test_the_mean_of_the_evaluation_operator_is_the_bellman_operator(inst):
    mdp, pi, (e1, _) = inst
    V = np.array([mean(d) for d in e1])
    expected = (pi * (mdp.r + mdp.gamma * mdp.P @ V)).sum(axis=1)
    np.testing.assert_allclose([mean(d) for d in evaluation_operator(mdp, pi, e1)], expected, atol=1e-10)


def test_categorical_projection_keeps_the_mean_inside_the_grid_and_splits_by_proximity():
    grid = uniform_grid(0.0, 4.0, 5)
    atoms, probs = categorical_projection(dirac(1.25), grid)
    np.testing.assert_allclose(atoms, [1.0, 2.0])
    np.testing.assert_allclose(probs, [0.75, 0.25])
    assert mean(categorical_projection(normalize([0.3, 3.9], [0.4, 0.6]), grid)) == pytest.approx(0.4 * 0.3 + 0.6 * 3.9)
    assert categorical_projection(dirac(9.0), grid)[0].tolist() == [4.0]


def test_quantile_projection_takes_the_midpoint_quantiles():
    d = normalize([0.0, 1.0, 2.0, 3.0], [0.1, 0.4, 0.3, 0.2])
    # tau = 1/8, 3/8, 5/8, 7/8 -> F^-1 = 1, 1, 2, 3
    atoms, probs = quantile_projection(d, 4)
    np.testing.assert_array_equal(atoms, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(probs, [0.5, 0.25, 0.25])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_numba_sweep_equals_numpy_sweep_equals_projected_exact_operator(seed):
    rng = np.random.default_rng(seed)
    mdp = garnet(6, 3, 2, gamma=0.9, rng=seed)
    pi = rng.dirichlet(np.ones(3), size=6)
    grid = uniform_grid(-12.0, 12.0, 49)
    probs = rng.dirichlet(np.ones(49), size=6)
    fast = categorical_evaluation_sweep(mdp, pi, probs, grid)
    np.testing.assert_allclose(fast, categorical_sweep_numpy(mdp, pi, probs, grid), atol=1e-14)
    exact = [categorical_projection(d, grid) for d in evaluation_operator(mdp, pi, grid_to_dists(probs, grid))]
    dense = np.zeros_like(fast)
    for s, (atoms, p) in enumerate(exact):
        dense[s, np.searchsorted(grid, atoms)] = p
    np.testing.assert_allclose(fast, dense, atol=1e-14)


def test_categorical_sweep_is_a_sqrt_gamma_contraction_in_cramer_on_a_self_loop():
    # one state, r = 0, self-loop: T^pi scales returns by gamma, and Cramer scales by sqrt(gamma)
    from tabular_envs import TabularMDP
    mdp = TabularMDP(np.ones((1, 1, 1)), np.zeros((1, 1)), gamma=0.5)
    grid = uniform_grid(-8.0, 8.0, 65)
    e1, e2 = [categorical_projection(dirac(0.0), grid)], [categorical_projection(dirac(4.0), grid)]
    u1 = [categorical_projection(d, grid) for d in evaluation_operator(mdp, [0], e1)]
    u2 = [categorical_projection(d, grid) for d in evaluation_operator(mdp, [0], e2)]
    assert maximal_cramer(u1, u2) == pytest.approx(np.sqrt(0.5) * maximal_cramer(e1, e2), rel=1e-12)


def test_bad_distributions_name_the_atom():
    with pytest.raises(TabularEnvError, match="atom 1"):
        normalize([0.0, np.nan], [0.5, 0.5])
    with pytest.raises(TabularEnvError, match="sum to"):
        normalize([0.0, 1.0], [0.5, 0.6])
