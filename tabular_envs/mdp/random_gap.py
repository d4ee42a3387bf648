"""Random MDPs for instance searches (S4's and S6's worst-case tightness): gaps and mixing drawn, not fixed."""
from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidMDPError
from .generators import _positive_int, as_generator
from .model import TabularMDP

__all__ = ["random_gap_mdp"]


def random_gap_mdp(n_states: int, n_actions: int, *, concentration: float, reward_width: float, gamma: float,
                   rng=0, floor: float = 1e-3) -> TabularMDP:
    """A random dense MDP for instance searches over gaps and mixing: every row of P drawn from
    Dirichlet(``concentration``) (small: nearly deterministic moves; large: nearly uniform), floored at ``floor`` and
    renormalised, so that every state reaches every other in one step (communicating, every policy irreducible);
    rewards r(s, a) = c + ``reward_width`` U(s, a), with c uniform on [0, 1 - reward_width] and U uniform on [0, 1],
    so the rewards lie in [0, 1] and a small width gives small gaps. Start: uniform.
    """
    S = _positive_int("n_states", n_states)
    A = _positive_int("n_actions", n_actions)
    if not (math.isfinite(float(concentration)) and float(concentration) > 0):
        raise InvalidMDPError(f"concentration must be a finite positive number, got {concentration!r}")
    if not (0.0 < float(reward_width) <= 1.0):
        raise InvalidMDPError(f"reward_width must lie in (0, 1], got {reward_width!r}")
    if not (0.0 <= float(floor) < 1.0 / S):
        raise InvalidMDPError(f"floor must lie in [0, 1/n_states) = [0, {1.0 / S:.4g}), got {floor!r}")
    g = as_generator(rng)
    P = np.maximum(g.dirichlet(np.full(S, float(concentration)), size=(S, A)), float(floor))
    P /= P.sum(-1, keepdims=True)
    width = float(reward_width)
    r = g.uniform(0.0, 1.0 - width) + width * g.uniform(0.0, 1.0, size=(S, A))
    return TabularMDP(P, r, gamma=gamma, initial=np.full(S, 1.0 / S),
                      name=f"random_gap_mdp(S={S},A={A},concentration={float(concentration):.3g},width={width:.3g})")
