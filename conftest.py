import os
from pathlib import Path

import pytest
from hypothesis import settings

import testbed  # noqa: F401  (first: it pins the BLAS thread pools before NumPy loads them, as the CLI does)

# derandomized, no deadline: a test's examples depend on nothing but its code (no wall clock, no database)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def reference_data():
    """The effective-horizon reference MDPs bundled with the package (a copy of shared/data/effective_horizon)."""
    from tabular_envs.dp.effective_horizon import REFERENCE_DATA
    return REFERENCE_DATA


@pytest.fixture
def shared_data():
    """The outside copy in ../shared (present in the project's workspace, absent in a fresh clone)."""
    path = SHARED / "data" / "effective_horizon"
    if not path.is_dir():
        pytest.skip(f"the outside copy of the reference data is not at {path} (the bundled copy is tested instead)")
    return path
