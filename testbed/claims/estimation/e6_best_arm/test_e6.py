"""E6: the characteristic time by hand, and the uniform-allocation trap decided violated by the claim's procedure."""
import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.best_arm import characteristic_time, kl_bernoulli, uniform_time
from testbed.controls import decide_control, with_spec


def test_two_arms_and_symmetric_arms_by_hand():
    assert characteristic_time([1.0, 0.5])[0] == pytest.approx(8 / 0.25, rel=1e-9)
    # three arms with equal gaps: w_2 = w_3 by symmetry
    T, w = characteristic_time([1.0, 0.5, 0.5])
    assert w[1] == pytest.approx(w[2], rel=1e-6) and T < uniform_time([1.0, 0.5, 0.5])
    assert kl_bernoulli(0.1, 0.9) == pytest.approx(0.8 * np.log(9))
    with pytest.raises(TabularEnvError, match="unique best arm"):
        characteristic_time([1.0, 1.0, 0.2])


def test_uniform_allocation_called_optimal_is_violated():
    assert decide_control("E6", with_spec(allocation="uniform")).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E6").verdict == "holds"
