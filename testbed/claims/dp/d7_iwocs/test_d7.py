"""Claim D7: the IWOCS sandwich and a strict duality gap on a non-rectangular set."""
import numpy as np
import pytest

from tabular_envs import TabularMDP, garnet
from tabular_envs.dp.robust import robust_value_iteration

from .model import finite_set_gap, iwocs


@pytest.mark.parametrize("seed", range(4))
def test_iwocs_sandwich_and_termination(seed):
    mdp = garnet(6, 3, 2, gamma=0.9, rng=seed)
    v_rob = robust_value_iteration(mdp, "l1", 0.5, epsilon=1e-12).values
    hist = iwocs(mdp, 0.5)
    for h in hist:
        assert np.all(h["lower"] <= v_rob + 1e-9) and np.all(v_rob <= h["upper"] + 1e-9)
    assert hist[-1]["upper"][0] - hist[-1]["lower"][0] <= 1e-8


def test_two_whole_models_can_have_a_strict_duality_gap():
    # s0: a0 reaches the paying state s1 in model 1 only, a1 in model 2 only
    P1, P2 = np.zeros((3, 2, 3)), np.zeros((3, 2, 3))
    P1[0, 0, 1] = P1[0, 1, 2] = P2[0, 0, 2] = P2[0, 1, 1] = 1
    for P in (P1, P2):
        P[1:, :, :] = 0
        P[1, :, 1] = P[2, :, 2] = 1
    r = np.array([[0, 0], [1, 1], [0, 0]], dtype=float)
    lo, hi = finite_set_gap([TabularMDP(P1, r, gamma=0.5), TabularMDP(P2, r, gamma=0.5)])
    assert lo == pytest.approx(0.0) and hi == pytest.approx(1.0)
