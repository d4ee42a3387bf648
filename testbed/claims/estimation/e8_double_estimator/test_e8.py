"""E8: the estimators by hand, and the same-table trap decided violated by the claim's own procedure."""
import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.double_estimator import double_estimator, single_estimator
from testbed.controls import decide_control, with_spec


def test_two_actions_by_hand():
    # K = 2, equal means 0, s = 1: E[max] = 1/sqrt(pi); the double estimator is exactly 0
    assert single_estimator([0.0, 0.0], 1.0, 1) == pytest.approx(1 / np.sqrt(np.pi), abs=1e-10)
    assert double_estimator([0.0, 0.0], 1.0, 1) == pytest.approx(0.0, abs=1e-12)
    # far-apart means: no bias either way
    assert single_estimator([0.0, 50.0], 1.0, 1) == pytest.approx(50.0, abs=1e-9)
    with pytest.raises(TabularEnvError, match="sigma"):
        single_estimator([0.0], 0.0, 1)


def test_same_table_double_estimator_is_violated():
    assert decide_control("E8", with_spec(same_table=True)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E8").verdict == "holds"
