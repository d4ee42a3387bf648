"""Runs claims: expands them into tasks, skips those already in the store, executes the rest on an executor, stores
each finished task in its own transaction, and decides each claim's verdict from the store: beside a process pool
or a cluster, as soon as the claim's last task is stored (while the workers simulate the others), otherwise after
the simulations.

Tasks are plain picklable data and ``execute_task`` is a top-level function that never raises (a task's exception
comes back as a one-line error and its traceback), so every executor runs the same tasks: in this process, on a
local process pool (the default with more than one worker), or on a Dask cluster (``testbed.dask_executor``).
Seeds come from the task, never from the worker, so the numbers do not depend on the executor, the worker count or
the completion order. Only this process writes the store.

A task that raises is recorded as a failure of its claim (with its traceback, in the store's ``failures`` table);
the other tasks and claims go on, the failed claim gets no verdict, and the run exits 1. A rerun retries the
failed tasks and skips the finished ones.
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from .claim import Claim, Task
from .errors import TestbedError, UsageError
from .power import claim_power, decide_recording_plants
from .procedures import procedure_version
from .provenance import provenance
from .registry import get_claim
from .stats import Verdict, recording_uses
from .store import Store, pack_arrays

__all__ = ["ClaimRun", "TaskOutcome", "execute_task", "run_claims", "check_run_arguments", "MAX_SEED",
           "cpu_count", "InProcessExecutor", "LocalPoolExecutor"]

MAX_SEED = 2 ** 64 - 1
_THREAD_VARIABLES = ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def cpu_count() -> int:
    """CPUs this process may use (the affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_run_arguments(workers, root_seed, *, oversubscribe: bool = False) -> None:
    """Usage errors (exit 2) for a worker count or seed that cannot be used, raised before any file is created.
    More workers than CPUs is refused unless ``oversubscribe`` (each worker is a process of a few hundred MB)."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UsageError(f"--workers must be a positive integer, got {workers!r}")
    if workers > cpu_count() and not oversubscribe:
        raise UsageError(f"--workers {workers} exceeds the {cpu_count()} CPUs available; pass --oversubscribe to "
                         "start that many worker processes anyway")
    if workers > 1024:
        raise UsageError(f"--workers {workers} is more than the 1024 worker processes allowed")
    if isinstance(root_seed, bool) or not isinstance(root_seed, int) or not 0 <= root_seed <= MAX_SEED:
        raise UsageError(f"--seed must be an integer in [0, 2**64 - 1], got {root_seed!r}")


def is_statistical(claim: Claim) -> bool:
    """Whether a claim's verdict can be a false alarm (its decision is statistical), so it takes a share of a
    suite's false-alarm budget."""
    return "statistical" in claim.kind or "rate" in claim.kind


def claim_deltas(claims: list[Claim], budget: float | None) -> dict[str, float]:
    """The false-alarm budget each claim decides at: its own ``delta`` without a suite budget; with one, an equal
    share of it over the statistical claims (never more than the claim's own delta)."""
    if budget is None:
        return {c.id: c.delta for c in claims}
    if not 0 < budget < 1:
        raise UsageError(f"a false-alarm budget must lie in (0, 1), got {budget!r}")
    n = sum(is_statistical(c) for c in claims)
    return {c.id: min(c.delta, budget / n) if is_statistical(c) else c.delta for c in claims}




@dataclass
class ClaimRun:
    """One claim's run: its verdict (None when a task or the decision failed, then ``failure`` says why), how many
    tasks it had and how many came from the store, and the times."""
    claim: Claim
    fidelity: str
    verdict: Verdict | None
    n_tasks: int
    n_cached: int
    seconds: float          # simulation seconds summed over this claim's tasks (stored or new)
    wall_seconds: float     # wall time of this invocation
    failure: str | None = None
    power: dict | None = None   # testbed.power: the smallest planted error the decision detects
    power_seconds: float = 0.0  # the part of wall_seconds spent in the power analysis (benchmarks/suite_profile.py)

    def record(self, root_seed: int, prov: dict) -> dict:
        return {"id": self.claim.id, "title": self.claim.title, "source": str(self.claim.source),
                "status": self.claim.status, "kind": list(self.claim.kind), "statement": self.claim.statement,
                "family": self.claim.family, "code_version": self.claim.code_version,
                "bound": self.claim.bound_description(), "fidelity": self.fidelity, "root_seed": root_seed,
                "verdict": self.verdict.verdict, "tightness": self.verdict.tightness,
                "n_samples": self.verdict.n_samples, "seconds": self.seconds, "n_tasks": self.n_tasks,
                "n_cached": self.n_cached, **{k: v for k, v in self.verdict.to_dict().items()
                                              if k not in ("verdict", "tightness", "n_samples")},
                "check_type": self.claim.check_type, "power": self.power, "procedure_version": procedure_version(),
                "decision_version": self.claim.decision_version,
                "decision_parameters": self.claim.decision_parameters,
                "decide_seconds": round(self.wall_seconds, 3), "power_seconds": round(self.power_seconds, 3),
                "provenance": prov}


@dataclass
class TaskOutcome:
    """What came back from running one task: the packed result, or the error (one line) and its traceback."""
    key: str
    result: bytes | None
    seconds: float
    error: str | None = None
    traceback: str | None = None
    worker: str = field(default="")


def _apply_backend(backend: str) -> None:
    """Route this process's bandit simulations to the task's backend (``Task.backend``: "cpu" or "gpu")."""
    from gpu_kernels import activate
    from tabular_envs.bandits import active_backend
    if backend != active_backend():
        activate(backend)


def execute_task(task: Task) -> TaskOutcome:
    """Run one task (in any process); never raises: an exception becomes the outcome's error."""
    t0 = time.perf_counter()
    where = f"{os.uname().nodename if hasattr(os, 'uname') else ''}:{os.getpid()}"
    try:
        _apply_backend(task.backend)
        result = get_claim(task.claim_id).run_task(task)
        return TaskOutcome(task.key, pack_arrays(result), time.perf_counter() - t0, worker=where)
    except Exception as exc:  # a claim's bug must not take the run down: it is recorded as that claim's failure
        return TaskOutcome(task.key, None, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}".splitlines()[0],
                           traceback.format_exc(), where)


