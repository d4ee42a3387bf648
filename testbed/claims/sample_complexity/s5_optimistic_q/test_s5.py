"""Claim S5 by hand: the kernel equals the transcription on the same tape; the 1/t learning rate (the catalogue's
trap) is caught by the claim's rate check while UCB-H passes it; uniform exploration on the lock takes A^H
episodes on average."""
import numpy as np
import pytest

from tabular_envs.rl.instances import combination_lock, stage_dependent_garnet
from tabular_envs.rl.optimistic_q import epsilon_greedy_first_reward, ucb_hoeffding, ucb_hoeffding_reference
from testbed.registry import get_claim

from .claim import decide_rate


@pytest.mark.parametrize("rate", ["jin", "one_over_t"])
def test_kernel_equals_transcription_on_the_same_tape(rate):
    model = stage_dependent_garnet(3, 2, 3, 3, rng=5)
    K = 400
    regret, _ = ucb_hoeffding(model, K, c=0.5, seed=7, n_replications=2, checkpoints=np.arange(1, K + 1), rate=rate)
    for i in range(2):
        ref, _, _ = ucb_hoeffding_reference(model, K, c=0.5, seed=7, rep=i, rate=rate)
        np.testing.assert_allclose(regret[i], np.cumsum(ref), rtol=1e-12, atol=1e-12)


def _rate_verdict(rate, reps=100):
    claim = get_claim("S5")
    results = {}
    for t in claim.tasks("quick", 0):
        if t.spec["unit"] in ("c1/H3", "c0.1/H5"):
            t.spec.update(rate=rate, reps=reps)
            results[t.spec["unit"]] = claim.run_task(t)
    return decide_rate(results, 0.01)


def test_one_over_t_learning_rate_is_caught_and_ucb_h_passes():
    assert _rate_verdict("one_over_t").verdict == "violated"
    assert _rate_verdict("jin").verdict == "holds"


def test_uniform_exploration_on_the_lock_takes_A_to_the_H_episodes():
    """Before the first reward every Q is 0, so epsilon-greedy acts uniformly: the first reward comes after a
    geometric number of episodes with mean A^H = 64 here (standard error about 64/sqrt(2000) = 1.4)."""
    first = epsilon_greedy_first_reward(combination_lock(3, 4), 10 ** 5, eps=0.1, seed=3, n_replications=2000)
    assert (first > 0).all()
    assert abs(first.mean() - 64) < 5 * 64 / np.sqrt(2000)
