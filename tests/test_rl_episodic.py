"""tabular_envs.rl episodic, average-reward and reward-free agents (issue 12): exact backward induction against the
project's finite-horizon solver, every kernel against its plain-Python transcription on the same tape, replications
split across calls (as workers split them) give the same numbers (thread counts: tests/test_rl_engine.py), bad
input is named."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import TabularMDP
from tabular_envs import backward_induction as finite_horizon_solver
from tabular_envs.errors import InvalidMDPError, TabularEnvError
from tabular_envs.rl.episodic import EpisodicModel, episodic_model
from tabular_envs.rl.instances import combination_lock, stage_dependent_garnet
from tabular_envs.rl.optimistic_q import (
    epsilon_greedy_first_reward,
    epsilon_greedy_first_reward_reference,
    ucb_hoeffding,
    ucb_hoeffding_reference,
)
from tabular_envs.rl.reward_free import rf_express, rf_express_reference
from tabular_envs.rl.sqirl import sqirl, sqirl_reference
from tabular_envs.rl.ucbvi import ucbvi, ucbvi_reference
from tabular_envs.rl.ucrl2 import ucrl2, ucrl2_reference
from tabular_envs.strategies import probability_rows

_FAST = settings(max_examples=12, deadline=None, database=None, derandomize=True)


@st.composite
def episodic_models(draw, stage_dependent=None):
    S, A, H = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    staged = draw(st.booleans()) if stage_dependent is None else stage_dependent
    Hp = H if staged else 1
    P = draw(probability_rows(S, Hp * S * A)).reshape(Hp, S, A, S)
    r = np.array(draw(st.lists(st.integers(0, 4), min_size=Hp * S * A, max_size=Hp * S * A)), float) / 4
    return episodic_model(P if staged else P[0], r.reshape(Hp, S, A) if staged else r.reshape(S, A), H)


@_FAST
@given(episodic_models(), st.integers(0, 2**32 - 1))
def test_policy_value_on_the_support_is_the_dense_policy_value(m, seed):
    """SQIRL's success check sums each row over its support only; the values are the dense ones, to the bit, for
    any policy (zero-probability next states and ties in P included, as probability_rows draws them)."""
    from tabular_envs.rl.episodic import policy_value
    from tabular_envs.rl.sqirl import _policy_value_on_support
    pi = np.random.default_rng(seed).integers(0, m.A, (m.H, m.S))
    dense = policy_value(m.P, m.r, pi, m.H)
    assert np.array_equal(_policy_value_on_support(m.P, m.r, m.states, m.n_support, pi, m.H), dense)


@_FAST
@given(episodic_models())
def test_backward_induction_equals_the_finite_horizon_solver(m):
    P = m.P if m.stage_dependent else np.broadcast_to(m.P, (m.H, *m.P.shape[1:]))
    r = m.r if m.r.shape[0] > 1 else np.broadcast_to(m.r, (m.H, *m.r.shape[1:]))
    ref = finite_horizon_solver(TabularMDP(np.array(P), np.array(r), horizon=m.H))
    np.testing.assert_allclose(m.V_star, ref.values, rtol=0, atol=1e-12)
    np.testing.assert_allclose(m.Q_star, ref.q_values, rtol=0, atol=1e-12)


@_FAST
@given(episodic_models(stage_dependent=False), st.sampled_from(["ch", "bf", "none"]), st.integers(0, 2 ** 31))
def test_ucbvi_kernel_equals_transcription(m, bonus, seed):
    K = 60
    regret, _, counts = ucbvi(m, K, bonus=bonus, seed=seed, n_replications=2, checkpoints=np.arange(1, K + 1))
    for i in range(2):
        ref, _, _, visits = ucbvi_reference(m, K, bonus=bonus, seed=seed, rep=i)
        np.testing.assert_allclose(regret[i], np.cumsum(ref), rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(counts[i], visits)


@_FAST
@given(episodic_models(), st.integers(0, 2 ** 31))
def test_ucb_hoeffding_kernel_equals_transcription(m, seed):
    K = 60
    regret, _ = ucb_hoeffding(m, K, c=0.3, seed=seed, n_replications=2, checkpoints=np.arange(1, K + 1))
    for i in range(2):
        ref, _, _ = ucb_hoeffding_reference(m, K, c=0.3, seed=seed, rep=i)
        np.testing.assert_allclose(regret[i], np.cumsum(ref), rtol=1e-12, atol=1e-12)


@_FAST
@given(episodic_models(), st.integers(0, 2 ** 31), st.sampled_from([0.0, 0.3, 1.0]))
def test_epsilon_greedy_kernel_equals_transcription(m, seed, eps):
    first = epsilon_greedy_first_reward(m, 200, eps=eps, seed=seed, n_replications=2)
    for i in range(2):
        assert first[i] == epsilon_greedy_first_reward_reference(m, 200, eps=eps, seed=seed, rep=i)


@_FAST
@given(episodic_models(), st.integers(0, 2 ** 31), st.integers(1, 3))
def test_sqirl_kernel_equals_transcription(m, seed, k):
    _, pols = sqirl(m, k, 4, seed=seed, n_replications=2)
    for i in range(2):
        np.testing.assert_array_equal(pols[i], sqirl_reference(m, k, 4, seed=seed, rep=i))


@settings(max_examples=8, deadline=None, database=None, derandomize=True)
@given(episodic_models(), st.integers(0, 2 ** 31))
def test_rf_express_kernel_equals_transcription(m, seed):
    stops, counts = rf_express(m, 2 * m.H, seed=seed, n_replications=1, max_episodes=3000)
    k, N = rf_express_reference(m, 2 * m.H, seed=seed, rep=0, max_episodes=3000)
    assert k == stops[0]
    np.testing.assert_array_equal(N, counts[0])


@settings(max_examples=10, deadline=None, database=None, derandomize=True)
@given(episodic_models(stage_dependent=False), st.integers(0, 2 ** 31))
def test_ucrl2_kernel_equals_transcription(m, seed):
    P, r, T = m.P[0], m.r[0], 400
    regret, _, _ = ucrl2(P, r, T, 0.0, seed=seed, checkpoints=np.arange(1, T + 1))
    rewards, _ = ucrl2_reference(P, r, T, seed=seed)
    np.testing.assert_allclose(-regret[0], np.cumsum(rewards), rtol=1e-12, atol=1e-12)


def test_replications_split_across_calls_give_the_same_numbers():
    """What two workers do: replications 0-1 and 2-3 in separate calls equal 0-3 in one call."""
    m = stage_dependent_garnet(3, 2, 2, 3, rng=1)
    whole = ucb_hoeffding(m, 300, seed=9, n_replications=4)[0]
    parts = np.vstack([ucb_hoeffding(m, 300, seed=9, n_replications=2, first_replication=f)[0] for f in (0, 2)])
    np.testing.assert_array_equal(whole, parts)
    h = episodic_model(m.P[0], m.r[0], 3)
    whole = ucbvi(h, 300, bonus="bf", seed=9, n_replications=4)[0]
    parts = np.vstack([ucbvi(h, 300, bonus="bf", seed=9, n_replications=2, first_replication=f)[0] for f in (0, 2)])
    np.testing.assert_array_equal(whole, parts)


def test_common_random_numbers_two_agents_see_the_same_next_state_on_the_same_visit():
    """UCBVI-CH and UCBVI-BF on one seed: on a one-state, one-action MDP their trajectories coincide, because the
    n-th visit of the pair returns the same tape entry to both."""
    P = np.array([[[0.5, 0.5]], [[0.3, 0.7]]])
    m = episodic_model(P, np.array([[0.0], [1.0]]), 5)
    a = ucbvi(m, 50, bonus="ch", seed=4)[2]
    b = ucbvi(m, 50, bonus="bf", seed=4)[2]
    np.testing.assert_array_equal(a, b)


def test_combination_lock_values_and_uniform_exploration():
    m = combination_lock(4, 3)
    assert m.v_star == 1.0 and m.S == 5
    first = epsilon_greedy_first_reward(m, 10 ** 5, eps=1.0, seed=1, n_replications=3000)
    assert abs(first.mean() - 3 ** 4) < 5 * 3 ** 4 / np.sqrt(3000)


def test_bad_arguments_are_named():
    P = np.full((2, 1, 2), 0.5)
    with pytest.raises(TabularEnvError, match="H must be"):
        episodic_model(P, np.zeros((2, 1)), 0)
    with pytest.raises(TabularEnvError, match=r"shape \(S, A, S\) or \(H=3"):
        episodic_model(np.full((2, 2, 1, 2), 0.5), np.zeros((2, 1)), 3)
    with pytest.raises(InvalidMDPError, match="sums to"):
        episodic_model(np.full((2, 1, 2), 0.7), np.zeros((2, 1)), 3)
    with pytest.raises(TabularEnvError, match="r must be finite"):
        episodic_model(P, np.array([[np.nan], [0.0]]), 3)
    with pytest.raises(TabularEnvError, match="x1"):
        episodic_model(P, np.zeros((2, 1)), 3, x1=5)
    big = episodic_model(P, np.array([[2.0], [0.0]]), 3)
    with pytest.raises(TabularEnvError, match=r"UCBVI assumes rewards in \[0, 1\]: r\(0, 0, 0\) = 2.0"):
        ucbvi(big, 10)
    with pytest.raises(TabularEnvError, match="RF-Express assumes"):
        rf_express(big, 1.0)
    m = episodic_model(P, np.zeros((2, 1)), 3)
    with pytest.raises(TabularEnvError, match="unknown bonus"):
        ucbvi(m, 10, bonus="hoeffding")
    with pytest.raises(TabularEnvError, match="time-homogeneous"):
        ucbvi(stage_dependent_garnet(2, 2, 2, 3), 10)
    with pytest.raises(TabularEnvError, match="delta"):
        ucrl2(P[:, :, :], np.zeros((2, 1)), 10, 0.0, delta=1.5)
    with pytest.raises(TabularEnvError, match="rho_star"):
        ucrl2(P[:, :, :], np.zeros((2, 1)), 10, float("nan"))
    with pytest.raises(TabularEnvError, match="eps"):
        rf_express(m, 0.0)
    with pytest.raises(TabularEnvError, match="k and m"):
        sqirl(m, 0, 3)
    with pytest.raises(TabularEnvError, match="unknown rate"):
        ucb_hoeffding(m, 10, rate="1/t")
    with pytest.raises(TabularEnvError, match="EpisodicModel"):
        ucbvi((P, np.zeros((2, 1))), 10)
    assert isinstance(m, EpisodicModel)
