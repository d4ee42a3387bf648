"""Claim D10: W_1 and Lipschitz constants on a line of states, by hand."""
from .model import lipschitz_constant_line, wasserstein1_line


def test_w1_on_the_line_by_hand():
    assert wasserstein1_line([1, 0, 0, 0], [0, 0, 0, 1]) == 3.0
    assert wasserstein1_line([0.5, 0.5, 0], [0, 0.5, 0.5]) == 1.0
    assert lipschitz_constant_line([0.0, 2.0, 1.5]) == 2.0
