"""Claim D13: factored-model values sit inside the Bellman-consistent values."""
import numpy as np

from .model import consistent_tabular_values, factored_consistent_values, factored_next


def test_factored_values_sit_inside_the_bellman_consistent_values():
    rng = np.random.default_rng(1)
    true = ((0, 1, 1, 0), (1, 1, 0, 0))
    r = rng.choice([0.0, 1.0], size=(4, 2))
    known = {(0, 0): factored_next(true, 0, 0, 2), (3, 1): factored_next(true, 3, 1, 2)}
    fac = factored_consistent_values(r, 0.9, known, 2, 2)
    tab = consistent_tabular_values(r, 0.9, known, 4, 2)
    assert fac <= tab and len(fac) < len(tab)
