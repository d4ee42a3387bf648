"""Effective horizon (claim D2): the authors' published outputs on the shared BRIDGE MDPs, reproduced exactly."""
import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import InvalidMDPError, TabularMDP, load_bridge
from tabular_envs.dp.effective_horizon import (
    _argmax_probabilities,
    _backup,
    effective_planning_window,
    gorp1_failure_probability,
    horizon_values,
    min_k,
    simulate_gorp,
    theorem_5_4_bound,
)
from tabular_envs.strategies import mdps

REFERENCE = [("freeway_10_fs30", 10), ("maze_easy_l0_30_fs1", 30)]


@pytest.mark.parametrize("name, horizon", REFERENCE)
def test_published_min_k_epw_ms_and_effective_horizon_are_reproduced_exactly(reference_data, name, horizon):
    mdp = load_bridge(reference_data / name / "mdp.npz", horizon)
    published = json.loads((reference_data / name / "analyzed.json").read_text())
    pub = published["effective_horizon_results"]
    assert min_k(mdp) == published["min_k"]
    assert effective_planning_window(mdp) == published["epw"]
    bound = theorem_5_4_bound(mdp)
    assert bound.ms == pub["ms"]
    assert bound.ks == pub["ks"]
    assert bound.effective_horizon == published["effective_horizon"]
    for ours, theirs in zip(bound.gaps, pub["gaps"], strict=True):
        assert (ours is None and theirs is None) or ours == pytest.approx(theirs, abs=1e-9)
    np.testing.assert_allclose(bound.vars, pub["vars"], rtol=0, atol=1e-9)


def test_the_bundled_reference_data_is_the_shared_data(reference_data, shared_data):
    for name, _ in REFERENCE:
        for f in ("mdp.npz", "analyzed.json", "gorp_bounds.json"):
            assert (reference_data / name / f).read_bytes() == (shared_data / name / f).read_bytes()


@settings(max_examples=60)
@given(mdps(max_states=5, max_actions=3, discounted=False, stationary=True))
def test_h_backups_of_the_random_q_give_q_star_and_every_mdp_is_h_solvable(mdp):
    hv = horizon_values(mdp)
    q = hv.q_rand.copy()
    for _ in range(mdp.horizon - 1):
        q = _backup(hv.P, hv.r, q)
    np.testing.assert_allclose(q, hv.q_star, rtol=0, atol=1e-12)
    assert min_k(mdp) <= mdp.horizon and effective_planning_window(mdp) <= mdp.horizon


@settings(max_examples=40)
@given(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=2, max_size=3), st.integers(1, 3))
def test_argmax_probabilities_match_enumeration_of_all_counts(q, m):
    exact = np.zeros(len(q))
    for counts in itertools.product(range(m + 1), repeat=len(q)):
        p = math.prod(math.comb(m, c) * qa ** c * (1 - qa) ** (m - c) for c, qa in zip(counts, q, strict=True))
        winners = [a for a, c in enumerate(counts) if c == max(counts)]
        for a in winners:
            exact[a] += p / len(winners)
    np.testing.assert_allclose(_argmax_probabilities(np.array(q), m), exact, atol=1e-12)


def two_step_binary_mdp():
    """s0 --a0--> s1 (then a0 pays 1), s0 --a1--> s2 (nothing pays): GORP(1, m) fails at s0 only by picking a1,
    which happens when a0's m random rollouts (success 1/2 each) all fail and the tie is lost: (1/2)^m / 2."""
    P = np.zeros((4, 2, 4))
    P[0, 0, 1] = P[0, 1, 2] = 1
    P[1, :, 3] = P[2, :, 3] = P[3, :, 3] = 1
    r = np.zeros((4, 2))
    r[1, 0] = 1
    return TabularMDP(P, r, horizon=2)


@pytest.mark.parametrize("m", [1, 2, 5])
def test_gorp1_failure_probability_on_a_hand_computed_mdp(m):
    # at s1 the optimal action a0 always pays 1 and a1 pays 0: no failure there
    assert gorp1_failure_probability(two_step_binary_mdp(), m) == pytest.approx(0.5 ** m / 2, abs=1e-15)


def test_simulated_gorp_matches_the_hand_computed_failure_rate():
    ok = simulate_gorp(two_step_binary_mdp(), 1, 1, 20000, seed=3)
    # failure 1/4; 5 standard errors of 20000 Bernoulli(1/4) draws is 0.0153
    assert abs((1 - ok.mean()) - 0.25) < 5 * math.sqrt(0.25 * 0.75 / 20000)


def test_effective_horizon_needs_a_stationary_finite_horizon_mdp():
    P = np.ones((2, 1, 1, 1))
    with pytest.raises(InvalidMDPError, match="time-stationary"):
        min_k(TabularMDP(P, np.zeros((2, 1, 1)), horizon=2))
    with pytest.raises(InvalidMDPError, match="finite horizon"):
        min_k(TabularMDP(np.ones((1, 1, 1)), np.zeros((1, 1)), gamma=0.9))
