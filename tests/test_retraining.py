"""Retraining and preference models (claims R1-R9): exact identities on generated instances."""
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sst

from tabular_envs.preferences import (bon_distribution, bon_kl_continuous, bon_kl_formula, fit_bradley_terry, kl,
                                      nash_soft_iteration, sample_comparisons)
from tabular_envs.records import enumerate_record_counts, harmonic, record_count_law, stirling_first_unsigned
from tabular_envs.retraining import collapse_coefficients, curated_sample_round, curated_update
from tabular_envs.schedules import last_iterate_bound, run_sgd_abs, schedule
from tabular_envs.strategies import probability_rows


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_collapse_coefficients(n):
    assert collapse_coefficients(n, "replace") == [Fraction(1)] * n
    assert collapse_coefficients(n, "accumulate") == [Fraction(1, i) for i in range(1, n + 1)]


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


@pytest.mark.parametrize("n", [1, 3, 16])
def test_best_of_n_kl_identity_for_continuous_rewards(n):
    assert bon_kl_continuous(n, sst.norm.cdf, sst.norm.pdf, -12, 12) == pytest.approx(bon_kl_formula(n), abs=1e-9)


@settings(max_examples=60)
@given(probability_rows(5, 1), st.integers(1, 64))
def test_best_of_n_with_ties_is_below_the_formula(p, n):
    q = bon_distribution(p[0], n)
    assert q.sum() == pytest.approx(1.0, abs=1e-12) and kl(q, p[0]) <= bon_kl_formula(n) + 1e-12


def test_catalogue_tie_example():
    assert kl(bon_distribution([0.5, 0.3, 0.2], 16), [0.5, 0.3, 0.2]) == pytest.approx(1.470, abs=5e-4)


def test_schedule_bound_reproduces_the_catalogue_numbers():
    for T, v in ((100, 2.036), (1000, 2.006), (10000, 2.0008)):
        assert last_iterate_bound(schedule("linear", T, 1.0, 1.0), np.ones(T), 1.0) * np.sqrt(T) == pytest.approx(v, abs=5e-4)


@pytest.mark.parametrize("kind", ["constant", "linear", "cosine", "refined"])
def test_deterministic_last_iterate_is_below_the_bound(kind):
    for T in (5, 50, 500):
        eta = schedule(kind, T, 2.0, 3.0)
        assert run_sgd_abs(eta, 3.0, 2.0)[0] <= last_iterate_bound(eta, np.full(T, 9.0), 2.0) + 1e-12


@pytest.mark.parametrize("T", [1, 2, 5, 7])
def test_record_law_by_enumeration(T):
    np.testing.assert_allclose(enumerate_record_counts(T), record_count_law(T), atol=1e-15)
    assert float(np.arange(T + 1) @ record_count_law(T)) == pytest.approx(harmonic(T), abs=1e-14)
    assert sum(stirling_first_unsigned(T)) == math.factorial(T)


@settings(max_examples=40)
@given(st.integers(0, 2 ** 30), st.integers(2, 6))
def test_nash_soft_iteration_improves_monotonically(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n))
    P = np.triu(A, 1) + np.tril(1 - A.T, -1)
    np.fill_diagonal(P, 0.5)
    pis = nash_soft_iteration(P, 0.7, 30)
    assert all(pis[t + 1] @ P @ pis[t] >= 0.5 - 1e-12 for t in range(30))


def test_bradley_terry_fit_recovers_utilities():
    rng = np.random.default_rng(0)
    u = np.array([-1.0, 0.0, 0.5, 1.5])
    i, j, y = sample_comparisons(u, 20000, rng)
    assert np.max(np.abs(fit_bradley_terry(4, i, j, y) - (u - u.mean()))) < 0.1


def test_schedule_input_errors_name_the_argument():
    from tabular_envs import TabularEnvError
    with pytest.raises(TabularEnvError, match="unknown schedule"):
        schedule("wsd", 10, 1.0, 1.0)
    with pytest.raises(TabularEnvError, match=r"eta\[2\]"):
        last_iterate_bound([0.1, 0.1, 0.0], [1.0, 1.0, 1.0], 1.0)
