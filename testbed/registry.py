"""Claim discovery and named suites.

Claims come from three places, in this order:
1. the project's own folders, ``testbed/claims/<family>/<id>_<name>/claim.py``;
2. folders outside the package: every ``claim.py`` under the directories listed in the environment variable
   ``TESTBED_CLAIMS_PATH`` (``os.pathsep``-separated; the CLI's ``--claims-path DIR`` adds to it), so a researcher
   keeps the claims of a paper in their own repository;
3. installed packages that declare an entry point in the group ``testbed.claims`` whose value is a package holding
   claim folders (``[project.entry-points."testbed.claims"] mypaper = "mypaper.claims"``).
Each ``claim.py`` defines ``CLAIM``. Worker processes inherit the environment, so they find the same claims.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import pkgutil
import sys
import types
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import claims as _claims_pkg
from .claim import FIDELITIES, Claim
from .errors import ClaimDefinitionError, UnknownClaimError, UsageError

__all__ = ["all_claims", "get_claim", "claim_order", "SUITES", "SUITE_FALSE_ALARM_BUDGET", "suite_claims",
           "CLAIMS_PATH_VARIABLE",
           "add_claims_path", "families", "refresh"]

CLAIMS_PATH_VARIABLE = "TESTBED_CLAIMS_PATH"
ENTRY_POINT_GROUP = "testbed.claims"

# The family-wise false-alarm probability of a suite run, declared before any run: split equally over the
# statistical claims of the suite (testbed.runner.claim_deltas), so P(any false `violated` or false `holds`
# in the run) <= this, by the union bound.
SUITE_FALSE_ALARM_BUDGET = 0.05

# suite name -> (claim families or None for all, default fidelity)
SUITES: dict[str, tuple[tuple[str, ...] | None, str]] = {
    "quick": (None, "quick"),
    "standard": (None, "standard"),
    "full": (None, "full"),
    "bandits": (("bandits",), "quick"),
    "dp": (("dp",), "quick"),
    "retraining": (("retraining",), "quick"),
    "sample_complexity": (("sample_complexity",), "quick"),
    "policy_optimisation": (("policy_optimisation",), "quick"),
    "estimation": (("estimation",), "quick"),
}


def add_claims_path(*directories) -> None:
    """Make the claim folders under ``directories`` visible (to this process and to the workers it starts)."""
    paths = []
    for d in directories:
        p = Path(d).expanduser().resolve()
        if not p.is_dir():
            raise UsageError(f"--claims-path {d!r} is not a directory")
        paths.append(str(p))
    current = [x for x in os.environ.get(CLAIMS_PATH_VARIABLE, "").split(os.pathsep) if x]
    os.environ[CLAIMS_PATH_VARIABLE] = os.pathsep.join(dict.fromkeys(current + paths))
    _registry.cache_clear()


def refresh() -> None:
    """Forget the claims found so far (after ``TESTBED_CLAIMS_PATH`` changed)."""
    _registry.cache_clear()


def _claim_from(module_name: str) -> Claim | None:
    try:
        module = importlib.import_module(module_name)
    except ClaimDefinitionError:
        raise
    except Exception as exc:
        raise ClaimDefinitionError(
            f"cannot import the claim module {module_name}: {type(exc).__name__}: {exc}"
        ) from exc
    claim = getattr(module, "CLAIM", None)
    if claim is None:
        return None
    if not isinstance(claim, Claim):
        raise ClaimDefinitionError(f"{module_name}.CLAIM is a {type(claim).__name__}, not a testbed.claim.Claim")
    return claim


def _package_claims(package) -> list[tuple[str, Claim]]:
    out = []
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.ispkg and info.name.rsplit(".", 1)[1] == "claim":
            claim = _claim_from(info.name)
            if claim is not None:
                out.append((info.name, claim))
    return out


def _namespace(name: str, path: list[str]) -> types.ModuleType:
    module = sys.modules.get(name)
    if module is None:
        module = types.ModuleType(name)
        module.__path__ = list(path)
        sys.modules[name] = module
    return module


def _folder_claims(root: Path) -> list[tuple[str, Claim]]:
    """Every claim.py under ``root``, each folder imported as a package (its relative imports work) under a name
    unique to the root: testbed_external.<hash>.<subfolders>."""
    base = "testbed_external"
    _namespace(base, [])
    top = f"{base}.d{hashlib.sha256(str(root).encode()).hexdigest()[:12]}"
    _namespace(top, [str(root)])
    out = []
    for claim_py in sorted(root.rglob("claim.py")):
        rel = claim_py.parent.relative_to(root)
        if any(part.startswith((".", "__")) for part in rel.parts):
            continue
        parts = [p if p.isidentifier() else "_" + hashlib.sha256(p.encode()).hexdigest()[:8] for p in rel.parts]
        name, folder = top, root
        for part, real in zip(parts, rel.parts, strict=True):
            name, folder = f"{name}.{part}", folder / real
            _namespace(name, [str(folder)])
        claim = _claim_from(f"{name}.claim")
        if claim is not None:
            out.append((f"{name}.claim", claim))
    return out


def _external_claims() -> list[tuple[str, Claim]]:
    out = []
    for d in [x for x in os.environ.get(CLAIMS_PATH_VARIABLE, "").split(os.pathsep) if x]:
        root = Path(d).resolve()
        if not root.is_dir():
            raise UsageError(f"{CLAIMS_PATH_VARIABLE} names {d!r}, which is not a directory")
        out += _folder_claims(root)
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            package = ep.load()
        except Exception as exc:
            raise ClaimDefinitionError(f"entry point {ep.name} = {ep.value} ({ENTRY_POINT_GROUP}) does not load: "
                                       f"{type(exc).__name__}: {exc}") from exc
        out += _package_claims(package)
    return out


@lru_cache(maxsize=1)
def _registry() -> dict[str, Claim]:
    found: dict[str, Claim] = {}
    where: dict[str, str] = {}
    for module_name, claim in _package_claims(_claims_pkg) + _external_claims():
        if claim.id in found:
            raise ClaimDefinitionError(f"duplicate claim id {claim.id!r}: in {where[claim.id]} and in {module_name}")
        found[claim.id], where[claim.id] = claim, module_name
    return dict(sorted(found.items(), key=lambda kv: (kv[1].family, claim_order(kv[0]))))


def claim_order(claim_id: str) -> tuple[str, int]:
    """Catalogue order: B2 before B10 (letter, then number)."""
    digits = "".join(filter(str.isdigit, claim_id))
    return claim_id.rstrip("0123456789"), int(digits or 0)


def families() -> list[str]:
    """The claim families, sorted."""
    return sorted({c.family for c in _registry().values()})


def all_claims(family: str | None = None) -> list[Claim]:
    """Every claim (of ``family`` if given), in catalogue order."""
    claims = list(_registry().values())
    if family is not None:
        if family not in families():
            raise UsageError(f"unknown family {family!r}; known: {', '.join(families())}")
        claims = [c for c in claims if c.family == family]
    return claims


def get_claim(claim_id: str) -> Claim:
    """The claim with this id (UnknownClaimError, exit 2, when there is none)."""
    reg = _registry()
    if claim_id not in reg:
        raise UnknownClaimError(f"unknown claim id {claim_id!r}; known: {', '.join(reg)}")
    return reg[claim_id]


def suite_claims(name: str) -> tuple[list[Claim], str]:
    """Claims of a suite and its default fidelity. Every family is also a suite of its own (at quick fidelity), so
    a family of claims from outside the package runs with ``--suite <family>``."""
    if name in SUITES:
        chosen, fidelity = SUITES[name]
    elif name in families():
        chosen, fidelity = (name,), "quick"
    else:
        raise UsageError(f"unknown suite {name!r}; known: {', '.join(dict.fromkeys([*SUITES, *families()]))}")
    assert fidelity in FIDELITIES
    claims = [c for c in all_claims() if chosen is None or c.family in chosen]
    return claims, fidelity
