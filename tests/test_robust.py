"""Robust and regularized-robust inner problems (claims D6-D8) against independent routes, IWOCS, and stock
augmentation (D5) against enumeration of history-dependent policies."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import TabularEnvError, TabularMDP, garnet
from tabular_envs.iwocs import finite_set_gap, iwocs
from tabular_envs.robust import (l1_robust_sweep, l1_robust_sweep_numpy, regularized_chi2, regularized_chi2_min_alpha,
                                 regularized_chi2_primal, regularized_kl, regularized_kl_primal, regularized_tv,
                                 regularized_tv_lp, robust_bellman, robust_value_iteration, worst_chi2,
                                 worst_chi2_primal, worst_kl, worst_kl_primal, worst_l1, worst_l1_lp, worst_tv,
                                 worst_tv_dual)
from tabular_envs.stock import (augmented_optimum, cvar, cvar_optimum, enumerate_history_policies,
                                expected_utility)


@st.composite
def inner(draw):
    n = draw(st.integers(2, 6))
    w = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), dtype=float)
    if w.sum() == 0:
        w[0] = 1
    V = np.array(draw(st.lists(st.integers(-8, 8), min_size=n, max_size=n)), dtype=float) / 2
    return w / w.sum(), V, draw(st.sampled_from([0.0, 0.05, 0.3, 1.0, 2.5]))


@settings(max_examples=100)
@given(inner())
def test_closed_forms_equal_their_independent_routes(case):
    p0, V, rad = case
    assert worst_l1(p0, V, rad) == pytest.approx(worst_l1_lp(p0, V, rad), abs=1e-8)
    assert worst_tv(p0, V, rad / 2) == pytest.approx(worst_tv_dual(p0, V, rad / 2), abs=1e-10)
    assert worst_kl(p0, V, rad) == pytest.approx(worst_kl_primal(p0, V, rad), abs=1e-8)
    assert worst_chi2(p0, V, rad) == pytest.approx(worst_chi2_primal(p0, V, rad), abs=1e-8)
    lam = rad + 0.1
    assert regularized_tv(p0, V, lam) == pytest.approx(regularized_tv_lp(p0, V, lam), abs=1e-8)
    assert regularized_kl(p0, V, lam) == pytest.approx(regularized_kl_primal(p0, V, lam), abs=1e-10)
    assert regularized_chi2(p0, V, lam) == pytest.approx(regularized_chi2_primal(p0, V, lam), abs=1e-10)
    # every ball contains p0: the worst case is at most the nominal expectation, at least min V
    for f in (worst_l1, worst_kl, worst_chi2):
        assert V.min() - 1e-12 <= f(p0, V, rad) <= p0 @ V + 1e-12


def test_l1_worst_case_by_hand():
    # move beta/2 = 0.25 of mass onto V = 0, taken from the highest value first: all 0.2 at V = 5, then 0.05 at
    # V = 1, leaving p = (0.75, 0.25, 0)
    assert worst_l1([0.5, 0.3, 0.2], [0.0, 1.0, 5.0], 0.5) == pytest.approx(0.25, abs=1e-15)


def test_chi2_trap_minimising_over_alpha_is_wrong():
    p0, V, lam = np.array([0.5, 0.5]), np.array([0.0, 10.0]), 0.5
    assert regularized_chi2(p0, V, lam) == pytest.approx(regularized_chi2_primal(p0, V, lam), abs=1e-12)
    assert regularized_chi2_min_alpha(p0, V, lam) < regularized_chi2(p0, V, lam) - 1


def test_numba_l1_sweep_matches_numpy_and_the_reference_operator():
    rng = np.random.default_rng(3)
    mdp = garnet(40, 4, 5, gamma=0.9, rng=3)
    V = rng.normal(size=40)
    np.testing.assert_allclose(l1_robust_sweep(mdp, V, 0.4), robust_bellman(mdp, V, "l1", 0.4), atol=1e-12)
    np.testing.assert_allclose(l1_robust_sweep_numpy(mdp, V, 0.4), robust_bellman(mdp, V, "l1", 0.4), atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_iwocs_sandwich_and_termination(seed):
    mdp = garnet(6, 3, 2, gamma=0.9, rng=seed)
    v_rob = robust_value_iteration(mdp, "l1", 0.5, epsilon=1e-12)[0]
    hist = iwocs(mdp, 0.5)
    for h in hist:
        assert np.all(h["lower"] <= v_rob + 1e-9) and np.all(v_rob <= h["upper"] + 1e-9)
    assert hist[-1]["upper"][0] - hist[-1]["lower"][0] <= 1e-8


def test_two_whole_models_can_have_a_strict_duality_gap():
    # s0: a0 reaches the paying state s1 in model 1 only, a1 in model 2 only
    P1, P2 = np.zeros((3, 2, 3)), np.zeros((3, 2, 3))
    P1[0, 0, 1] = P1[0, 1, 2] = P2[0, 0, 2] = P2[0, 1, 1] = 1
    for P in (P1, P2):
        P[1:, :, :] = 0
        P[1, :, 1] = P[2, :, 2] = 1
    r = np.array([[0, 0], [1, 1], [0, 0]], dtype=float)
    lo, hi = finite_set_gap([TabularMDP(P1, r, gamma=0.5), TabularMDP(P2, r, gamma=0.5)])
    assert lo == pytest.approx(0.0) and hi == pytest.approx(1.0)


def small_integer_mdp(seed):
    rng = np.random.default_rng(seed)
    S, A, H = 2, 2, 2
    W = rng.integers(0, 3, (S, A, S)).astype(float)
    W[W.sum(axis=2) == 0, 0] = 1
    return TabularMDP(W / W.sum(axis=2, keepdims=True), rng.integers(-1, 3, (S, A)).astype(float), horizon=H)


@pytest.mark.parametrize("seed", range(6))
def test_stock_augmented_dp_equals_enumeration(seed):
    mdp = small_integer_mdp(seed)
    dists = list(enumerate_history_policies(mdp))
    for f in (lambda x: float(x >= 1), lambda x: -math.exp(-x)):
        assert augmented_optimum(mdp, f) == pytest.approx(max(expected_utility(d, f) for d in dists), abs=1e-12)
    for tau in (0.2, 0.5, 1.0):
        assert cvar_optimum(mdp, tau)[0] == pytest.approx(max(cvar(d, tau) for d in dists), abs=1e-12)


def test_cvar_of_a_known_law():
    d = {0: 0.5, 10: 0.5}
    assert cvar(d, 0.5) == 0.0 and cvar(d, 1.0) == 5.0 and cvar(d, 0.25) == 0.0


def test_robust_input_errors():
    with pytest.raises(TabularEnvError, match="probability vector"):
        worst_l1([0.5, 0.6], [0.0, 1.0], 0.1)
    with pytest.raises(TabularEnvError, match="beta"):
        worst_l1([0.5, 0.5], [0.0, 1.0], -1.0)
    with pytest.raises(TabularEnvError, match="unknown ball"):
        robust_bellman(garnet(2, 1, gamma=0.5), np.zeros(2), "wasserstein", 0.1)
