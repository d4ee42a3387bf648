"""P4: the closed forms by hand, and the three traps decided violated by the claim's own procedure."""
import numpy as np
import pytest

from testbed.controls import decide_control, with_spec

from .model import LEAVES, closed_form_optimum, dpo_pair_minimiser, objective, token_level_optimum


def test_closed_form_by_hand_at_beta_one():
    U = ([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]])
    expected = np.log((np.e + 1 + 2 * np.exp(0.6)) / 4)
    assert closed_form_optimum(LEAVES, *U, 1.0) == pytest.approx(expected, rel=1e-15)
    assert objective(*token_level_optimum(LEAVES, *U, 1.0), LEAVES, *U, 1.0) == pytest.approx(expected, rel=1e-13)


def test_pair_minimiser_is_the_reward_difference():
    assert dpo_pair_minimiser(1.0, 0.6) == pytest.approx(0.4, abs=1e-8)


@pytest.mark.parametrize("change", [{"exponent": "beta_r"}, {"dpo_reference": False}, {"node_value": "expectation"}],
                         ids=["exp(beta r)", "no reference log-ratio in the DPO logit", "Q of pi_0 for the soft value"])
def test_traps_are_violated(change):
    assert decide_control("P4", with_spec(**change)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("P4").verdict == "holds"
