"""R1's wrong-algorithm control: an "accumulate" loop that discards the older data (it refits on the newest
generation only, which is the replace loop), on the claim's quick grid and seeds, decided at the suite's delta. Its
error grows like n instead of staying below sigma^2 d pi^2 / (6 (T - d - 1)); the Monte Carlo part must say violated
while the exact coefficient part still holds."""
import importlib
from unittest import mock

from testbed.controls import decide_control

from .model import collapse_errors

_CLAIM_MODULE = importlib.import_module("testbed.claims.retraining.r1_model_collapse.claim")


def _accumulate_discards_old_data(X, w_star, sigma, n_iter, mode, rng):
    return collapse_errors(X, w_star, sigma, n_iter, "replace", rng)


def test_accumulation_that_discards_old_data_is_violated():
    with mock.patch.object(_CLAIM_MODULE, "collapse_errors", _accumulate_discards_old_data):
        v = decide_control("R1")
    assert v.verdict == "violated"
    assert [p["verdict"] for p in v.evidence["parts"]] == ["holds", "violated"]