# how often a run waiting for another run's tasks looks at the store
LEASE_POLL_SECONDS = 2.0


class _Progress:
    """A progress line on stderr for one phase of a run (simulating tasks; deciding claims with their power
    analyses): no time estimate until ``warmup`` items have finished (the first tasks also compile the Numba
    kernels, so an early rate would be meaningless). ``weights`` (optional, one per item, in order) turn the
    estimate into one proportional to the expected work left (a previous run's seconds per claim)."""

    def __init__(self, total: int, workers: int, enabled: bool, where: str | None = None, *, unit: str = "tasks",
                 intro: str | None = None, warmup: int | None = None, weights: list[float] | None = None):
        self.total, self.done, self.enabled = total, 0, enabled and total > 0
        self.unit = unit
        self.t0 = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self._last_pct = -10
        self.warmup = min(total, max(5, 2 * workers) if warmup is None else warmup)
        self.weights = weights if weights and len(weights) == total and sum(weights) > 0 else None
        if self.enabled:
            print(intro or f"running {total} tasks on {where or f'{workers} worker(s)'}; the first tasks compile "
                  "Numba kernels (cached for later runs)...", file=sys.stderr, flush=True)

    def step(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        pct = 100 * self.done // self.total
        elapsed = time.perf_counter() - self.t0
        if self.done < self.warmup and self.done < self.total:
            eta = "estimating..."
        elif self.weights is not None:
            done_w = sum(self.weights[:self.done])
            eta = f"~{elapsed / max(done_w, 1e-9) * (sum(self.weights) - done_w):.0f}s left"
        else:
            eta = f"~{elapsed / self.done * (self.total - self.done):.0f}s left"
        bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
        line = f"[{bar}] {self.done}/{self.total} {self.unit}  {elapsed:5.0f}s elapsed  {eta}"
        if label:
            line += f"  ({label})"
        if self.tty:
            print("\r" + line.ljust(100), end="" if self.done < self.total else "\n", file=sys.stderr, flush=True)
        elif pct >= self._last_pct + 10 or self.done == self.total:
            self._last_pct = pct
            print(line, file=sys.stderr, flush=True)


class InProcessExecutor:
    """Runs the tasks one after another in this process."""
    name = "in-process"

    def run(self, tasks: list[Task], on_done: Callable[[TaskOutcome], None]) -> None:
        for task in tasks:
            on_done(execute_task(task))


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: the worker exits when its parent does, however the parent ended (SIGKILL included).
    Linux delivers SIGKILL at the parent's death (prctl PR_SET_PDEATHSIG); elsewhere, and as a second line of
    defence, a daemon thread checks every half second that the parent is still the same process."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)          # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:                         # the parent died before prctl took effect
        os._exit(1)

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                os._exit(1)
    threading.Thread(target=watch, name="testbed-parent-watch", daemon=True).start()


class LocalPoolExecutor:
    """A pool of ``workers`` spawned processes on this machine, each with one Numba/BLAS thread: several processes
    each running a thread pool on the same cores spin and wait on one another (measured: a claim of many short
    parallel sweeps took 52 s on 2 workers against 0.3 s on 1). 'spawn' gives clean workers whatever threads this
    process started. Workers die with this process; on an interrupt they are killed, not waited for."""
    name = "local"

    def __init__(self, workers: int):
        self.workers = workers

    def run(self, tasks: list[Task], on_done: Callable[[TaskOutcome], None]) -> None:
        saved = {k: os.environ.get(k) for k in _THREAD_VARIABLES}
        os.environ.update(dict.fromkeys(_THREAD_VARIABLES, "1"))
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=mp.get_context("spawn"),
                                   initializer=_die_with_parent, initargs=(os.getpid(),))
        try:
            futures = {pool.submit(execute_task, t) for t in tasks}
            while futures:
                done, futures = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    on_done(fut.result())
        except BaseException:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        else:
            pool.shutdown(wait=True)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _interleave(per_claim: list[list[Task]]) -> list[Task]:
    """One task of each claim in turn (duplicates dropped): the workers start on different claims, so they compile
    different kernels at the same time instead of the same one twice, and no claim's long tasks wait at the end."""
    out, seen = [], set()
    for round_ in itertools.zip_longest(*per_claim):
        for t in round_:
            if t is not None and t.key not in seen:
                seen.add(t.key)
                out.append(t)
    return out


