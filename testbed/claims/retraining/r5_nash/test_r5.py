"""Claim R5: Nash soft policy iteration improves monotonically."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from .model import nash_soft_iteration


@settings(max_examples=40)
@given(st.integers(0, 2 ** 30), st.integers(2, 6))
def test_nash_soft_iteration_improves_monotonically(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n))
    P = np.triu(A, 1) + np.tril(1 - A.T, -1)
    np.fill_diagonal(P, 0.5)
    pis = nash_soft_iteration(P, 0.7, 30)
    assert all(pis[t + 1] @ P @ pis[t] >= 0.5 - 1e-12 for t in range(30))
