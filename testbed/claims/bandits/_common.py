"""Shared plumbing of the bandit claims: replication blocks as tasks, and gathering them back."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from tabular_envs import BanditInstance, simulate

from ...claim import Claim, Task


def bandit_tasks(claim: Claim, fidelity: str, root_seed: int, instance: BanditInstance, algorithm: str,
                 horizon: int, n_replications: int, block: int, checkpoints=None, params=None,
                 group: str = "") -> list[Task]:
    """Split n_replications into blocks of ``block``. The seed is keyed by the instance (and ``group``), not the
    algorithm: algorithms compared on an instance share its reward tape."""
    tasks = []
    for first in range(0, n_replications, block):
        n = min(block, n_replications - first)
        spec = {"instance": instance.to_dict(), "algorithm": algorithm, "horizon": int(horizon),
                "first_replication": first, "n_replications": n, "params": params or {},
                "checkpoints": None if checkpoints is None else [int(c) for c in checkpoints], "group": group}
        unit = f"{instance.name}/{algorithm}/T={horizon}/reps{first}-{first + n - 1}"
        tasks.append(claim.make_task(unit, spec, fidelity, root_seed, stream=f"{group}/{instance.name}"))
    return tasks


def run_bandit_task(task: Task) -> dict[str, np.ndarray]:
    s = task.spec
    res = simulate(BanditInstance.from_dict(s["instance"]), s["algorithm"], s["horizon"], s["n_replications"],
                   task.seed, checkpoints=s["checkpoints"], params=s["params"],
                   first_replication=s["first_replication"], parallel=False)
    return {"regret": res.regret, "pulls": res.pulls, "checkpoints": res.checkpoints}


def gather(tasks: list[Task], results: list[dict]) -> dict[tuple, dict]:
    """Concatenate blocks of the same (group, instance, algorithm, horizon) in replication order."""
    groups: dict[tuple, list] = defaultdict(list)
    for t, r in zip(tasks, results):
        s = t.spec
        groups[(s["group"], s["instance"]["name"], s["algorithm"], s["horizon"])].append(
            (s["first_replication"], r, s["instance"]))
    out = {}
    for key, blocks in groups.items():
        blocks.sort(key=lambda b: b[0])
        out[key] = {"regret": np.concatenate([b[1]["regret"] for b in blocks]),
                    "pulls": np.concatenate([b[1]["pulls"] for b in blocks]),
                    "checkpoints": blocks[0][1]["checkpoints"],
                    "instance": BanditInstance.from_dict(blocks[0][2])}
    return out


def last_decade(checkpoints: np.ndarray, horizon: int) -> np.ndarray:
    """Mask of the checkpoints in [T/10, T] (where a finite-T rate is read)."""
    return checkpoints >= horizon / 10


def worst_case_gap_family(K: int, T: int, name: str):
    """K Bernoulli arms at 1/2, the last one at 1/2 + sqrt(K/T) (capped at 1): the gap order that makes
    instance-independent regret bounds tight."""
    from tabular_envs import bernoulli_bandit
    means = np.full(K, 0.5)
    means[-1] = min(1.0, 0.5 + np.sqrt(K / T))
    return bernoulli_bandit(means, name=name)


def regret_curves(groups: dict, delta: float) -> list[dict]:
    """Mean regret with simultaneous one-sided bands (Bonferroni over every plotted point) for the figures."""
    from ...stats import t_bounds
    n_points = sum(g["checkpoints"].size for g in groups.values())
    out = []
    for (group, name, alg, T), g in groups.items():
        mean, lo, hi = t_bounds(g["regret"], delta / n_points)
        out.append({"group": group, "instance": name, "algorithm": alg, "horizon": T,
                    "T": g["checkpoints"].tolist(), "mean": mean.tolist(), "lower": lo.tolist(), "upper": hi.tolist()})
    return out
