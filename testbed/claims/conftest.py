"""Claim-folder tests decide where the suite decides: every statistical claim's ``delta`` is its share of the suite's
false-alarm budget for the duration of a test (testbed.runner.claim_deltas), so a wrong-algorithm control that a
claim's test calls `violated` is violated at the level a suite run uses, not at the claim's own looser default."""
import contextlib

import pytest

from testbed.registry import SUITE_FALSE_ALARM_BUDGET, all_claims
from testbed.runner import claim_delta, claim_deltas


@pytest.fixture(autouse=True)
def _claims_at_the_suite_delta():
    claims = all_claims()
    deltas = claim_deltas(claims, SUITE_FALSE_ALARM_BUDGET)    # non-statistical claims keep their own delta
    with contextlib.ExitStack() as stack:
        for claim in claims:
            stack.enter_context(claim_delta(claim, deltas[claim.id]))
        yield
