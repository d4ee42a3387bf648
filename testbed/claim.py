"""The Claim contract: one module per claim under testbed/claims/<family>/, each defining ``CLAIM``.

A claim turns a fidelity into plain-data ``Task``s (picklable, JSON-able specs, so any executor can run them),
runs one task in a worker (``run_task``, returning NumPy arrays), and decides a ``Verdict`` from all of its
tasks' stored results (``decide``). ``plot`` draws its figure from the verdict's evidence alone, so a report
needs only the store.
"""
from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import UsageError
from .stats import Verdict

__all__ = ["Source", "Task", "Claim", "FIDELITIES", "task_seed", "code_version"]

FIDELITIES = ("quick", "standard", "full")
KINDS = ("upper_bound", "lower_bound", "rate", "exact", "falsification")
STATUSES = ("confirmed", "unconfirmed")


@dataclass(frozen=True)
class Source:
    authors: str
    year: int
    title: str
    theorem: str

    def __str__(self) -> str:
        return f"{self.authors} ({self.year}), {self.title}, {self.theorem}"


@dataclass(frozen=True)
class Task:
    """One unit of work. ``spec`` holds only JSON types; ``key`` identifies the result in the store."""
    claim_id: str
    unit: str
    spec: dict = field(hash=False)
    seed: int
    fidelity: str
    code_version: str

    @property
    def key(self) -> str:
        payload = json.dumps([self.claim_id, self.unit, self.spec, self.seed, self.fidelity, self.code_version],
                             sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()


def task_seed(root_seed: int, claim_id: str, stream: str) -> int:
    """A 64-bit seed from ``SeedSequence(root_seed)`` keyed by (claim, stream): independent of worker count
    and task order. Bandit claims key the stream by instance (not algorithm), so algorithms compared on one
    instance see the same reward tape."""
    digest = hashlib.sha256(f"{claim_id}/{stream}".encode()).digest()
    words = tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))
    ss = np.random.SeedSequence(entropy=int(root_seed), spawn_key=words)
    return int(ss.generate_state(1, dtype=np.uint64)[0])


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the sources that determine a task's numbers (the simulators, the bounds, the claims)."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for pkg in ("tabular_envs", "proofs_check", "testbed/claims", "testbed/claim.py"):
        base = root / pkg
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
        for f in files:
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


class Claim(ABC):
    """Subclasses set the class attributes and implement ``tasks``, ``run_task``, ``decide`` and ``plot``."""
    id: str
    family: str
    title: str
    source: Source
    status: str          # confirmed | unconfirmed
    kind: str            # one of KINDS
    statement: str       # plain text (Unicode maths), as in the catalogue
    delta: float = 0.01  # false-alarm budget of the claim's verdict

    def bound(self):
        """The proofs_check Bound this claim tests, or None."""
        return None

    def bound_description(self) -> dict | None:
        b = self.bound()
        return None if b is None else b.describe()

    def check_fidelity(self, fidelity: str) -> None:
        if fidelity not in FIDELITIES:
            raise UsageError(f"unknown fidelity {fidelity!r}; choose one of {', '.join(FIDELITIES)}")

    def make_task(self, unit: str, spec: dict, fidelity: str, root_seed: int, stream: str) -> Task:
        return Task(self.id, unit, spec, task_seed(root_seed, self.id, stream), fidelity, code_version())

    def batched_tasks(self, fidelity: str, root_seed: int, n_tasks: int, spec: dict) -> list[Task]:
        """``n_tasks`` tasks with the same spec and independent seeds (claims that check generated instances)."""
        return [self.make_task(f"batch{k}", dict(spec), fidelity, root_seed, stream=f"batch{k}")
                for k in range(n_tasks)]

    @abstractmethod
    def tasks(self, fidelity: str, root_seed: int) -> list[Task]: ...

    @abstractmethod
    def run_task(self, task: Task) -> dict[str, np.ndarray]: ...

    @abstractmethod
    def decide(self, tasks: list[Task], results: list[dict[str, np.ndarray]]) -> Verdict: ...

    @abstractmethod
    def plot(self, evidence: dict, fig) -> None:
        """Draw the claim's figure on the matplotlib Figure ``fig`` from ``evidence``."""

    def evidence_lines(self, evidence: dict) -> list[str]:
        """A short human-readable digest of the evidence for the report (the full evidence stays in the store).
        Handles the keys the verdict procedures write; claims with more evidence extend it."""
        lines = [f"{k}: {v:.3g} (tolerance {evidence['tolerances'][k]:.0e})" for k, v in evidence.get("errors", {}).items()]
        for key in ("slopes", "consistency"):
            for s in evidence.get(key, []):
                name = evidence.get("slope_name", {}).get(key, "slope")
                lines.append(f"{s['label']}: {name} {s['slope']:.3f} [{s['lower']:.3f}, {s['upper']:.3f}], claimed "
                             f"{s['direction']} {s['threshold']:.4g}: {s['verdict']}")
        for u in evidence.get("units", []):
            last = (lambda x: x[-1] if isinstance(x, list) else x)
            lines.append(f"{u.get('name', u.get('label', ''))}: at T = {last(u.get('T', ''))} mean "
                         f"{last(u['mean']):.4g} [{last(u['lower']):.4g}, {last(u['upper']):.4g}] vs bound "
                         f"{last(u['bound']):.4g} (ratio {last(u['ratio']):.3f})")
        return lines

    def summary(self) -> dict:
        return {"id": self.id, "family": self.family, "title": self.title, "source": str(self.source),
                "kind": self.kind, "status": self.status}
