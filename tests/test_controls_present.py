"""Every statistical claim has a wrong-algorithm control: a test that runs something wrong through the claim's own
procedure and asserts `violated` (issue 22). Read statically: the claim's folder tests, or the project-wide control
files naming the claim. The controls themselves run at the suite's delta (testbed/claims/conftest.py,
testbed.controls)."""
import re
from pathlib import Path

import pytest

from testbed.registry import all_claims
from testbed.runner import is_statistical

TESTS = Path(__file__).resolve().parent
PROJECT_WIDE = ("test_negative_controls.py", "test_mutants.py")
STATISTICAL = [c for c in all_claims() if is_statistical(c)]


def _asserts_violated(text: str) -> bool:
    direct = re.search(r"assert[^\n]*==\s*\"violated\"", text) is not None
    # a parametrized control: "violated" among the parameters and an assert against the expected verdict
    parametrized = '"violated"' in text and re.search(r"assert[^\n]*==\s*expected", text) is not None
    return direct or parametrized


def _project_wide_controls(claim_id: str) -> list[str]:
    """Test functions in the project-wide control files that name the claim and assert violated."""
    found = []
    for name in PROJECT_WIDE:
        text = (TESTS / name).read_text()
        for block in re.split(r"\n(?=def |@pytest)", text):
            if re.search(rf"\"{claim_id}\"", block) and _asserts_violated(block):
                found.append(f"{name}: {block.splitlines()[0][:60]}")
    return found


@pytest.mark.parametrize("claim", STATISTICAL, ids=[c.id for c in STATISTICAL])
def test_statistical_claim_has_a_wrong_algorithm_control(claim):
    own = [p.name for p in claim.folder.glob("test_*.py") if _asserts_violated(p.read_text())]
    assert own or _project_wide_controls(claim.id), (
        f"{claim.id} has no test that decides a wrong algorithm `violated` with its own procedure")


def test_the_presence_check_can_fail():
    assert not _asserts_violated('assert v.verdict == "holds"')
    assert not _asserts_violated('assert v.verdict == expected  # holds only')
    assert _asserts_violated('assert v.verdict == "violated"')
