import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from testbed.errors import NotAStoreError, StoreError
from testbed.registry import get_claim
from testbed.runner import run_claims
from testbed.store import Store, unpack_arrays


def _results(path):
    with sqlite3.connect(path) as db:
        return {k: unpack_arrays(b) for k, b in db.execute("SELECT key, result FROM tasks")}


def test_rerun_is_served_from_the_store(tmp_path):
    claim = get_claim("B1")
    with Store(tmp_path / "s.sqlite") as st:
        first = run_claims([claim], "quick", st, progress=False)[0]
        second = run_claims([claim], "quick", st, progress=False)[0]
    assert first.n_cached == 0 and second.n_cached == second.n_tasks == first.n_tasks
    assert first.verdict.to_dict() == second.verdict.to_dict()


@pytest.mark.slow
def test_one_and_two_workers_give_identical_numbers(tmp_path):
    # R4: SciPy's SLSQP, sensitive to BLAS threads; D4: a Hypothesis search, sensitive to the string hash seed of
    # the process (workers are new processes); S6: a Numba agent on the transition tape
    claims = [get_claim("B1"), get_claim("D1"), get_claim("R4"), get_claim("D4"), get_claim("S6")]
    for name, workers in (("one", 1), ("two", 2)):
        with Store(tmp_path / f"{name}.sqlite") as st:
            run_claims(claims, "quick", st, workers=workers, root_seed=3, progress=False, with_power=False)
    one, two = _results(tmp_path / "one.sqlite"), _results(tmp_path / "two.sqlite")
    assert one.keys() == two.keys() and len(one) > 5
    for key in one:
        for name in one[key]:
            np.testing.assert_array_equal(one[key][name], two[key][name])


