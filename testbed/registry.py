"""Claim discovery (every module under testbed/claims/<family>/ that defines CLAIM) and named suites."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from . import claims as _claims_pkg
from .claim import FIDELITIES, Claim
from .errors import ClaimDefinitionError, UnknownClaimError, UsageError

__all__ = ["all_claims", "get_claim", "claim_order", "SUITES", "suite_claims"]

# suite name -> (claim families or None for all, default fidelity)
SUITES: dict[str, tuple[tuple[str, ...] | None, str]] = {
    "quick": (None, "quick"),
    "standard": (None, "standard"),
    "full": (None, "full"),
    "bandits": (("bandits",), "quick"),
    "dp": (("dp",), "quick"),
    "retraining": (("retraining",), "quick"),
}


@lru_cache(maxsize=1)
def _registry() -> dict[str, Claim]:
    found: dict[str, Claim] = {}
    for info in pkgutil.walk_packages(_claims_pkg.__path__, _claims_pkg.__name__ + "."):
        if info.ispkg or info.name.rsplit(".", 1)[1] != "claim":
            continue
        module = importlib.import_module(info.name)
        claim = getattr(module, "CLAIM", None)
        if claim is None:
            continue
        if claim.id in found:
            raise ClaimDefinitionError(f"duplicate claim id {claim.id!r} in {info.name}")
        found[claim.id] = claim
    return dict(sorted(found.items(), key=lambda kv: (kv[1].family, claim_order(kv[0]))))


def claim_order(claim_id: str) -> tuple[str, int]:
    """Catalogue order: B2 before B10 (letter, then number)."""
    digits = "".join(filter(str.isdigit, claim_id))
    return claim_id.rstrip("0123456789"), int(digits or 0)


def all_claims(family: str | None = None) -> list[Claim]:
    claims = list(_registry().values())
    if family is not None:
        families = sorted({c.family for c in claims})
        if family not in families:
            raise UsageError(f"unknown family {family!r}; known: {', '.join(families)}")
        claims = [c for c in claims if c.family == family]
    return claims


def get_claim(claim_id: str) -> Claim:
    reg = _registry()
    if claim_id not in reg:
        raise UnknownClaimError(f"unknown claim id {claim_id!r}; known: {', '.join(reg)}")
    return reg[claim_id]


def suite_claims(name: str) -> tuple[list[Claim], str]:
    """Claims of a suite and its default fidelity."""
    if name not in SUITES:
        raise UsageError(f"unknown suite {name!r}; known: {', '.join(SUITES)}")
    families, fidelity = SUITES[name]
    assert fidelity in FIDELITIES
    claims = [c for c in all_claims() if families is None or c.family in families]
    return claims, fidelity
