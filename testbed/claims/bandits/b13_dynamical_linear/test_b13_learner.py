"""The blocked OFUL learner for dynamical linear bandits (claim B13's rate part)."""
import numpy as np
import pytest

from tabular_envs import InvalidBanditError

from .learner import block_length, simulate_blocked_oful


def test_noise_free_regret_is_the_transient_in_closed_form():
    # scalar system, one action coordinate, U = [0, 1]: h = theta + b omega / (1 - a) > 0, u* = 1; without noise
    # the learner's first (most optimistic) vertex is u = 1 and it stays, so R(T) = sum_t omega b (1 - a^t)/(1 - a)
    # short of J*, i.e. omega b / (1 - a) * sum_{t<T} a^t.
    a, b, omega, theta, T = 0.5, 0.8, 1.0, 0.1, 200
    got = simulate_blocked_oful([[a]], [[b]], [omega], [theta], 1.0, 0.0, T, 2, 0)
    expected = omega * b / (1 - a) * (1 - a ** T) / (1 - a)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_blocked_oful_is_deterministic_per_replication():
    args = ([[0.3, 0.1], [0.0, 0.2]], [[1.0, 0.0], [0.5, 1.0]], [1.0, -0.5], [0.2, 0.1], 1.2, 0.1, 500)
    whole = simulate_blocked_oful(*args, 6, 7)
    part = simulate_blocked_oful(*args, 3, 7, first_replication=3)
    np.testing.assert_array_equal(whole[3:], part)
    assert np.ptp(whole) > 0          # the noise reaches the decisions


def test_block_length_leaves_a_transient_below_one_over_sqrt_T():
    for rho in (0.1, 0.5, 0.9):
        for T in (100, 10_000):
            assert rho ** (block_length(T, rho) // 2) <= 1 / np.sqrt(T) + 1e-15


def test_rho_bar_below_the_spectral_radius_is_refused():
    with pytest.raises(InvalidBanditError, match="rho_bar"):
        simulate_blocked_oful([[0.5]], [[1.0]], [1.0], [0.0], 1.0, 0.1, 100, 1, 0, rho_bar=0.3)
