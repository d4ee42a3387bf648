"""The (procedure, n, alpha) pairs a suite's verdicts rest on, from the decisions on a store that holds every task.

    python benchmarks/procedure_uses.py STORE --fidelity quick --seed 0 [--merge tests/data/procedure_uses.json]

Each claim is decided (no power analysis) at the delta the suite gives it, inside ``stats.recording_uses``; the
union is printed, or merged into the JSON file under the fidelity's name. tests/test_false_alarms_at_uses.py
measures every procedure's level at exactly the pairs in that file, and the smoke test and the committed report's
evidence are checked to use no other pair, so the file cannot fall behind the claims.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from testbed.registry import SUITE_FALSE_ALARM_BUDGET, all_claims
from testbed.runner import claim_deltas, sorted_uses
from testbed.stats import recording_uses
from testbed.store import Store


def suite_uses(store_path: str, fidelity: str, seed: int, skip_missing: bool = False) -> list[list]:
    claims = all_claims()
    deltas = claim_deltas(claims, SUITE_FALSE_ALARM_BUDGET)
    found: set = set()
    with Store(store_path) as store:
        for claim in claims:
            tasks = claim.tasks(fidelity, seed)
            missing = len(tasks) - len(store.finished_keys([t.key for t in tasks]))
            if missing and skip_missing:
                print(f"skipped {claim.id}: {missing} of {len(tasks)} tasks missing", file=sys.stderr)
                continue
            if missing:
                sys.exit(f"{claim.id}: {missing} of {len(tasks)} tasks are not in {store_path}; run the suite first")
            results = store.get_results(tasks)
            with recording_uses() as uses:
                claim.decide_at(tasks, results, delta=deltas[claim.id])
            found |= uses
    return sorted_uses(found)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--fidelity", default="quick")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-missing", action="store_true", help="skip claims with missing tasks (exploration only)")
    ap.add_argument("--merge", help="a JSON file {fidelity: [[procedure, n, alpha], ...]} to update")
    args = ap.parse_args()
    uses = suite_uses(args.store, args.fidelity, args.seed, args.skip_missing)
    if args.merge:
        path = Path(args.merge)
        data = json.loads(path.read_text()) if path.exists() else {}
        data[args.fidelity] = uses
        path.write_text(json.dumps(data, indent=1) + "\n")
    for u in uses:
        print(*u)


if __name__ == "__main__":
    main()
