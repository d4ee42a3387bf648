"""tabular_envs.rl (issue 12): the transition tape, the generative model and synchronous Q-learning / TD(0), each
Numba kernel against its plain-Python reference on the same tape, and the same numbers whatever the thread count
(every agent of tabular_envs.rl, the episodic ones of tests/test_rl_episodic.py included)."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import TabularMDP, policy_evaluation, policy_iteration
from tabular_envs.rl import (
    SCHEDULES,
    generative_counts,
    generative_counts_reference,
    next_state,
    synchronous_q_learning,
    synchronous_q_learning_reference,
    transition_cdf,
    transition_key,
)
from tabular_envs.strategies import probability_rows


@st.composite
def small_mdps(draw):
    S, A = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    P = draw(probability_rows(S, S * A)).reshape(S, A, S)
    r = np.array(draw(st.lists(st.integers(0, 8), min_size=S * A, max_size=S * A)), dtype=float).reshape(S, A) / 8
    return P, r


@settings(max_examples=30, deadline=None, database=None, derandomize=True)
@given(small_mdps(), st.integers(0, 2 ** 32), st.integers(1, 40))
def test_generative_kernel_equals_reference(mdp, seed, N):
    P, _ = mdp
    assert np.array_equal(generative_counts(P, N, seed, 3, first_replication=4)[2],
                          generative_counts_reference(P, N, seed, 6))


@settings(max_examples=20, deadline=None, database=None, derandomize=True)
@given(small_mdps(), st.integers(0, 2 ** 32), st.sampled_from(sorted(SCHEDULES)), st.booleans())
def test_q_learning_kernel_equals_reference(mdp, seed, schedule, evaluate):
    P, r = mdp
    S, A = r.shape
    param = {"one_over_t": 0.0, "rescaled_linear": 2.0, "polynomial": 0.7, "constant": 0.2}[schedule]
    policy = (np.arange(S) % A) if evaluate else None
    _, Q = synchronous_q_learning(P, r, 0.8, 60, np.zeros((S, A)), schedule=schedule, param=param, policy=policy,
                                  seed=seed, n_replications=2, first_replication=3)
    ref = synchronous_q_learning_reference(P, r, 0.8, 60, schedule=schedule, param=param, policy=policy, seed=seed,
                                           rep=4)
    assert np.max(np.abs(Q[1] - ref)) <= 1e-12


def test_the_tape_draws_next_states_with_the_right_frequencies():
    """Chi-square goodness of fit of 200 000 tape draws from one row (alpha 1e-4: fails by chance once in 10^4)."""
    from scipy.stats import chisquare
    p = np.array([0.1, 0.0, 0.25, 0.65])
    cdf = transition_cdf(p[None, None, :])[0, 0]
    key = np.uint64(transition_key(np.uint64(9), 0, 0, 0, 0, 1, 1))
    draws = np.array([next_state(cdf, key, n) for n in range(200_000)])
    counts = np.bincount(draws, minlength=4)
    assert counts[1] == 0
    assert chisquare(counts[[0, 2, 3]], 200_000 * p[[0, 2, 3]]).pvalue > 1e-4


def test_q_learning_converges_to_q_star_and_td_to_q_pi():
    rng = np.random.default_rng(3)
    P = rng.dirichlet(np.ones(4), size=(4, 2))
    r = rng.uniform(0, 1, (4, 2))
    mdp = TabularMDP(P, r, gamma=0.8)
    q_star = r + 0.8 * P @ policy_iteration(mdp).values
    pol = np.array([0, 1, 0, 1])
    q_pi = r + 0.8 * P @ policy_evaluation(mdp, pol)
    err_q, _ = synchronous_q_learning(P, r, 0.8, 20_000, q_star, seed=1, n_replications=20, checkpoints=[100, 20_000])
    err_td, _ = synchronous_q_learning(P, r, 0.8, 20_000, q_pi, policy=pol, seed=1, n_replications=20,
                                       checkpoints=[100, 20_000])
    assert err_q[:, 1].mean() < 0.05 < err_q[:, 0].mean()
    assert err_td[:, 1].mean() < 0.05


def test_bad_arguments_are_named():
    P, r = np.full((2, 1, 2), 0.5), np.zeros((2, 1))
    with pytest.raises(ValueError, match="schedule"):
        synchronous_q_learning(P, r, 0.9, 10, np.zeros((2, 1)), schedule="1/t")
    with pytest.raises(ValueError, match="gamma"):
        synchronous_q_learning(P, r, 1.0, 10, np.zeros((2, 1)))
    with pytest.raises(ValueError, match="checkpoints"):
        synchronous_q_learning(P, r, 0.9, 10, np.zeros((2, 1)), checkpoints=[5, 20])
    with pytest.raises(ValueError, match="N must be"):
        generative_counts(P, 0, 1)
    from tabular_envs.errors import InvalidMDPError, TabularEnvError
    bad = P.copy()
    bad[1, 0] = [0.7, 0.7]
    with pytest.raises(InvalidMDPError, match=r"P\[1, 0, :\] sums to 1.4"):
        synchronous_q_learning(bad, r, 0.9, 10, np.zeros((2, 1)))
    bad[1, 0] = [-0.5, 1.5]
    with pytest.raises(InvalidMDPError, match=r"P\[1, 0, 0\] = -0.5 is negative"):
        generative_counts(bad, 5, 1)
    with pytest.raises(TabularEnvError, match="r must be a finite"):
        synchronous_q_learning(P, np.array([[np.nan], [0.0]]), 0.9, 10, np.zeros((2, 1)))
    from tabular_envs.rl import td0
    with pytest.raises(TabularEnvError, match="finite"):
        td0(np.full((2, 2), 0.5), np.array([np.inf, 0.0]), 0.9, 10, alpha=0.1)


_SCRIPT = ("import numpy as np\n"
           "from tabular_envs.rl import synchronous_q_learning, generative_counts\n"
           "rng = np.random.default_rng(0); P = rng.dirichlet(np.ones(6), size=(6, 3)); r = rng.uniform(0, 1, (6, 3))\n"
           "e, Q = synchronous_q_learning(P, r, 0.9, 500, np.zeros((6, 3)), seed=5, n_replications=16)\n"
           "c = generative_counts(P, 100, 5, 16)\n"
           "from tabular_envs.rl import td0\n"
           "M = rng.dirichlet(np.ones(5), size=5); l, a = td0(M, r[:5, 0], 0.9, 2000, alpha=0.1, markov=True, seed=3,"
           " n_replications=16)\n"
           "from tabular_envs.rl.instances import stage_dependent_garnet\n"
           "from tabular_envs.rl.episodic import episodic_model\n"
           "from tabular_envs.rl.ucbvi import ucbvi\n"
           "from tabular_envs.rl.optimistic_q import ucb_hoeffding\n"
           "from tabular_envs.rl.ucrl2 import ucrl2\n"
           "from tabular_envs.rl.reward_free import rf_express\n"
           "from tabular_envs.rl.sqirl import sqirl\n"
           "m = stage_dependent_garnet(3, 2, 2, 3, rng=1); h = episodic_model(m.P[0], m.r[0], 3)\n"
           "out = [Q, c, l, a, ucbvi(h, 500, bonus='bf', seed=2, n_replications=8)[0], ucb_hoeffding(m, 500, seed=2, "
           "n_replications=8)[0], ucrl2(m.P[0], m.r[0], 3000, 0.5, seed=2, n_replications=8)[0], "
           "rf_express(m, 6.0, seed=2, n_replications=8)[1], sqirl(m, 2, 5, seed=2, n_replications=8)[1]]\n"
           "from tabular_envs.rl.linear_td import linear_td0\n"
           "out += list(linear_td0(M, r[:5, 0], 0.9, rng.uniform(-0.5, 0.5, (5, 2)), 2000, alpha=0.1, radius=1.0, "
           "markov=True, seed=3, n_replications=16))\n"
           "print([hash(np.ascontiguousarray(x).tobytes()) for x in out])\n")


@pytest.mark.slow
def test_same_numbers_with_one_or_two_threads():
    out = set()
    for threads in ("1", "2"):
        env = dict(os.environ, NUMBA_NUM_THREADS=threads, PYTHONHASHSEED="0")
        proc = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env,
                              cwd=Path(__file__).resolve().parents[1], timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        out.add(proc.stdout.strip())
    assert len(out) == 1, out
