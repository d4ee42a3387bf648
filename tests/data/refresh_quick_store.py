"""Recompute tests/data/quick-seed0.sqlite: the quick suite's task results at root seed 0, the store the default
test tier decides every claim on (tests/test_claims_smoke.py).

    python tests/data/refresh_quick_store.py            # about 5 minutes on 2 cores

Only the task results are kept (no verdicts, failures or leases): the tests decide, draw and analyse power on them
again each time. A task is stored under a key that hashes its claim's code version, so a claim whose code changed
after this file was written does not find its tasks here and is simulated again by the test; the slow tier runs the
whole suite on an empty store and checks that it computes byte for byte what this file holds.
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from testbed.registry import SUITE_FALSE_ALARM_BUDGET, all_claims  # noqa: E402
from testbed.runner import run_claims  # noqa: E402
from testbed.store import Store  # noqa: E402

QUICK_STORE = HERE / "quick-seed0.sqlite"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "quick.sqlite"
        with Store(path) as store:
            runs = run_claims(all_claims(), "quick", store, workers=2, root_seed=0, progress=True,
                              false_alarm_budget=SUITE_FALSE_ALARM_BUDGET, with_power=False)
        failed = [r.claim.id for r in runs if r.verdict is None]
        if failed:
            sys.exit(f"not written: the claims {failed} failed")
        db = sqlite3.connect(path)
        with db:
            for table in ("runs", "failures", "leases"):
                db.execute(f"DELETE FROM {table}")
        db.execute("PRAGMA journal_mode=DELETE")          # one self-contained file, no -wal beside it
        db.execute("VACUUM")
        db.close()
        QUICK_STORE.write_bytes(path.read_bytes())
    print(f"wrote {QUICK_STORE} ({QUICK_STORE.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
