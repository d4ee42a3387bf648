"""P1: the exact iteration by hand, the SymPy limit, and the traps decided violated by the claim's own procedure."""
import numpy as np
import pytest

from tabular_envs.policy_opt.softmax_pg import bandit_policy_gradient
from testbed.controls import decide_control, with_spec

from .claim import limit_from_ansatz


def test_first_steps_by_hand():
    r = np.array([1.0, 0.9, 0.1])
    theta = np.zeros(3)
    gaps = []
    for _ in range(3):
        pi = np.exp(theta) / np.exp(theta).sum()
        gaps.append(float(np.sum(pi * (1.0 - r))))
        theta = theta + 0.4 * pi * (r - pi @ r)
    out = bandit_policy_gradient(r, 0.4, 5, checkpoints=[0, 1, 2])
    np.testing.assert_allclose(out["gaps"], gaps, rtol=1e-14)
    assert gaps[0] == pytest.approx(1 - 2.0 / 3)


def test_derived_limit_is_the_stated_one():
    import sympy as sp
    K, eta = sp.symbols("K eta", positive=True)
    assert sp.simplify(limit_from_ansatz() - (K - 1) / (eta * K)) == 0


def test_npg_mislabelled_as_pg_is_violated():
    assert decide_control("P1", with_spec(update="npg")).verdict == "violated"


def test_baseline_free_update_is_violated():
    assert decide_control("P1", with_spec(update="baseline_free")).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P1").verdict == "holds"
