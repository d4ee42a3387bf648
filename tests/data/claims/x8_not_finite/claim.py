"""X8. A user's claim whose simulation returns NaN (a case of tests/test_cli_fuzz.py): `testbed run` must report it
as a failure of the claim in one line, never decide a verdict on it."""
import numpy as np

from testbed.claim import Claim, Source
from testbed.stats import decide_within_standard_errors


class NotFinite(Claim):
    id = "X8"
    family = "outside"
    title = "A simulation that returns NaN"
    source = Source("A. Researcher", 2026, "A draft", "Lemma 2")
    status = "confirmed"
    kind = ("statistical",)
    statement = "E[U] = 1/2 for U ~ Uniform(0, 1), estimated by a buggy simulation."
    no_bound = "an identity checked by Monte Carlo"

    def tasks(self, fidelity, root_seed):
        return [self.make_task("block0", {"n": 100}, fidelity, root_seed, stream="block0")]

    def run_task(self, task):
        u = np.random.default_rng(task.seed).random(task.spec["n"])
        u[3] = np.nan                                   # the bug: a 0/0 somewhere in the user's simulation
        return {"u": u}

    def decide(self, tasks, results):
        u = results[0]["u"]
        return decide_within_standard_errors([u.mean()], [u.std(ddof=1) / np.sqrt(u.size)], [0.5], 4.0, ["E[U]"])


CLAIM = NotFinite()
