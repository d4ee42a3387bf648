"""Episodic instances for the sample-based claims."""
from __future__ import annotations

import numpy as np

from ..errors import TabularEnvError
from ..mdp.generators import garnet
from .episodic import EpisodicModel, episodic_model

__all__ = ["combination_lock", "stage_dependent_garnet"]


def combination_lock(H: int, A: int) -> EpisodicModel:
    """A combination lock of length H with A actions (Jin et al. 2018, App. A; the usual "lock" construction):
    states 0..H-1 count the correct actions so far, state H is a dead end (absorbing, no reward). In state h the
    correct action is (3h + 1) mod A and moves to h + 1; any other action moves to the dead end. The only reward, 1,
    is for the correct action in state H - 1. x_1 = 0; an agent acting uniformly at random is rewarded with
    probability A^-H per episode."""
    if int(H) < 1 or int(A) < 2:
        raise TabularEnvError(f"need H >= 1 and A >= 2, got H={H!r}, A={A!r}")
    H, A = int(H), int(A)
    S = H + 1
    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    P[:, :, H] = 1.0
    for h in range(H):
        good = (3 * h + 1) % A
        P[h, good, H] = 0.0
        P[h, good, min(h + 1, H)] = 1.0
    r[H - 1, (3 * (H - 1) + 1) % A] = 1.0
    return episodic_model(P, r, H)


def stage_dependent_garnet(S: int, A: int, branching: int, H: int, rng: int = 0) -> EpisodicModel:
    """H independent Garnets (``garnet(S, A, branching, rng=rng + h)``) as the transitions and rewards of the
    stages h = 0..H-1: the stage-dependent setting of Jin et al. (2018). x_1 = 0."""
    stages = [garnet(S, A, branching, gamma=0.9, rng=int(rng) + h) for h in range(int(H))]
    return episodic_model(np.stack([g.P for g in stages]), np.stack([g.r for g in stages]), H)
