"""R9's wrong-algorithm control: a Bradley-Terry fit stopped after one Newton step from zero (an unconverged
maximum-likelihood fit: a linearised estimate with a bias that does not shrink with the data), on the claim's quick
tasks and seeds, decided at the suite's delta. Its error stops falling as comparisons grow, so the slope test must
say violated on the Bradley-Terry data. (A log-odds-of-win-rate estimate, a milder error, is not caught at these
sample sizes: its bias is below the sampling error up to 10^4 comparisons.)"""
import functools
import importlib
from unittest import mock

from testbed.controls import decide_control

from .claim import THRESHOLD
from .model import fit_bradley_terry

_CLAIM_MODULE = importlib.import_module("testbed.claims.retraining.r9_pairwise_utilities.claim")


def test_an_unconverged_fit_is_violated():
    with mock.patch.object(_CLAIM_MODULE, "fit_bradley_terry", functools.partial(fit_bradley_terry, iterations=1)):
        v = decide_control("R9")
    assert v.verdict == "violated"
    bt = next(s for s in v.evidence["slopes"] if s["label"].startswith("bt"))
    assert bt["verdict"] == "violated" and bt["lower"] > THRESHOLD
