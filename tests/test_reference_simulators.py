"""Every bandit kernel against a slow pure-Python transcription on the same reward tape and the same algorithm
stream (issue 3). The transcriptions follow the kernels' docstrings; they share no code with the kernels."""
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from tabular_envs import bernoulli_bandit, simulate
from tabular_envs.reference_rng import Stream, bernoulli_tape
from tabular_envs.strategies import bandit_instances


class Tape:
    def __init__(self, seed, rep, means):
        self.tapes = [bernoulli_tape(seed, rep, a) for a in range(len(means))]
        self.means = means

    def reward(self, a, n):
        return self.tapes[a](n, self.means[a])


def first_argmax(values):
    return max(range(len(values)), key=lambda k: (values[k], -k))


def run(policy, means, T, seed, rep):
    K, best = len(means), max(means)
    tape, stream = Tape(seed, rep, means), Stream(seed, rep)
    counts, sums, out, cum = [0] * K, [0.0] * K, [], 0.0
    for t in range(T):
        a = policy(t, counts, sums, stream, K, T)
        sums[a] += tape.reward(a, counts[a])
        counts[a] += 1
        cum += best - means[a]
        out.append(cum)
    return np.array(out)


def epsilon_greedy(t, counts, sums, stream, K, T, c=1.0):
    rnd = t + 1
    eps = min(1.0, c * (K * math.log(rnd) / rnd) ** (1 / 3))
    if stream.uniform() <= eps:
        return min(int(stream.uniform() * K), K - 1)
    for k in range(K):
        if counts[k] == 0:
            return k
    return first_argmax([sums[k] / counts[k] for k in range(K)])


def kl(p, q):
    q = min(max(q, 1e-15), 1 - 1e-15)
    return (p * math.log(p / q) if p > 0 else 0.0) + ((1 - p) * math.log((1 - p) / (1 - q)) if p < 1 else 0.0)


def kl_ucb(t, counts, sums, stream, K, T):
    if t < K:
        return t
    thr = math.log(t + 1)
    idx = []
    for k in range(K):
        p, n = sums[k] / counts[k], counts[k]
        f = lambda q, n=n, p=p: n * kl(p, q) - thr  # noqa: E731
        idx.append(1.0 if p >= 1 or f(1 - 1e-15) <= 0 else brentq(f, p, 1 - 1e-15, xtol=1e-14))
    return first_argmax(idx)


def thompson(t, counts, sums, stream, K, T):
    return first_argmax([stream.beta(1 + sums[k], 1 + counts[k] - sums[k]) for k in range(K)])


def successive_elimination_reference(means, T, seed, rep, c=2.0):
    K, best = len(means), max(means)
    tape = Tape(seed, rep, means)
    counts, sums, active, out, cum, t = [0] * K, [0.0] * K, [True] * K, [], 0.0, 0
    while t < T:
        for a in range(K):
            if not active[a] or t >= T:
                continue
            sums[a] += tape.reward(a, counts[a])
            counts[a] += 1
            cum += best - means[a]
            t += 1
            out.append(cum)
        radius = [math.sqrt(c * math.log(T) / counts[a]) if active[a] else 0 for a in range(K)]
        best_lcb = max(sums[a] / counts[a] - radius[a] for a in range(K) if active[a])
        for a in range(K):
            if active[a] and sums[a] / counts[a] + radius[a] < best_lcb:
                active[a] = False
    return np.array(out)


def ucb_delta(delta):
    def policy(t, counts, sums, stream, K, T):
        if t < K:
            return t
        return first_argmax([sums[k] / counts[k] + math.sqrt(2 * math.log(1 / delta)) / math.sqrt(counts[k])
                             for k in range(K)])
    return policy


def moss(t, counts, sums, stream, K, T):
    if t < K:
        return t
    return first_argmax([sums[k] / counts[k] + math.sqrt(4 / counts[k] * max(0.0, math.log(T / (K * counts[k]))))
                         for k in range(K)])


instances = bandit_instances(max_arms=4)
seeds = st.integers(0, 2 ** 63)


@settings(max_examples=15)
@given(instances, seeds, st.integers(0, 20))
def test_index_and_randomised_policies_match_references(inst, seed, rep):
    T = 150
    means = [float(x) for x in inst.means]
    ck = np.arange(1, T + 1)
    for name, policy in (("epsilon_greedy", epsilon_greedy), ("kl_ucb", kl_ucb), ("thompson", thompson),
                         ("ucb_delta", ucb_delta(1 / T ** 2)), ("moss", moss)):
        res = simulate(inst, name, T, 1, seed, checkpoints=ck, first_replication=rep)
        np.testing.assert_allclose(res.regret[0], run(policy, means, T, seed, rep), atol=1e-9, err_msg=name)


@settings(max_examples=15)
@given(instances, seeds, st.integers(0, 20))
def test_successive_elimination_matches_its_reference(inst, seed, rep):
    T = 150
    means = [float(x) for x in inst.means]
    ck = np.arange(1, T + 1)
    res = simulate(inst, "successive_elimination", T, 1, seed, checkpoints=ck, first_replication=rep)
    np.testing.assert_allclose(res.regret[0], successive_elimination_reference(means, T, seed, rep), atol=1e-9)


def test_reference_thompson_on_a_fixed_case():
    inst = bernoulli_bandit([0.2, 0.7, 0.5])
    res = simulate(inst, "thompson", 300, 1, 99, checkpoints=np.arange(1, 301))
    np.testing.assert_allclose(res.regret[0], run(thompson, [0.2, 0.7, 0.5], 300, 99, 0), atol=1e-9)


def test_ucb_delta_rejects_a_delta_outside_the_unit_interval():
    import pytest

    from tabular_envs import InvalidBanditError
    with pytest.raises(InvalidBanditError, match="delta"):
        simulate(bernoulli_bandit([0.2, 0.4]), "ucb_delta", 10, 1, 0, params={"delta": 2.0})
