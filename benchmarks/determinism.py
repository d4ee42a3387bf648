"""Same seed, same numbers: the quick suite on 1 and 2 workers, and interrupted by SIGKILL then resumed, on a
deliberately loaded machine, compared task by task and verdict by verdict (benchmarks/compare_stores.py).

    python benchmarks/determinism.py [--seeds 0 7] [--burners 2] [--kill-after 25] [--out DIR]

For each seed: run A (1 worker), run B (2 workers), run C (2 workers, SIGKILLed after --kill-after seconds, then
resumed in the same store); all three beside --burners busy-looping processes that compete for the CPUs (so
any search that consulted the wall clock would stop at a different point). Prints the comparisons A-B and A-C and
exits 1 if any claim differs.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_stores import compare  # noqa: E402

CLI = [sys.executable, "-m", "testbed.cli"]


def _burn() -> None:
    x = 0
    while True:
        x = (x * 1103515245 + 12345) % 2 ** 31


def _run(store: Path, seed: int, workers: int, kill_after: float | None = None) -> float:
    args = CLI + ["run", "--suite", "quick", "--seed", str(seed), "--workers", str(workers), "--store", str(store),
                  "--no-progress"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    if kill_after is not None:
        try:
            proc.wait(timeout=kill_after)
            raise SystemExit(f"the run finished within {kill_after} s; give a smaller --kill-after")
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)           # the parent only: its workers must go by themselves
            proc.wait()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}): {err[-2000:]}")
    return time.perf_counter() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 7])
    p.add_argument("--burners", type=int, default=2)
    p.add_argument("--kill-after", type=float, default=25.0)
    p.add_argument("--out", default="determinism-stores")
    args = p.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    burners = [mp.Process(target=_burn, daemon=True) for _ in range(args.burners)]
    for b in burners:
        b.start()
    differing = 0
    try:
        for seed in args.seeds:
            stores = {k: out / f"seed{seed}-{k}.sqlite" for k in ("1worker", "2workers", "killed-resumed")}
            for s in stores.values():
                for suffix in ("", "-wal", "-shm"):
                    Path(str(s) + suffix).unlink(missing_ok=True)
            times = {"1worker": _run(stores["1worker"], seed, 1), "2workers": _run(stores["2workers"], seed, 2),
                     "killed-resumed": _run(stores["killed-resumed"], seed, 2, args.kill_after)}
            print(f"seed {seed}: wall " + ", ".join(f"{k} {v:.0f} s" for k, v in times.items())
                  + f" (beside {args.burners} CPU burners)")
            for other in ("2workers", "killed-resumed"):
                res = compare(str(stores["1worker"]), str(stores[other]))
                same = sum(v == "identical" for v in res.values())
                differing += len(res) - same
                print(f"  1worker vs {other}: {same}/{len(res)} claims identical")
                for claim, what in res.items():
                    if what != "identical":
                        print(f"    {claim}: {what}")
    finally:
        for b in burners:
            b.terminate()
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
