"""The RL engine's user entry points (``tabular_envs.rl.api``): the same numbers as the kernels the claims run,
rho* computed or checked, and every bad argument refused with a TabularEnvError that names it."""
from __future__ import annotations

import numpy as np
import pytest

import tabular_envs.rl as rl
from tabular_envs.errors import TabularEnvError
from tabular_envs.mdp import TabularMDP, policy_iteration
from tabular_envs.mdp.average_reward import optimal_gain
from tabular_envs.rl.episodic import episodic_model
from tabular_envs.rl.optimistic_q import ucb_hoeffding as ucb_hoeffding_kernel
from tabular_envs.rl.qlearning import synchronous_q_learning as q_learning_kernel
from tabular_envs.rl.ucbvi import ucbvi as ucbvi_kernel
from tabular_envs.rl.ucrl2 import ucrl2 as ucrl2_kernel

RNG = np.random.default_rng(3)
P = RNG.dirichlet(np.ones(4), size=(4, 2))
R = RNG.uniform(0, 1, size=(4, 2))


def test_one_import_gives_the_agents_not_their_modules():
    from tabular_envs.rl import rf_express, sqirl, ucb_hoeffding, ucbvi, ucrl2
    for f in (ucbvi, ucrl2, ucb_hoeffding, rf_express, sqirl):
        assert callable(f) and f.__module__ == "tabular_envs.rl.api", f


def test_the_entry_points_give_the_kernels_numbers():
    ck = [50, 100, 200]
    run = rl.ucbvi(P, R, 3, 200, bonus="bf", seed=4, n_replications=3, checkpoints=ck)
    regret, failures, counts = ucbvi_kernel(episodic_model(P, R, 3), 200, bonus="bf", seed=4, n_replications=3,
                                            checkpoints=ck)
    assert np.array_equal(run.regret, regret) and np.array_equal(run.counts, counts)
    assert np.array_equal(run.checkpoints, ck) and np.array_equal(run.optimism_failures, failures)
    hq = rl.ucb_hoeffding(P, R, 3, 200, seed=4, n_replications=3)
    assert np.array_equal(hq.regret, ucb_hoeffding_kernel(episodic_model(P, R, 3), 200, seed=4, n_replications=3)[0])
    avg = rl.ucrl2(P, R, 500, seed=4, n_replications=2)
    rho = optimal_gain(P, R)[0]
    assert avg.rho_star == rho
    assert np.array_equal(avg.regret, ucrl2_kernel(P, R, 500, rho, seed=4, n_replications=2)[0])


def test_ucrl2_computes_rho_star_and_refuses_one_that_disagrees_with_the_model():
    rho = optimal_gain(P, R)[0]
    # an independent route to rho*: the average reward of the best deterministic stationary policy, by enumeration
    best = -np.inf
    for code in range(2 ** 4):
        pol = [(code >> s) & 1 for s in range(4)]
        M = P[np.arange(4), pol]
        w, v = np.linalg.eig(M.T)
        mu = np.real(v[:, np.argmin(np.abs(w - 1))])
        mu = mu / mu.sum()
        best = max(best, float(mu @ R[np.arange(4), pol]))
    assert rho == pytest.approx(best, abs=1e-9)
    assert rl.ucrl2(P, R, 100, rho_star=rho + 5e-7).rho_star == rho + 5e-7     # within the stated tolerance
    with pytest.raises(TabularEnvError, match="rho_star = 0.9 disagrees with the model's optimal gain"):
        rl.ucrl2(P, R, 100, rho_star=0.9)
    with pytest.raises(TabularEnvError, match=r"optimal_gain returns \(rho\*, h\)"):
        rl.ucrl2(P, R, 100, rho_star=optimal_gain(P, R))
    with pytest.raises(TabularEnvError, match="rho_star must be a number"):
        rl.ucrl2(P, R, 100, rho_star="high")


