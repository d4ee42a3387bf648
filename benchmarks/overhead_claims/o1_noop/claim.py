"""O1: a benchmark claim of many short tasks (each sums 1000 numbers), to measure what an executor costs per task."""
import numpy as np

from testbed.claim import Claim, Source
from testbed.stats import decide_exact

N_TASKS = {"quick": 400, "standard": 2000, "full": 10000}


class NoOp(Claim):
    id = "O1"
    family = "overhead"
    title = "many short tasks (executor overhead benchmark)"
    source = Source("benchmark", 2026, "executor overhead", "none")
    status = "confirmed"
    check_type = "identity"
    kind = ("exact",)
    statement = "sum(x) == sum(x)"
    no_bound = "a benchmark, not a theorem"

    def tasks(self, fidelity, root_seed):
        return self.batched_tasks(fidelity, root_seed, N_TASKS[fidelity], {})

    def run_task(self, task):
        x = np.random.default_rng(task.seed).random(1000)
        return {"sum": np.array(x.sum())}

    def decide(self, tasks, results):
        return decide_exact({"tasks without a result": float(sum(r is None for r in results))},
                            {"tasks without a result": 0.0})


CLAIM = NoOp()
