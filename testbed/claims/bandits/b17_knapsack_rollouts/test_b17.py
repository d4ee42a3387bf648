import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabular_envs import InvalidBanditError

from .model import (
    allocation_value,
    brute_force_allocation,
    knapsack_allocation,
    nonzero_gradient_probability,
    nonzero_gradient_probability_enumerated,
    rollout_value,
)


@given(st.floats(0, 1), st.integers(0, 30))
def test_probability_closed_form_equals_binomial_enumeration(p, N):
    assert nonzero_gradient_probability(p, N) == pytest.approx(nonzero_gradient_probability_enumerated(p, N),
                                                               abs=1e-12)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=4), st.integers(0, 24))
def test_knapsack_equals_brute_force(ps, extra):
    choices = (0, 1, 2, 4, 8)
    budget = extra
    value, alloc = knapsack_allocation(ps, choices, budget)
    assert value == pytest.approx(brute_force_allocation(ps, choices, budget)[0], abs=1e-12)
    assert sum(alloc) <= budget and set(alloc) <= set(choices)
    assert allocation_value(ps, alloc) == pytest.approx(value, abs=1e-12)


def test_value_is_largest_near_one_third_for_many_rollouts():
    grid = np.linspace(0.01, 0.99, 981)
    best = grid[np.argmax([rollout_value(p, 200) for p in grid])]
    assert abs(best - 1 / 3) < 2e-3


def test_allocation_input_errors():
    with pytest.raises(InvalidBanditError, match=r"ps\[1\] = 1.2 is not a probability"):
        knapsack_allocation([0.5, 1.2], (0, 2), 4)
    with pytest.raises(InvalidBanditError, match="below the minimum"):
        knapsack_allocation([0.5, 0.5], (2, 4), 3)
    with pytest.raises(InvalidBanditError, match="p = 2"):
        nonzero_gradient_probability(2, 3)
