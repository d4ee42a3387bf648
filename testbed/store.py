"""Results store: one SQLite file (stdlib), WAL mode, one transaction per finished task.

A task's row is written whole or not at all, so a run killed at any point leaves only complete rows and a
rerun skips them. Verdicts are appended to ``runs``; no result or verdict is ever deleted.

Two runs on one store share the work: a run leases the tasks it is about to compute (table ``leases``, one row per
task, its owner's host, pid and heartbeat); a second run skips the tasks another live run holds and waits for them.
A lease is only a promise: it is dropped when its task is stored or its run ends, and ignored when its owner is a
dead process on this host or has not beaten its heartbeat for ``LEASE_STALE_SECONDS`` (another host).
"""
from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .claim import Task
from .errors import NotAStoreError, StoreError

__all__ = ["Store", "pack_arrays", "unpack_arrays", "DEFAULT_STORE", "LEASE_STALE_SECONDS"]

# a lease held from another host is trusted this long after its owner's last heartbeat (a finished task or a poll)
LEASE_STALE_SECONDS = 3600.0
_HEARTBEAT_SECONDS = 60.0

DEFAULT_STORE = "testbed-results.sqlite"
_MARKER = "rl-theory-testbed store"
_SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    key TEXT PRIMARY KEY, claim_id TEXT NOT NULL, unit TEXT NOT NULL, fidelity TEXT NOT NULL,
    spec TEXT NOT NULL, seed TEXT NOT NULL, code_version TEXT NOT NULL, result BLOB NOT NULL,
    seconds REAL NOT NULL, finished_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, claim_id TEXT NOT NULL, fidelity TEXT NOT NULL, root_seed TEXT NOT NULL,
    verdict TEXT NOT NULL, record TEXT NOT NULL, finished_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT, claim_id TEXT NOT NULL, task_key TEXT, unit TEXT, fidelity TEXT,
    error TEXT NOT NULL, traceback TEXT NOT NULL, worker TEXT NOT NULL, finished_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS leases (
    key TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, started REAL NOT NULL,
    heartbeat REAL NOT NULL);
"""


_RECORD_FIELDS = ("id", "title", "source", "status", "verdict", "confidence", "correction", "method", "tightness",
                  "n_samples", "n_tasks", "n_cached", "seconds", "fidelity", "evidence", "statement", "provenance")


def _sqlite_header(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _open_readonly(path: Path) -> sqlite3.Connection:
    """Open for reading without writing anything beside the file: a store in a read-only folder (or one shared
    on a read-only medium) opens as ``immutable``, since SQLite cannot create the WAL index there."""
    uri = f"file:{path.resolve().as_posix()}?mode=ro"
    if not os.access(path.parent if str(path.parent) else ".", os.W_OK):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None)


def pack_arrays(arrays: dict[str, np.ndarray]) -> bytes:
    """A dict of arrays as compressed .npz bytes (the task results stored in the store)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **{k: np.asarray(v) for k, v in arrays.items()})
    return buf.getvalue()


