"""E7: the retraining map by hand, and the converged-oscillation trap decided violated by the claim's procedure."""
import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.performative import repeated_risk_minimisation, stable_point
from testbed.controls import decide_control, with_spec


def test_map_by_hand():
    np.testing.assert_allclose(repeated_risk_minimisation(1.0, 0.5, 0.0, 3), [0.0, 1.0, 1.5, 1.75])
    assert stable_point(1.0, 0.5) == 2.0
    np.testing.assert_allclose(repeated_risk_minimisation(1.0, -1.0, 3.0, 3), [3.0, -2.0, 3.0, -2.0])
    with pytest.raises(TabularEnvError, match="no performatively stable point"):
        stable_point(1.0, 1.0)


def test_stride_two_convergence_test_is_violated():
    assert decide_control("E7", with_spec(stride=2)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E7").verdict == "holds"
