"""E2: the advantages by hand, and the two traps decided violated by the claim's own procedure."""
import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.group_baselines import (
    expected_double_normalised_gradient,
    group_advantages,
    policy_gradient_of_success,
    std_weight,
)
from testbed.controls import decide_control, with_spec


def test_advantages_by_hand():
    r = np.array([1.0, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(group_advantages(r, "rloo"), [1 - 1 / 3, -2 / 3, -2 / 3, 1 - 1 / 3])
    np.testing.assert_allclose(group_advantages(r, "mean"), [0.5, -0.5, -0.5, 0.5])
    np.testing.assert_allclose(group_advantages(r, "std"), [1.0, -1.0, -1.0, 1.0])
    assert np.all(group_advantages(np.ones(3), "std") == 0)
    assert np.isnan(group_advantages(np.ones(3), "std", zero_on_constant=False)).all()
    with pytest.raises(TabularEnvError, match="kind"):
        group_advantages(r, "z")


def test_two_sample_std_weight_is_one():
    # N = 2, population std: the two rewards differ or A = 0; w = (1 - p) + p = 1 for every p
    assert std_weight(0.3, 2) == pytest.approx(1.0) and std_weight(0.9, 2) == pytest.approx(1.0)


def test_double_normalisation_keeps_the_direction_but_not_the_factor():
    r = np.array([1.0, 0.0, 0.0])
    theta = np.array([0.3, -0.2, 0.5])
    grad = policy_gradient_of_success(theta, r)
    assert std_weight(0.354, 3) == pytest.approx(np.sqrt(2))      # N = 3: w is constant (sqrt 2, population std)
    factors = []
    for partner in ([2.0, -1.0, -1.0], [0.0, 0.0, 0.0], [-2.0, 1.0, 1.0]):
        E = expected_double_normalised_gradient([theta, np.array(partner)], r, 3)[0]
        c = float(E @ grad / (grad @ grad))
        assert np.linalg.norm(E - c * grad) < 1e-14 * np.linalg.norm(grad) * 10
        factors.append(c)
    # the factor moves with the other prompt by more than 0.1, and is never w_3 = sqrt(2)
    assert min(abs(a - b) for i, a in enumerate(factors) for b in factors[i + 1:]) > 0.1
    assert min(abs(c - np.sqrt(2)) for c in factors) > 0.1


@pytest.mark.parametrize("change", [{"rloo_estimator": "mean"}, {"zero_on_constant": False},
                                    {"std_estimator": "double"}],
                         ids=["sample in its own baseline called unbiased", "0/0 on constant groups",
                              "double normalisation called std-normalised"])
def test_traps_are_violated(change):
    assert decide_control("E2", with_spec(**change)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E2").verdict == "holds"
