"""Claim R9: Bradley-Terry maximum likelihood recovers the utilities."""
import numpy as np

from .model import fit_bradley_terry, sample_comparisons


def test_bradley_terry_fit_recovers_utilities():
    rng = np.random.default_rng(0)
    u = np.array([-1.0, 0.0, 0.5, 1.5])
    i, j, y = sample_comparisons(u, 20000, rng)
    assert np.max(np.abs(fit_bradley_terry(4, i, j, y) - (u - u.mean()))) < 0.1
