import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import proofs_check as pc
from tabular_envs import InvalidBanditError

from .model import (
    mussi2023_instance,
    noise_free_rewards,
    optimal_constant_action,
    polytope_vertices,
    steady_state_gain,
    transient_constant,
)


def test_authors_instance_by_hand():
    inst = mussi2023_instance()
    h = pc.dynamical_steady_state_gain(inst["A"], inst["B"], inst["omega"], inst["theta"])
    assert list(h) == [sp.Rational(9, 16), sp.Rational(1, 2), sp.Rational(1, 9)]
    u, j = optimal_constant_action(np.array(h, dtype=float).ravel(), inst["budget"])
    np.testing.assert_allclose(u, [1.0, 0.5, 0.0], atol=1e-12)
    assert j == pytest.approx(13 / 16)


@st.composite
def systems(draw):
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    A = rng.normal(size=(n, n))
    A *= draw(st.floats(0.0, 0.9)) / max(np.max(np.abs(np.linalg.eigvals(A))), 1e-12)
    return A, rng.normal(size=(n, m)), rng.normal(size=n), rng.normal(size=m), draw(st.floats(0.2, m))


@settings(max_examples=40)
@given(systems())
def test_steady_state_and_constant_optimality(system):
    A, B, omega, theta, budget = system
    h = steady_state_gain(A, B, omega, theta)
    u = np.full(h.size, min(1.0, budget / h.size))
    assert noise_free_rewards(A, B, omega, theta, np.tile(u, (400, 1)))[-1] == pytest.approx(h @ u, abs=1e-7)
    u_star, j_star = optimal_constant_action(h, budget)
    assert j_star == pytest.approx((polytope_vertices(h.size, budget) @ h).max(), abs=1e-9)
    seq = np.random.default_rng(0).uniform(0, 1, size=(50, h.size))
    seq *= np.minimum(1.0, budget / seq.sum(axis=1))[:, None]
    C = transient_constant(A, B, omega, np.sqrt(h.size))
    assert noise_free_rewards(A, B, omega, theta, seq).sum() <= 50 * j_star + C + 1e-9


def test_unstable_system_is_rejected():
    with pytest.raises(InvalidBanditError, match="spectral radius"):
        steady_state_gain([[1.2]], [[1.0]], [1.0], [0.0])
    with pytest.raises(InvalidBanditError, match="shapes"):
        steady_state_gain([[0.5]], [[1.0]], [1.0, 2.0], [0.0])


def test_an_instance_dict_can_be_passed_as_it_is():
    h = steady_state_gain(**mussi2023_instance())
    np.testing.assert_allclose(h, [9 / 16, 1 / 2, 1 / 9], atol=1e-15)