def _on_backend(tasks: list[Task], claim: Claim, backend: str) -> list[Task]:
    """The claim's tasks marked with the backend they run on: "gpu" only for a claim with GPU kernels."""
    if backend == "cpu" or claim.gpu_tasks is None:
        return tasks
    from .versioning import gpu_code_version
    return [replace(t, backend=backend, gpu_version=gpu_code_version()) for t in tasks]


def sorted_uses(uses: set) -> list[list]:
    """What ``stats.recording_uses`` collected, as a sorted JSON-ready list of [procedure, n, alpha]."""
    return sorted(([p, n, a] for p, n, a in uses), key=lambda u: (u[0], u[1] or 0, u[2]))


def non_finite_output(tasks: list[Task], results: list[dict]) -> str | None:
    """One line naming the first task whose simulation returned a NaN or an infinity, or None. No claim stores
    non-finite numbers on purpose (checked on every stored task of the quick and standard suites, 2026-12-03), so
    such output is a failure of the claim, never evidence that a procedure could turn into a verdict."""
    for task, result in zip(tasks, results, strict=True):
        for name, value in result.items():
            a = np.asarray(value)
            bad = int(a.size - np.count_nonzero(np.isfinite(a))) if a.dtype.kind in "fc" else 0
            if bad:
                return (f"simulation output is not finite: task {task.unit} (seed {task.seed}), array {name!r} has "
                        f"{bad} of {a.size} values NaN or infinite")
    return None