def unpack_arrays(blob: bytes) -> dict[str, np.ndarray]:
    """The dict of arrays of :func:`pack_arrays` bytes (no pickles)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


class Store:
    """Open (creating if absent) the store at ``path``; raises NotAStoreError for a file that is not one and
    StoreError when it cannot be written."""

    def __init__(self, path: str | os.PathLike = DEFAULT_STORE, *, readonly: bool = False):
        self.path = Path(path)
        self._last_beat = 0.0                  # when this connection last beat its run's lease heartbeat
        try:
            self.path.stat()
        except FileNotFoundError:
            pass
        except OSError as exc:                        # a name too long, a path through a regular file, a loop
            raise NotAStoreError(f"cannot use {self.path} as a store: {exc.strerror or exc}") from None
        if self.path.is_dir():
            raise NotAStoreError(f"{self.path} is a directory, not a testbed store file")
        exists = self.path.exists() and self.path.stat().st_size > 0
        if not readonly and self.path.exists() and not os.access(self.path, os.W_OK):
            raise StoreError(f"store {self.path} is read-only; give a writable --store path")
        if not readonly and not exists and not os.access(self.path.parent if str(self.path.parent) else ".", os.W_OK):
            parent = self.path.parent if str(self.path.parent) else Path(".")
            why = "is not writable" if parent.is_dir() else "does not exist"
            raise StoreError(f"cannot create store {self.path}: directory {parent} {why}")
        if readonly and not exists:
            raise StoreError(f"no store at {self.path}; run `testbed run` first")
        if readonly and exists and not _sqlite_header(self.path):
            raise NotAStoreError(f"{self.path} is not a testbed store (not an SQLite file)")
        try:
            if readonly:
                self._db = _open_readonly(self.path)
            else:
                self._db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)
            if exists:
                self._check_marker()
            if not readonly:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)  # idempotent (IF NOT EXISTS)
                with self._tx():
                    self._db.execute("INSERT OR IGNORE INTO meta VALUES ('marker', ?)", (_MARKER,))
                    self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                     (_SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            raise NotAStoreError(f"{self.path} is not a testbed store ({exc})") from None

    def _check_marker(self) -> None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise NotAStoreError(f"{self.path} is not a testbed store ({exc})") from None
        if row is None or row[0] != _MARKER:
            raise NotAStoreError(f"{self.path} is an SQLite file but not a testbed store")

    def _tx(self):
        db = self._db

        class _Tx:
            def __enter__(self_inner):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self_inner, exc_type, exc, tb):
                db.execute("COMMIT" if exc_type is None else "ROLLBACK")
                return False
        return _Tx()

    @contextmanager
    def _writing(self):
        """One write transaction; SQLite's operational errors (a locked or read-only file) as a StoreError."""
        try:
            with self._tx():
                yield
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to store {self.path}: {exc}") from None

    def _write(self, sql: str, params: tuple) -> None:
        with self._writing():
            self._db.execute(sql, params)

    # --- tasks ---------------------------------------------------------------------------------------------
    def finished_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT key FROM tasks WHERE key IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self._db.execute(q, chunk))
        return found

    def put_task(self, task: Task, result_blob: bytes, seconds: float) -> None:
        """Store one finished task in its own transaction; a second write of the same key is ignored."""
        self._write("INSERT OR IGNORE INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (task.key, task.claim_id, task.unit, task.fidelity, json.dumps(task.spec, sort_keys=True),
                     str(task.seed), task.code_version, result_blob, float(seconds), time.time()))

    def get_results(self, tasks: list[Task]) -> list[dict[str, np.ndarray]]:
        out = []
        for t in tasks:
            row = self._db.execute("SELECT result FROM tasks WHERE key = ?", (t.key,)).fetchone()
            if row is None:
                raise StoreError(f"task {t.unit} of {t.claim_id} is not in the store")
            try:
                out.append(unpack_arrays(row[0]))
            except Exception as exc:  # a hand-edited or truncated blob: name the task, never a NumPy traceback
                raise StoreError(f"the stored result of task {t.unit} of {t.claim_id} in {self.path} is corrupt "
                                 f"({type(exc).__name__}); delete that row or use another --store") from None
        return out

    def put_failure(self, task: Task | None, error: str, traceback: str, worker: str, *,
                    claim_id: str | None = None, fidelity: str | None = None) -> None:
        """Record that a task (or, with ``task=None``, a claim's decision) failed; a rerun retries it."""
        self._write("INSERT INTO failures (claim_id, task_key, unit, fidelity, error, traceback, worker, finished_at) "
                    "VALUES (?,?,?,?,?,?,?,?)",
                    (task.claim_id if task else claim_id, task.key if task else None, task.unit if task else None,
                     task.fidelity if task else fidelity, error, traceback, worker, time.time()))

    def failures(self, claim_id: str | None = None) -> list[dict]:
        """Recorded failures, oldest first (each: claim_id, unit, error, traceback, worker, finished_at)."""
        try:
            rows = self._db.execute("SELECT claim_id, unit, fidelity, error, traceback, worker, finished_at FROM "
                                    "failures" + (" WHERE claim_id = ?" if claim_id else "") + " ORDER BY id",
                                    (claim_id,) if claim_id else ()).fetchall()
        except sqlite3.OperationalError:          # a store written before the failures table existed
            return []
        keys = ("claim_id", "unit", "fidelity", "error", "traceback", "worker", "finished_at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def task_seconds(self, tasks: list[Task]) -> float:
        total = 0.0
        for t in tasks:
            row = self._db.execute("SELECT seconds FROM tasks WHERE key = ?", (t.key,)).fetchone()
            total += row[0] if row else 0.0
        return total

    def count_tasks(self, claim_id: str | None = None) -> int:
        if claim_id is None:
            return self._db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM tasks WHERE claim_id = ?", (claim_id,)).fetchone()[0]

    # --- leases: two runs on one store ----------------------------------------------------------------------
    @staticmethod
    def new_owner() -> str:
        """A run's lease owner id (unique per run, also within one process)."""
        return uuid.uuid4().hex

    def _live(self, host: str, pid: int, heartbeat: float, now: float) -> bool:
        if host == socket.gethostname():
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:                # alive, another user's
                return True
            try:                                   # a zombie (ended, not yet reaped by its parent) is dead
                with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                    return fh.read().rpartition(")")[2].split()[0] != "Z"
            except (OSError, IndexError):
                return True
        return now - heartbeat < LEASE_STALE_SECONDS

    def lease(self, keys: list[str], owner: str) -> dict[str, str]:
        """Lease the keys that no live run holds to ``owner``, in one transaction (two runs starting together
        cannot both take a key). Returns the keys held by other live runs, each with its holder in words."""
        now, host, pid = time.time(), socket.gethostname(), os.getpid()
        held: dict[str, str] = {}
        with self._writing():
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                rows = self._db.execute(f"SELECT key, owner, host, pid, started, heartbeat FROM leases WHERE key "
                                        f"IN ({','.join('?' * len(chunk))})", chunk).fetchall()
                for key, other, h, p, started, beat in rows:
                    if other == owner:
                        continue
                    if self._live(h, p, beat, now):
                        held[key] = f"pid {p} on {h}, started {time.strftime('%H:%M:%S', time.localtime(started))}"
                    else:
                        self._db.execute("DELETE FROM leases WHERE key = ?", (key,))
            self._db.executemany("INSERT OR IGNORE INTO leases VALUES (?,?,?,?,?,?)",
                                 [(k, owner, host, pid, now, now) for k in keys if k not in held])
        self._last_beat = now
        return held

    def release(self, owner: str, keys: list[str] | None = None) -> None:
        """Drop ``owner``'s leases (all of them, or those of ``keys``); beat its heartbeat on the rest, at most once
        every ``_HEARTBEAT_SECONDS`` (the beat rewrites every lease the run holds, so not once per task)."""
        if keys is None:
            self._write("DELETE FROM leases WHERE owner = ?", (owner,))
            return
        now = time.time()
        with self._writing():
            self._db.executemany("DELETE FROM leases WHERE key = ? AND owner = ?", [(k, owner) for k in keys])
            if now - self._last_beat >= _HEARTBEAT_SECONDS:
                self._db.execute("UPDATE leases SET heartbeat = ? WHERE owner = ?", (now, owner))
                self._last_beat = now

    # --- verdicts ------------------------------------------------------------------------------------------
    def put_run(self, claim_id: str, fidelity: str, root_seed: int, record: dict) -> None:
        self._write("INSERT INTO runs (claim_id, fidelity, root_seed, verdict, record, finished_at) "
                    "VALUES (?,?,?,?,?,?)",
                    (claim_id, fidelity, str(root_seed), record["verdict"], json.dumps(record), time.time()))

    def latest_runs(self) -> list[dict]:
        """The most recent verdict record of each claim (any fidelity), in claim-id order."""
        rows = self._db.execute(
            "SELECT claim_id, record FROM runs r WHERE id = (SELECT MAX(id) FROM runs WHERE claim_id = r.claim_id) "
            "ORDER BY claim_id").fetchall()
        return [self._record(cid, text) for cid, text in rows]

    def latest_run(self, claim_id: str) -> dict | None:
        row = self._db.execute("SELECT record FROM runs WHERE claim_id = ? ORDER BY id DESC LIMIT 1",
                               (claim_id,)).fetchone()
        return None if row is None else self._record(claim_id, row[0])

    def _record(self, claim_id: str, text: str) -> dict:
        """A verdict record, checked for the fields every reader uses (a hand-edited store gets one clear line)."""
        try:
            rec = json.loads(text)
        except (TypeError, ValueError):
            raise StoreError(f"the verdict record of {claim_id!r} in {self.path} is not valid JSON") from None
        missing = [k for k in _RECORD_FIELDS if not isinstance(rec, dict) or k not in rec]
        if missing:
            raise StoreError(f"the verdict record of {claim_id!r} in {self.path} lacks {', '.join(missing)}")
        return rec

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
