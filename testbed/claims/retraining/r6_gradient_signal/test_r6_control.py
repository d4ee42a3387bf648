"""R6's wrong-algorithm control: groups whose N rollouts are not independent (N/2 outcomes, each used twice), on
the claim's quick task and seed, decided at the suite's delta: the zero-signal frequency becomes
p^(N/2) + (1 - p)^(N/2), and the Monte Carlo part (which must reject on both its draw and its replication) must say
violated, the exact part still holds."""
import numpy as np

from testbed.controls import decide_control

from .claim import N_GRID, P_GRID


def _paired_rollouts(task):
    rng = np.random.default_rng(task.seed)
    n = task.spec["draws"]

    def draw():
        return np.array([[int(np.sum(np.isin(rng.binomial(N // 2, p, n), (0, N // 2)))) for N in N_GRID]
                         for p in P_GRID])
    return {"zeros": draw(), "replication": draw()}


def test_dependent_rollouts_are_violated():
    v = decide_control("R6", results=_paired_rollouts)
    assert v.verdict == "violated"
    assert [p["verdict"] for p in v.evidence["parts"]] == ["holds", "violated"]
