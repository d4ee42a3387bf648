"""E4: the index's limits by hand, and the two traps decided violated by the claim's own procedure."""
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.gittins import gittins_index
from testbed.controls import decide_control, with_spec


def test_index_is_above_the_mean_and_below_one_and_grows_with_the_discount():
    lo = gittins_index(3, 5, 0.5, depth=200)
    assert 3 / 8 < lo < 1
    assert gittins_index(3, 5, 0.9, depth=300) > lo
    # a myopic arm (g -> 0) is worth its mean
    assert gittins_index(3, 5, 1e-6, depth=50) == pytest.approx(3 / 8, abs=1e-5)
    with pytest.raises(TabularEnvError, match="0 < g < 1"):
        gittins_index(1, 1, 1.0)


@pytest.mark.parametrize("change", [{"index": "ucb"}, {"depth": {"0.9": 300, "0.99": 30}}],
                         ids=["posterior mean plus a UCB bonus", "truncation of 30 pulls at g = 0.99"])
def test_traps_are_violated(change):
    assert decide_control("E4", with_spec(**change)).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E4").verdict == "holds"
