"""MDP generators. Every random generator takes ``rng``: a ``numpy.random.Generator`` or an int seed."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InvalidMDPError
from .model import TabularMDP

__all__ = ["as_generator", "garnet", "river_swim", "chain", "gridworld", "tree_mdp", "random_tree_mdp",
           "load_bridge", "azar_hard_instance"]


def as_generator(rng) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a Generator or a non-negative int seed (InvalidMDPError otherwise)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise InvalidMDPError(f"rng must be a numpy Generator or a non-negative int seed, got {rng!r}")


def _positive_int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidMDPError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _probability(name: str, value) -> float:
    v = float(value)
    if not (0.0 <= v <= 1.0):
        raise InvalidMDPError(f"{name} must lie in [0, 1], got {value!r}")
    return v


def garnet(n_states: int, n_actions: int, branching: int | None = None, *, gamma: float, rng=0,
           reward_range: tuple[float, float] = (0.0, 1.0)) -> TabularMDP:
    """Garnet-style random MDP (Archibald, McKinnon, Thomas 1995; Bhatnagar et al. 2009).

    Each (s, a) moves to ``branching`` distinct next states chosen uniformly, with Dirichlet(1) probabilities;
    ``branching=None`` gives the dense case (all S next states). Rewards are uniform on ``reward_range``.
    Dense Garnets mix in one step; use small ``branching`` for MDPs that exercise the horizon.
    """
    S = _positive_int("n_states", n_states)
    A = _positive_int("n_actions", n_actions)
    b = S if branching is None else _positive_int("branching", branching)
    if b > S:
        raise InvalidMDPError(f"branching ({b}) cannot exceed n_states ({S})")
    g = as_generator(rng)
    P = np.zeros((S, A, S))
    if b == S:
        P[:] = g.dirichlet(np.ones(S), size=(S, A))
    else:
        for s in range(S):
            for a in range(A):
                nxt = g.choice(S, size=b, replace=False)
                P[s, a, nxt] = g.dirichlet(np.ones(b))
    lo, hi = reward_range
    r = g.uniform(lo, hi, size=(S, A))
    return TabularMDP(P, r, gamma=gamma, initial=np.full(S, 1.0 / S), name=f"garnet(S={S},A={A},b={b})")


def river_swim(n_states: int = 6, *, gamma: float, small_reward: float = 5e-3, large_reward: float = 1.0
               ) -> TabularMDP:
    """RiverSwim (Strehl & Littman 2008), with the transition probabilities of Osband, Russo, Van Roy 2013.

    Action 0 (with the current) moves left deterministically; action 1 (against it) moves right with
    probability 0.35 (0.6 from the left bank), stays with 0.6 and drifts left with 0.05; at the right bank it
    stays with 0.6 and drifts left with 0.4. Rewards: ``small_reward`` for action 0 at state 0,
    ``large_reward`` for action 1 at the right bank. Start: state 0.
    """
    S = _positive_int("n_states", n_states, 2)
    P = np.zeros((S, 2, S))
    for s in range(S):
        P[s, 0, max(s - 1, 0)] = 1.0
    P[0, 1, 0], P[0, 1, 1] = 0.4, 0.6
    for s in range(1, S - 1):
        P[s, 1, s - 1], P[s, 1, s], P[s, 1, s + 1] = 0.05, 0.6, 0.35
    P[S - 1, 1, S - 2], P[S - 1, 1, S - 1] = 0.4, 0.6
    r = np.zeros((S, 2))
    r[0, 0] = small_reward
    r[S - 1, 1] = large_reward
    return TabularMDP(P, r, gamma=gamma, name=f"river_swim(S={S})")


def azar_hard_instance(gamma: float, n_actions: int = 1) -> TabularMDP:
    """The hard instance of Azar, Munos, Kappen (2013, Thm 3), for gamma >= 1/4: states z (reward 0, moves to y),
    y (reward 1, stays with p = (4 gamma - 1)/(3 gamma), else falls to x), x (absorbing, reward 0), with
    ``n_actions`` identical actions (two make Q-learning's max over noisy estimates bias upward, Li et al. 2021).
    V*(y) = 1/(1 - gamma p) = 3/(4(1 - gamma)) exactly, V*(z) = gamma V*(y); the return variance grows like
    (1 - gamma)^-3."""
    if not (isinstance(gamma, float) and 0.25 <= gamma < 1):
        raise InvalidMDPError(f"gamma: the Azar instance needs gamma in [1/4, 1), got {gamma!r}")
    A = _positive_int("n_actions", n_actions)
    p = (4 * gamma - 1) / (3 * gamma)
    P = np.zeros((3, A, 3))
    P[0, :, 1] = 1.0
    P[1, :, 1], P[1, :, 2] = p, 1 - p
    P[2, :, 2] = 1.0
    r = np.zeros((3, A))
    r[1, :] = 1.0
    return TabularMDP(P, r, gamma=gamma, name=f"azar2013(gamma={gamma},A={A})")


def chain(n_states: int, *, gamma: float, slip: float = 0.1) -> TabularMDP:
    """A chain of S states with actions left (0) and right (1); the intended move fails (goes the other way)
    with probability ``slip``. Reward 1 for every step taken from the right end, 0 elsewhere. Start: state 0.
    Its value spreads over about 1/(1 - gamma) steps, unlike a dense random MDP."""
    S = _positive_int("n_states", n_states, 2)
    p = _probability("slip", slip)
    P = np.zeros((S, 2, S))
    for s in range(S):
        left, right = max(s - 1, 0), min(s + 1, S - 1)
        P[s, 0, left] += 1 - p
        P[s, 0, right] += p
        P[s, 1, right] += 1 - p
        P[s, 1, left] += p
    r = np.zeros((S, 2))
    r[S - 1, :] = 1.0
    return TabularMDP(P, r, gamma=gamma, name=f"chain(S={S},slip={p})")


_MOVES = np.array([(-1, 0), (0, 1), (1, 0), (0, -1)])  # up, right, down, left


def gridworld(rows: int, cols: int, *, gamma: float, slip: float = 0.2, goal: tuple[int, int] | None = None
              ) -> TabularMDP:
    """Grid with four moves (up, right, down, left); with probability ``slip`` the move is replaced by a
    uniformly random one. Moving into a wall stays put. The goal cell (default bottom-right) is absorbing and
    pays reward 1 per step. State index = row * cols + col; start: the top-left cell."""
    R = _positive_int("rows", rows)
    C = _positive_int("cols", cols)
    p = _probability("slip", slip)
    gr, gc = (R - 1, C - 1) if goal is None else goal
    if not (0 <= gr < R and 0 <= gc < C):
        raise InvalidMDPError(f"goal {goal!r} lies outside the {R}x{C} grid")
    S, goal_state = R * C, gr * C + gc
    P = np.zeros((S, 4, S))
    for s in range(S):
        if s == goal_state:
            P[s, :, s] = 1.0
            continue
        i, j = divmod(s, C)
        for a in range(4):
            for m in range(4):
                prob = (1 - p) * (m == a) + p / 4
                ni = min(max(i + _MOVES[m, 0], 0), R - 1)
                nj = min(max(j + _MOVES[m, 1], 0), C - 1)
                P[s, a, ni * C + nj] += prob
    r = np.zeros((S, 4))
    r[goal_state, :] = 1.0
    return TabularMDP(P, r, gamma=gamma, name=f"gridworld({R}x{C},slip={p})")


def tree_mdp(depth: int, branching: int, leaf_rewards) -> TabularMDP:
    """Deterministic tree of the given depth: every internal node has ``branching`` children, one per action.

    States are the internal nodes in breadth-first order (root = 0) plus one absorbing sink (the last state).
    The action taken at depth ``depth - 1`` ends the episode and pays ``leaf_rewards[leaf]`` (leaves in
    lexicographic order of their action sequences); every other reward is 0. Horizon = depth.
    """
    D = _positive_int("depth", depth)
    b = _positive_int("branching", branching)
    leaves = np.array(leaf_rewards, dtype=np.float64)
    if leaves.shape != (b ** D,):
        raise InvalidMDPError(f"leaf_rewards must have length branching**depth = {b ** D}, got {leaves.shape}")
    n_internal = (b ** D - 1) // (b - 1) if b > 1 else D
    sink = n_internal
    S = n_internal + 1
    P = np.zeros((S, b, S))
    r = np.zeros((S, b))
    P[sink, :, sink] = 1.0
    first_of_level = 0
    for d in range(D):
        width = b ** d
        for k in range(width):
            s = first_of_level + k
            for a in range(b):
                if d == D - 1:
                    P[s, a, sink] = 1.0
                    r[s, a] = leaves[k * b + a]
                else:
                    P[s, a, first_of_level + width + k * b + a] = 1.0
        first_of_level += width
    return TabularMDP(P, r, horizon=D, name=f"tree(depth={D},b={b})")


def random_tree_mdp(depth: int, branching: int, *, p_correct: float = 0.2, reward: float = 1.0, rng=0
                    ) -> TabularMDP:
    """Tree MDP whose leaves pay ``reward`` independently with probability ``p_correct`` (else 0)."""
    g = as_generator(rng)
    p = _probability("p_correct", p_correct)
    n_leaves = _positive_int("branching", branching) ** _positive_int("depth", depth)
    return tree_mdp(depth, branching, reward * (g.random(n_leaves) < p))


def load_bridge(path, horizon: int) -> TabularMDP:
    """Load a BRIDGE-format deterministic MDP (Laidlaw et al. 2023): an ``.npz`` with ``transitions[s, a]`` (next
    state index, -1 = episode ends) and ``rewards[s, a]``. Terminal moves go to an appended absorbing sink state
    with reward 0. Start state 0; time-stationary; the horizon is not stored in the file and must be given."""
    path = Path(path)
    try:
        with np.load(path) as data:
            transitions = np.asarray(data["transitions"])
            rewards = np.asarray(data["rewards"], dtype=np.float64)
    except (OSError, KeyError, ValueError) as exc:
        raise InvalidMDPError(f"cannot read a BRIDGE MDP from {str(path)!r}: {exc}") from None
    if transitions.ndim != 2 or rewards.shape != transitions.shape:
        raise InvalidMDPError(f"{path}: transitions {transitions.shape} and rewards {rewards.shape} must be (S, A)")
    S, A = transitions.shape
    bad = (transitions < -1) | (transitions >= S)
    if bad.any():
        s, a = np.argwhere(bad)[0]
        raise InvalidMDPError(f"{path}: transitions[{s}, {a}] = {transitions[s, a]} is not a state index or -1")
    sink = S
    P = np.zeros((S + 1, A, S + 1))
    nxt = np.where(transitions < 0, sink, transitions)
    P[np.arange(S)[:, None], np.arange(A)[None, :], nxt] = 1.0
    P[sink, :, sink] = 1.0
    r = np.zeros((S + 1, A))
    r[:S] = rewards
    return TabularMDP(P, r, horizon=horizon, name=path.parent.name or path.stem)
