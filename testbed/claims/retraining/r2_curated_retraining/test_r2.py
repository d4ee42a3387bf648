"""Claim R2: the curated population update and one finite-sample round."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs.strategies import probability_rows

from .model import curated_sample_round, curated_update


@settings(max_examples=60)
@given(probability_rows(4, 1), st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), min_size=4, max_size=4),
       st.sampled_from([2, 3, 4, math.inf]))
def test_curated_update_is_a_distribution_that_raises_expected_reward(p, r, K):
    p, r = p[0], np.array(r)
    q = curated_update(p, r, K)
    assert q.sum() == pytest.approx(1.0, abs=1e-12)
    assert q @ r >= p @ r - 1e-12


def test_curated_update_k2_by_hand():
    # two outcomes with rewards 0 and log 3: H_2(top) = p_low 2*3/(3+1) + p_top 2*3/6
    p, r = np.array([0.5, 0.5]), np.array([0.0, math.log(3)])
    q = curated_update(p, r, 2)
    assert q[1] == pytest.approx(0.5 * (0.5 * 1.5 + 0.5 * 1.0), abs=1e-15)


def test_curated_sampling_is_unbiased_for_one_round():
    rng = np.random.default_rng(5)
    p, r = np.array([0.4, 0.3, 0.3]), np.array([0.0, 1.0, 2.0])
    draws = np.array([curated_sample_round(p, r, 3, 500, rng) for _ in range(800)])
    se = draws.std(axis=0, ddof=1) / np.sqrt(800)
    assert np.all(np.abs(draws.mean(axis=0) - curated_update(p, r, 3)) < 5 * se)
