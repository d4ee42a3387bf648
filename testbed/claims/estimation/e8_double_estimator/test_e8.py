"""E8: the estimators by hand, the left-right MDP's agents, and the controls decided by the claim's own procedure."""
import dataclasses

import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.double_estimator import double_estimator, single_estimator
from tabular_envs.estimation.left_right import left_right_left_frequency
from testbed.controls import decide_control, suite_delta, with_spec
from testbed.registry import get_claim

DOUBLE = "double Q-learning: P(left) <= epsilon/2 + 0.05 at episodes 200, 300"
BIAS = "Q-learning: P(left) >= 1/2 at episode 20 (the bias propagates)"


def decide_left_right_part(part, method):
    """One E8 part on its quick left-right tasks, every agent replaced by ``method``, at the suite's share for E8."""
    claim = get_claim("E8")
    tasks = [dataclasses.replace(t, spec={**t.spec, "method": method}) for t in claim.tasks("quick", 0)]
    return claim.decide_part(part, tasks, [claim.run_task(t) if t.unit.startswith("left_right") else None
                                           for t in tasks], delta=suite_delta("E8"))


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


def test_left_right_agents_by_hand():
    # epsilon = 0: the first episode's choice at A is a fair tie (Q = 0); with epsilon = 1 and one run the agent
    # explores uniformly, so over many runs left is chosen about half the time whatever the method
    left = left_right_left_frequency(4000, 1, 3, epsilon=1.0)
    assert abs(left.mean() - 0.5) < 4 * np.sqrt(0.25 / 4000)
    # same draws, same seed: identical; runs are independent of how many are asked for
    assert np.array_equal(left_right_left_frequency(5, 50, 2), left_right_left_frequency(8, 50, 2)[:5])
    with pytest.raises(TabularEnvError, match="method"):
        left_right_left_frequency(1, 1, 0, method="triple")


@pytest.mark.parametrize("method", ["q_learning", "same_table"])
def test_q_learning_or_same_table_called_double_is_violated(method):
    assert decide_left_right_part(DOUBLE, method).verdict == "violated"


def test_double_q_learning_called_q_learning_shows_no_propagated_bias():
    assert decide_left_right_part(BIAS, "double").verdict == "violated"
