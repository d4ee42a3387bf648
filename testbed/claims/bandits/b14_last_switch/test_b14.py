import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import InvalidBanditError

from .model import brute_force_plan_value, greedy_plan_value, monotone_payoffs, optimal_plan_value


@settings(max_examples=40)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 6), st.integers(0, 2 ** 32 - 1), st.booleans())
def test_dp_equals_brute_force(K, tau_max, T, seed, monotone):
    rng = np.random.default_rng(seed)
    f = monotone_payoffs(K, tau_max, rng) if monotone else rng.normal(size=(K, 2 * tau_max))
    assert optimal_plan_value(f, T) == pytest.approx(brute_force_plan_value(f, T), abs=1e-12)
    assert greedy_plan_value(f, T) <= optimal_plan_value(f, T) + 1e-12


def test_satiation_makes_switching_optimal():
    # one arm: 1.0 when rested, 0.1 when played again; a second arm worth 0.6 in every state
    f = np.array([[1.0, 0.1], [0.6, 0.6]])
    # alternating 0, 1, 0, 1 pays 1 + 0.6 + 1 + 0.6 = 3.2; greedy plays arm 0 then arm 1 ... and finds it too
    assert optimal_plan_value(f, 4) == pytest.approx(3.2)
    assert greedy_plan_value(f, 4) == pytest.approx(3.2)


def test_monotone_payoffs_are_monotone():
    f = monotone_payoffs(3, 4, 0)
    rested, played = f[:, :4], f[:, 4:]
    assert (np.diff(rested, axis=1) <= 0).all() and (np.diff(played, axis=1) <= 0).all()


def test_payoff_errors():
    with pytest.raises(InvalidBanditError, match=r"\(K, 2 tau_max\)"):
        optimal_plan_value(np.ones((2, 3)), 2)