def test_seed_changes_the_numbers(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        a = run_claims([get_claim("B1")], "quick", st, root_seed=1, progress=False)[0]
        b = run_claims([get_claim("B1")], "quick", st, root_seed=2, progress=False)[0]
    assert a.verdict.evidence["units"][0]["mean"] != b.verdict.evidence["units"][0]["mean"]


@pytest.mark.slow
def test_sigkill_midway_then_rerun_stores_every_task_once(tmp_path):
    path = tmp_path / "killed.sqlite"
    cmd = [sys.executable, "-m", "testbed.cli", "run", "B2", "--store", str(path), "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and proc.poll() is None:
        if path.exists():
            try:
                with sqlite3.connect(path, timeout=1) as db:
                    done = db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
            except sqlite3.OperationalError:
                done = 0
        if done >= 1:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    total = len(get_claim("B2").tasks("quick", 0))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        assert 1 <= kept < total
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
    rerun = subprocess.run(cmd + ["--json"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == total
        assert db.execute("SELECT COUNT(DISTINCT key) FROM tasks").fetchone()[0] == total


def test_not_a_store(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    with pytest.raises(NotAStoreError, match="not a testbed store"):
        Store(bad)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE x (a)")
    with pytest.raises(NotAStoreError, match="not a testbed store"):
        Store(other)
    with pytest.raises(NotAStoreError, match="directory"):
        Store(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_store_non_root(tmp_path):
    path = tmp_path / "ro.sqlite"
    Store(path).close()
    path.chmod(0o444)
    with pytest.raises(StoreError, match="read-only"):
        Store(path)


def test_read_only_store(tmp_path, monkeypatch):
    path = tmp_path / "ro.sqlite"
    Store(path).close()
    path.chmod(0o444)
    # root may write anyway, so ask os.access the way a normal user's process would answer
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(path) else True)
    with pytest.raises(StoreError, match="read-only"):
        Store(path)


def test_non_finite_simulation_output_is_a_failure_not_a_verdict(tmp_path, monkeypatch):
    """A claim whose simulation returns NaN gets no verdict (before: inconclusive, with a power line); the run
    records a one-line failure naming the task and the array, and the stored tasks stay."""
    claim = get_claim("R8")
    real = claim.run_task

    def leaky(task):
        return {**real(task), "estimate": np.array([0.5, np.nan, 0.25])}
    monkeypatch.setattr(claim, "run_task", leaky)
    with Store(tmp_path / "s.sqlite") as st:
        run = run_claims([claim], "quick", st, progress=False)[0]
        stored = st.finished_keys([t.key for t in claim.tasks("quick", 0)])
    assert run.verdict is None and run.power is None
    assert run.failure.startswith("simulation output is not finite: task ") and "NaN or infinite" in run.failure
    assert "'estimate' has 1 of 3 values" in run.failure
    assert "\n" not in run.failure and len(stored) == run.n_tasks


def test_report_evidence_is_strict_json():
    import json

    from testbed.escaping import strict_json
    text = strict_json({"loss": float("inf"), "x": [1.0, float("nan"), np.float64(-np.inf)], "n": np.int64(3)})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c} token")) == {
        "loss": "inf", "x": [1.0, "nan", "-inf"], "n": 3}


def _b1_and_empty_store(tmp_path):
    """B1, a new empty store's path and B1's quick tasks (seed 0)."""
    claim, path = get_claim("B1"), tmp_path / "s.sqlite"
    with Store(path):
        pass
    return claim, path, claim.tasks("quick", 0)


def _lease_as(store_path, keys, pid):
    """Make ``keys`` look leased by another run whose driver is process ``pid`` on this host."""
    import socket
    with sqlite3.connect(store_path) as db:
        db.executemany("INSERT INTO leases VALUES (?,?,?,?,?,?)",
                       [(k, "other-run", socket.gethostname(), pid, time.time(), time.time()) for k in keys])


def test_tasks_another_live_run_holds_are_waited_for_not_computed_twice(tmp_path, capsys):
    claim, path, tasks = _b1_and_empty_store(tmp_path)
    held = [t.key for t in tasks[:2]]
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        _lease_as(path, held, other.pid)
        import threading

        from testbed.runner import execute_task

        def finish():                       # the other run stores its two tasks a little later
            time.sleep(3)
            with Store(path) as donor:
                for t in tasks[:2]:
                    out = execute_task(t)
                    donor.put_task(t, out.result, out.seconds)
        th = threading.Thread(target=finish)
        th.start()
        with Store(path) as st:
            run = run_claims([claim], "quick", st, progress=False)[0]
        th.join()
    finally:
        other.kill()
        other.wait()
    err = capsys.readouterr().err
    assert f"2 of {len(tasks)} tasks are being computed by another run on this store (pid {other.pid}" in err
    assert f"this run computes the other {len(tasks) - 2} and waits for those" in err
    assert run.verdict is not None and run.n_tasks == len(tasks)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM leases WHERE owner != 'other-run'").fetchone()[0] == 0  # ours: gone


def test_tasks_held_by_a_run_that_died_are_taken_over(tmp_path, capsys):
    claim, path, tasks = _b1_and_empty_store(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    _lease_as(path, [t.key for t in tasks[:3]], other.pid)
    import threading
    threading.Timer(3.0, other.kill).start()       # the other run dies without storing its tasks
    with Store(path) as st:
        run = run_claims([claim], "quick", st, progress=False)[0]
        assert st.finished_keys([t.key for t in tasks]) == {t.key for t in tasks}
    other.wait()
    assert "3 of" in capsys.readouterr().err and run.verdict is not None


def test_a_lease_of_a_dead_process_is_ignored_at_once(tmp_path, capsys):
    claim, path, tasks = _b1_and_empty_store(tmp_path)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    _lease_as(path, [tasks[0].key], gone.pid)
    with Store(path) as st:
        run = run_claims([claim], "quick", st, progress=False)[0]
    assert "another run" not in capsys.readouterr().err and run.verdict is not None


def test_the_decision_phase_shows_progress_with_a_time_estimate(tmp_path, capsys):
    claims = [get_claim("B14"), get_claim("B11"), get_claim("D12")]
    with Store(tmp_path / "s.sqlite") as st:
        run_claims(claims, "quick", st, progress=True)
        first = capsys.readouterr().err
        run_claims(claims, "quick", st, progress=True)       # all tasks stored: only the decision phase
        second = capsys.readouterr().err
    assert "deciding 3 claims on the stored results with their power analyses" in first
    assert re.search(r"3/3 claims +\d+s elapsed +~\d+s left +\(D12: holds\)", first), first
    assert "running" not in second and "1/3 claims" in second and "(B14: holds)" in second
    # the second estimate is weighted by the first run's seconds per claim, recorded with each verdict
    records = Store(tmp_path / "s.sqlite", readonly=True).latest_runs()
    assert all(isinstance(rec["decide_seconds"], float) for rec in records)
    # benchmarks/suite_profile.py splits the decision into verdict and power analysis with this field
    assert all(0 <= rec["power_seconds"] <= rec["decide_seconds"] for rec in records)
