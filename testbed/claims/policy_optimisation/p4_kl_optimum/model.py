"""A depth-2 binary tree with a uniform reference policy: the KL-regularised objective by enumeration, its token-level
optimum, Value Augmented Sampling's one step, and the population DPO loss over the four responses (leaves)."""
from itertools import product

import numpy as np
from scipy.optimize import brentq

LEAVES = np.array([[1.0, 0.0], [0.6, 0.6]])       # leaf rewards under (root action, second action)


def objective(policy_root, policy_nodes, leaves, ref_root, ref_nodes, beta):
    """J(pi) = E_pi[R] - beta KL(pi || pi_0) over the four trajectories (enumeration)."""
    J = 0.0
    for a, b in product(range(2), range(2)):
        p = policy_root[a] * policy_nodes[a][b]
        if p > 0:
            q = ref_root[a] * ref_nodes[a][b]
            J += p * (leaves[a, b] - beta * np.log(p / q))
    return J


def closed_form_optimum(leaves, ref_root, ref_nodes, beta):
    """J* = beta log E_{pi_0} exp(R / beta) (the Gibbs variational identity)."""
    w = np.array([[ref_root[a] * ref_nodes[a][b] for b in range(2)] for a in range(2)])
    return beta * np.log(np.sum(w * np.exp(leaves / beta)))


def token_level_optimum(leaves, ref_root, ref_nodes, beta, exponent="r_over_beta", node_value="soft"):
    """pi*(a|s) proportional to pi_0(a|s) exp(Q_soft(s, a) / beta), Q_soft by the soft backup with pi_0
    (log-sum-exp). Traps: ``exponent='beta_r'`` uses exp(beta r); ``node_value='expectation'`` backs up E_{pi_0}
    instead of the soft value."""
    scale = (lambda x: beta * x) if exponent == "beta_r" else (lambda x: x / beta)
    nodes = [np.asarray(ref_nodes[a]) * np.exp(scale(leaves[a])) for a in range(2)]
    nodes = [n / n.sum() for n in nodes]
    if node_value == "soft":
        V = np.array([beta * np.log(np.sum(np.asarray(ref_nodes[a]) * np.exp(leaves[a] / beta))) for a in range(2)])
    else:
        V = np.array([np.sum(np.asarray(ref_nodes[a]) * leaves[a]) for a in range(2)])
    root = np.asarray(ref_root) * np.exp(scale(V))
    return root / root.sum(), nodes


def vas_policy(leaves, ref_root, ref_nodes, beta, depth=2):
    """Value Augmented Sampling: pi proportional to pi_0 exp(Q^{pi_0} / beta) (Q of pi_0, an expectation). At depth 1
    (only the root decides; the second step follows pi_0) it is the optimum."""
    Q_root = np.array([np.sum(np.asarray(ref_nodes[a]) * leaves[a]) for a in range(2)])
    root = np.asarray(ref_root) * np.exp(Q_root / beta)
    if depth == 1:
        return root / root.sum(), [np.asarray(n, dtype=float) for n in ref_nodes]
    nodes = [np.asarray(ref_nodes[a]) * np.exp(leaves[a] / beta) for a in range(2)]
    return root / root.sum(), [n / n.sum() for n in nodes]


def iterate_soft_improvement(leaves, ref_root, ref_nodes, beta, iterations):
    """pi_{k+1} proportional to pi_0 exp(Q^{pi_k}_beta / beta) with the KL-regularised Q of pi_k; pi_1 is VAS."""
    root, nodes = np.asarray(ref_root, dtype=float), [np.asarray(n, dtype=float) for n in ref_nodes]
    for _ in range(iterations):
        V_nodes = np.array([np.sum(nodes[a] * (leaves[a] - beta * np.log(nodes[a] / np.asarray(ref_nodes[a]))))
                            for a in range(2)])
        new_nodes = [np.asarray(ref_nodes[a]) * np.exp(leaves[a] / beta) for a in range(2)]
        root = np.asarray(ref_root) * np.exp(V_nodes / beta)
        root, nodes = root / root.sum(), [n / n.sum() for n in new_nodes]
    return root, nodes


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def dpo_pair_minimiser(r_i, r_j):
    """argmin_h of the population DPO pair loss -[p log s(h) + (1 - p) log s(-h)], p = s(r_i - r_j): the loss is
    convex with derivative s(h) - p, whose root is found by Brent's method to 1e-14 (a minimiser search on the flat
    loss itself is only good to about sqrt(machine epsilon)); the answer is r_i - r_j."""
    p = _sigmoid(r_i - r_j)
    return float(brentq(lambda h: _sigmoid(h) - p, -50.0, 50.0, xtol=1e-14, rtol=4 * np.finfo(float).eps))


def dpo_logits(pi, ref, beta, with_reference=True):
    """u_i = beta log(pi_i / pi_0,i) (the DPO implicit reward; without the reference: beta log pi_i, the trap)."""
    return beta * (np.log(pi) - (np.log(ref) if with_reference else 0.0))


def dpo_hessian_rank(pairs, h_values, n):
    """Rank of the population DPO loss's Hessian in the implicit rewards u (n of them): sum over the compared pairs
    of s'(h) (e_i - e_j)(e_i - e_j)^T. n - 1 (only the common shift free) when the comparison graph is connected."""
    H = np.zeros((n, n))
    for (i, j), h in zip(pairs, h_values, strict=True):
        e = np.zeros(n)
        e[i], e[j] = 1.0, -1.0
        H += _sigmoid(h) * _sigmoid(-h) * np.outer(e, e)
    return int(np.sum(np.linalg.eigvalsh(H) > 1e-12))
