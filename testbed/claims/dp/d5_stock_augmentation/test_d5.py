"""Claim D5: stock-augmented DP equals enumeration of history-dependent policies; CVaR of a known law."""
import math

import numpy as np
import pytest

from tabular_envs import TabularMDP

from .model import augmented_optimum, cvar, cvar_optimum, enumerate_history_policies, expected_utility


def small_integer_mdp(seed):
    rng = np.random.default_rng(seed)
    S, A, H = 2, 2, 2
    W = rng.integers(0, 3, (S, A, S)).astype(float)
    W[W.sum(axis=2) == 0, 0] = 1
    return TabularMDP(W / W.sum(axis=2, keepdims=True), rng.integers(-1, 3, (S, A)).astype(float), horizon=H)


@pytest.mark.parametrize("seed", range(6))
def test_stock_augmented_dp_equals_enumeration(seed):
    mdp = small_integer_mdp(seed)
    dists = list(enumerate_history_policies(mdp))
    for f in (lambda x: float(x >= 1), lambda x: -math.exp(-x)):
        assert augmented_optimum(mdp, f) == pytest.approx(max(expected_utility(d, f) for d in dists), abs=1e-12)
    for tau in (0.2, 0.5, 1.0):
        assert cvar_optimum(mdp, tau)[0] == pytest.approx(max(cvar(d, tau) for d in dists), abs=1e-12)


def test_cvar_of_a_known_law():
    d = {0: 0.5, 10: 0.5}
    assert cvar(d, 0.5) == 0.0 and cvar(d, 1.0) == 5.0 and cvar(d, 0.25) == 0.0
