"""The catalogue's constrained MDP and the primal-dual iteration P5 runs on it."""
import numpy as np

from tabular_envs.mdp.model import TabularMDP
from tabular_envs.policy_opt.occupancy import ConstrainedMDP, occupancy
from tabular_envs.policy_opt.softmax_pg import policy_values, softmax


def catalogue_cmdp() -> ConstrainedMDP:
    """S = 2, A = 2, gamma = 0.9, mu0 = e_0; r = ((1, 0.2), (0, 0.5)), c = ((1, 0), (0.8, 0.1)), b = 2."""
    P = np.array([[[0.2, 0.8], [0.9, 0.1]], [[0.7, 0.3], [0.1, 0.9]]])
    mdp = TabularMDP(P, np.array([[1.0, 0.2], [0.0, 0.5]]), gamma=0.9, initial=np.array([1.0, 0.0]), name="P5 CMDP")
    return ConstrainedMDP(mdp, np.array([[1.0, 0.0], [0.8, 0.1]]), 2.0)


def primal_dual(cmdp: ConstrainedMDP, T: int, eta_pi: float, eta_lam: float, sign: float = 1.0):
    """NPG on the Lagrangian r - lambda c for the policy, projected gradient descent on lambda >= 0 (step
    ``sign * eta_lam * (V_c - b)``; sign = -1 is the wrong-sign trap), exact gradients, from the uniform policy and
    lambda = 0 (the NPG primal-dual method of Ding, Zhang, Basar, Jovanovic 2020; the claim takes both steps
    1/sqrt(T)). Returns per iteration the last iterate's (V_r, V_c), the running average occupancy's (V_r, V_c)
    and lambda."""
    mdp, c, b = cmdp.mdp, cmdp.cost, cmdp.budget
    theta = np.zeros(mdp.r.shape)          # NPG in logit space (log pi would underflow to -inf)
    pi = softmax(theta)
    lam = 0.0
    d_sum = np.zeros(mdp.r.shape)
    last, avg, lams = np.empty((T, 2)), np.empty((T, 2)), np.empty(T)
    for t in range(T):
        d = occupancy(mdp, pi)
        vr, vc = float(np.sum(d * mdp.r)), float(np.sum(d * c))
        d_sum += d
        last[t] = vr, vc
        avg[t] = np.sum(d_sum * mdp.r) / (t + 1), np.sum(d_sum * c) / (t + 1)
        lams[t] = lam
        V, Q, _ = policy_values(mdp, pi, mdp.r - lam * c)
        theta = theta + eta_pi * (Q - V[:, None]) / (1 - mdp.gamma)
        pi = softmax(theta)
        lam = max(0.0, lam + sign * eta_lam * (vc - b))
    return last, avg, lams
