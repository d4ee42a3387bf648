import math

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import brentq

from tabular_envs import InvalidBanditError, bernoulli_bandit, gaussian_bandit, simulate
from tabular_envs.bandits.kernels import bernoulli_kl, kl_ucb_index
from tabular_envs.counter_rng import new_state, next_beta, stream_key, tape_reward
from tabular_envs.reference_rng import bernoulli_tape
from tabular_envs.strategies import bandit_instances

_tape = bernoulli_tape


def _reference_ucb1(means, T, seed, rep):
    K = len(means)
    tapes = [_tape(seed, rep, a) for a in range(K)]
    counts, sums, regret, best = [0] * K, [0.0] * K, [], max(means)
    cum = 0.0
    for t in range(T):
        if t < K:
            a = t
        else:
            # the kernel's arithmetic: mean = sum / n, bonus = sqrt(2 ln t) * (1 / sqrt(n)), first maximum wins
            scale = math.sqrt(2 * math.log(t))
            idx = [sums[k] / counts[k] + scale * (1.0 / math.sqrt(counts[k])) for k in range(K)]
            a = max(range(K), key=lambda k: (idx[k], -k))
        sums[a] += tapes[a](counts[a], means[a])
        counts[a] += 1
        cum += best - means[a]
        regret.append(cum)
    return np.array(regret), counts


def _reference_etc(means, T, seed, rep, m):
    K = len(means)
    tapes = [_tape(seed, rep, a) for a in range(K)]
    counts, sums, cum, best, out, arm = [0] * K, [0.0] * K, 0.0, max(means), [], None
    for t in range(T):
        if t < m * K:
            a = t % K
        else:
            if arm is None:
                arm = max(range(K), key=lambda k: (sums[k] / counts[k], -k))
            a = arm
        sums[a] += tapes[a](counts[a], means[a])
        counts[a] += 1
        cum += best - means[a]
        out.append(cum)
    return np.array(out), counts