def test_multichain_mdp_is_refused_by_the_gain_solver_in_bounded_time():
    P2 = np.zeros((2, 1, 2))
    P2[0, 0, 0] = P2[1, 0, 1] = 1.0                 # two absorbing states: no single gain
    with pytest.raises(TabularEnvError, match="relative value iteration did not reach"):
        rl.ucrl2(P2, np.array([[0.0], [1.0]]), 100)


def test_q_star_defaults_to_the_exact_fixed_point():
    mdp = TabularMDP(P, R, gamma=0.8)
    q_star = policy_iteration(mdp).q_values
    err, _ = rl.synchronous_q_learning(P, R, 0.8, 300, seed=2, n_replications=2)
    ref, _ = q_learning_kernel(P, R, 0.8, 300, q_star, seed=2, n_replications=2)
    assert np.allclose(err, ref, atol=1e-12)


BAD_CALLS = {
    "n_replications": (lambda: rl.ucbvi(P, R, 3, 10, n_replications=0), "n_replications must be an integer >= 1"),
    "n_replications float": (lambda: rl.ucrl2(P, R, 10, n_replications=2.5), "n_replications must be an integer"),
    "seed": (lambda: rl.generative_counts(P, 5, -1), "seed must be an integer >= 0"),
    "first_replication": (lambda: rl.sqirl(P, R, 3, 1, 2, first_replication=-1), "first_replication must be"),
    "K": (lambda: rl.ucbvi(P, R, 3, 2.5), "K must be an integer >= 1"),
    "H": (lambda: rl.ucb_hoeffding(P, R, 0, 10), "H must be an integer >= 1"),
    "T": (lambda: rl.ucrl2(P, R, 0), "T must be an integer >= 1"),
    "x1": (lambda: rl.ucbvi(P, R, 3, 10, x1=7), "x1 must be a state"),
    "bonus": (lambda: rl.ucbvi(P, R, 3, 10, bonus="hoeffding"), "unknown bonus 'hoeffding'"),
    "delta": (lambda: rl.ucrl2(P, R, 10, delta=1.5), "delta must lie in"),
    "checkpoints": (lambda: rl.ucbvi(P, R, 3, 10, checkpoints=[5, 3]), "checkpoints must be strictly increasing"),
    "rewards": (lambda: rl.ucbvi(P, R + 1, 3, 10), r"UCBVI assumes rewards in \[0, 1\]"),
    "P": (lambda: rl.ucbvi(P[:, :, :3], R, 3, 10), "P must have shape"),
    "q_star shape": (lambda: rl.synchronous_q_learning(P, R, 0.9, 10, np.zeros((3, 2))),
                     r"q_star must have shape \(4, 2\), got \(3, 2\)"),
    "q_star finite": (lambda: rl.synchronous_q_learning(P, R, 0.9, 10, np.full((4, 2), np.nan)),
                      r"q_star must be finite: q_star\(0, 0\)"),
    "policy": (lambda: rl.synchronous_q_learning(P, R, 0.9, 10, policy=[0, 1, 2, 0]), "policy must be 4 integer"),
    "Q0": (lambda: rl.synchronous_q_learning(P, R, 0.9, 10, Q0=np.zeros(4)), "Q0 must have shape"),
    "v_target": (lambda: rl.td0(P[:, 0], R[:, 0], 0.9, 10, alpha=0.1, v_target=np.zeros(3)), "v_target must have"),
    "eps": (lambda: rl.rf_express(P, 3, -1.0), "eps must be a positive accuracy"),
    "max_episodes": (lambda: rl.rf_express(P, 3, 1.0, max_episodes=0), "max_episodes must be an integer >= 1"),
    "m": (lambda: rl.sqirl(P, R, 3, 1, 0), "m must be an integer >= 1"),
    "N": (lambda: rl.generative_counts(P, 0, 1), "N must be an integer >= 1"),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_every_bad_argument_gets_one_error_naming_it(case):
    call, message = BAD_CALLS[case]
    with pytest.raises(TabularEnvError, match=message):
        call()
