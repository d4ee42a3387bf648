"""Representation and model-error quantities for linear and Lipschitz value functions.

- ``beer_cosine_bound`` (He et al. 2024, BEER): if Q = phi^T w satisfies the Bellman evaluation equation,
  r = (phi - gamma phibar)^T w with phibar = E[phi(s', a')], then Cauchy-Schwarz gives
  cos(phi, phibar) <= (||phi||^2 + gamma^2 ||phibar||^2 - r^2/||w||^2) / (2 gamma ||phi|| ||phibar||), with
  equality iff phi - gamma phibar is parallel to w.
- ``wasserstein1_line``: W_1 between distributions on states 0..n-1 with the metric |i - j| (CDF differences).
- ``lipschitz_constant_line``: max_i |V(i+1) - V(i)|, the Lipschitz constant of V for |i - j|.
"""
from __future__ import annotations

import numpy as np

from .mdp import TabularMDP
from .solvers import policy_matrix

__all__ = ["linear_bellman_instance", "beer_cosine_bound", "cosines", "wasserstein1_line", "lipschitz_constant_line"]


def linear_bellman_instance(mdp: TabularMDP, policy, features: np.ndarray, w: np.ndarray):
    """Rewards making Q = features @ w satisfy Q = r + gamma P^pi Q exactly; returns (r, Q, phibar) with
    phibar(s, a) = E[phi(s', a')] under P and the policy. features: (S, A, d)."""
    pi = policy_matrix(mdp, policy)
    Q = features @ w
    phibar = np.einsum("sat,tb,tbd->sad", mdp.P, pi, features)
    return Q - mdp.gamma * phibar @ w, Q, phibar


def cosines(features, phibar) -> np.ndarray:
    num = np.sum(features * phibar, axis=-1)
    return num / (np.linalg.norm(features, axis=-1) * np.linalg.norm(phibar, axis=-1))


def beer_cosine_bound(features, phibar, r, w, gamma: float) -> np.ndarray:
    nf, nb = np.linalg.norm(features, axis=-1), np.linalg.norm(phibar, axis=-1)
    return (nf ** 2 + gamma ** 2 * nb ** 2 - r ** 2 / (w @ w)) / (2 * gamma * nf * nb)


def wasserstein1_line(p, q) -> float:
    return float(np.sum(np.abs(np.cumsum(np.asarray(p) - np.asarray(q)))[:-1]))


def lipschitz_constant_line(V) -> float:
    return float(np.max(np.abs(np.diff(V)))) if len(V) > 1 else 0.0
