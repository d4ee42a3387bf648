"""Claim S8 by hand: the kernel equals its transcription; a head 1 that regresses the immediate reward (a myopic
SQIRL) is caught by the budget check on freeway (whose effective planning window is 6, not 1); the two-arm
probability agrees with a Monte Carlo estimate."""
import numpy as np

from tabular_envs.rl.instances import stage_dependent_garnet
from tabular_envs.rl.sqirl import sqirl, sqirl_reference
from testbed.registry import get_claim

from .model import two_arm_success


def test_kernel_equals_transcription_on_the_same_tape():
    m = stage_dependent_garnet(3, 2, 2, 4, rng=2)
    _, pols = sqirl(m, 2, 5, seed=3, n_replications=3)
    for i in range(3):
        np.testing.assert_array_equal(sqirl_reference(m, 2, 5, seed=3, rep=i), pols[i])


def test_myopic_head_is_caught_and_sqirl_passes():
    claim = get_claim("S8")
    task = [t for t in claim.tasks("quick", 0) if t.spec["unit"] == "freeway_10_fs30"][0]
    from testbed.stats import decide_proportion_at_least
    for variant, expected in (({"myopic": True}, "violated"), ({}, "holds")):
        task.spec.update(reps=1500, variant=variant)
        r = claim.run_task(task)
        v = decide_proportion_at_least([(int(r["successes"]), int(r["trials"]))], [0.5], 0.01, ["freeway"])
        assert v.verdict == expected, (variant, r["successes"])


def test_two_arm_success_matches_monte_carlo():
    rng = np.random.default_rng(5)
    n, eps, N = 21, 0.1, 400_000
    x, y = rng.binomial(n, 0.5 + eps, N), rng.binomial(n, 0.5 - eps, N)
    mc = np.mean((x > y) + 0.5 * (x == y))
    assert abs(mc - two_arm_success(n, eps)) < 5 * np.sqrt(0.1 * 0.9 / N)
