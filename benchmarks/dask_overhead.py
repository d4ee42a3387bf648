"""Scheduling overhead of the Dask executor against the local process pool, measured in the same run.

    python benchmarks/dask_overhead.py [--tasks-fidelity quick|standard] [--workers 2]

Runs the 400 (quick) or 2000 (standard) short tasks of the benchmark claim O1 (benchmarks/overhead_claims: each
sums 1000 random numbers) on the local pool and on a Dask LocalCluster with the same number of workers, into fresh
stores, and prints each executor's wall time per task and the ratio. Start-up (spawning the workers, the
cluster) is timed separately from the tasks.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from testbed.registry import add_claims_path, get_claim
from testbed.runner import LocalPoolExecutor, run_claims
from testbed.store import Store

HERE = Path(__file__).resolve().parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tasks-fidelity", default="quick", choices=("quick", "standard"))
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    add_claims_path(HERE / "overhead_claims")
    claim = get_claim("O1")
    n = len(claim.tasks(args.tasks_fidelity, 0))
    from testbed.dask_executor import DaskExecutor
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("local pool", "dask LocalCluster"):
            t0 = time.perf_counter()
            ex = LocalPoolExecutor(args.workers) if name == "local pool" else DaskExecutor(args.workers).open()
            t1 = time.perf_counter()
            with Store(Path(tmp) / f"{name.split()[0]}.sqlite") as st:
                run_claims([claim], args.tasks_fidelity, st, workers=args.workers, progress=False, executor=ex,
                           with_power=False)
            t2 = time.perf_counter()
            if hasattr(ex, "close"):
                ex.close()
            out[name] = (t1 - t0, t2 - t1)
            print(f"{name:18} start {t1 - t0:5.2f} s   {n} tasks in {t2 - t1:6.2f} s   "
                  f"{1e3 * (t2 - t1) / n:6.2f} ms per task (workers started inside for the pool)")
    ratio = out["dask LocalCluster"][1] / out["local pool"][1]
    print(f"Dask / local pool, time for the tasks: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
