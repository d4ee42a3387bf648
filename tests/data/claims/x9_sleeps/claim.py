"""X9. A user's claim whose tasks take minutes of wall time and no CPU (a case of tests/test_cli_fuzz.py): a run of
it keeps a store busy for as long as a test needs, at no cost to the tests running beside it."""
import time

import numpy as np

from testbed.claim import Claim, Source
from testbed.stats import decide_within_standard_errors

SLEEP_SECONDS = 600.0


class Sleeps(Claim):
    id = "X9"
    family = "outside"
    title = "Tasks that wait"
    source = Source("A. Researcher", 2026, "A draft", "Lemma 3")
    status = "confirmed"
    kind = ("statistical",)
    statement = "E[U] = 1/2 for U ~ Uniform(0, 1), estimated by a slow simulation."
    no_bound = "an identity checked by Monte Carlo"

    def tasks(self, fidelity, root_seed):
        return [self.make_task(f"block{k}", {"n": 100}, fidelity, root_seed, stream=f"block{k}") for k in range(2)]

    def run_task(self, task):
        end = time.monotonic() + SLEEP_SECONDS
        while time.monotonic() < end:                    # short sleeps: the worker stays killable
            time.sleep(0.1)
        return {"u": np.random.default_rng(task.seed).random(task.spec["n"])}

    def decide(self, tasks, results):
        u = np.concatenate([r["u"] for r in results])
        return decide_within_standard_errors([u.mean()], [u.std(ddof=1) / np.sqrt(u.size)], [0.5], 4.0, ["E[U]"])


CLAIM = Sleeps()
