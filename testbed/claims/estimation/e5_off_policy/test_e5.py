"""E5: the estimators by hand, and the three traps decided violated by the claim's own procedure."""
import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.off_policy import estimate, exact_moments, policy_value
from testbed.controls import decide_control, with_spec


def test_one_context_by_hand():
    mu = np.array([[0.5, 0.5]])
    pi = np.array([[1.0, 0.0]])
    R = np.array([[0.8, 0.1]])
    assert estimate([(0, 0, 1)], pi, mu, "ips") == 2.0
    assert estimate([(0, 1, 1)], pi, mu, "ips") == 0.0
    e, v = exact_moments([1.0], mu, R, pi, 1, "ips")
    assert e == pytest.approx(policy_value([1.0], pi, R)) and v == pytest.approx(0.5 * 0.8 * 4 - 0.64)
    with pytest.raises(TabularEnvError, match="kind"):
        estimate([(0, 0, 1)], pi, mu, "snips")


@pytest.mark.parametrize("change", [{"ips_kind": "swapped"}, {"ips_kind": "clipped"}, {"dr_kind": "dr_same_sample"}],
                         ids=["propensities swapped", "clipped IPS called unbiased", "model fitted on the same log"])
def test_traps_are_violated(change):
    assert decide_control("E5", with_spec(**change)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E5").verdict == "holds"
