import math

import numpy as np
import pytest
import sympy as sp

import proofs_check as pc
from proofs_check.symbols import K, T

CATALOGUE_MU = np.linspace(0.1, 0.9, 10)


def test_ucb1_bound_matches_an_independent_numpy_formula_and_the_catalogue():
    gaps = (0.9 - CATALOGUE_MU)[:-1]
    for horizon in (10.0, 1e4, 1e6):
        direct = 8 * np.sum(np.log(horizon) / gaps) + (1 + np.pi ** 2 / 3) * np.sum(gaps)
        assert pc.ucb1_auer2002_bound().evaluate(T=horizon, Delta=gaps) == pytest.approx(direct, rel=1e-12)
    assert pc.ucb1_auer2002_bound().evaluate(T=1e4, Delta=gaps) == pytest.approx(2362, abs=1)  # catalogue B1


def test_lattimore_variant_formula():
    gaps = np.array([0.1, 0.5])
    direct = 3 * gaps.sum() + 16 * np.sum(np.log(1e5) / gaps)
    assert pc.ucb1_lattimore_thm7_1_bound().evaluate(T=1e5, Delta=gaps) == pytest.approx(direct, rel=1e-12)


def test_lai_robbins_constants():
    mu = CATALOGUE_MU[:-1]
    kl = mu * np.log(mu / 0.9) + (1 - mu) * np.log((1 - mu) / 0.1)
    c = pc.lai_robbins_constant_bernoulli().evaluate(mu=mu, mu_star=0.9)
    assert c == pytest.approx(np.sum((0.9 - mu) / kl), rel=1e-12)
    assert c == pytest.approx(8.698, abs=1e-3)  # catalogue B2
    assert pc.lai_robbins_constant_gaussian().evaluate(Delta=np.array([0.5, 1.0]), sigma=1.0) == pytest.approx(6.0)
    # the Gaussian form is the Bernoulli-style sum with kl = Delta^2 / (2 sigma^2)
    d = np.array([0.3, 0.7])
    assert pc.lai_robbins_constant_gaussian().evaluate(Delta=d, sigma=2.0) == pytest.approx(np.sum(d / (d ** 2 / 8)))


def test_minimax_bound_and_family_gap():
    assert pc.minimax_lower_bound_ls_thm15_2().evaluate(K=10, T=1e4) == pytest.approx(math.sqrt(9e4) / 27)
    assert pc.minimax_hard_gap(10, 1000) == pytest.approx(math.sqrt(9 / 4000))


@pytest.mark.parametrize(
    "bound, expected",
    [
        (pc.ucb1_auer2002_bound(), sp.log(T)),
        (pc.ucb1_lattimore_thm7_1_bound(), sp.log(T)),
        (pc.lai_robbins_bound(pc.lai_robbins_constant_bernoulli()), sp.log(T)),
        (pc.minimax_lower_bound_ls_thm15_2(), sp.sqrt(T)),
        (pc.lipschitz_uniform_discretization_order(), T ** sp.Rational(2, 3) * sp.log(T) ** sp.Rational(1, 3)),
        (pc.hedge_slivkins_thm5_16_bound(), sp.sqrt(T)),
        (pc.exp3_lattimore_thm11_2_bound(), sp.sqrt(T)),
        (
            T ** sp.Rational(2, 3) * (K * sp.log(T)) ** sp.Rational(1, 3),
            T ** sp.Rational(2, 3) * sp.log(T) ** sp.Rational(1, 3),
        ),
        (sp.sqrt(K * T * sp.log(T)) + 5 * sp.log(T), sp.sqrt(T * sp.log(T))),
    ],
)
def test_rate_extraction(bound, expected):
    assert sp.simplify(pc.rate_in_horizon(bound).order - expected) == 0


def test_rate_extraction_rejects_non_power_log_forms():
    with pytest.raises(pc.BoundError):
        pc.rate_in_horizon(sp.exp(T))


def test_proof_steps_behind_ucb1_constants_pass_and_are_labelled():
    steps = pc.ucb1_proof_steps()
    assert {s.name for s in steps} >= {"ucb1_tail_sum", "ucb1_hoeffding_radius"}
    for s in steps:
        assert s.passed, s
        assert s.method


def test_vi_bounds():
    assert pc.vi_stopping_threshold().evaluate(epsilon=0.1, gamma=0.9) == pytest.approx(0.1 * 0.1 / 1.8)
    assert pc.vi_policy_error_bound().evaluate(gamma=0.9, r_k=1e-3) == pytest.approx(2 * 9 * 1e-3)
    assert pc.vi_contraction_bound().evaluate(gamma=0.5, k=3, e_0=8.0) == pytest.approx(1.0)


def test_bound_evaluation_errors():
    with pytest.raises(pc.BoundError, match="give a value for T"):
        pc.ucb1_auer2002_bound().evaluate(Delta=np.array([0.1]))
    with pytest.raises(pc.BoundError, match="missing vector"):
        pc.ucb1_auer2002_bound().evaluate(T=10.0)
    with pytest.raises(pc.BoundError, match="not finite"):
        pc.ucb1_auer2002_bound().evaluate(T=10.0, Delta=np.array([0.0]))


def test_ucb_h_weight_is_finite_and_equals_the_product_over_the_range_s5_uses():
    """Jin et al. (2018) Eq. (4.1): the public closed form against the defining product summed in log space (an
    independent route), for t from 1 to the 2e6 of S5's truncated sum; Gamma(t) alone overflows at t = 172."""
    import numpy as np

    from proofs_check import ucb_h_weight
    bound = ucb_h_weight()
    t_max = 2_000_000
    for H in (1, 3, 10):
        j = np.arange(1, t_max + 1, dtype=np.float64)
        with np.errstate(divide="ignore"):
            log_one_minus = np.log1p(-(H + 1) / (H + j))      # log(1 - alpha_j), -inf at j = 1 (alpha_1 = 1)
        cum = np.concatenate([[0.0], np.cumsum(log_one_minus[1:])])   # sum_{j=2}^{t} log(1 - alpha_j), t = 1..t_max
        for i in (1, 2, 50, 171, 1000):
            ts = np.array([i, i + 1, 171, 172, 1000, 10 ** 5, t_max], dtype=np.float64)
            ts = ts[ts >= i]
            product = (H + 1) / (H + i) * np.exp(cum[ts.astype(int) - 1] - cum[i - 1])
            closed = bound.evaluate(H=float(H), i=float(i), t=ts)
            assert np.all(np.isfinite(closed))
            # both routes lose digits in the exponent: the closed form cancels log-gammas of size ln Gamma(H + t + 1)
            # (about 2.7e7 at t = 2e6), the product sums t logarithms; relative error <= 16 eps times their size
            from scipy.special import gammaln
            allowed = 1e-12 + 16 * np.finfo(float).eps * (gammaln(H + ts + 1) + ts)
            assert np.all(np.abs(closed - product) <= allowed * product), (closed, product)
