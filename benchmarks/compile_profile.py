"""What a fresh install pays to compile, per module: every task of a suite run once, one after another in this
process, on an empty Numba cache, with each compilation timed by Numba's own event API (``numba.core.event``,
kind "numba:compile") and charged to the module of the function compiled (exclusive of the functions it compiles
in turn). Also per function: how many signatures it was compiled for (one per kernel is the aim: each extra
signature is a whole compilation).

    python benchmarks/compile_profile.py [--suite quick] [--top 15]

The per-claim split of a suite's compile time under the real two-worker schedule is in
``benchmarks/suite_profile.py`` (cold minus warm task seconds); this one says which modules it comes from.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def compile_times(buffer) -> list[tuple[str, str, float, float]]:
    """(module, qualified name, inclusive s, exclusive s) of each compilation in a RecordingListener's buffer; a
    compilation that triggers others (a kernel compiling the functions it calls) is charged only its own time."""
    stack, out = [], []
    for stamp, ev in buffer:
        if ev.is_start:
            stack.append([stamp, ev.data["dispatcher"], 0.0])
        else:
            start, dispatcher, children = stack.pop()
            inclusive = stamp - start
            if stack:
                stack[-1][2] += inclusive
            fn = dispatcher.py_func
            out.append((fn.__module__, fn.__qualname__, inclusive, inclusive - children))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="quick")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["NUMBA_CACHE_DIR"] = cache                 # before Numba is imported: an empty cache
        os.environ["NUMBA_NUM_THREADS"] = "1"                  # as in a suite's worker processes
        from numba.core import event

        from testbed.registry import suite_claims
        from testbed.runner import execute_task
        claims, fidelity = suite_claims(args.suite)
        listener = event.RecordingListener()
        event.register("numba:compile", listener)
        t0 = time.perf_counter()
        n_tasks = 0
        for claim in claims:
            for task in claim.tasks(fidelity, args.seed):
                outcome = execute_task(task)
                if outcome.error:
                    sys.exit(f"{claim.id} {task.unit}: {outcome.error}")
                n_tasks += 1
        wall = time.perf_counter() - t0
        event.unregister("numba:compile", listener)
    rows = compile_times(listener.buffer)
    by_module: dict[str, list] = defaultdict(lambda: [0.0, set(), 0])
    by_function: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    for module, name, _, exclusive in rows:
        m = by_module[module]
        m[0] += exclusive
        m[1].add(name)
        m[2] += 1
        f = by_function[(module, name)]
        f[0] += exclusive
        f[1] += 1
    total = sum(m[0] for m in by_module.values())
    print(f"suite {args.suite}: {n_tasks} tasks run serially on an empty Numba cache in {wall:.1f} s, of which "
          f"{total:.1f} s compiling {len(rows)} signatures of {len(by_function)} functions ({os.cpu_count()} CPUs)")
    print("\n| module | compile s | functions | signatures |\n|---|---|---|---|")
    for module, (sec, names, sigs) in sorted(by_module.items(), key=lambda kv: -kv[1][0]):
        print(f"| {module} | {sec:.1f} | {len(names)} | {sigs} |")
    print(f"\nthe {args.top} functions that cost most (exclusive seconds, signatures compiled):\n")
    print("| function | compile s | signatures |\n|---|---|---|")
    for (module, name), (sec, sigs) in sorted(by_function.items(), key=lambda kv: -kv[1][0])[:args.top]:
        print(f"| {module}.{name} | {sec:.1f} | {sigs} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
