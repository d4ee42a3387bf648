"""Claim R9: Bradley-Terry maximum likelihood recovers the utilities."""
import numpy as np

from .model import fit_bradley_terry, sample_comparisons


def test_bradley_terry_fit_recovers_utilities():
    rng = np.random.default_rng(0)
    u = np.array([-1.0, 0.0, 0.5, 1.5])
    i, j, y = sample_comparisons(u, 20000, rng)
    assert np.max(np.abs(fit_bradley_terry(4, i, j, y) - (u - u.mean()))) < 0.1


def test_thurstone_fit_is_the_probit_maximum_likelihood():
    """fit_thurstone against an independent route: SciPy's BFGS on the probit negative log-likelihood (norm.logcdf),
    on Thurstonian data; both centred."""
    from scipy.optimize import minimize
    from scipy.stats import norm

    from .model import fit_thurstone
    rng = np.random.default_rng(3)
    u = rng.normal(0, 1, 8)
    i, j, y = sample_comparisons(u, 3000, rng, "thurstone")

    def nll(v):
        return -np.sum(y * norm.logcdf(v[i] - v[j]) + (1 - y) * norm.logcdf(v[j] - v[i]))
    ref = minimize(nll, np.zeros(8), method="BFGS", options={"gtol": 1e-10}).x
    assert np.max(np.abs(fit_thurstone(8, i, j, y) - (ref - ref.mean()))) < 1e-6


def test_a_bradley_terry_fit_to_thurstone_data_has_an_error_floor():
    """The misspecified fit's population optimum is not an affine image of u: a floor well above rounding (mean
    0.015 over u ~ N(0, I_8)); on Bradley-Terry probabilities the same population fit recovers u exactly."""
    from .model import misspecified_floor
    rng = np.random.default_rng(1)
    floors = [misspecified_floor(rng.normal(0, 1, 8)) for _ in range(50)]
    assert 0.005 < np.mean(floors) < 0.05
    u = np.array([-1.0, 0.0, 0.5, 1.5])
    upper, lower = np.triu_indices(4, 1)
    p = 1 / (1 + np.exp(-(u[upper] - u[lower])))
    v = fit_bradley_terry(4, np.concatenate([upper, lower]), np.concatenate([lower, upper]), np.concatenate([p, 1 - p]),
                          ridge=1e-9)
    assert np.max(np.abs(v - (u - u.mean()))) < 1e-6


def test_the_mle_exists_exactly_when_the_win_graph_is_strongly_connected():
    """Zermelo (1929) / Ford (1957) against the fit itself: where an item never lost, its fitted utility is set by
    the fit's tiny ridge alone (it grows without bound as the ridge shrinks); where the graph is strongly connected,
    the ridge changes nothing."""
    from .model import mle_exists
    # a cycle 0 > 1 > 2 > 0: strongly connected
    i, j, y = np.array([0, 1, 2]), np.array([1, 2, 0]), np.ones(3)
    assert mle_exists(3, i, j, y)
    a, b = fit_bradley_terry(3, i, j, y, ridge=1e-6), fit_bradley_terry(3, i, j, y, ridge=1e-9, iterations=400)
    assert np.max(np.abs(a - b)) < 1e-6
    # 0 beats 1 and 2, 1 and 2 split: item 0 never lost
    i, j, y = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 1]), np.ones(4)
    assert not mle_exists(3, i, j, y)
    a, b = fit_bradley_terry(3, i, j, y, ridge=1e-6), fit_bradley_terry(3, i, j, y, ridge=1e-9, iterations=400)
    assert b[0] > a[0] + 3.0
    # the same comparisons reported from the loser's side (y = 0, roles swapped) give the same graph
    assert not mle_exists(3, j, i, np.zeros(4))


def test_the_threshold_is_the_bounds_fitted_slope_plus_the_stated_second_order_allowance():
    from .claim import ALLOWANCE, PAIRS, THRESHOLD
    n = np.array(PAIRS, dtype=float)
    assert abs(THRESHOLD - (-0.5 + ALLOWANCE)) < 1e-12
    # the allowance covers the slope of n^(-1/2) (1 - 3 n^(-1/2)) over the sweep: -1/2 + 0.068
    slope = np.polyfit(np.log(n), np.log(n ** -0.5 * (1 - 3 / np.sqrt(n))), 1)[0]
    assert abs(slope - (-0.5 + 0.068)) < 5e-4 and slope < THRESHOLD
