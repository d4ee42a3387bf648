"""B17's wrong-algorithm control: rollouts that are not independent (each outcome drawn once and used twice, so a
group of N carries N/2 independent rewards), on the claim's quick tasks and seeds, decided at the suite's delta.
The frequency of mixed-outcome groups is then 1 - p^(N/2) - (1 - p)^(N/2), not the claimed formula; the Monte
Carlo part must say violated, the exact part still holds."""
import numpy as np

from testbed.controls import decide_control
from testbed.registry import get_claim

from .claim import _N_GRID, _P_GRID


def _paired_rollouts(task):
    out = get_claim("B17").run_task(task)
    rng = np.random.default_rng([task.seed, 1])
    mixed = np.zeros_like(out["mixed"])
    for a, p in enumerate(_P_GRID):
        for b, N in enumerate(_N_GRID):
            successes = (rng.random((task.spec["draws"], N // 2)) < p).sum(axis=1)
            mixed[a, b] = np.count_nonzero((successes > 0) & (successes < N // 2))
    return {**out, "mixed": mixed}


def test_dependent_rollouts_are_violated():
    v = decide_control("B17", results=_paired_rollouts)
    assert v.verdict == "violated"
    assert [p["verdict"] for p in v.evidence["parts"]] == ["holds", "violated"]