@settings(max_examples=25)
@given(bandit_instances(max_arms=5), st.integers(0, 2 ** 63), st.integers(0, 50))
def test_ucb1_and_etc_match_a_pure_python_reference_on_the_same_tape(inst, seed, rep):
    T = 300
    ck = np.arange(1, T + 1)
    means = [float(x) for x in inst.means]
    res = simulate(inst, "ucb1", T, 1, seed, checkpoints=ck, first_replication=rep)
    ref, counts = _reference_ucb1(means, T, seed, rep)
    np.testing.assert_allclose(res.regret[0], ref, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(res.pulls[0], counts)
    res = simulate(inst, "etc", T, 1, seed, checkpoints=ck, first_replication=rep, params={"m": 7})
    ref, counts = _reference_etc(means, T, seed, rep, 7)
    np.testing.assert_allclose(res.regret[0], ref, rtol=0, atol=1e-9)


ALL = ["etc", "epsilon_greedy", "successive_elimination", "ucb1", "kl_ucb", "thompson", "ucb_delta", "moss"]


@pytest.mark.parametrize("algorithm", ALL)
def test_results_do_not_depend_on_threads_blocks_or_parallel_flag(algorithm):
    inst = bernoulli_bandit([0.3, 0.5, 0.45, 0.2])
    full = simulate(inst, algorithm, 2000, 40, seed=11).regret
    serial = simulate(inst, algorithm, 2000, 40, seed=11, parallel=False).regret
    blocks = np.concatenate([simulate(inst, algorithm, 2000, 15, seed=11, first_replication=f).regret[:n]
                             for f, n in ((0, 15), (15, 15), (30, 10))])
    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        one_thread = simulate(inst, algorithm, 2000, 40, seed=11).regret
    finally:
        numba.set_num_threads(previous)
    for other in (serial, blocks, one_thread):
        np.testing.assert_array_equal(full, other)
    assert not np.array_equal(full, simulate(inst, algorithm, 2000, 40, seed=12).regret)


def test_common_random_numbers_across_algorithms():
    """ETC with m = 1, UCB1 and KL-UCB all pull each arm once, then at round K + 1 play the arm with the best
    first reward (equal bonuses; lowest index on ties). On a shared reward tape their regret after K + 1 rounds
    therefore agrees on every replication; with tapes keyed by the algorithm it would not."""
    inst = bernoulli_bandit([0.5, 0.45, 0.4, 0.35])
    K, reps = inst.n_arms, 200
    after = {alg: simulate(inst, alg, K + 1, reps, seed=5, checkpoints=[K + 1], params=params).regret[:, 0]
             for alg, params in (("etc", {"m": 1}), ("ucb1", None), ("kl_ucb", None))}
    np.testing.assert_array_equal(after["etc"], after["ucb1"])
    np.testing.assert_array_equal(after["etc"], after["kl_ucb"])
    assert np.unique(after["etc"]).size > 1  # the shared quantity varies across replications
    other_seed = simulate(inst, "ucb1", K + 1, reps, seed=6, checkpoints=[K + 1]).regret[:, 0]
    assert not np.array_equal(after["etc"], other_seed)


def test_tape_moments():
    """Fixed seed; each mean check at 5 standard errors (false alarm < 1e-6), the KS test at 1e-4."""
    n = 20000
    key = stream_key(np.uint64(11), 3, 1)
    bern = np.array([tape_reward(key, i, False, 0.3, 1.0) for i in range(n)])
    assert abs(bern.mean() - 0.3) < 5 * np.sqrt(0.3 * 0.7 / n)
    gauss = np.array([tape_reward(key, i, True, 2.0, 1.5) for i in range(n)])
    assert abs(gauss.mean() - 2.0) < 5 * 1.5 / np.sqrt(n)
    assert abs(gauss.var() - 2.25) < 5 * 2.25 * np.sqrt(2 / n)
    assert stats.kstest(gauss, stats.norm(2.0, 1.5).cdf).pvalue > 1e-4


def test_beta_sampler_moments():
    st_ = new_state(np.uint64(3), 0)
    a, b, n = 2.5, 7.0, 20000
    x = np.array([next_beta(st_, a, b) for _ in range(n)])
    mean, var = a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
    # fixed seed; 5 standard errors: false-alarm probability below 1e-6 per assertion
    assert abs(x.mean() - mean) < 5 * math.sqrt(var / n)
    assert stats.kstest(x, stats.beta(a, b).cdf).pvalue > 1e-4


def test_gaussian_instance_regret_uses_the_true_gaps():
    inst = gaussian_bandit([0.0, 1.0], sigma=1.0)
    res = simulate(inst, "ucb1", 10, 5, seed=0)
    # round 1 pulls arm 0 (gap 1), round 2 arm 1 (gap 0)
    np.testing.assert_allclose(res.regret[:, :2], [[1.0, 1.0]] * 5)


def test_kl_ucb_index_with_a_zero_radius_is_the_mean():
    assert kl_ucb_index(0.0, 1, 0.0, 0.0) == 0.0
    assert kl_ucb_index(0.4, 3, 0.0, 0.4) == 0.4


@given(st.floats(0, 1), st.integers(1, 10 ** 6), st.floats(0.01, 25))
def test_kl_ucb_index_matches_a_root_finder(p, n, thr):
    upper = min(1.0, p + math.sqrt(thr / (2 * n)))
    q = kl_ucb_index(p, n, thr, upper)
    f = lambda x: n * bernoulli_kl(p, x) - thr  # noqa: E731
    if p >= 1.0:
        assert q == 1.0
    elif f(1 - 1e-15) <= 0:
        assert q >= 1 - 1e-12
    else:
        assert abs(q - brentq(f, p, 1 - 1e-15, xtol=1e-15)) < 1e-9


@pytest.mark.parametrize("kwargs, fragment", [
    ({"algorithm": "ucb2"}, "unknown algorithm 'ucb2'"),
    ({"horizon": 0}, "horizon must be an integer >= 1"),
    ({"n_replications": 0}, "n_replications"),
    ({"seed": -1}, "seed"),
    ({"checkpoints": [5, 3]}, "strictly increasing"),
    ({"checkpoints": [0, 3]}, "strictly increasing"),
    ({"params": {"alpha": 1.0}}, "no parameter 'alpha'"),
    ({"params": {"c": np.nan}}, "finite non-negative"),
])
def test_simulate_input_errors(kwargs, fragment):
    args = {"algorithm": "ucb1", "horizon": 10, "n_replications": 2, "seed": 0}
    args.update(kwargs)
    with pytest.raises(InvalidBanditError, match=fragment):
        simulate(bernoulli_bandit([0.1, 0.2]), **args)

