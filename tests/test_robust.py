"""Robust and regularized-robust inner problems (claims D6-D8) against independent routes, IWOCS, and stock
augmentation (D5) against enumeration of history-dependent policies."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import TabularEnvError, garnet
from tabular_envs.dp.robust import (
    l1_robust_sweep,
    l1_robust_sweep_numpy,
    regularized_chi2,
    regularized_chi2_min_alpha,
    regularized_chi2_primal,
    regularized_kl,
    regularized_kl_primal,
    regularized_tv,
    regularized_tv_lp,
    robust_bellman,
    worst_chi2,
    worst_chi2_primal,
    worst_kl,
    worst_kl_primal,
    worst_l1,
    worst_l1_lp,
    worst_tv,
    worst_tv_dual,
)


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


def test_robust_input_errors():
    with pytest.raises(TabularEnvError, match="probability vector"):
        worst_l1([0.5, 0.6], [0.0, 1.0], 0.1)
    with pytest.raises(TabularEnvError, match="beta"):
        worst_l1([0.5, 0.5], [0.0, 1.0], -1.0)
    with pytest.raises(TabularEnvError, match="unknown ball"):
        robust_bellman(garnet(2, 1, gamma=0.5), np.zeros(2), "wasserstein", 0.1)


def test_compiled_kl_dual_is_scipys_bounded_brent_step_for_step():
    """worst_kl maximises the KL dual with a compiled port of SciPy's bounded Brent method: on random inner
    problems (zeros in p0, ties in V, V scaled over six decades, radii from 1e-8 to 2) it returns exactly what
    minimize_scalar(method='bounded') does on the same objective."""
    import math

    from scipy.optimize import minimize_scalar

    def scipy_worst_kl(p0, V, beta):
        support = p0 > 0
        v_min = V[support].min()
        ps, shifted = [float(x) for x in p0[support]], [float(x) for x in V[support] - v_min]

        def neg_dual(log_lam):
            # the sum left to right in floats, as the port adds it: a BLAS dot product's order depends on the CPU
            # (an AVX-512 machine's differs by an ulp, which the Brent steps amplify to 3e-14)
            lam = math.exp(log_lam)
            total = 0.0
            for p, v in zip(ps, shifted, strict=True):
                total += p * math.exp(-v / lam)
            return -(v_min - lam * math.log(total) - lam * beta)
        spread = max(V[support].max() - v_min, 1e-12)
        best = minimize_scalar(neg_dual, bounds=(math.log(spread) - 40, math.log(spread) + 30), method="bounded",
                               options={"xatol": 1e-13})
        return float(max(-best.fun, v_min))

    rng = np.random.default_rng(11)
    for _ in range(2000):
        n = int(rng.integers(1, 9))
        p0 = rng.dirichlet(np.ones(n))
        if n > 1 and rng.random() < 0.3:
            p0[rng.integers(n)] = 0.0
            p0 /= p0.sum()
        V = rng.normal(0, 3, n) * 10 ** rng.uniform(-3, 3)
        if rng.random() < 0.2:
            V[rng.integers(n)] = V[rng.integers(n)]
        beta = float(rng.uniform(1e-3, 2)) if rng.random() > 0.1 else float(10 ** rng.uniform(-8, 0))
        scale = max(1.0, np.ptp(V))
        assert abs(worst_kl(p0, V, beta) - scipy_worst_kl(p0, V, beta)) <= 1e-15 * scale, (p0, V, beta)
