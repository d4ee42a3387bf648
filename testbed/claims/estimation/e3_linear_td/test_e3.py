"""E3: the TD pieces by hand, and the traps decided violated by the claim's own procedure."""
import numpy as np

from tabular_envs.estimation.linear_td import projection, stationary_distribution, td_fixed_point
from testbed.controls import decide_control, with_spec


def test_tabular_features_give_the_true_values():
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(4), size=4)
    r = rng.uniform(0, 1, 4)
    d = stationary_distribution(P)
    assert np.allclose(d @ P, d, atol=1e-12)
    V = np.linalg.solve(np.eye(4) - 0.9 * P, r)
    np.testing.assert_allclose(np.eye(4) @ td_fixed_point(np.eye(4), P, r, 0.9, d), V, atol=1e-10)
    np.testing.assert_allclose(projection(np.eye(4), d) @ V, V, atol=1e-12)


def test_tdc_without_its_correction_is_violated():
    assert decide_control("E3", with_spec(tdc_correction=False)).verdict == "violated"


def test_off_policy_weighting_under_the_on_policy_bound_is_violated():
    assert decide_control("E3", with_spec(weighting="off")).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E3").verdict == "holds"