def run_claims(claims: list[Claim], fidelity: str, store: Store, *, workers: int = 1, root_seed: int = 0,
               progress: bool = True, executor=None, oversubscribe: bool = False,
               with_power: bool = True, false_alarm_budget: float | None = None,
               backend: str = "cpu", suite: str | None = None) -> list[ClaimRun]:
    """Run every claim at ``fidelity`` and record its verdict in ``store``. ``executor`` defaults to this process
    (one worker) or a local process pool; it may be any object with ``run(tasks, on_done)``. With ``with_power``
    each verdict's record also holds its power (``claim_power``): the smallest planted error in its bound that the
    same decision, on the same stored results, would call violated.

    ``false_alarm_budget`` (a suite's, ``registry.SUITE_FALSE_ALARM_BUDGET``) is split equally over the statistical
    claims of the run (Bonferroni across claims): each decides at ``min(claim.delta, budget / n)``, so the
    probability that any verdict of the run is a false alarm is at most the budget."""
    check_run_arguments(workers, root_seed, oversubscribe=oversubscribe)
    from gpu_kernels import describe_backend, resolve_backend
    backend = resolve_backend(backend)        # NoGPUError for 'gpu' without a GPU, before anything runs
    for c in claims:
        c.check_fidelity(fidelity)
    t_start = time.perf_counter()
    plan = [(c, _on_backend(c.tasks(fidelity, root_seed), c, backend)) for c in claims]
    all_tasks = [t for _, ts in plan for t in ts]
    done = store.finished_keys([t.key for t in all_tasks])
    pending = _interleave([[t for t in ts if t.key not in done] for _, ts in plan])
    if executor is None:
        executor = InProcessExecutor() if workers == 1 or len(pending) <= 1 else LocalPoolExecutor(workers)
    by_key = {t.key: t for t in pending}
    failed: dict[str, str] = {}                   # claim id -> the first failure's one line
    prov = provenance(root_seed=root_seed, fidelity=fidelity, workers=workers,
                      executor=getattr(executor, "name", type(executor).__name__),
                      backend=backend if backend == "cpu" else f"gpu: {describe_backend()}")
    prov["suite"] = suite               # None: claims named one by one (the report says so)
    deltas = claim_deltas(claims, false_alarm_budget)

    def decide(claim: Claim, tasks: list[Task]) -> ClaimRun:
        """The claim's verdict (with its power) from the stored results, recorded in the store."""
        t0 = time.perf_counter()
        n_cached = sum(t.key in done for t in tasks)
        seconds = store.task_seconds(tasks)
        failure = failed.get(claim.id)
        verdict = power = None
        power_seconds = 0.0
        if failure is None:
            try:
                results = store.get_results(tasks)
                failure = non_finite_output(tasks, results)
                if failure is not None:
                    store.put_failure(None, failure, "", "decide", claim_id=claim.id, fidelity=fidelity)
                else:
                    with recording_uses() as uses:
                        verdict, consumed = decide_recording_plants(claim, tasks, results, deltas[claim.id])
                    if uses:
                        # the (procedure, n, alpha) this verdict rests on: tests/test_false_alarms_at_uses.py
                        # measures each procedure's level at exactly these pairs
                        verdict = verdict.replace(evidence={**verdict.evidence, "procedure_uses": sorted_uses(uses)})
                    if with_power:
                        t_power = time.perf_counter()
                        power = claim_power(claim, tasks, results, verdict, consumed, deltas[claim.id])
                        power_seconds = time.perf_counter() - t_power
            except TestbedError:
                raise
            except Exception as exc:
                failure = f"decision: {type(exc).__name__}: {exc}".splitlines()[0]
                store.put_failure(None, failure, traceback.format_exc(), "decide", claim_id=claim.id,
                                  fidelity=fidelity)
        run = ClaimRun(claim, fidelity, verdict, len(tasks), n_cached, seconds, time.perf_counter() - t0, failure,
                       power, power_seconds)
        if verdict is not None:
            prov_claim = dict(prov, wall_seconds=round(time.perf_counter() - t_start, 3),
                              code_version=claim.code_version, claim_delta=deltas[claim.id],
                              false_alarm_budget=false_alarm_budget)
            store.put_run(claim.id, fidelity, root_seed, run.record(root_seed, prov_claim))
        return run

    # A claim is decided as soon as its last task is stored, in this process, while the workers simulate the
    # other claims' tasks: the decisions and power analyses (one process) no longer wait for the slowest task,
    # and the second core is not idle while they run. A decision is a function of the stored results only, so
    # the verdicts do not depend on when it runs. One that raises a TestbedError is left to the decision phase
    # after the simulations, which raises it in plan order as before, with every task stored.
    # (Only beside worker processes: in this process alone a decision would only delay the next task.)
    decide_early = not isinstance(executor, InProcessExecutor)
    decided: dict[str, ClaimRun] = {}
    outstanding = {c.id: {t.key for t in ts if t.key not in done} for c, ts in plan}
    deferred: set[str] = set()

    def decide_ready() -> None:
        for claim, tasks in plan:
            if claim.id in decided or claim.id in deferred or outstanding[claim.id]:
                continue
            try:
                decided[claim.id] = decide(claim, tasks)
            except TestbedError:
                deferred.add(claim.id)

    owner = store.new_owner()
    try:
        elsewhere = store.lease(list(by_key), owner)
        if elsewhere:
            holders = sorted(set(elsewhere.values()))
            print(f"{len(elsewhere)} of {len(pending)} tasks are being computed by another run on this store "
                  f"({'; '.join(holders[:3])}); this run computes the other {len(pending) - len(elsewhere)} and "
                  "waits for those (it computes any that run leaves unfinished)", file=sys.stderr, flush=True)
        bar = _Progress(len(pending), workers, progress, where=getattr(executor, "description", None))

        def on_done(outcome: TaskOutcome) -> None:
            task = by_key[outcome.key]
            if outcome.error is None:
                store.put_task(task, outcome.result, outcome.seconds)
            else:
                store.put_failure(task, outcome.error, outcome.traceback or "", outcome.worker)
                failed.setdefault(task.claim_id, f"task {task.unit}: {outcome.error}")
            store.release(owner, [task.key])
            bar.step()
            outstanding[task.claim_id].discard(task.key)
            if decide_early:
                decide_ready()

        mine = [t for t in pending if t.key not in elsewhere]
        waiting = set(elsewhere)
        while mine or waiting:
            if mine:
                executor.run(mine, on_done)
            mine = []
            while waiting:                        # the other run's tasks: wait, or take over what it abandons
                arrived = store.finished_keys(sorted(waiting))
                for _ in arrived:
                    bar.step()
                waiting -= arrived
                if not waiting:
                    break
                still_held = store.lease(sorted(waiting), owner)
                taken = waiting - set(still_held)
                if taken:
                    mine = [by_key[k] for k in sorted(taken)]
                    waiting -= taken
                    break
                time.sleep(LEASE_POLL_SECONDS)
    finally:
        store.release(owner)
    left = [(c, ts) for c, ts in plan if c.id not in decided]
    decide_bar = _Progress(len(left), workers, progress, unit="claims", warmup=1, weights=_decide_weights(
        [c for c, _ in left], fidelity, store), intro=f"deciding {len(left)} claims on the stored results"
        f"{' with their power analyses' if with_power else ''} (one process"
        f"{f'; {len(decided)} more were decided during the simulations' if decided else ''})...")
    for claim, tasks in left:
        run = decided[claim.id] = decide(claim, tasks)
        decide_bar.step(f"{claim.id}: {'failed' if run.verdict is None else run.verdict.verdict}")
    return [decided[c.id] for c, _ in plan]


def _decide_weights(claims: list[Claim], fidelity: str, store: Store) -> list[float] | None:
    """The seconds each claim's decision (power included) took in its last run at this fidelity, for the decision
    phase's time estimate; claims never decided there count as the median. None when no claim has a record."""
    seen = {}
    for c in claims:
        rec = store.latest_run(c.id)
        if rec is not None and rec.get("fidelity") == fidelity and isinstance(rec.get("decide_seconds"), float):
            seen[c.id] = max(rec["decide_seconds"], 0.01)
    if not seen:
        return None
    median = float(np.median(list(seen.values())))
    return [seen.get(c.id, median) for c in claims]
