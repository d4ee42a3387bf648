"""Exact softmax policy gradient (PG) and natural policy gradient (NPG) iterations, bandit and MDP.

Bandit (one state, K arms, rewards r): pi_theta = softmax(theta), d(pi^T r)/d theta_a = pi_a (r_a - pi^T r) (Mei,
Xiao, Szepesvari, Schuurmans 2020, Lemma 2 / update (2)). MDP: dV^{pi_theta}(mu)/d theta(s, a) =
1/(1 - gamma) d^{pi}_mu(s) pi(a|s) A^{pi}(s, a), with d^{pi}_mu the normalised discounted state occupancy (Agarwal,
Kakade, Lee, Mahajan 2021, Lemma 4.1 / eq. (12)). NPG for the softmax class: pi_{t+1}(a|s) proportional to
pi_t(a|s) exp(eta A^{(t)}(s, a) / (1 - gamma)) (Agarwal et al. 2021, eq. (17)); with entropy regularisation tau,
pi_{t+1}(a|s) proportional to pi_t(a|s)^{1 - eta tau/(1 - gamma)} exp(eta Q_tau^{(t)}(s, a)/(1 - gamma))
(Cen, Cheng, Chen, Wei, Chi 2021, eq. (18)).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import InvalidBanditError, InvalidMDPError
from ..mdp.model import TabularMDP
from .soft_bellman import regularised_policy_evaluation

__all__ = ["BANDIT_UPDATES", "softmax", "bandit_policy_gradient", "mdp_policy_gradient", "policy_gradient_mdp",
           "npg_step", "entropy_npg_step", "policy_values"]

# the bandit updates: the exact gradient; the baseline-free update theta_a += eta pi_a r_a (a different dynamic);
# NPG (theta += eta (r - pi^T r)), which converges geometrically
BANDIT_UPDATES = {"pg": 0, "baseline_free": 1, "npg": 2}


def softmax(theta: np.ndarray) -> np.ndarray:
    """Row-wise softmax (last axis), from the maximum."""
    z = np.exp(theta - np.max(theta, axis=-1, keepdims=True))
    return z / np.sum(z, axis=-1, keepdims=True)


@njit(cache=True)
def _bandit_run(r, eta, T, update, checkpoints):
    K = r.size
    best = np.argmax(r)
    theta = np.zeros(K)
    pi = np.empty(K)
    gaps = np.empty(checkpoints.size)
    c = 1.0
    worst_tgap, worst_t, worst_gap = 0.0, 1, 0.0
    j = 0
    for t in range(T + 1):
        m = theta.max()
        z = 0.0
        for a in range(K):
            pi[a] = np.exp(theta[a] - m)
            z += pi[a]
        v = 0.0
        gap = 0.0
        for a in range(K):
            pi[a] /= z
            v += pi[a] * r[a]
            gap += pi[a] * (r[best] - r[a])         # sum of nonnegative terms: no cancellation near 0
        if pi[best] < c:
            c = pi[best]
        if t >= 1 and t * gap > worst_tgap:
            worst_tgap, worst_t, worst_gap = t * gap, t, gap
        while j < checkpoints.size and checkpoints[j] == t:
            gaps[j] = gap
            j += 1
        for a in range(K):
            if update == 0:
                theta[a] += eta * pi[a] * (r[a] - v)
            elif update == 1:
                theta[a] += eta * pi[a] * r[a]
            else:
                theta[a] += eta * (r[a] - v)
    return gaps, c, worst_t, worst_gap


def bandit_policy_gradient(r, eta: float, T: int, update: str = "pg", checkpoints=None):
    """Exact softmax PG on a K-armed bandit from theta_0 = 0 for T steps (Mei et al. 2020, update (2)).

    Returns a dict: ``gaps`` r* - pi_t^T r at the (sorted) ``checkpoints`` (default: 0..T on a log grid), ``c`` =
    min_{t <= T} pi_t(a*), and ``worst_t``, ``worst_gap``: the t >= 1 where t * gap is largest and its gap (where the
    ratio gap / (5 / (c^2 t)) is largest, so the bound holds at every t <= T iff it holds there)."""
    r = np.asarray(r, dtype=np.float64)
    if r.ndim != 1 or r.size < 2 or not np.isfinite(r).all():
        raise InvalidBanditError(f"r must be a finite vector of at least 2 rewards, got {r!r}")
    if np.sum(r == r.max()) > 1:
        raise InvalidBanditError("r must have a unique best arm")
    if update not in BANDIT_UPDATES:
        raise InvalidBanditError(f"update must be one of {sorted(BANDIT_UPDATES)}, got {update!r}")
    if not (np.isfinite(eta) and eta > 0) or T < 1:
        raise InvalidBanditError(f"eta must be positive and T >= 1, got eta={eta!r}, T={T!r}")
    if checkpoints is None:
        checkpoints = np.unique(np.round(np.logspace(0, np.log10(T), 60)).astype(np.int64))
    ck = np.unique(np.asarray(checkpoints, dtype=np.int64))
    if ck.size and (ck[0] < 0 or ck[-1] > T):
        raise InvalidBanditError(f"checkpoints must lie in 0..{T}")
    gaps, c, wt, wg = _bandit_run(r, float(eta), int(T), BANDIT_UPDATES[update], ck)
    return {"checkpoints": ck, "gaps": gaps, "c": float(c), "worst_t": int(wt), "worst_gap": float(wg)}


def policy_values(mdp: TabularMDP, pi: np.ndarray, reward: np.ndarray | None = None):
    """(V, Q, normalised discounted state occupancy matrix M = (1 - gamma)(I - gamma P_pi)^{-1}) of a stochastic
    policy for ``reward`` (default mdp.r)."""
    if mdp.gamma is None:
        raise InvalidMDPError("policy gradients here are for discounted MDPs")
    r = mdp.r if reward is None else reward
    P_pi = np.einsum("sa,sat->st", pi, mdp.P)
    M = np.linalg.inv(np.eye(mdp.n_states) - mdp.gamma * P_pi)
    V = M @ np.einsum("sa,sa->s", pi, r)
    return V, r + mdp.gamma * mdp.P @ V, (1 - mdp.gamma) * M


def mdp_policy_gradient(mdp: TabularMDP, theta: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """dV^{pi_theta}(mu) / d theta = d^{pi}_mu(s) pi(a|s) A(s, a) / (1 - gamma) (Agarwal et al. 2021, Lemma 4.1)."""
    pi = softmax(theta)
    V, Q, M = policy_values(mdp, pi)
    d = mu @ M
    return d[:, None] * pi * (Q - V[:, None]) / (1 - mdp.gamma)


def policy_gradient_mdp(mdp: TabularMDP, eta: float, T: int, mu: np.ndarray, checkpoints, update: str = "pg"
                        ) -> dict:
    """Exact softmax PG on an MDP from theta = 0: V^{pi_t}(mu) at the checkpoints and c = min_{s, t <= T}
    pi_t(a*(s)|s) for the optimal actions a*(s) of the MDP (Mei et al. 2020, Thm 4's setting). ``update``: "pg"
    (the gradient), "npg" (theta += eta A / (1 - gamma), natural PG) or "baseline_free" (Q in place of the
    advantage A)."""
    from ..mdp.solvers import value_iteration
    if update not in BANDIT_UPDATES:
        raise InvalidMDPError(f"update must be one of {sorted(BANDIT_UPDATES)}, got {update!r}")
    best = value_iteration(mdp, epsilon=1e-12).policy
    theta = np.zeros(mdp.r.shape)
    ck = set(int(x) for x in checkpoints)
    values, c = {}, 1.0
    g = mdp.gamma
    for t in range(T + 1):
        pi = softmax(theta)
        c = min(c, float(np.min(pi[np.arange(mdp.n_states), best])))
        V, Q, M = policy_values(mdp, pi)
        if t in ck:
            values[t] = float(mu @ V)
        if t < T:
            if update == "npg":
                theta = theta + eta * (Q - V[:, None]) / (1 - g)
            else:
                weight = Q if update == "baseline_free" else Q - V[:, None]
                theta = theta + eta * (mu @ M)[:, None] * pi * weight / (1 - g)
    return {"checkpoints": np.array(sorted(values)), "values": np.array([values[k] for k in sorted(values)]),
            "c": c}


def npg_step(mdp: TabularMDP, pi: np.ndarray, eta: float, reward: np.ndarray | None = None) -> np.ndarray:
    """One unregularised softmax NPG step: pi' proportional to pi exp(eta A / (1 - gamma)) (Agarwal et al. eq. (17))."""
    V, Q, _ = policy_values(mdp, pi, reward)
    with np.errstate(divide="ignore"):          # an action whose probability underflowed to 0 stays at 0
        logits = np.log(pi) + eta * (Q - V[:, None]) / (1 - mdp.gamma)
    return softmax(logits)


def entropy_npg_step(mdp: TabularMDP, pi: np.ndarray, eta: float, tau: float, scaled: bool = True,
                     entropy_in_q: bool = True) -> np.ndarray:
    """One entropy-regularised NPG step (Cen et al. 2021, eq. (18)): pi' proportional to
    pi^{1 - eta tau/(1 - gamma)} exp(eta Q_tau / (1 - gamma)). ``scaled=False`` drops the (1 - gamma) from both
    places (pi^{1 - eta tau} exp(eta Q_tau)), ``entropy_in_q=False`` uses Q without the -tau log pi term (the two
    traps of claim P2)."""
    g = mdp.gamma
    Q = regularised_policy_evaluation(mdp, pi, tau)[0] if entropy_in_q else policy_values(mdp, pi)[1]
    k = (1 - g) if scaled else 1.0
    return softmax((1 - eta * tau / k) * np.log(pi) + eta * Q / k)
