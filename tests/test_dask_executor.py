"""The Dask executor (testbed/dask_executor.py) on a LocalCluster of 2 worker processes, and against a scheduler
and workers started as separate processes by the documented commands: the same stored numbers as the local pool,
nothing lost or duplicated when a worker or the client is killed, one clear line for bad input."""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from _processes import alive, children

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[test]' installs it)")

from testbed.dask_executor import DaskExecutor  # noqa: E402
from testbed.errors import StoreError, UsageError  # noqa: E402
from testbed.registry import get_claim  # noqa: E402
from testbed.runner import LocalPoolExecutor, run_claims  # noqa: E402
from testbed.store import Store, unpack_arrays  # noqa: E402

CLI = [sys.executable, "-m", "testbed.cli"]
REPO = Path(__file__).resolve().parents[1]
CLAIMS = ["B8", "D1", "R4", "B14"]


def _results(path):
    with sqlite3.connect(path) as db:
        return {k: unpack_arrays(b) for k, b in db.execute("SELECT key, result FROM tasks")}


def _stored(path):
    try:
        with sqlite3.connect(path, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_local_cluster_stores_the_same_numbers_as_the_local_pool(tmp_path):
    claims = [get_claim(c) for c in CLAIMS]
    with Store(tmp_path / "pool.sqlite") as st:
        run_claims(claims, "quick", st, workers=2, root_seed=5, progress=False, executor=LocalPoolExecutor(2),
                   with_power=False)
    with DaskExecutor(workers=2) as ex, Store(tmp_path / "dask.sqlite") as st:
        runs = run_claims(claims, "quick", st, workers=2, root_seed=5, progress=False, executor=ex, with_power=False)
    assert all(r.verdict is not None for r in runs)
    a, b = _results(tmp_path / "pool.sqlite"), _results(tmp_path / "dask.sqlite")
    assert a.keys() == b.keys() and len(a) == sum(len(c.tasks("quick", 5)) for c in claims)
    for key in a:
        for name in a[key]:
            np.testing.assert_array_equal(a[key][name], b[key][name])
    with sqlite3.connect(tmp_path / "dask.sqlite") as db:
        prov = json.loads(db.execute("SELECT record FROM runs LIMIT 1").fetchone()[0])["provenance"]
    assert prov["executor"].startswith("dask (LocalCluster")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc")
def test_a_killed_worker_loses_and_duplicates_nothing(tmp_path):
    store = tmp_path / "s.sqlite"
    cmd = CLI + ["run", "B3", "B8", "R4", "--executor", "dask", "--workers", "2", "--store", str(store),
                 "--no-progress", "--no-power"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 180
    while time.time() < deadline and _stored(store) < 2 and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before a worker could be killed"
    workers = children(proc.pid, zombies=False)
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)                      # one worker, mid-run, by its PID
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    total = sum(len(get_claim(c).tasks("quick", 0)) for c in ("B3", "B8", "R4"))
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM tasks").fetchone() == (total, total)
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 3


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc")
def test_a_killed_client_leaves_no_workers_and_its_rerun_completes_only_the_rest(tmp_path):
    store = tmp_path / "s.sqlite"
    cmd = CLI + ["run", "B3", "B8", "R4", "--executor", "dask", "--workers", "2", "--store", str(store),
                 "--no-progress", "--no-power"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 180
    while time.time() < deadline and _stored(store) < 3 and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before the client could be killed"
    workers = children(proc.pid, zombies=False)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(alive(w) for w in workers):
        time.sleep(0.5)
    assert not [w for w in workers if alive(w)], "worker processes outlived the killed client"
    kept = _stored(store)
    total = sum(len(get_claim(c).tasks("quick", 0)) for c in ("B3", "B8", "R4"))
    assert 3 <= kept < total
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    stored_first = sum(int(n) for n in re.findall(r"tasks \d+ \((\d+) stored\)", rerun.stdout))
    assert stored_first == kept                              # the rerun scheduled only what was missing
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM tasks").fetchone() == (total, total)


@pytest.mark.slow
def test_a_task_that_raises_is_a_failure_of_its_claim_and_the_rest_continue(tmp_path, monkeypatch):
    """A crashing task on a Dask worker: recorded with its traceback in the store's failures table, its claim gets
    no verdict, the other claims theirs."""
    ids = ["R4", "B14"]
    claims = [get_claim(i) for i in ids]
    bad = claims[1].tasks("quick", 0)[0]
    import testbed.dask_executor as module
    real = module.execute_task

    def poisoned(task):
        if task.key != bad.key:
            return real(task)
        broken = type(task)(task.claim_id, task.unit, {"broken": True}, task.seed, task.fidelity, task.code_version)
        outcome = real(broken)                # B14's run_task raises KeyError on the worker, caught there
        outcome.key = task.key
        return outcome
    monkeypatch.setattr(module, "execute_task", poisoned)
    with DaskExecutor(workers=2) as ex, Store(tmp_path / "s.sqlite") as st:
        runs = run_claims(claims, "quick", st, workers=2, progress=False, executor=ex, with_power=False)
        failures = st.failures()
    by_id = {r.claim.id: r for r in runs}
    assert by_id["R4"].verdict is not None and by_id["B14"].verdict is None
    assert failures and failures[0]["claim_id"] == "B14" and "Traceback" in failures[0]["traceback"]


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line_and_creates_no_store(tmp_path):
    store = tmp_path / "s.sqlite"
    res = subprocess.run(CLI + ["run", "B1", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9",
                                "--scheduler-timeout", "2", "--store", str(store)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "cannot reach the Dask scheduler" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and not store.exists()
    res = subprocess.run(CLI + ["run", "B1", "--scheduler", "tcp://127.0.0.1:9", "--store", str(store)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "--scheduler needs --executor dask" in res.stderr


def test_a_worker_with_other_code_is_refused(monkeypatch):
    import testbed.dask_executor as module
    monkeypatch.setattr(module, "code_fingerprint", lambda: "0000000000000000")   # this client's code "differs"
    with pytest.raises(StoreError, match="run other project code"):
        DaskExecutor(workers=1).open()


def test_without_the_dask_extra_the_executor_is_a_usage_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)        # import distributed -> ImportError
    with pytest.raises(UsageError, match="needs the dask extra"):
        DaskExecutor(workers=1)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("dask") is None and not (Path(sys.executable).parent / "dask").exists(),
                    reason="the dask command is not installed")
def test_separate_scheduler_and_workers_started_by_the_documented_commands(tmp_path):
    """`dask scheduler` and `dask worker ADDRESS --nthreads 1 --nworkers 2` as separate processes, then `testbed run
    --executor dask --scheduler ADDRESS`: the same numbers as the local pool."""
    dask = str(Path(sys.executable).parent / "dask") if (Path(sys.executable).parent / "dask").exists() else "dask"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    sched_file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen([dask, "scheduler", "--port", "0", "--dashboard-address", ":0", "--scheduler-file",
                                  str(sched_file)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    workers = None
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not sched_file.exists():
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        workers = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "2",
                                    "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=env, cwd=tmp_path)
        res = subprocess.run(CLI + ["run", "D1", "R4", "--executor", "dask", "--scheduler", address,
                                    "--store", str(tmp_path / "dask.sqlite"), "--no-progress", "--no-power"],
                             capture_output=True, text=True, timeout=300, env=env)
        assert res.returncode == 0, res.stderr[-3000:]
        local = subprocess.run(CLI + ["run", "D1", "R4", "--store", str(tmp_path / "local.sqlite"), "--no-progress",
                                      "--no-power"], capture_output=True, text=True, timeout=300, env=env)
        assert local.returncode == 0
        a, b = _results(tmp_path / "local.sqlite"), _results(tmp_path / "dask.sqlite")
        assert a.keys() == b.keys() and a
        for key in a:
            for name in a[key]:
                np.testing.assert_array_equal(a[key][name], b[key][name])
    finally:
        for p in (workers, scheduler):
            if p is not None:
                p.terminate()
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
