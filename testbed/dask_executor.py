"""Run a suite's tasks on a Dask distributed cluster (the ``dask`` extra): ``testbed run ... --executor dask
[--scheduler ADDRESS]``.

The tasks are the same pure functions as on the local pool (``runner.execute_task``), each shipped with its seed,
so their numbers do not depend on where they run. Only this process, the client, writes the SQLite store: one
transaction per finished task, as results stream in, so the store's guarantees hold unchanged (a killed client
keeps every finished task; its rerun schedules only what is missing). A worker that dies mid-task has its tasks
re-run elsewhere by the scheduler (each stored once, by the client); a task that raises is recorded as a failure
of its claim, with its traceback, and the rest continue.

Without ``--scheduler`` a ``LocalCluster`` of ``--workers`` processes is started on this machine (a way to try it
on one machine); its processes end with this one. With an address, the client connects to a running scheduler,
whose workers were started as

    dask scheduler                                        # prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nthreads 1 --nworkers N # on each machine, in an environment with the project

Every worker must run the same project code as the client (its sources and the versions of NumPy, Numba and
SciPy are hashed and compared before anything is submitted) and one thread per process (Numba's fork-safe
threading layer is not thread-safe, and parallel kernels in two threads of one process would abort it).
"""
from __future__ import annotations

import hashlib
import os
import sys
from importlib import metadata
from typing import Callable

from .errors import StoreError, UsageError
from .runner import TaskOutcome, _die_with_parent, execute_task
from .versioning import PROJECT_ROOT

__all__ = ["DaskExecutor", "code_fingerprint"]

_FINGERPRINT_TREES = ("tabular_envs", "proofs_check", "gpu_kernels", "testbed")
_FINGERPRINT_PACKAGES = ("numpy", "numba", "scipy", "sympy")


def code_fingerprint() -> str:
    """Hash of the project's Python sources and of the numerical packages' versions: two processes with the same
    fingerprint compute the same numbers for the same task."""
    h = hashlib.sha256()
    for tree in _FINGERPRINT_TREES:
        for path in sorted((PROJECT_ROOT / tree).rglob("*.py")):
            h.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    for name in _FINGERPRINT_PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    return h.hexdigest()[:16]


def _prepare_worker(claims_path: str, parent_pid: int | None) -> None:
    """Run on every worker before any task: the same external claim folders as the client, and death with the
    parent process (LocalCluster only)."""
    if claims_path:
        from .registry import add_claims_path
        add_claims_path(*[p for p in claims_path.split(os.pathsep) if p])
    if parent_pid is not None:
        _die_with_parent(parent_pid)


def code_fingerprint_and_threads() -> dict:
    """What the client checks on every worker."""
    return {"fingerprint": code_fingerprint(), "pid": os.getpid(), "python": sys.version.split()[0]}


try:                                      # the plugin class needs distributed's base class when it is installed
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:                       # pragma: no cover - without the extra DaskExecutor refuses to start
    _WorkerPlugin = object


class _PrepareWorkers(_WorkerPlugin):
    """Runs ``_prepare_worker`` on every worker when it starts, restarted workers included."""

    def __init__(self, claims_path: str, parent_pid: int | None):
        self.claims_path, self.parent_pid = claims_path, parent_pid

    def setup(self, worker):
        _prepare_worker(self.claims_path, self.parent_pid)


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise UsageError("--executor dask needs the dask extra: pip install 'rl-theory-testbed[dask]' (or "
                         "pip install 'dask[distributed]')") from None
    return distributed


