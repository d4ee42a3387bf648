"""Runs claims: expands them into tasks, skips those already in the store, executes the rest on a local
process pool (or in-process with one worker), stores each finished task in its own transaction, then decides
each claim's verdict from the store.

Tasks are plain picklable data and ``execute_task`` is a top-level function, so another executor (Dask, a later
issue) can run the same tasks. Seeds come from the task, never from the worker, so the numbers do not depend on
the worker count or the completion order.
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

from .claim import Claim, Task
from .errors import TestbedError, UsageError
from .provenance import provenance
from .registry import get_claim
from .stats import Verdict
from .store import Store, pack_arrays

__all__ = ["ClaimRun", "execute_task", "run_claims"]


@dataclass
class ClaimRun:
    """One claim's run: its verdict, how many tasks it had and how many came from the store, and the times."""
    claim: Claim
    fidelity: str
    verdict: Verdict
    n_tasks: int
    n_cached: int
    seconds: float          # simulation seconds summed over this claim's tasks (stored or new)
    wall_seconds: float     # wall time of this invocation

    def record(self, root_seed: int, prov: dict) -> dict:
        return {"id": self.claim.id, "title": self.claim.title, "source": str(self.claim.source),
                "status": self.claim.status, "kind": list(self.claim.kind), "statement": self.claim.statement,
                "family": self.claim.family, "code_version": self.claim.code_version,
                "bound": self.claim.bound_description(), "fidelity": self.fidelity, "root_seed": root_seed,
                "verdict": self.verdict.verdict, "tightness": self.verdict.tightness,
                "n_samples": self.verdict.n_samples, "seconds": self.seconds, "n_tasks": self.n_tasks,
                "n_cached": self.n_cached, **{k: v for k, v in self.verdict.to_dict().items()
                                              if k not in ("verdict", "tightness", "n_samples")},
                "provenance": prov}


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


def execute_task(task: Task) -> tuple[str, bytes, float]:
    """Run one task (in any process) and return (key, packed result, seconds)."""
    t0 = time.perf_counter()
    result = get_claim(task.claim_id).run_task(task)
    return task.key, pack_arrays(result), time.perf_counter() - t0


class _Progress:
    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled and total > 0
        self.t0 = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self._last_pct = -10

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        pct = 100 * self.done // self.total
        elapsed = time.perf_counter() - self.t0
        eta = elapsed / self.done * (self.total - self.done)
        bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
        line = f"[{bar}] {self.done}/{self.total} tasks  {elapsed:5.0f}s elapsed  ~{eta:4.0f}s left"
        if self.tty:
            print("\r" + line, end="" if self.done < self.total else "\n", file=sys.stderr, flush=True)
        elif pct >= self._last_pct + 10 or self.done == self.total:
            self._last_pct = pct
            print(line, file=sys.stderr, flush=True)


def _execute_all(pending: list[Task], store: Store, workers: int, progress: bool) -> None:
    bar = _Progress(len(pending), progress)
    by_key = {t.key: t for t in pending}
    if workers == 1 or len(pending) <= 1:
        for task in pending:
            key, blob, seconds = execute_task(task)
            store.put_task(by_key[key], blob, seconds)
            bar.step()
        return
    # 'spawn' gives clean workers whatever threads the parent started (Numba, BLAS), on every platform. The
    # parallelism is across processes: each worker gets one Numba/BLAS thread (inherited through the environment
    # at spawn), since several processes each running a thread pool on the same cores spin and wait on one another
    # (measured: a claim of many short parallel sweeps took 52 s on 2 workers against 0.3 s on 1).
    saved = {k: os.environ.get(k) for k in _THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(_THREAD_VARIABLES, "1"))
    try:
        _run_pool(pending, store, workers, bar, by_key)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


_THREAD_VARIABLES = ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _run_pool(pending, store, workers, bar, by_key) -> None:
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        futures = {pool.submit(execute_task, t) for t in pending}
        try:
            while futures:
                done, futures = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    key, blob, seconds = fut.result()
                    store.put_task(by_key[key], blob, seconds)
                    bar.step()
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


def run_claims(claims: list[Claim], fidelity: str, store: Store, *, workers: int = 1, root_seed: int = 0,
               progress: bool = True) -> list[ClaimRun]:
    """Run every claim at ``fidelity`` and record its verdict in ``store``."""
    if not isinstance(workers, int) or workers < 1:
        raise UsageError(f"--workers must be a positive integer, got {workers!r}")
    if not isinstance(root_seed, int) or root_seed < 0:
        raise UsageError(f"--seed must be a non-negative integer, got {root_seed!r}")
    for c in claims:
        c.check_fidelity(fidelity)
    t_start = time.perf_counter()
    plan = [(c, c.tasks(fidelity, root_seed)) for c in claims]
    all_tasks = [t for _, ts in plan for t in ts]
    done = store.finished_keys([t.key for t in all_tasks])
    pending = _interleave([[t for t in ts if t.key not in done] for _, ts in plan])
    try:
        _execute_all(pending, store, workers, progress)
    except TestbedError:
        raise
    except Exception as exc:
        raise TestbedError(f"a task failed: {type(exc).__name__}: {exc}") from exc
    prov = provenance(root_seed=root_seed, fidelity=fidelity, workers=workers)
    runs = []
    for claim, tasks in plan:
        t0 = time.perf_counter()
        verdict = claim.decide(tasks, store.get_results(tasks))
        n_cached = sum(t.key in done for t in tasks)
        run = ClaimRun(claim, fidelity, verdict, len(tasks), n_cached, store.task_seconds(tasks),
                       time.perf_counter() - t0)
        prov_claim = dict(prov, wall_seconds=round(time.perf_counter() - t_start, 3), code_version=claim.code_version)
        store.put_run(claim.id, fidelity, root_seed, run.record(root_seed, prov_claim))
        runs.append(run)
    return runs

