"""Weighted tallying bandits (claim B12): Repeated Exposure Optimality of the model by brute force, the kernels
against a pure-Python transcription of their docstrings on the same reward tape, and input errors."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import InvalidBanditError
from tabular_envs.reference_rng import bernoulli_tape

from .model import TALLYING_POLICIES, sequence_value, simulate_tallying, tallying_opt

small = st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 6), st.integers(0, 2 ** 32))


@settings(max_examples=40)
@given(small)
def test_the_best_constant_sequence_is_optimal_over_all_sequences(params):
    K, m, T, seed = params
    rng = np.random.default_rng(seed)
    means, weights = rng.uniform(0, 1, K), rng.uniform(0.01, 1, m)
    best = max(sequence_value(means, weights, s) for s in itertools.product(range(K), repeat=T))
    assert abs(best - tallying_opt(means, weights, T)) <= 1e-12


def reference_cpr(policy, means, weights, M, T, seed, rep):
    K, W, m = len(means), sum(weights), len(weights)
    tapes = [bernoulli_tape(seed, rep, a) for a in range(K)]
    hist, pulls, n, sums, active = [], [0] * K, [0] * K, [0.0] * K, [True] * K
    opt, got, out = 0.0, 0.0, []
    arm, pos, length = 0, 0, 2 * M
    for t in range(T):
        live = [k for k in range(K) if active[k]]
        if policy == "naive_ucb1":
            a = t if t < K else max(range(K), key=lambda k: (sums[k] / n[k] + math.sqrt(2 * math.log(t) / n[k]), -k))
        else:
            a = live[0] if len(live) == 1 else arm
        x = sum(weights[i - 1] for i in range(1, m + 1) if t - i >= 0 and hist[t - i] == a)
        mean = means[a] * (1 + x / W) / 2
        r = tapes[a](pulls[a], mean)
        pulls[a] += 1
        hist.append(a)
        opt += max(means) * (1 + sum(weights[:min(t, m)]) / W) / 2
        got += mean
        if policy == "naive_ucb1":
            sums[a] += r
            n[a] += 1
        elif len(live) > 1:
            if pos >= M:
                sums[a] += r
                n[a] += 1
            pos += 1
            if pos == length:
                pos = 0
                later = [k for k in live if k > arm]
                if later:
                    arm = later[0]
                else:
                    rad = {k: math.sqrt(2 * math.log(max(T, 2)) / n[k]) for k in live}
                    best_lcb = max(sums[k] / n[k] - rad[k] for k in live)
                    for k in live:
                        if sums[k] / n[k] + rad[k] < best_lcb:
                            active[k] = False
                    arm = min(k for k in range(K) if active[k])
                    if policy == "blocked_elimination":
                        length = M + 2 * (length - M)
        out.append(opt - got)
    return np.array(out)


@settings(max_examples=12, deadline=None)
@given(st.integers(2, 4), st.integers(1, 3), st.integers(0, 2), st.integers(0, 2 ** 40), st.integers(0, 5))
def test_tallying_policies_match_a_pure_python_reference(K, m, extra, seed, rep):
    rng = np.random.default_rng(seed)
    means = np.round(rng.uniform(0, 0.3, K), 3)
    means[0] = 0.95            # a clear best arm: eliminations happen within the horizon
    weights = rng.uniform(0.1, 1, m)
    T = 2000
    for policy in TALLYING_POLICIES:
        got = simulate_tallying(means, weights, m + extra, policy, T, 1, seed, checkpoints=np.arange(1, T + 1),
                                first_replication=rep)[0]
        np.testing.assert_allclose(got, reference_cpr(policy, list(means), list(weights), m + extra, T, seed, rep),
                                   atol=1e-9, err_msg=policy)


def test_cpr_is_zero_for_a_single_arm_and_opt_matches_a_hand_value():
    # one arm, unit weights, m = 2: h(0), h(1/2), h(1), h(1) -> mu (1/2 + 3/4 + 1 + 1) = 3.25 mu
    assert tallying_opt([0.4], [1.0, 1.0], 4) == pytest.approx(0.4 * 3.25, abs=1e-15)
    assert np.all(simulate_tallying([0.4], [1.0, 1.0], 2, "blocked_elimination", 50, 3, 0) == 0)


@pytest.mark.parametrize("args, match", [
    (([0.2, 1.5], [1.0], 1), r"means\[1\]"),
    (([0.2, 0.5], [1.0, -1.0], 2), r"weights\[1\]"),
    (([0.2, 0.5], [1.0, 1.0], 1), "M must be an integer >= m"),
])
def test_bad_tallying_input_names_the_argument(args, match):
    with pytest.raises(InvalidBanditError, match=match):
        simulate_tallying(*args, "blocked_elimination", 10, 1, 0)


def test_unknown_tallying_policy_is_named():
    with pytest.raises(InvalidBanditError, match="unknown policy 'x'"):
        simulate_tallying([0.2], [1.0], 1, "x", 10, 1, 0)
