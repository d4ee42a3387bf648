"""The Claim contract: one folder per claim, ``testbed/claims/<family>/<id>_<name>/``, like one experiment per folder
in bsuite:

    claim.py   defines ``CLAIM``, an instance of a ``Claim`` subclass: what the paper says, the bound from
               ``proofs_check``, the sweep per fidelity, the simulation of one task, the decision
    model.py   what only this claim simulates (optional; shared simulators live in ``tabular_envs``)
    figure.py  ``draw(evidence, fig)``: the claim's figure, from the verdict's evidence; ``SYMBOLS``: what each
               symbol of the bound means in this claim (printed under the bound in the report)
    test_<id>.py  tests of the model (pytest finds them)

A claim turns a fidelity into plain-data ``Task``s (picklable, JSON-able specs, so any executor can run them), runs one
task in a worker (``run_task``, returning NumPy arrays), and decides a ``Verdict`` from all of its tasks' stored
results (``decide``). The class attributes are validated when the subclass is defined, so a claim with an unknown
kind or status cannot be registered. A claim that derives from ``testbed.declare.DeclaredClaim`` declares its parts
instead of writing ``decide``; every claim is decided through ``decide_at(tasks, results, delta=..., plant=...)``,
which takes the level and a power analysis's planted error as arguments.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import re
import sys
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import ClaimDefinitionError, UsageError
from .planting import Plant, applying
from .stats import Verdict

__all__ = ["Source", "Task", "Claim", "FIDELITIES", "KINDS", "STATUSES", "CHECK_TYPES", "task_seed", "claim_delta"]

FIDELITIES = ("quick", "standard", "full")
KINDS = ("upper_bound", "lower_bound", "rate", "exact", "statistical", "falsification")
STATUSES = ("confirmed", "unconfirmed")
CHECK_TYPES = ("theorem", "identity", "reconstructed")
_NOT_PLAIN = object()
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")


@dataclass(frozen=True)
class Source:
    """Where a claim comes from: authors, year, title and the theorem or equation."""
    authors: str
    year: int
    title: str
    theorem: str

    def __str__(self) -> str:
        return f"{self.authors} ({self.year}), {self.title}, {self.theorem}"


@dataclass(frozen=True)
class Task:
    """One unit of work. ``spec`` holds only JSON types; ``key`` identifies the result in the store.

    ``backend`` is where the task's simulations run ("cpu", or "gpu" for a claim with GPU kernels under
    ``--backend gpu``): a field of the task, read by the worker, never process state. A GPU task's key also hashes
    the GPU kernels' sources (``gpu_version``), so a CPU result never stands in for a GPU one, nor a GPU result for
    one from an edited kernel. CPU keys are unchanged by these two fields (their results stay valid)."""
    claim_id: str
    unit: str
    spec: dict = field(hash=False)
    seed: int
    fidelity: str
    code_version: str
    backend: str = "cpu"
    gpu_version: str = ""

    @property
    def key(self) -> str:
        fields = [self.claim_id, self.unit, self.spec, self.seed, self.fidelity, self.code_version]
        if self.backend != "cpu":
            fields += [self.backend, self.gpu_version]
        payload = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()


@contextmanager
def claim_delta(claim: "Claim", delta: float):
    """Decide ``claim`` at ``delta`` within the block (the registered claim object is shared, so it is restored)."""
    had = "delta" in vars(claim)
    saved = vars(claim).get("delta")
    claim.delta = delta
    try:
        yield
    finally:
        if had:
            claim.delta = saved
        else:
            del claim.delta


def task_seed(root_seed: int, claim_id: str, stream: str) -> int:
    """A 64-bit seed from ``SeedSequence(root_seed)`` keyed by (claim, stream): independent of worker count
    and task order. Bandit claims key the stream by instance (not algorithm), so algorithms compared on one
    instance see the same reward tape."""
    digest = hashlib.sha256(f"{claim_id}/{stream}".encode()).digest()
    words = tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))
    ss = np.random.SeedSequence(entropy=int(root_seed), spawn_key=words)
    return int(ss.generate_state(1, dtype=np.uint64)[0])


# the modules whose simulations ``gpu_kernels.activate('gpu')`` routes to GPU kernels, and what they run
_GPU_ROUTED = {
    ("tabular_envs", "bandits", "simulate.py"): "bandit simulations (tabular_envs.bandits.simulate, up to 64 arms)",
    ("tabular_envs", "rl", "qlearning.py"): "synchronous Q-learning / TD(0) (tabular_envs.rl.qlearning)",
    ("tabular_envs", "rl", "td.py"): "tabular TD(0) (tabular_envs.rl.td)",
    ("tabular_envs", "rl", "optimistic_q.py"): "UCB-Hoeffding (tabular_envs.rl.optimistic_q)",
    ("tabular_envs", "rl", "ucbvi.py"): "UCBVI (tabular_envs.rl.ucbvi)"}


class Claim(ABC):
    """Subclasses set the class attributes and implement ``tasks``, ``run_task`` and ``decide``; the figure is the
    ``draw(evidence, fig)`` function of the ``figure`` module beside the claim's module.

    ``kind`` is a tuple of ``KINDS`` (a claim may be ``("exact", "statistical")``); ``bound()`` returns the
    ``proofs_check.Bound`` the claim tests, or None, in which case ``no_bound`` says why there is none."""
    id: str
    family: str
    title: str
    source: Source
    status: str                  # confirmed | unconfirmed
    kind: tuple[str, ...]        # a non-empty tuple of KINDS
    statement: str               # plain text (Unicode maths), as in the catalogue
    delta: float = 0.01          # false-alarm budget of the claim's verdict (a suite may set a smaller one)
    no_bound: str | None = None  # why bound() is None (required then)
    check_type: str = ""         # theorem | identity | reconstructed (default: from status)
    power_note: str | None = None  # why the decision cannot detect a bound wrong by a factor 2, when it cannot

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "id" not in cls.__dict__:          # an intermediate base class, not a claim
            return
        where = f"claim class {cls.__qualname__} ({cls.__module__})"
        if not isinstance(cls.id, str) or not _ID.match(cls.id):
            raise ClaimDefinitionError(f"{where}: id must be a short identifier such as 'B1', got {cls.id!r}")
        for name in ("family", "title", "statement"):
            value = getattr(cls, name, None)
            if not isinstance(value, str) or not value.strip():
                raise ClaimDefinitionError(f"{where}: {name} must be a non-empty string, got {value!r}")
        if not isinstance(getattr(cls, "source", None), Source):
            raise ClaimDefinitionError(f"{where}: source must be a testbed.claim.Source")
        if cls.status not in STATUSES:
            raise ClaimDefinitionError(f"{where}: status must be one of {STATUSES}, got {cls.status!r}")
        kind = cls.kind
        if isinstance(kind, str):
            kind = (kind,)
        if not isinstance(kind, tuple) or not kind or any(k not in KINDS for k in kind) or len(set(kind)) < len(kind):
            raise ClaimDefinitionError(f"{where}: kind must be a non-empty tuple of distinct {KINDS}, got {cls.kind!r}")
        cls.kind = kind
        if not (isinstance(cls.delta, float) and 0 < cls.delta < 1):
            raise ClaimDefinitionError(f"{where}: delta must be a float in (0, 1), got {cls.delta!r}")
        if not cls.__dict__.get("check_type"):
            cls.check_type = "reconstructed" if cls.status == "unconfirmed" else "theorem"
        if cls.check_type not in CHECK_TYPES:
            raise ClaimDefinitionError(f"{where}: check_type must be one of {CHECK_TYPES}, got {cls.check_type!r}")
        if cls.bound is Claim.bound and not (isinstance(cls.no_bound, str) and cls.no_bound.strip()):
            raise ClaimDefinitionError(f"{where}: implement bound() or say in no_bound why the claim has none")

    # --- what theory says -------------------------------------------------------------------------------------
    def bound(self):
        """The proofs_check Bound this claim tests, or None (see ``no_bound``)."""
        return None

    def bound_description(self) -> dict | None:
        b = self.bound()
        return None if b is None else b.describe()

    # --- where its code lives ---------------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return Path(sys.modules[type(self).__module__].__file__).resolve().parent

    @property
    def package(self) -> str:
        return type(self).__module__.rpartition(".")[0]

    @property
    def code_version(self) -> str:
        """Hash of the claim's folder and the project modules it imports (``testbed.versioning``)."""
        cached = type(self).__dict__.get("_code_version")
        if cached is None:
            from .versioning import claim_code_version
            cached = claim_code_version(self.folder, self.package)
            type(self)._code_version = cached
        return cached

    @property
    def decision_parameters(self) -> dict:
        """The claim's declared decision parameters: the upper-case module constants of its ``claim.py`` (thresholds,
        windows, tolerances, replications, the algorithms' own parameters) that are plain data. They are fixed before
        the data; their hash is the claim's ``decision_version``, stored with every verdict, so a threshold moved
        after a result shows as a new version (and belongs in ``testbed.procedures.CHANGES``)."""
        module = sys.modules[type(self).__module__]

        def plain(v):
            if isinstance(v, (bool, int, float, str)) or v is None:
                return v
            if isinstance(v, (tuple, list)):
                items = [plain(x) for x in v]
                return None if any(x is _NOT_PLAIN for x in items) else items
            if isinstance(v, dict):
                items = {str(k): plain(x) for k, x in v.items()}
                return None if any(x is _NOT_PLAIN for x in items.values()) else items
            return _NOT_PLAIN
        out = {}
        for name, value in vars(module).items():
            if name.lstrip("_").isupper() and not name.startswith("__"):
                p = plain(value)
                if p is not _NOT_PLAIN and p is not None:
                    out[name] = p
        return out

    @property
    def decision_version(self) -> str:
        payload = json.dumps(self.decision_parameters, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]

    # --- the sweep --------------------------------------------------------------------------------------------
    def check_fidelity(self, fidelity: str) -> None:
        if fidelity not in FIDELITIES:
            raise UsageError(f"unknown fidelity {fidelity!r}; choose one of {', '.join(FIDELITIES)}")

    def make_task(self, unit: str, spec: dict, fidelity: str, root_seed: int, stream: str) -> Task:
        return Task(self.id, unit, spec, task_seed(root_seed, self.id, stream), fidelity, self.code_version)

    def batched_tasks(self, fidelity: str, root_seed: int, n_tasks: int, spec: dict) -> list[Task]:
        """``n_tasks`` tasks with the same spec and independent seeds (claims that check generated instances)."""
        return [self.make_task(f"batch{k}", dict(spec), fidelity, root_seed, stream=f"batch{k}")
                for k in range(n_tasks)]

    @staticmethod
    def pooled(tasks: list[Task], results: list[dict], unit: str, keys: tuple[str, ...] = ("regret",)) -> dict | None:
        """The results of ``unit``'s tasks as one run: a long run split into tasks with the same checkpoints and
        disjoint replications (``spec['part']`` 0, 1, ...), its ``keys`` concatenated along the replications in the
        order of the parts, the other entries from part 0. None when the unit has no tasks here."""
        parts = [r for t, r in sorted(zip(tasks, results, strict=True), key=lambda tr: tr[0].spec.get("part", 0))
                 if t.spec.get("unit") == unit]
        if not parts:
            return None
        return {**parts[0], **{k: np.concatenate([r[k] for r in parts]) for k in keys if k in parts[0]}}

    @abstractmethod
    def tasks(self, fidelity: str, root_seed: int) -> list[Task]: ...

    @abstractmethod
    def run_task(self, task: Task) -> dict[str, np.ndarray]: ...

    @abstractmethod
    def decide(self, tasks: list[Task], results: list[dict[str, np.ndarray]]) -> Verdict: ...

    def check_delta(self, delta) -> None:
        """A level to decide at: a float in (0, 1), else a UsageError naming the claim."""
        if not (isinstance(delta, float) and 0 < delta < 1):
            raise UsageError(f"{self.id}: delta must be a float in (0, 1), got {delta!r}")

    def decide_at(self, tasks: list[Task], results: list[dict[str, np.ndarray]], *, delta: float,
                  plant: Plant | None = None) -> Verdict:
        """The verdict at false-alarm level ``delta`` with the planted error ``plant`` (None: none planted): the one
        entry the runner, the power analysis, ``testbed power`` and the controls decide through, so the level and the
        planted error are arguments of the decision, not state of the claim. A declared claim
        (``testbed.declare.DeclaredClaim``) hands both to its procedures; a hand-written ``decide`` reads ``delta``
        as ``self.delta`` (set for the call and restored) and the planted error through ``testbed.planting``'s
        functions (``plant`` applied for the call)."""
        self.check_delta(delta)
        with claim_delta(self, delta):
            if plant is None:
                return self.decide(tasks, results)
            with applying(plant):
                return self.decide(tasks, results)

    # --- how it is shown --------------------------------------------------------------------------------------
    def plot(self, evidence: dict, fig) -> None:
        """Draw the claim's figure on the matplotlib Figure ``fig``: ``figure.draw(evidence, fig)`` of the claim's
        folder."""
        importlib.import_module(self.package + ".figure").draw(evidence, fig)

    def symbols(self) -> dict[str, str]:
        """What each symbol of the claim's bound means in this claim: ``figure.SYMBOLS`` of the claim's folder
        ({name: meaning}; empty where the figure module defines none). It lives beside the figure because it is
        presentation: it changes no number, so it is not part of the claim's code version."""
        symbols = getattr(importlib.import_module(self.package + ".figure"), "SYMBOLS", {})
        if not isinstance(symbols, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in symbols.items()):
            raise ClaimDefinitionError(f"{self.id}: figure.SYMBOLS must map symbol names to their meanings "
                                       "(str -> str)")
        return dict(symbols)

    def evidence_lines(self, evidence: dict) -> list[str]:
        """A short human-readable digest of the evidence for the report (the full evidence stays in the store).
        Handles the keys the verdict procedures write; claims with more evidence extend it."""
        lines = [
            f"{k}: {v:.3g} (tolerance {evidence['tolerances'][k]:.0e})" for k, v in evidence.get("errors", {}).items()
        ]
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

    @staticmethod
    def proportion_lines(evidence: dict) -> list[str]:
        """Lines for the Clopper-Pearson rows of ``decide_proportion_at_least`` (claims that want them listed)."""
        return [f"{p['label']}: {p['successes']}/{p['trials']} replications, lower bound {p['lower']:.4f} vs "
                f"{p['threshold']:.2f}: {p['verdict']}" for p in evidence.get("proportions", [])]

    @property
    def gpu_tasks(self) -> str | None:
        """Which of the claim's simulations ``--backend gpu`` runs on the GPU, from the import graph of
        :meth:`code_version`: its bandit simulations when its code depends on ``tabular_envs.bandits.simulate``, its
        synchronous Q-learning, TD(0), UCB-H and UCBVI runs when on ``tabular_envs.rl.qlearning``, ``.td``,
        ``.optimistic_q`` or ``.ucbvi``; else None."""
        from .versioning import PROJECT_ROOT, claim_sources
        sources = {p.parts[-3:] for p in claim_sources(self.folder, self.package, PROJECT_ROOT)}
        uses = [what for where, what in _GPU_ROUTED.items() if where in sources]
        return "; ".join(uses) if uses else None

    def summary(self) -> dict:
        return {"id": self.id, "family": self.family, "title": self.title, "source": str(self.source),
                "kind": list(self.kind), "status": self.status, "check_type": self.check_type,
                "gpu_tasks": self.gpu_tasks}
