"""Claim R1: the noise coefficients of iterated least squares."""
from fractions import Fraction

import pytest

from .model import collapse_coefficients


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_collapse_coefficients(n):
    assert collapse_coefficients(n, "replace") == [Fraction(1)] * n
    assert collapse_coefficients(n, "accumulate") == [Fraction(1, i) for i in range(1, n + 1)]

