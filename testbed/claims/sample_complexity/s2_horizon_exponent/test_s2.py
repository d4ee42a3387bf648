"""Claim S2 by hand: the one-action run is TD on the Markov reward process, and the two-action Q-learning error
sits above TD's on the same tape-driven instance (the max over noisy equal actions biases upward)."""
import numpy as np

from tabular_envs import azar_hard_instance, policy_evaluation
from tabular_envs.rl import synchronous_q_learning


def test_q_learning_error_exceeds_td_error_at_gamma_09():
    errs = {}
    for A in (1, 2):
        mdp = azar_hard_instance(0.9, A)
        q_star = mdp.r + 0.9 * mdp.P @ policy_evaluation(mdp, np.zeros(3, dtype=np.int64))
        policy = np.zeros(3, dtype=np.int64) if A == 1 else None
        err, Q = synchronous_q_learning(mdp.P, mdp.r, 0.9, 20_000, q_star, policy=policy, seed=3, n_replications=200)
        errs[A] = err[:, -1].mean()
        if A == 2:
            assert np.mean(Q[:, 1, :].max(axis=1) - q_star[1, 0]) > 0     # upward bias of the max at y
    assert errs[2] > 1.2 * errs[1]


def test_negative_control_td_with_one_over_t_is_violated():
    """A wrong algorithm for the claim's setting: TD(0) with eta_t = 1/t (not the rescaled linear rate) grows
    exponentially in 1/(1 - gamma), and S2's own TD decision calls it violated."""
    from testbed.stats import decide_slope_below

    from .claim import TD_EXPONENT, TOLERANCE
    cols, xs = [], []
    for g in (0.8, 0.9, 0.95):
        mdp = azar_hard_instance(g, 1)
        q_star = mdp.r + g * mdp.P @ policy_evaluation(mdp, np.zeros(3, dtype=np.int64))
        err, _ = synchronous_q_learning(mdp.P, mdp.r, g, 2 ** 14, q_star, schedule="one_over_t",
                                        policy=np.zeros(3, dtype=np.int64), seed=11, n_replications=100)
        cols.append(err[:, -1])
        xs.append(1 / (1 - g))
    v = decide_slope_below([np.column_stack(cols)], [np.array(xs)], TD_EXPONENT + TOLERANCE, 0.005, ["TD 1/t"])
    assert v.verdict == "violated", v.evidence
