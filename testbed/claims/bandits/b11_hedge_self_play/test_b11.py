import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tabular_envs import InvalidBanditError

from .model import hedge_self_play, rock_paper_scissors, zero_sum_value

games = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.integers(0, 8).map(lambda x: x / 8)))


@given(games)
def test_lp_value_is_certified_by_both_strategies(M):
    """p* guarantees cost <= v* against every column and q* guarantees >= v* against every row: together they
    prove v* is the value, independently of the solver."""
    g = zero_sum_value(M)
    assert (g.row_strategy @ M).max() <= g.value + 1e-9
    assert (M @ g.column_strategy).min() >= g.value - 1e-9
    assert abs(g.row_strategy.sum() - 1) < 1e-12 and abs(g.column_strategy.sum() - 1) < 1e-12


@settings(max_examples=25)
@given(games, st.integers(1, 200), st.integers(0, 2 ** 32 - 1))
def test_average_play_is_an_eps_nash_pathwise(M, T, seed):
    """Slivkins (2019), Thm 9.5, on every path."""
    g = zero_sum_value(M)
    play = hedge_self_play(M, T, seed)
    eps = (play.row_regret + play.column_regret) / T
    assert (play.row_average @ M).max() <= g.value + eps + 1e-9
    assert (M @ play.column_average).min() >= g.value - eps - 1e-9


def test_known_values():
    assert zero_sum_value(rock_paper_scissors()).value == pytest.approx(0.5, abs=1e-12)
    assert zero_sum_value([[1.0, 0.0], [0.0, 1.0]]).value == pytest.approx(0.5, abs=1e-12)
    assert zero_sum_value([[0.4, 0.5, 0.9], [0.3, 0.2, 0.1], [0.6, 0.7, 0.8]]).value == pytest.approx(0.3, abs=1e-12)


def test_game_input_errors():
    with pytest.raises(InvalidBanditError, match=r"M\[0, 1\] = 2.0 lies outside"):
        zero_sum_value([[0.5, 2.0]])
    with pytest.raises(InvalidBanditError, match="2-D"):
        zero_sum_value([0.5, 0.2])
