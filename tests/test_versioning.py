"""Per-claim code versions: an edit invalidates exactly the claims whose numbers it can change."""
import shutil
from pathlib import Path

import pytest

from testbed.registry import all_claims
from testbed.versioning import PROJECT_ROOT, claim_code_version, claim_sources

PACKAGES = ("tabular_envs", "proofs_check", "gpu_kernels", "testbed")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    for pkg in PACKAGES:
        shutil.copytree(PROJECT_ROOT / pkg, root / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.nb?"))
    return root


def versions(root: Path) -> dict[str, str]:
    out = {}
    for c in all_claims():
        rel = c.folder.relative_to(PROJECT_ROOT)
        out[c.id] = claim_code_version(root / rel, c.package, root)
    return out


def edit(path: Path, old: str, new: str):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_copy_has_the_same_versions_as_the_project(tree):
    assert versions(tree) == {c.id: c.code_version for c in all_claims()}


def test_a_docstring_edit_invalidates_only_that_claims_tasks(tree):
    before = versions(tree)
    edit(tree / "testbed/claims/retraining/r9_pairwise_utilities/claim.py", '"""R9.', '"""R9 (edited).')
    after = versions(tree)
    assert [c for c in before if before[c] != after[c]] == ["R9"]


def test_a_figure_or_test_edit_invalidates_nothing(tree):
    before = versions(tree)
    edit(tree / "testbed/claims/bandits/b1_ucb1_auer2002/figure.py", "def draw", "# a comment\ndef draw")
    (tree / "testbed/claims/bandits/b1_ucb1_auer2002/test_b1.py").write_text("def test_x():\n    assert True\n")
    assert versions(tree) == before


def test_a_kernel_edit_invalidates_the_claims_that_use_it_and_no_other(tree):
    before = versions(tree)
    edit(tree / "tabular_envs/bandits/kernels.py", '"""Numba kernels', '"""Numba kernels (edited)')
    after = versions(tree)
    changed = {c for c in before if before[c] != after[c]}
    users = {c.id for c in all_claims()
             if any(p.name == "kernels.py" and p.parent.name == "bandits"
                    for p in claim_sources(c.folder, c.package, PROJECT_ROOT))}
    assert changed == users
    assert {"B1", "B2", "B3", "B5", "B6"} <= changed
    assert not any(c.startswith(("D", "R")) for c in changed)


def test_a_bound_edit_reaches_the_claims_that_import_it(tree):
    before = versions(tree)
    edit(tree / "proofs_check/retraining.py", "def best_of_n_kl_gao2023", "# edited\ndef best_of_n_kl_gao2023")
    after = versions(tree)
    changed = {c for c in before if before[c] != after[c]}
    assert "R3" in changed and "B1" not in changed and "D1" not in changed


def test_backend_is_part_of_a_gpu_tasks_key_and_cpu_keys_are_unchanged():
    import hashlib
    import json
    from dataclasses import replace

    from testbed.claim import Task
    from testbed.versioning import gpu_code_version
    cpu = Task("B1", "u", {"T": 10}, 7, "quick", "abc")
    # the CPU key is the hash of the six fields it always had (results stored before issue 23 stay valid)
    legacy = hashlib.sha256(json.dumps(["B1", "u", {"T": 10}, 7, "quick", "abc"], sort_keys=True,
                                       separators=(",", ":")).encode()).hexdigest()
    assert cpu.key == legacy
    gpu = replace(cpu, backend="gpu", gpu_version=gpu_code_version())
    edited = replace(gpu, gpu_version="0" * 16)
    assert len({cpu.key, gpu.key, edited.key}) == 3
    assert len(gpu_code_version()) == 16


def test_gpu_code_version_follows_the_gpu_kernel_sources():
    from testbed.versioning import PROJECT_ROOT, module_dependencies
    files = module_dependencies(["gpu_kernels.bandits", "gpu_kernels.mdp"], PROJECT_ROOT)
    names = {str(p.relative_to(PROJECT_ROOT)) for p in files}
    assert {"gpu_kernels/bandits.py", "gpu_kernels/mdp.py", "tabular_envs/counter_rng.py"} <= names


def test_a_moved_threshold_is_a_new_decision_version(monkeypatch):
    """Preregistration: the declared decision parameters (upper-case plain-data constants of claim.py) are hashed;
    moving a threshold changes the version stored with the verdict, whatever else stays."""
    import sys

    from testbed.registry import get_claim
    claim = get_claim("B5")
    module = sys.modules[type(claim).__module__]
    before = claim.decision_version
    assert claim.decision_parameters["WORST_THRESHOLD"] == 0.75
    monkeypatch.setattr(module, "WORST_THRESHOLD", 0.8)
    assert claim.decision_version != before
    monkeypatch.setattr(module, "WORST_THRESHOLD", 0.75)
    assert claim.decision_version == before
