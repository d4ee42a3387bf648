"""E1: the sampler by hand, and the four traps decided violated by the claim's own procedure."""
import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.speculative import context_free, output_law, target_law, total_variation
from testbed.controls import decide_control, with_spec


def test_one_token_law_by_hand():
    # gamma = 1, L = 1: P(emit x) = q(x) min(1, p/q) + (1 - alpha) residual(x) = p(x)
    p, q = np.array([0.7, 0.3]), np.array([0.5, 0.5])
    law = output_law(context_free(p), context_free(q), 1, 1)
    assert law[(0,)] == pytest.approx(0.5 + 0.2 * 1.0)          # accepted 0.5; rejected 0.2, residual (1, 0)
    assert total_variation(law, target_law(context_free(p), 1)) < 1e-15
    with pytest.raises(TabularEnvError, match="variant"):
        output_law(context_free(p), context_free(q), 1, 1, variant="greedy")


@pytest.mark.parametrize("variant", ["resample_target", "inverted_ratio", "token_equality", "mismatched_draft"])
def test_traps_are_violated(variant):
    assert decide_control("E1", with_spec(variant=variant)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E1").verdict == "holds"
