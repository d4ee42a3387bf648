import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import TabularEnvError

from .model import (
    jacobi_spectral_radius,
    laplacian_2d,
    sor_iteration_matrix,
    sor_solve,
    spectral_radius,
    young_optimal_omega,
    young_spectral_radius,
)


@st.composite
def consistently_ordered(draw):
    """Symmetric tridiagonal, strictly diagonally dominant, positive diagonal: consistently ordered, with real
    Jacobi eigenvalues and beta < 1, so Young's theorem applies."""
    n = draw(st.integers(2, 8))
    off = np.array(draw(st.lists(st.floats(-1, 1).filter(lambda x: abs(x) > 0.05), min_size=n - 1, max_size=n - 1)))
    margin = np.array(draw(st.lists(st.floats(0.05, 2), min_size=n, max_size=n)))
    diag = np.abs(np.r_[off, 0]) + np.abs(np.r_[0, off]) + margin
    return np.diag(diag) + np.diag(off, 1) + np.diag(off, -1)


@settings(max_examples=40)
@given(consistently_ordered(), st.floats(0.05, 1.95))
def test_young_formula_matches_the_eigenvalues(A, omega):
    beta = jacobi_spectral_radius(A)
    assert spectral_radius(sor_iteration_matrix(A, omega)) == pytest.approx(young_spectral_radius(omega, beta),
                                                                             abs=1e-6)


@given(consistently_ordered())
def test_omega_star_minimises_the_spectral_radius(A):
    beta = jacobi_spectral_radius(A)
    star = young_optimal_omega(beta)
    grid = np.linspace(0.05, 1.95, 200)
    assert young_spectral_radius(star, beta) <= young_spectral_radius(grid, beta).min() + 1e-12


def test_catalogue_example():
    A = laplacian_2d(10)
    beta = jacobi_spectral_radius(A)
    assert beta == pytest.approx(np.cos(np.pi / 11), abs=1e-12)
    assert young_optimal_omega(beta) == pytest.approx(1.56039, abs=5e-6)


def test_sor_solves_and_optimal_omega_is_fastest():
    A = laplacian_2d(6)
    b = np.arange(36.0)
    star = young_optimal_omega(jacobi_spectral_radius(A))
    x, k_star = sor_solve(A, b, star, tol=1e-10)
    np.testing.assert_allclose(A @ x, b, rtol=0, atol=1e-8 * np.linalg.norm(b))
    assert k_star < sor_solve(A, b, 1.0, tol=1e-10)[1]


def test_sor_input_errors():
    with pytest.raises(TabularEnvError, match="omega"):
        sor_iteration_matrix(np.eye(2), 2.5)
    with pytest.raises(TabularEnvError, match=r"A\[1, 1\] is 0"):
        sor_iteration_matrix(np.array([[1.0, 0.0], [0.0, 0.0]]), 1.0)
