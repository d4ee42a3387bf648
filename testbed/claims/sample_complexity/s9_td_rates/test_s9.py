"""Claim S9 by hand: the kernel equals its reference on the same tape; a wrong discount is caught."""
import numpy as np

from tabular_envs.rl import stationary_distribution, td0, td0_reference

from .claim import GAMMA, reward_process


def test_kernel_equals_reference_iid_and_markov():
    P, r = reward_process()
    mu = stationary_distribution(P)
    v_pi = np.linalg.solve(np.eye(5) - GAMMA * P, r)
    for markov in (False, True):
        last, avg = td0(P, r, GAMMA, 400, alpha=0.05, markov=markov, seed=8, n_replications=2, first_replication=1)
        V, V_bar = td0_reference(P, r, GAMMA, 400, alpha=0.05, markov=markov, seed=8, rep=2)
        assert abs(last[1, -1] - mu @ (V - v_pi) ** 2) < 1e-12
        assert abs(avg[1, -1] - mu @ (V_bar - v_pi) ** 2) < 1e-12


def test_stationary_distribution_by_hand():
    P = np.array([[0.9, 0.1], [0.5, 0.5]])
    assert np.allclose(stationary_distribution(P), [5 / 6, 1 / 6])


def test_negative_control_td_with_a_wrong_discount_is_violated():
    """TD whose target discounts by gamma^2 converges to another value function: measured against V^pi of the
    claimed gamma its error stops decreasing, and S9's own decaying-step decision calls it violated."""
    from testbed.stats import decide_slope_below

    from .claim import TOL_DECAY
    P, r = reward_process()
    beta = 2 / ((1 - GAMMA) * stationary_distribution(P).min())
    ck = np.array([1000, 4000, 16000, 64000])
    v_pi = np.linalg.solve(np.eye(5) - GAMMA * P, r)
    last, _ = td0(P, r, GAMMA ** 2, 64000, beta=beta, lam=beta, seed=1, n_replications=100, checkpoints=ck,
                  v_target=v_pi)
    v = decide_slope_below([last], [ck.astype(float)], -1 + TOL_DECAY, 0.002, ["TD with gamma^2"])
    assert v.verdict == "violated", v.evidence


def test_linear_kernel_equals_reference_with_and_without_projection():
    from tabular_envs.rl.linear_td import linear_td0, linear_td0_reference, td_fixed_point

    from .claim import linear_features
    P, r = reward_process()
    phi = linear_features()
    theta_star = td_fixed_point(P, r, GAMMA, phi)
    gram = phi.T @ np.diag(stationary_distribution(P)) @ phi
    for markov, radius in ((False, None), (True, 1.5)):
        last, avg = linear_td0(P, r, GAMMA, phi, 600, alpha=0.1, radius=radius, markov=markov, seed=4,
                               n_replications=2)
        theta, theta_bar = linear_td0_reference(P, r, GAMMA, phi, 600, alpha=0.1, radius=radius, markov=markov,
                                                seed=4, rep=1)
        assert abs(last[1, -1] - (theta - theta_star) @ gram @ (theta - theta_star)) < 1e-12
        assert abs(avg[1, -1] - (theta_bar - theta_star) @ gram @ (theta_bar - theta_star)) < 1e-12
        if radius is not None:
            assert np.linalg.norm(theta) <= radius + 1e-12


def test_negative_control_linear_td_with_a_wrong_discount_is_violated():
    """Linear TD with gamma^2 in its target has another fixed point: measured against theta* of gamma its averaged
    error stops decreasing, and S9's linear decision (slope below -1/2 + 0.05) calls it violated."""
    from tabular_envs.rl.linear_td import linear_td0, td_fixed_point
    from testbed.stats import decide_slope_below

    from .claim import TOL_LINEAR, linear_features
    P, r = reward_process()
    phi = linear_features()
    Ts = (16000, 64000, 256000)
    cols = [linear_td0(P, r, GAMMA ** 2, phi, T, alpha=1 / np.sqrt(T), seed=2, n_replications=200,
                       theta_target=td_fixed_point(P, r, GAMMA, phi))[1][:, -1] for T in Ts]
    v = decide_slope_below([np.column_stack(cols)], [np.array(Ts, float)], -0.5 + TOL_LINEAR, 0.01, ["wrong gamma"])
    assert v.verdict == "violated", v.evidence
