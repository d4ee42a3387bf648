"""The sample-based RL engine for users: one import, one call per agent, every argument checked.

    from tabular_envs.rl import ucbvi, ucrl2
    run = ucbvi(P, r, H=5, K=2000, n_replications=8, seed=1)
    run.regret          # (replications, checkpoints) cumulative pseudo-regret

Each agent takes the MDP as arrays (``P`` (S, A, S), ``r`` (S, A); episodic agents also ``H``), runs on the
transition tape (common random numbers: the same seed gives the same numbers to every agent, whatever the number of
threads) and returns a named tuple. Every bad argument raises a ``TabularEnvError`` naming it. The kernels behind
these calls (``tabular_envs.rl.ucbvi.ucbvi`` and its siblings, which take an ``EpisodicModel``) are what the claims
run; this layer only checks, converts and names.

Agents and the papers they implement: ``ucbvi`` (Azar, Osband, Munos 2017, Alg. 1, Chernoff-Hoeffding or
Bernstein-Freedman bonus), ``ucb_hoeffding`` (Jin et al. 2018, Alg. 1), ``ucrl2`` (Jaksch, Ortner, Auer 2010,
Fig. 1), ``rf_express`` (Menard et al. 2021, Alg. 1), ``sqirl`` (Laidlaw et al. 2023, tabular), and the
discounted ``synchronous_q_learning``, ``td0``, ``generative_counts``.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..errors import TabularEnvError
from . import generative as _generative
from . import optimistic_q as _optimistic_q
from . import qlearning as _qlearning
from . import reward_free as _reward_free
from . import sqirl as _sqirl
from . import td as _td
from . import ucbvi as _ucbvi
from . import ucrl2 as _ucrl2
from .episodic import episodic_model
from .tape import checkpoint_grid

__all__ = ["ucbvi", "ucb_hoeffding", "ucrl2", "rf_express", "sqirl", "synchronous_q_learning", "td0",
           "generative_counts", "UCBVIRun", "UCBHoeffdingRun", "UCRL2Run", "RFExpressRun", "SQIRLRun",
           "RHO_STAR_TOLERANCE"]

# A caller's rho* may differ from relative value iteration's (span 1e-12) by this much before it is refused: loose
# enough for a gain computed by another solver, far below any regret the runs can resolve.
RHO_STAR_TOLERANCE = 1e-6
# relative value iteration's budget here: a communicating MDP of tabular size converges in far fewer sweeps; a
# multichain one never does (its gain differs by state), and the SolverError then says so in about a second
RHO_STAR_SWEEPS = 200_000


class UCBVIRun(NamedTuple):
    regret: np.ndarray              # (replications, checkpoints): cumulative pseudo-regret after checkpoints[j]
    checkpoints: np.ndarray         # episodes
    optimism_failures: np.ndarray   # (replications,): episodes with max_a Q_1(x_1, a) < V*_1(x_1)
    counts: np.ndarray              # (replications, S, A): visits of each pair


class UCBHoeffdingRun(NamedTuple):
    regret: np.ndarray              # (replications, checkpoints): cumulative pseudo-regret
    checkpoints: np.ndarray         # episodes
    first_reward: np.ndarray        # (replications,): first episode with a positive realised reward, -1 if none


class UCRL2Run(NamedTuple):
    regret: np.ndarray              # (replications, checkpoints): T rho* - sum of rewards (realised, Thm 2)
    checkpoints: np.ndarray         # steps
    episodes: np.ndarray            # (replications,): number of episodes
    rho_star: float                 # the optimal gain the regret is measured against


class RFExpressRun(NamedTuple):
    episodes: np.ndarray            # (replications,): exploration episodes until the stopping rule (-1: none)
    counts: np.ndarray              # (replications, H, S, A, S): per-stage transitions observed


class SQIRLRun(NamedTuple):
    success: np.ndarray             # (replications,): learned policy optimal from x_1 (within 1e-4)
    policies: np.ndarray            # (replications, H, S)


def _count(name: str, value, minimum: int = 1) -> int:
    """An integer argument >= minimum (bools and non-integral floats refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise TabularEnvError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _replications(seed, n_replications, first_replication) -> tuple[int, int, int]:
    return (_count("seed", seed, 0), _count("n_replications", n_replications, 1),
            _count("first_replication", first_replication, 0))


def _model(P, r, H, x1):
    return episodic_model(P, r, _count("H", H), _count("x1", x1, 0))


def ucbvi(P, r, H: int, K: int, *, bonus: str = "ch", delta: float = 0.1, x1: int = 0, seed: int = 0,
          n_replications: int = 1, first_replication: int = 0, checkpoints=None) -> UCBVIRun:
    """UCBVI (Azar, Osband, Munos 2017, Alg. 1) for K episodes of horizon H from state x1. ``bonus``: "ch"
    (Chernoff-Hoeffding, Alg. 3) or "bf" (Bernstein-Freedman, Alg. 4)."""
    seed, n, first = _replications(seed, n_replications, first_replication)
    K = _count("K", K)
    ck = checkpoint_grid(checkpoints, K, "episodes")
    regret, failures, counts = _ucbvi.ucbvi(_model(P, r, H, x1), K, bonus=bonus, delta=delta, seed=seed,
                                            n_replications=n, first_replication=first, checkpoints=ck)
    return UCBVIRun(regret, ck, failures, counts)


def ucb_hoeffding(P, r, H: int, K: int, *, c: float = 1.0, p: float = 0.1, x1: int = 0, seed: int = 0,
                  n_replications: int = 1, first_replication: int = 0, checkpoints=None) -> UCBHoeffdingRun:
    """Q-learning with UCB-Hoeffding (Jin et al. 2018, Alg. 1, bonus c sqrt(H^3 iota / t)) for K episodes."""
    seed, n, first = _replications(seed, n_replications, first_replication)
    K = _count("K", K)
    ck = checkpoint_grid(checkpoints, K, "episodes")
    regret, first_reward = _optimistic_q.ucb_hoeffding(_model(P, r, H, x1), K, c=c, p=p, seed=seed,
                                                       n_replications=n, first_replication=first, checkpoints=ck)
    return UCBHoeffdingRun(regret, ck, first_reward)


def ucrl2(P, r, T: int, *, rho_star: float | None = None, delta: float = 0.1, x1: int = 0, seed: int = 0,
          n_replications: int = 1, first_replication: int = 0, checkpoints=None) -> UCRL2Run:
    """UCRL2 (Jaksch, Ortner, Auer 2010, Fig. 1) for T steps of one trajectory from x1; regret against rho*.

    rho* is computed here (relative value iteration, ``tabular_envs.mdp.average_reward.optimal_gain``) unless
    given; a given value that disagrees with the model's by more than ``RHO_STAR_TOLERANCE`` is refused, because a
    wrong rho* shifts every regret by (rho_given - rho*) T without any other sign."""
    from ..mdp.average_reward import optimal_gain  # the solver is needed only here

    seed, n, first = _replications(seed, n_replications, first_replication)
    T = _count("T", T)
    x1 = _count("x1", x1, 0)
    ck = checkpoint_grid(checkpoints, T, "steps")
    P, r = _ucrl2._checked(P, r, T, delta, x1)
    gain, _ = optimal_gain(P, r, max_sweeps=RHO_STAR_SWEEPS)
    if rho_star is None:
        rho = gain
    else:
        if isinstance(rho_star, (tuple, list)):
            raise TabularEnvError("rho_star must be a number; optimal_gain returns (rho*, h): pass its first element "
                                  "or leave rho_star out to have it computed")
        try:
            rho = float(rho_star)
        except (TypeError, ValueError):
            raise TabularEnvError(f"rho_star must be a number, got {rho_star!r}") from None
        if not math.isfinite(rho) or abs(rho - gain) > RHO_STAR_TOLERANCE:
            raise TabularEnvError(f"rho_star = {rho!r} disagrees with the model's optimal gain {gain!r} (relative "
                                  f"value iteration) by more than {RHO_STAR_TOLERANCE:g}; leave rho_star out to have "
                                  "it computed")
    regret, episodes, _ = _ucrl2.ucrl2(P, r, T, rho, delta=delta, x1=x1, seed=seed, n_replications=n,
                                       first_replication=first, checkpoints=ck)
    return UCRL2Run(regret, ck, episodes, rho)


def rf_express(P, H: int, eps: float, *, delta: float = 0.1, x1: int = 0, max_episodes: int = 10 ** 8, seed: int = 0,
               n_replications: int = 1, first_replication: int = 0) -> RFExpressRun:
    """Reward-free exploration with RF-Express (Menard et al. 2021, Alg. 1) until its stopping rule fires for
    accuracy eps. Exploration sees no reward, so only P is taken (rewards are set to 0)."""
    seed, n, first = _replications(seed, n_replications, first_replication)
    P = np.asarray(P, dtype=np.float64)
    if P.ndim not in (3, 4):
        raise TabularEnvError(f"P must have shape (S, A, S) or (H, S, A, S), got {P.shape}")
    model = _model(P, np.zeros(P.shape[-3:-1]), H, x1)
    episodes, counts = _reward_free.rf_express(model, eps, delta=delta, max_episodes=_count("max_episodes",
                                                                                            max_episodes),
                                               seed=seed, n_replications=n, first_replication=first)
    return RFExpressRun(episodes, counts)


def sqirl(P, r, H: int, k: int, m: int, *, x1: int = 0, seed: int = 0, n_replications: int = 1,
          first_replication: int = 0) -> SQIRLRun:
    """Tabular SQIRL(k, m) (Laidlaw, Russell, Dragan 2023): m episodes per step, k-step fitted Q iteration."""
    seed, n, first = _replications(seed, n_replications, first_replication)
    success, policies = _sqirl.sqirl(_model(P, r, H, x1), _count("k", k), _count("m", m), seed=seed,
                                     n_replications=n, first_replication=first)
    return SQIRLRun(success, policies)


def _matrix(name: str, value, shape: tuple[int, ...]) -> np.ndarray:
    try:
        out = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TabularEnvError(f"{name} must be a numeric array of shape {shape}, got {type(value).__name__}") from None
    if out.shape != shape:
        raise TabularEnvError(f"{name} must have shape {shape}, got {out.shape}")
    bad = np.argwhere(~np.isfinite(out))
    if bad.size:
        raise TabularEnvError(f"{name} must be finite: {name}{tuple(int(i) for i in bad[0])} = "
                              f"{float(out[tuple(bad[0])])!r}")
    return out


def synchronous_q_learning(P, r, gamma: float, T: int, q_star=None, *, schedule: str = "rescaled_linear",
                           param: float = 1.0, log_factor: bool = False, policy=None, seed: int = 0,
                           n_replications: int = 1, first_replication: int = 0, checkpoints=None, Q0=None):
    """Synchronous Q-learning (or TD(0) of ``policy``) with a generative model; returns (errors, Q_T) as
    ``tabular_envs.rl.qlearning.synchronous_q_learning``. ``q_star`` defaults to the exact Q* (or Q^policy) by
    policy iteration."""
    from ..mdp import TabularMDP, policy_iteration, q_of_policy

    seed, n, first = _replications(seed, n_replications, first_replication)
    T = _count("T", T)
    P, r = np.asarray(P, dtype=np.float64), np.asarray(r, dtype=np.float64)
    _qlearning._check(P, r, gamma, schedule, T, checkpoints)        # shapes, gamma, schedule, checkpoints
    S, A = r.shape
    if policy is not None:
        policy = np.asarray(policy)
        if policy.shape != (S,) or not np.issubdtype(policy.dtype, np.integer) or np.any((policy < 0) | (policy >= A)):
            raise TabularEnvError(f"policy must be {S} integer actions in [0, {A}), got {policy!r}")
    if q_star is None:
        mdp = TabularMDP(P, r, gamma=gamma)
        q_star = q_of_policy(mdp, policy if policy is not None else policy_iteration(mdp).policy)
    q_star = _matrix("q_star", q_star, (S, A))
    if Q0 is not None:
        Q0 = _matrix("Q0", Q0, (S, A))
    return _qlearning.synchronous_q_learning(P, r, gamma, T, q_star, schedule=schedule, param=param,
                                             log_factor=log_factor, policy=policy, seed=seed, n_replications=n,
                                             first_replication=first, checkpoints=checkpoints, Q0=Q0)


def td0(P, r, gamma: float, T: int, *, alpha: float | None = None, beta: float | None = None, lam: float = 1.0,
        markov: bool = False, seed: int = 0, n_replications: int = 1, first_replication: int = 0, checkpoints=None,
        v_target=None):
    """TD(0) policy evaluation on a Markov chain P (S, S) with rewards r (S,); returns (errors of the last
    iterate, errors of the averaged iterate) as ``tabular_envs.rl.td.td0``."""
    seed, n, first = _replications(seed, n_replications, first_replication)
    T = _count("T", T)
    if v_target is not None and np.ndim(r) == 1:          # a malformed r is reported by td0 itself
        v_target = _matrix("v_target", v_target, (np.shape(r)[0],))
    return _td.td0(P, r, gamma, T, alpha=alpha, beta=beta, lam=lam, markov=markov, seed=seed, n_replications=n,
                   first_replication=first, checkpoints=checkpoints, v_target=v_target)


def generative_counts(P, N: int, seed: int, n_replications: int = 1, first_replication: int = 0) -> np.ndarray:
    """counts[i, s, a, s'] of N transitions sampled per (s, a) from the generative model (the transition tape)."""
    seed, n, first = _replications(seed, n_replications, first_replication)
    return _generative.generative_counts(P, _count("N", N), seed, n, first)
