"""Claim-folder tests decide where the suite decides: every statistical claim's ``delta`` is its share of the suite's
false-alarm budget for the duration of a test (testbed.controls.suite_delta), so a wrong-algorithm control that a
claim's test calls `violated` is violated at the level a suite run uses, not at the claim's own looser default."""
import contextlib

import pytest

from testbed.controls import suite_delta
from testbed.registry import all_claims
from testbed.runner import claim_delta, is_statistical


@pytest.fixture(autouse=True)
def _claims_at_the_suite_delta():
    with contextlib.ExitStack() as stack:
        for claim in all_claims():
            if is_statistical(claim):
                stack.enter_context(claim_delta(claim, suite_delta(claim.id)))
        yield
