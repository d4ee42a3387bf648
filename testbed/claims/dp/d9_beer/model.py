"""Linear value functions that satisfy the Bellman evaluation equation (claim D9).

- ``beer_cosine_bound`` (He et al. 2024, BEER): if Q = phi^T w satisfies the Bellman evaluation equation,
  r = (phi - gamma phibar)^T w with phibar = E[phi(s', a')], then Cauchy-Schwarz gives
  cos(phi, phibar) <= (||phi||^2 + gamma^2 ||phibar||^2 - r^2/||w||^2) / (2 gamma ||phi|| ||phibar||), with
  equality iff phi - gamma phibar is parallel to w.
"""
from __future__ import annotations

import numpy as np

from proofs_check import beer_cosine_he2024
from tabular_envs.mdp.model import TabularMDP
from tabular_envs.mdp.solvers import policy_matrix

__all__ = ["linear_bellman_instance", "beer_cosine_bound", "cosines"]

_BEER = beer_cosine_he2024().numeric()


def linear_bellman_instance(mdp: TabularMDP, policy, features: np.ndarray, w: np.ndarray):
    """Rewards making Q = features @ w satisfy Q = r + gamma P^pi Q exactly; returns (r, Q, phibar) with
    phibar(s, a) = E[phi(s', a')] under P and the policy. features: (S, A, d)."""
    pi = policy_matrix(mdp, policy)
    Q = features @ w
    phibar = np.einsum("sat,tb,tbd->sad", mdp.P, pi, features)
    return Q - mdp.gamma * phibar @ w, Q, phibar


def cosines(features, phibar) -> np.ndarray:
    """cos(phi(s,a), phibar(s,a)) at every (s, a)."""
    num = np.sum(features * phibar, axis=-1)
    return num / (np.linalg.norm(features, axis=-1) * np.linalg.norm(phibar, axis=-1))


def beer_cosine_bound(features, phibar, r, w, gamma: float) -> np.ndarray:
    """He et al. (2024)'s bound on cos(phi(s,a), phibar(s,a)) at every (s, a) (``proofs_check.beer_cosine_he2024``)."""
    return _BEER(phi_norm=np.linalg.norm(features, axis=-1), phibar_norm=np.linalg.norm(phibar, axis=-1), r=r,
                 w_norm=np.sqrt(w @ w), gamma=gamma)

