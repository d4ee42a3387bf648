"""Claim R8: the record-count law by enumeration."""
import math

import numpy as np
import pytest

from .model import enumerate_record_counts, harmonic, record_count_law, stirling_first_unsigned


@pytest.mark.parametrize("T", [1, 2, 5, 7])
def test_record_law_by_enumeration(T):
    np.testing.assert_allclose(enumerate_record_counts(T), record_count_law(T), atol=1e-15)
    assert float(np.arange(T + 1) @ record_count_law(T)) == pytest.approx(harmonic(T), abs=1e-14)
    assert sum(stirling_first_unsigned(T)) == math.factorial(T)
