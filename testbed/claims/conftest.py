"""Claim-folder tests decide where the suite decides: every statistical claim's ``delta`` is its share of the suite's
false-alarm budget for the duration of a test (testbed.runner.claim_deltas), so a wrong-algorithm control that a
claim's test calls `violated` is violated at the level a suite run uses, not at the claim's own looser default."""
import contextlib

import pytest

from testbed.claim import claim_delta
from testbed.registry import SUITE_FALSE_ALARM_BUDGET, all_claims
from testbed.runner import claim_deltas


@pytest.fixture(autouse=True)
def _claims_at_the_suite_delta():
    claims = all_claims()
    deltas = claim_deltas(claims, SUITE_FALSE_ALARM_BUDGET)    # non-statistical claims keep their own delta
    with contextlib.ExitStack() as stack:
        for claim in claims:
            stack.enter_context(claim_delta(claim, deltas[claim.id]))
        yield


@pytest.fixture
def hard_family_checks():
    """The checks S4's and S6's hard-family tests share: ``check(decide, run, frozen, delta)`` asserts that the part
    is not violated on the family's run, is violated with an exponent error of 0.25 planted (a claimed rate faster
    by a quarter), and that the run with its gap frozen (an instance the algorithm learns) passes the upper side and
    fails the lower one."""
    from testbed.planting import planted

    def check(decide, run, frozen, delta):
        assert decide(run, delta).verdict != "violated", decide(run, delta).evidence["slopes"]
        with planted(shift=0.25):
            assert decide(run, delta).verdict == "violated"
        rows = decide(frozen, delta).evidence["slopes"]
        assert [(r["direction"], r["verdict"]) for r in rows] == [("below", "holds"), ("at least", "violated")], rows
    return check
