"""Where a suite's time goes, per claim: Numba compilation, simulation, decision and power analysis.

    python benchmarks/suite_profile.py                          # the quick suite, 2 workers, cold then warm cache
    python benchmarks/suite_profile.py --json after.json --compare before.json

The suite runs twice through the command line, each time into a new store: first on an empty Numba cache (a
fresh install), then on the cache the first run filled. Per claim:

- ``simulate``: the claim's task seconds in the warm run (summed over tasks, as the workers measured them);
- ``compile``: cold minus warm task seconds, the compilation (and cache writing) its tasks paid on an empty cache;
- ``decide`` and ``power``: the decision phase (one process, after the simulations), split into the verdict and
  the power analysis, from the warm run's records.

The wall times are the whole command's, interpreter start and imports included. ``--compare`` prints a before
column from an earlier ``--json`` beside each total.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_suite(suite: str, workers: int, seed: int, store: Path, cache: Path) -> float:
    cmd = [sys.executable, "-m", "testbed.cli", "run", "--suite", suite, "--workers", str(workers),
           "--seed", str(seed), "--store", str(store), "--no-progress"]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, NUMBA_CACHE_DIR=str(cache)))
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return wall


def per_claim(store: Path) -> dict[str, dict]:
    db = sqlite3.connect(store)
    rows = {cid: {"tasks": n, "task_s": s} for cid, n, s in
            db.execute("SELECT claim_id, COUNT(*), SUM(seconds) FROM tasks GROUP BY claim_id")}
    for cid, text in db.execute("SELECT claim_id, record FROM runs ORDER BY id"):
        rec = json.loads(text)
        row = rows.setdefault(cid, {"tasks": 0, "task_s": 0.0})
        row["power_s"] = float(rec.get("power_seconds", 0.0))
        row["decide_s"] = float(rec.get("decide_seconds", 0.0)) - row["power_s"]
        row["verdict"] = rec["verdict"]
    db.close()
    return rows


def import_seconds() -> float:
    code = ("import time; t0 = time.perf_counter(); from testbed.registry import all_claims; all_claims(); "
            "print(time.perf_counter() - t0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def profile(suite: str, workers: int, seed: int) -> dict:
    load_before = os.getloadavg()[0]           # what else the machine is doing, before this adds its own load
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / "numba-cache"
        cache.mkdir()
        cold_wall = run_suite(suite, workers, seed, tmp / "cold.sqlite", cache)
        warm_wall = run_suite(suite, workers, seed, tmp / "warm.sqlite", cache)
        cold, warm = per_claim(tmp / "cold.sqlite"), per_claim(tmp / "warm.sqlite")
    claims = {}
    for cid, w in warm.items():
        c = cold.get(cid, w)
        claims[cid] = {"tasks": w["tasks"], "simulate_s": w["task_s"],
                       "compile_s": max(c["task_s"] - w["task_s"], 0.0), "decide_s": w.get("decide_s", 0.0),
                       "power_s": w.get("power_s", 0.0), "verdict": w.get("verdict", "failed")}
    return {"suite": suite, "workers": workers, "seed": seed, "cpus": os.cpu_count(),
            "load_before": load_before, "cold_wall_s": cold_wall, "warm_wall_s": warm_wall,
            "import_s": import_seconds(), "claims": claims}


def _total(p: dict, col: str) -> float:
    return sum(c[col] for c in p["claims"].values())


def print_table(p: dict, before: dict | None) -> None:
    cols = ("simulate_s", "compile_s", "decide_s", "power_s")
    print(f"suite {p['suite']}, {p['workers']} workers, seed {p['seed']}, {p['cpus']} CPUs, "
          f"1-min load average before the run {p['load_before']:.2f}")
    print("\n| claim | tasks | simulate s | compile s | decide s | power s | verdict |\n|---|---|---|---|---|---|---|")
    order = sorted(p["claims"], key=lambda k: -sum(p["claims"][k][c] for c in cols))
    for cid in order:
        c = p["claims"][cid]
        print(f"| {cid} | {c['tasks']} | " + " | ".join(f"{c[col]:.1f}" for col in cols) + f" | {c['verdict']} |")
    print("\n| total | now | before |\n|---|---|---|")
    rows = [("wall, empty Numba cache (s)", lambda q: q["cold_wall_s"]),
            ("wall, warm Numba cache (s)", lambda q: q["warm_wall_s"]),
            ("import testbed + registry (s)", lambda q: q["import_s"])]
    rows += [(f"sum of {col.replace('_s', '')} (s)", lambda q, col=col: _total(q, col)) for col in cols]
    for name, get in rows:
        print(f"| {name} | {get(p):.1f} | {get(before):.1f} |" if before else f"| {name} | {get(p):.1f} | |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="quick")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="write the profile to this file")
    ap.add_argument("--compare", help="an earlier --json profile to print beside the totals")
    args = ap.parse_args()
    p = profile(args.suite, args.workers, args.seed)
    if args.json:
        Path(args.json).write_text(json.dumps(p, indent=1))
    print_table(p, json.loads(Path(args.compare).read_text()) if args.compare else None)


if __name__ == "__main__":
    main()
