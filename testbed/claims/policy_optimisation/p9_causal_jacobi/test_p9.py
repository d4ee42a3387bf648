"""P9: the causal-map iterations exactly, and the two traps decided violated by the claim's own procedure."""
import numpy as np
import pytest

from tabular_envs.policy_opt.causal import (
    causal_tanh_map,
    first_exact_iteration,
    gauss_seidel_sweep,
    jacobi_iterates,
)
from testbed.controls import decide_control, with_spec


def test_first_exact_iteration_is_the_position_on_a_small_map_by_hand():
    # L = 3, x_1 = tanh(b_1), x_2 = tanh(w x_1 + b_2), ... computed here directly
    F = causal_tanh_map(3, 5.0, 1)
    x_star = np.empty(3)
    for i in range(3):
        x_star[i] = np.tanh(F.W[i, :i] @ x_star[:i] + F.b[i])
    np.testing.assert_allclose(gauss_seidel_sweep(F, np.zeros(3)), x_star, rtol=0, atol=1e-15)
    its = jacobi_iterates(F, np.full(3, 7.0), 5)
    assert first_exact_iteration(its, gauss_seidel_sweep(F, np.zeros(3))).tolist() == [1, 2, 3]


def test_first_exact_iteration_counts_from_the_end():
    its = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 2.0], [0.5, 2.0], [1.0, 2.0]])
    assert first_exact_iteration(its, np.array([1.0, 2.0])).tolist() == [4, 2]
    assert first_exact_iteration(its[:-1], np.array([1.0, 2.0])).tolist() == [-1, 2]


@pytest.mark.parametrize("change", [{"mask_offset": 0}, {"variant": "in_place"}],
                         ids=["off-by-one mask (x_i reads x_i)", "in-place updates called Jacobi"])
def test_traps_are_violated(change):
    v = decide_control("P9", with_spec(**change))
    assert v.verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P9").verdict == "holds"
