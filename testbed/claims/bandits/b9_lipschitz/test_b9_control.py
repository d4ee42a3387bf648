"""B9's wrong-algorithm control: UCB1 on a grid that does not refine with T (3 points instead of
ceil(L^(2/3) (T / ln T)^(1/3))), on the claim's quick tasks (same optima, horizons and seeds), decided at the suite's
delta. Its discretization gap is a constant, so its regret against the continuum optimum is linear in T; the
claim's slope test must say violated."""
import numpy as np

from tabular_envs import bernoulli_bandit
from testbed.controls import decide_control

from .claim import OPTIMA, THRESHOLD, lipschitz_mean


def _fixed_grid(points: int):
    def change(spec):
        j = int(spec["instance"]["name"].rsplit("xstar", 1)[1])
        grid = (np.arange(points) + 0.5) / points
        spec["instance"] = bernoulli_bandit(lipschitz_mean(grid, OPTIMA[j]), name=spec["instance"]["name"]).to_dict()
        return spec
    return change


def test_a_grid_that_does_not_refine_is_violated():
    v = decide_control("B9", _fixed_grid(3))
    assert v.verdict == "violated"
    assert v.evidence["slopes"][0]["lower"] > THRESHOLD


def test_the_claimed_grid_holds_on_the_same_tasks():
    assert decide_control("B9").verdict == "holds"
