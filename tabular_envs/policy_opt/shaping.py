"""Reward shaping transforms (Ng, Harada, Russell 1999, "Policy invariance under reward transformations", Thm 1).

Potential-based shaping adds F(s, a, s') = gamma Phi(s') - Phi(s); in expectation the shaped reward is
r'(s, a) = r(s, a) + gamma sum_s' P(s'|s, a) Phi(s') - Phi(s), and Q'* = Q* - Phi(s) (so the optimal policies are
the same). In a finite-horizon (episodic, gamma = 1) MDP the same holds with a time-indexed Phi_h and
Phi_H (terminal) = 0. Return redistribution (RUDDER, LaRe) moves reward along an episode keeping its sum.
"""
from __future__ import annotations

import numpy as np

from ..errors import InvalidMDPError
from ..mdp.model import TabularMDP

__all__ = ["potential_shaping", "mismatched_shaping", "finite_horizon_shaping", "finite_horizon_q",
           "toward_goal_chain", "redistribute_along_paths"]


def _phi(mdp: TabularMDP, phi) -> np.ndarray:
    phi = np.asarray(phi, dtype=np.float64)
    if phi.shape != (mdp.n_states,) or not np.isfinite(phi).all():
        raise InvalidMDPError(f"phi must be a finite vector of shape ({mdp.n_states},), got {phi.shape}")
    return phi


def potential_shaping(mdp: TabularMDP, phi) -> TabularMDP:
    """The MDP with r'(s, a) = r + gamma P Phi - Phi (Ng et al. 1999, Thm 1)."""
    phi = _phi(mdp, phi)
    return TabularMDP(mdp.P, mdp.r + mdp.gamma * mdp.P @ phi - phi[:, None], gamma=mdp.gamma, initial=mdp.initial)


def mismatched_shaping(mdp: TabularMDP, phi) -> TabularMDP:
    """The discount-mismatch trap: F = Phi(s') - Phi(s) in a discounted MDP (not potential-based for gamma < 1)."""
    phi = _phi(mdp, phi)
    return TabularMDP(mdp.P, mdp.r + mdp.P @ phi - phi[:, None], gamma=mdp.gamma, initial=mdp.initial)


def finite_horizon_q(P: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Q*_h(s, a) by backward induction for time-indexed P (H, S, A, S) and r (H, S, A), undiscounted."""
    H = r.shape[0]
    Q = np.zeros(r.shape)
    V = np.zeros(r.shape[1])
    for h in range(H - 1, -1, -1):
        Q[h] = r[h] + P[h] @ V
        V = Q[h].max(axis=1)
    return Q


def finite_horizon_shaping(P: np.ndarray, r: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """r'_h(s, a) = r_h + sum_s' P_h(s'|s, a) Phi_{h+1}(s') - Phi_h(s) with Phi (H + 1, S), Phi_H the terminal
    potential (0 for the theorem; a "progress" bonus mu(s_{t+1}) - mu(s_t) is Phi = mu with gamma = 1)."""
    phi = np.asarray(phi, dtype=np.float64)
    H, S, _ = r.shape
    if phi.shape != (H + 1, S):
        raise InvalidMDPError(f"phi must have shape ({H + 1}, {S}), got {phi.shape}")
    return r + np.einsum("hsat,ht->hsa", P, phi[1:]) - phi[:-1, :, None]


def toward_goal_chain(n_states: int, gamma: float, bonus: float) -> TabularMDP:
    """A chain 0..n-1 with the goal at n-1 (absorbing, reward 0 after arrival): action 0 moves left (reflecting at
    0), action 1 right; reward 1 for the step into the goal, plus ``bonus`` for every step toward the goal and no
    penalty for a step back (the non-potential shaping of claim P7's catalogue)."""
    S = int(n_states)
    P = np.zeros((S, 2, S))
    r = np.zeros((S, 2))
    for s in range(S - 1):
        P[s, 0, max(s - 1, 0)] = 1.0
        P[s, 1, s + 1] = 1.0
        r[s, 1] = bonus + (1.0 if s + 1 == S - 1 else 0.0)
    P[S - 1, :, S - 1] = 1.0
    return TabularMDP(P, r, gamma=gamma, name=f"toward-goal chain (bonus {bonus:g})")


def redistribute_along_paths(path_rewards: np.ndarray, rng) -> np.ndarray:
    """Return redistribution: each row (one episode's per-step rewards) gets a random zero-sum change, so every
    episode keeps its return (RUDDER, LaRe)."""
    g = np.random.default_rng(rng)
    x = np.asarray(path_rewards, dtype=np.float64)
    noise = g.normal(0, 1, x.shape)
    return x + noise - noise.mean(axis=-1, keepdims=True)
