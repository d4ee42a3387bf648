"""Compare the stored numbers of two testbed stores, claim by claim.

    python benchmarks/compare_stores.py A.sqlite B.sqlite [--claims B1 D2 ...]

For every claim in both stores: its tasks are matched by (unit, fidelity, spec, seed) -- not by key, which also
hashes the code version -- and their result arrays compared byte for byte; the evidence of the latest verdict
record is compared as canonical JSON. Prints one line per claim (identical / the first difference) and exits 1
when any claim differs. Used to show that a refactoring changed no number, and that 1 and 2 workers, or an
interrupted and resumed run, store the same evidence.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys

import numpy as np

from testbed.store import unpack_arrays


def _tasks(db, claim):
    rows = db.execute("SELECT unit, fidelity, spec, seed, result FROM tasks WHERE claim_id = ?", (claim,)).fetchall()
    return {(u, f, s, seed): blob for u, f, s, seed, blob in rows}


def _evidence(db, claim):
    row = db.execute("SELECT record FROM runs WHERE claim_id = ? ORDER BY id DESC LIMIT 1", (claim,)).fetchone()
    if row is None:
        return None
    rec = json.loads(row[0])
    return json.dumps({k: rec.get(k) for k in ("verdict", "tightness", "n_samples", "evidence")}, sort_keys=True)


def compare(path_a: str, path_b: str, claims: list[str] | None = None) -> dict[str, str]:
    a, b = sqlite3.connect(f"file:{path_a}?mode=ro", uri=True), sqlite3.connect(f"file:{path_b}?mode=ro", uri=True)
    query = "SELECT claim_id FROM tasks UNION SELECT claim_id FROM runs"   # a claim may decide without tasks
    ids_a = {r[0] for r in a.execute(query)}
    ids_b = {r[0] for r in b.execute(query)}
    out = {}
    for claim in sorted(claims or (ids_a | ids_b)):
        if claim not in ids_a or claim not in ids_b:
            out[claim] = f"only in {'A' if claim in ids_a else 'B'}"
            continue
        ta, tb = _tasks(a, claim), _tasks(b, claim)
        if set(ta) != set(tb):
            out[claim] = f"different task sets ({len(ta)} vs {len(tb)} tasks, {len(set(ta) ^ set(tb))} unmatched)"
            continue
        diff = None
        for key in sorted(ta):
            ra, rb = unpack_arrays(ta[key]), unpack_arrays(tb[key])
            if ra.keys() != rb.keys():
                diff = f"task {key[0]}: arrays {sorted(ra)} vs {sorted(rb)}"
                break
            bad = [k for k in ra if ra[k].dtype != rb[k].dtype or ra[k].shape != rb[k].shape
                   or ra[k].tobytes() != rb[k].tobytes()]
            if bad:
                x, y = ra[bad[0]], rb[bad[0]]
                gap = (float(np.max(np.abs(x.astype(float) - y.astype(float))))
                       if x.shape == y.shape and x.dtype.kind in "fiu" else "n/a")
                diff = f"task {key[0]}: array {bad[0]!r} differs (max abs difference {gap})"
                break
        if diff is None and _evidence(a, claim) != _evidence(b, claim):
            diff = "tasks identical, verdict evidence differs"
        out[claim] = diff or "identical"
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--claims", nargs="*")
    args = p.parse_args()
    res = compare(args.a, args.b, args.claims)
    for claim, what in res.items():
        print(f"{claim:5} {what}")
    same = sum(v == "identical" for v in res.values())
    print(f"{same}/{len(res)} claims identical")
    return 0 if same == len(res) else 1


if __name__ == "__main__":
    sys.exit(main())
