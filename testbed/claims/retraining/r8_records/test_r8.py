"""Claim R8: the record-count law by enumeration."""
import math

import numpy as np
import pytest

from proofs_check import expected_records, record_count_law, stirling_first_unsigned

from .model import enumerate_record_counts


@pytest.mark.parametrize("T", [1, 2, 5, 7])
def test_record_law_by_enumeration(T):
    np.testing.assert_allclose(enumerate_record_counts(T), record_count_law(T), atol=1e-15)
    assert float(np.arange(T + 1) @ record_count_law(T)) == pytest.approx(
        sum(1 / t for t in range(1, T + 1)), abs=1e-14
    )
    assert expected_records().evaluate(T=T) == pytest.approx(sum(1 / t for t in range(1, T + 1)), abs=1e-14)
    assert sum(stirling_first_unsigned(T)) == math.factorial(T)
