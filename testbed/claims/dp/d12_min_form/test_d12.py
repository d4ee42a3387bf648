"""Claim D12: the min form is eps-stable, the sum form moves by at most eps times the horizon weight; the
argmin-zeroed definition jumps."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .model import argmin_zeroed_values, min_form_values, softmin_weighted, sum_form_values


@settings(max_examples=100)
@given(st.lists(st.floats(-1, 1), min_size=1, max_size=10), st.floats(1e-3, 0.5), st.integers(0, 2 ** 30))
def test_min_form_is_eps_stable_and_the_sum_form_moves_by_at_most_eps_times_the_horizon_weight(r, eps, seed):
    r = np.array(r)
    r_hat = r + np.random.default_rng(seed).uniform(-eps, eps, r.size)
    assert np.max(np.abs(min_form_values(r_hat) - min_form_values(r))) <= eps + 1e-15
    geo = np.array([sum(0.9 ** i for i in range(r.size - t)) for t in range(r.size)])
    assert np.all(np.abs(sum_form_values(r_hat, 0.9) - sum_form_values(r, 0.9)) <= eps * geo + 1e-12)
    for T in (1.0, 0.1, 0.001):
        assert r.min() - 1e-15 <= softmin_weighted(r, T) <= r.min() + T * np.log(r.size) + 1e-15


def test_argmin_zeroed_definition_jumps_when_the_argmin_moves():
    r = np.array([-0.5, -0.49])
    r_hat = np.array([-0.5, -0.51])             # eps = 0.02
    assert np.max(np.abs(argmin_zeroed_values(r_hat) - argmin_zeroed_values(r))) == pytest.approx(0.51)
