"""Entry points for users' own checks that take a ``TabularMDP`` where the claims' solvers take arrays, and models
without a discount where none is needed (episodic agents, average reward).

The claims keep importing the array forms (``tabular_envs.mdp.average_reward``, ``tabular_envs.rl.episodic``); these
wrap them, so that a user writes ``optimal_gain(river_swim(6, gamma=0.9))`` or
``episodic_river_swim(4, horizon=8)`` without unpacking arrays or inventing a discount.
"""
from __future__ import annotations

import numpy as np

from ..errors import TabularEnvError
from ..rl.episodic import EpisodicModel, episodic_model
from . import average_reward
from .generators import garnet, river_swim
from .model import TabularMDP

__all__ = ["optimal_gain", "diameter", "as_episodic", "episodic_river_swim", "episodic_garnet"]


def _arrays(mdp, r=None) -> tuple[np.ndarray, np.ndarray | None]:
    if isinstance(mdp, TabularMDP):
        if r is not None:
            raise TabularEnvError("give a TabularMDP or the arrays (P, r), not both")
        if mdp.P.ndim != 3:
            raise TabularEnvError(f"average reward needs time-homogeneous transitions P (S, A, S), got {mdp.P.shape}")
        return mdp.P, mdp.r
    return mdp, r


def optimal_gain(mdp, r=None, **kwargs) -> tuple[float, np.ndarray]:
    """(rho*, h) of a communicating MDP, given as a ``TabularMDP`` (its discount or horizon is ignored: only P and r
    enter) or as arrays (P, r): ``tabular_envs.mdp.average_reward.optimal_gain`` (relative value iteration)."""
    P, r = _arrays(mdp, r)
    if r is None:
        raise TabularEnvError("optimal_gain needs the rewards: a TabularMDP, or the arrays P and r")
    return average_reward.optimal_gain(P, r, **kwargs)


def diameter(mdp, **kwargs) -> float:
    """The diameter D of a ``TabularMDP`` (or of a transition array P): ``tabular_envs.mdp.average_reward.diameter``."""
    P, _ = _arrays(mdp)
    return average_reward.diameter(P, **kwargs)


def as_episodic(mdp: TabularMDP, horizon: int | None = None, x1: int = 0) -> EpisodicModel:
    """A ``TabularMDP`` as the episodic model agents run on (``tabular_envs.rl.EpisodicModel``): a finite-horizon MDP
    keeps its horizon (``horizon`` may repeat it); a discounted one needs ``horizon``, and its discount is dropped."""
    if not isinstance(mdp, TabularMDP):
        raise TabularEnvError(f"mdp must be a TabularMDP, got {type(mdp).__name__}")
    own = mdp.horizon
    if own is not None and horizon is not None and int(horizon) != own:
        raise TabularEnvError(f"horizon {horizon!r} differs from the MDP's own horizon {own}")
    H = own if own is not None else horizon
    if H is None:
        raise TabularEnvError("a discounted MDP needs a horizon to become episodic: as_episodic(mdp, horizon=H)")
    return episodic_model(mdp.P, mdp.r, H, x1)


def episodic_river_swim(n_states: int = 6, horizon: int = 20, **rewards) -> EpisodicModel:
    """RiverSwim (``tabular_envs.river_swim``: Strehl & Littman 2008, Osband et al. 2013's probabilities) as an
    episodic model of the given horizon, starting at the left bank; no discount involved."""
    return as_episodic(river_swim(n_states, gamma=0.0, **rewards), horizon)


def episodic_garnet(n_states: int, n_actions: int, branching: int | None = None, *, horizon: int, rng=0
                    ) -> EpisodicModel:
    """A Garnet (``tabular_envs.garnet``, the same P and r for the same ``rng``) as an episodic model, x_1 = 0."""
    return as_episodic(garnet(n_states, n_actions, branching, gamma=0.0, rng=rng), horizon)