class DaskExecutor:
    """Runs tasks on a Dask cluster: ``scheduler`` an address (``tcp://host:8786``) or None for a LocalCluster of
    ``workers`` single-threaded processes on this machine. ``connect_timeout`` bounds the wait for the
    scheduler."""
    name = "dask"

    def __init__(self, workers: int = 2, scheduler: str | None = None, connect_timeout: float = 20.0):
        self.distributed = _import_distributed()
        self.workers, self.scheduler, self.connect_timeout = workers, scheduler, connect_timeout
        if scheduler is not None and "://" not in scheduler and ":" not in scheduler:
            raise UsageError(f"--scheduler {scheduler!r} is not an address such as tcp://host:8786")
        self.name = f"dask ({scheduler})" if scheduler else f"dask (LocalCluster, {workers} workers)"
        self.description = self.name              # shown by the progress line
        self.cluster = self.client = None

    def open(self) -> "DaskExecutor":
        """Connect (or start the LocalCluster) and check the workers; call it before creating anything, so that an
        unreachable scheduler or a mismatched worker costs nothing. ``run`` opens on demand."""
        if self.client is None:
            self.cluster, self.client = self._connect()
            try:
                self._check_workers(self.client)
            except BaseException:
                self.close()
                raise
        return self

    def close(self) -> None:
        client, cluster, self.client, self.cluster = self.client, self.cluster, None, None
        for thing in (client, cluster):
            if thing is not None:
                try:
                    thing.close(timeout=10)
                except Exception:
                    pass

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc):
        self.close()

    # -- connection ---------------------------------------------------------------------------------------------
    def _connect(self):
        import logging
        d = self.distributed
        for name in ("distributed", "distributed.worker", "distributed.nanny", "distributed.scheduler",
                     "distributed.core", "distributed.comm", "tornado"):
            logging.getLogger(name).setLevel(logging.ERROR)
        if self.scheduler is None:
            cluster = d.LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                     dashboard_address=None, silence_logs=logging.ERROR)
            return cluster, d.Client(cluster)
        try:
            client = d.Client(self.scheduler, timeout=self.connect_timeout)
        except (OSError, TimeoutError) as exc:
            raise StoreError(f"cannot reach the Dask scheduler at {self.scheduler} within {self.connect_timeout:g} "
                             f"s ({type(exc).__name__}); is `dask scheduler` running there? Nothing was run and "
                             "the store is unchanged") from None
        return None, client

    def _check_workers(self, client) -> dict:
        info = client.scheduler_info()["workers"]
        if not info:
            client.wait_for_workers(1, timeout=self.connect_timeout)
            info = client.scheduler_info()["workers"]
        many = {addr: w.get("nthreads") for addr, w in info.items() if w.get("nthreads", 1) != 1}
        if many:
            raise UsageError(f"Dask workers with more than one thread: {many}; start them with "
                             "`dask worker ADDRESS --nthreads 1 --nworkers N`")
        claims_path = os.environ.get("TESTBED_CLAIMS_PATH", "")
        # LocalCluster workers are this process's children: they die with it (an external cluster's do not)
        parent = os.getpid() if self.scheduler is None else None
        client.register_plugin(_PrepareWorkers(claims_path, parent), name="testbed-prepare")
        prepared = client.run(code_fingerprint_and_threads)
        mine = code_fingerprint()
        other = {addr: p["fingerprint"] for addr, p in prepared.items() if p["fingerprint"] != mine}
        if other:
            raise StoreError(f"{len(other)} Dask worker(s) run other project code than this client (fingerprint "
                             f"{mine}; {', '.join(f'{a}: {f}' for a, f in sorted(other.items()))}): install the same "
                             "version of the project (and of numpy, numba, scipy, sympy) on every worker; nothing was "
                             "run and the store is unchanged")
        return prepared

    # -- the run --------------------------------------------------------------------------------------------------
    def run(self, tasks: list, on_done: Callable[[TaskOutcome], None]) -> None:
        d = self.distributed
        self.open()
        client = self.client
        futures = []
        try:
            by_future = {}
            for t in tasks:
                # a key of our own: resubmitting the same task (a rerun) is the same computation
                fut = client.submit(execute_task, t, key=f"testbed-task-{t.key}", pure=False, retries=0)
                by_future[fut] = t
                futures.append(fut)
            for fut in d.as_completed(futures):
                task = by_future[fut]
                try:
                    outcome = fut.result()
                except Exception as exc:          # the worker died too often (KilledWorker) or the cluster failed
                    outcome = TaskOutcome(task.key, None, 0.0, f"{type(exc).__name__}: {exc}".splitlines()[0],
                                          f"{type(exc).__name__}: {exc}", "dask")
                on_done(outcome)
                fut.release()
        except BaseException:
            for fut in futures:
                fut.cancel()
            self.close()
            raise
