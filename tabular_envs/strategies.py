"""Public Hypothesis strategies for property-testing algorithms on tabular MDPs and bandits.

    from tabular_envs.strategies import mdps, tree_mdps, bandit_instances

    @given(mdps(max_states=8, discounted=True))
    def test_my_operator(mdp): ...

Sizes are bounded by the arguments (defaults keep a test example below a millisecond); transition rows are
built from non-negative weights with random zeros (sparse rows, absorbing states) and normalised, so every
generated MDP passes ``TabularMDP`` validation. Shrinking goes toward fewer states and actions and simpler
weights.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager

import numpy as np
from hypothesis import strategies as st

from .bandits.instances import BanditInstance
from .mdp.generators import tree_mdp
from .mdp.model import TabularMDP

__all__ = ["mdps", "tree_mdps", "bandit_instances", "probability_rows", "layered_mdps", "LAYERED_KINDS",
           "finite_distributions", "return_distribution_pairs", "search_settings", "deterministic_find",
           "distributional_instances", "search_mdps", "SEARCH_GAMMAS", "SEARCH_MDP_KINDS"]


def _check_range(name: str, lo: int, hi: int, floor: int) -> None:
    if lo < floor or hi < lo:
        raise ValueError(f"{name}: need {floor} <= min <= max, got min={lo}, max={hi}")


@st.composite
def probability_rows(draw, n: int, rows: int):
    """``rows`` probability vectors of length n with some exact zeros (each row keeps at least one positive)."""
    weights = draw(st.lists(st.lists(st.integers(0, 8), min_size=n, max_size=n), min_size=rows, max_size=rows))
    out = np.array(weights, dtype=np.float64).reshape(rows, n)
    for i in range(rows):
        if out[i].sum() == 0:
            out[i, draw(st.integers(0, n - 1))] = 1.0
    return out / out.sum(axis=1, keepdims=True)


@st.composite
def mdps(draw, min_states: int = 1, max_states: int = 6, min_actions: int = 1, max_actions: int = 4,
         discounted: bool = True, gamma=None, max_horizon: int = 5, reward_range: tuple[float, float] = (-1.0, 1.0),
         stationary: bool = False):
    """Random ``TabularMDP``: discounted (gamma drawn from [0, 0.99] unless given, as a float or a strategy)
    or finite-horizon (horizon in 1..max_horizon, time-indexed arrays half of the time unless ``stationary``)."""
    _check_range("states", min_states, max_states, 1)
    _check_range("actions", min_actions, max_actions, 1)
    S = draw(st.integers(min_states, max_states))
    A = draw(st.integers(min_actions, max_actions))
    lo, hi = reward_range
    reward = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if discounted:
        if gamma is None:
            g = draw(st.floats(0.0, 0.99))
        elif isinstance(gamma, st.SearchStrategy):
            g = draw(gamma)
        else:
            g = float(gamma)
        P = draw(probability_rows(S, S * A)).reshape(S, A, S)
        r = np.array(draw(st.lists(reward, min_size=S * A, max_size=S * A))).reshape(S, A)
        return TabularMDP(P, r, gamma=g, name="hypothesis")
    H = draw(st.integers(1, max_horizon))
    steps = H if not stationary and draw(st.booleans()) else 1
    P = draw(probability_rows(S, steps * S * A)).reshape((steps, S, A, S) if steps > 1 else (S, A, S))
    r = np.array(draw(st.lists(reward, min_size=steps * S * A, max_size=steps * S * A)))
    r = r.reshape((steps, S, A) if steps > 1 else (S, A))
    return TabularMDP(P, r, horizon=H, name="hypothesis")


@st.composite
def tree_mdps(draw, max_depth: int = 3, max_branching: int = 3, reward: float = 1.0, binary: bool = True):
    """Deterministic tree MDPs (``generators.tree_mdp``): leaf rewards in {0, reward} when ``binary``,
    else in [0, reward]."""
    _check_range("depth", 1, max_depth, 1)
    _check_range("branching", 1, max_branching, 1)
    D = draw(st.integers(1, max_depth))
    b = draw(st.integers(1, max_branching))
    leaf = st.sampled_from([0.0, reward]) if binary else st.floats(0.0, reward)
    leaves = draw(st.lists(leaf, min_size=b ** D, max_size=b ** D))
    return tree_mdp(D, b, leaves)


@st.composite
def bandit_instances(draw, family: str = "bernoulli", min_arms: int = 2, max_arms: int = 8,
                     min_gap: float = 0.0, sigma: float = 1.0):
    """Bandit instances; Bernoulli means in [0, 1], Gaussian means in [-1, 1] with the given sigma. With
    ``min_gap`` > 0 every suboptimal arm is at least that far below the best (a unique best arm)."""
    _check_range("arms", min_arms, max_arms, 1)
    K = draw(st.integers(min_arms, max_arms))
    lo, hi = (0.0, 1.0) if family == "bernoulli" else (-1.0, 1.0)
    means = np.array(draw(st.lists(st.floats(lo, hi), min_size=K, max_size=K)))
    if min_gap > 0:
        best = int(np.argmax(means))
        top = max(means[best], lo + min_gap)
        means = np.where(np.arange(K) == best, top, np.minimum(means, top - min_gap))
        means = np.clip(means, lo, hi)
    return BanditInstance(means, family, sigma)


SEARCH_GAMMAS = (0.5, 0.9, 0.99, 0.999)
SEARCH_MDP_KINDS = ("dense", "chain", "near_tie", "sparse", "terminal")


@st.composite
def search_mdps(draw, max_states: int = 6, max_actions: int = 3, kinds=SEARCH_MDP_KINDS, gammas=SEARCH_GAMMAS):
    """Discounted MDPs where planners and operators go wrong, for counterexample searches (``testbed check``):

    - ``dense``: random transition rows (weights 0..8) and rewards on a grid of 1/1000 in [-1, 1], shifted by -1,
      0 or 1 (all-negative rewards expose stopping rules without an absolute value);
    - ``chain``: slow mixing, RiverSwim-like: action 0 moves right with a small probability (0.02 to 0.3) and
      otherwise stays, action 1 (and any other) returns to state 0; a small sure reward at state 0, a large one at
      the far end, so that value iteration needs many sweeps at gamma near 1;
    - ``near_tie``: dense, but two actions of one state differ in reward by 1e-6 to 1e-3 only;
    - ``sparse``: every (s, a) moves to a single next state (deterministic);
    - ``terminal``: a layered DAG whose last state is absorbing with reward 0 (finite-support returns);
    with gamma in {0.5, 0.9, 0.99, 0.999} by default, 2..max_states states and 2..max_actions actions."""
    _check_range("states", 2, max_states, 2)
    _check_range("actions", 2, max_actions, 2)
    kind = draw(st.sampled_from(tuple(kinds)))
    S, A = draw(st.integers(2, max_states)), draw(st.integers(2, max_actions))
    gamma = float(draw(st.sampled_from(tuple(gammas))))
    grid = st.integers(-1000, 1000).map(lambda k: k / 1000)
    offset = draw(st.sampled_from([0.0, -1.0, 1.0]))          # mostly negative or positive rewards a third each
    r = np.array(draw(st.lists(grid, min_size=S * A, max_size=S * A))).reshape(S, A) + offset
    if kind in ("dense", "near_tie"):
        P = draw(probability_rows(S, S * A)).reshape(S, A, S)
        if kind == "near_tie":
            s = draw(st.integers(0, S - 1))
            r[s, 1] = r[s, 0] + draw(st.sampled_from([1e-6, 1e-5, 1e-4, 1e-3]))
    elif kind == "chain":
        p = draw(st.sampled_from([0.02, 0.05, 0.1, 0.3]))
        P = np.zeros((S, A, S))
        for s in range(S):
            P[s, 0, min(s + 1, S - 1)] += p
            P[s, 0, s] += 1 - p
            P[s, 1:, 0] = 1.0
        r = np.zeros((S, A))
        r[0, 1:] = draw(st.sampled_from([0.001, 0.005, 0.01]))
        r[S - 1, 0] = 1.0
    elif kind == "sparse":
        nxt = np.array(draw(st.lists(st.integers(0, S - 1), min_size=S * A, max_size=S * A))).reshape(S, A)
        P = np.zeros((S, A, S))
        P[np.arange(S)[:, None], np.arange(A)[None, :], nxt] = 1.0
    else:                                            # terminal: s moves only to later states; S - 1 absorbs
        P = np.zeros((S, A, S))
        for s in range(S - 1):
            w = np.array(draw(st.lists(st.integers(0, 4), min_size=S - 1 - s, max_size=S - 1 - s)), dtype=float)
            if w.sum() == 0:
                w[-1] = 1.0
            P[s, :, s + 1:] = w / w.sum()
            P[s, 1:, s + 1:] = np.roll(P[s, 0, s + 1:], 1)
        P[S - 1, :, S - 1] = 1.0
        r[S - 1] = 0.0
    return TabularMDP(P, r, gamma=gamma, name=f"search:{kind}")


LAYERED_KINDS = ("tree", "dag", "stochastic", "intermediate", "nonbinary")


@st.composite
def layered_mdps(draw, kind: str = "dag", max_depth: int = 3, max_width: int = 3, max_actions: int = 3):
    """Finite-horizon layered MDPs from a single start state (state 0), the relaxations of ROVER's tree MDPs:
    ``tree`` (deterministic, every node its own subtree, binary terminal rewards), ``dag`` (deterministic, children
    may be shared), ``stochastic`` (transition rows over the next layer), ``intermediate`` (a tree with rewards
    in {0, 1/2} before the last step), ``nonbinary`` (a tree with terminal rewards in {0, 1/2, 1}). The last step
    moves to an absorbing sink; the horizon is the depth."""
    if kind not in LAYERED_KINDS:
        raise ValueError(f"kind must be one of {LAYERED_KINDS}, got {kind!r}")
    D = draw(st.integers(1, max_depth))
    A = draw(st.integers(2, max_actions))
    tree = kind in ("tree", "intermediate", "nonbinary")
    widths = [1]
    for _ in range(1, D):
        widths.append(widths[-1] * A if tree else draw(st.integers(1, max_width)))
    starts = np.concatenate([[0], np.cumsum(widths)])
    S = int(starts[-1]) + 1
    sink = S - 1
    P = np.zeros((S, A, S))
    r = np.zeros((S, A))
    P[sink, :, sink] = 1.0
    terminal = st.sampled_from([0.0, 0.5, 1.0] if kind == "nonbinary" else [0.0, 1.0])
    for d in range(D):
        for k in range(widths[d]):
            s = int(starts[d]) + k
            for a in range(A):
                if d == D - 1:
                    P[s, a, sink] = 1.0
                    r[s, a] = draw(terminal)
                    continue
                if tree:
                    P[s, a, int(starts[d + 1]) + k * A + a] = 1.0
                elif kind == "dag":
                    P[s, a, int(starts[d + 1]) + draw(st.integers(0, widths[d + 1] - 1))] = 1.0
                else:
                    row = draw(probability_rows(widths[d + 1], 1))[0]
                    P[s, a, int(starts[d + 1]):int(starts[d + 1]) + widths[d + 1]] = row
                if kind == "intermediate":
                    r[s, a] = draw(st.sampled_from([0.0, 0.5]))
    return TabularMDP(P, r, horizon=D, name=f"layered-{kind}")


@st.composite
def finite_distributions(draw, max_atoms: int = 4, low: float = -5.0, high: float = 5.0):
    """A finite-support distribution (atoms, probabilities) as ``tabular_envs.distributional`` stores it; atoms on
    a grid of step 1/4 (so shrinking goes to small integers and ties are common)."""
    from .dp.distributional import normalize
    k = draw(st.integers(1, max_atoms))
    atoms = draw(st.lists(st.integers(int(4 * low), int(4 * high)), min_size=k, max_size=k))
    weights = draw(st.lists(st.integers(1, 4), min_size=k, max_size=k))
    w = np.array(weights, dtype=np.float64)
    return normalize(np.array(atoms) / 4.0, w / w.sum())


@st.composite
def return_distribution_pairs(draw, n_states: int, max_atoms: int = 4):
    """Two return-distribution functions (one finite distribution per state) on the same states."""
    eta = st.lists(finite_distributions(max_atoms), min_size=n_states, max_size=n_states)
    return draw(eta), draw(eta)


def search_settings(max_examples: int):
    """Settings for a deterministic counterexample search: derandomized, no example database, no deadline, the
    targeting phase on (a condition may call ``hypothesis.target`` on the size of an error), no "explain" phase
    (it traces every line while shrinking: slow, and only useful in @given test reports), and
    ``report_multiple_bugs=False``: Hypothesis otherwise keeps generating for up to ten seconds of wall-clock time
    after the first failure, so a loaded machine would shrink a different example."""
    from hypothesis import HealthCheck, Phase, settings
    return settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
                    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
                    report_multiple_bugs=False, suppress_health_check=list(HealthCheck))


def deterministic_find(strategy, condition, max_examples: int):
    """The smallest example of ``strategy`` satisfying ``condition`` that a search of ``max_examples`` examples
    finds, or None when it finds none: a function of the arguments alone, never of the wall clock or of what the
    process did before.

    Beyond :func:`search_settings`, for the duration of the call:
    - the one time limit Hypothesis keeps (shrinking stops after five minutes, ``MAX_SHRINKING_SECONDS``) is lifted,
      so the work is bounded by counts only (at most 500 successful shrinks, Hypothesis' ``MAX_SHRINKS``);
    - Hypothesis' "local constants" are switched off: it otherwise mixes into generation the literals of every
      project module imported so far (and caches them at the first draw), so a search run in a worker that had
      run other claims drew different examples from the same search run first;
    - strategy labels are digests of reprs instead of Python's ``hash``: Hypothesis labels ``map``/``filter``/
      ``composite`` functions and ``sampled_from`` element tuples by ``hash()``, which for strings changes with
      PYTHONHASHSEED in every process, and the shrinker compares labels, so the same search shrank D4's
      counterexample to one of three different results from one process to the next."""
    from hypothesis import find
    from hypothesis.errors import NoSuchExample
    from hypothesis.internal.conjecture import engine
    with _no_time_limit(engine), _no_local_constants(), _stable_labels():
        try:
            return find(strategy, condition, settings=search_settings(max_examples))
        except NoSuchExample:
            return None


@contextmanager
def _no_time_limit(engine):
    saved = getattr(engine, "MAX_SHRINKING_SECONDS", None)
    if saved is not None:
        engine.MAX_SHRINKING_SECONDS = 10 ** 9
    try:
        yield
    finally:
        if saved is not None:
            engine.MAX_SHRINKING_SECONDS = saved


@contextmanager
def _stable_labels():
    """Within the block, Hypothesis labels strategies by a SHA-384 digest of a repr (stable across processes)
    rather than by ``hash()`` (salted per process for strings and bytes)."""
    try:
        from hypothesis.internal.conjecture import utils
        from hypothesis.strategies._internal import strategies as strategies_module
    except ImportError:                                     # a Hypothesis laid out differently: labels as they are
        yield
        return
    name_label = getattr(utils, "calc_label_from_name", None)
    saved = {(m, attr): getattr(m, attr) for m in (utils, strategies_module)
             for attr in ("calc_label_from_hash", "_is_hashable") if hasattr(m, attr)}
    if name_label is None or not saved:
        yield
        return

    def stable_hash(obj) -> int:
        hash(obj)                                           # TypeError for the unhashable, as before
        return int.from_bytes(hashlib.sha384(repr(obj).encode()).digest()[:8], "big")

    def label_from_hash(obj) -> int:
        return name_label(str(stable_hash(obj)))

    def is_hashable(value):
        try:
            return True, stable_hash(value)
        except TypeError:
            return False, None
    for (module, attr) in saved:
        setattr(module, attr, label_from_hash if attr == "calc_label_from_hash" else is_hashable)
    try:
        yield
    finally:
        for (module, attr), value in saved.items():
            setattr(module, attr, value)


@contextmanager
def _no_local_constants():
    """Hypothesis draws, with small probability, literals found in the source of the project modules loaded in the
    process; within the block it sees none (and a cache of its own, restored afterwards)."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:                                     # a Hypothesis without the feature
        yield
        return
    getter, cache = getattr(providers, "_get_local_constants", None), getattr(providers, "CONSTANTS_CACHE", None)
    make, empty_set = getattr(providers, "Constants", None), getattr(providers, "SortedSet", None)
    if getter is None or cache is None or make is None or empty_set is None:
        yield
        return
    float_key = getattr(providers, "float_to_int", None)
    empty = make(integers=empty_set(), floats=empty_set(key=float_key) if float_key else empty_set(),
                 bytes=empty_set(), strings=empty_set())
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE = {}                          # the provider only tests, reads and sets keys
    try:
        yield
    finally:
        providers._get_local_constants = getter
        providers.CONSTANTS_CACHE = cache


@st.composite
def distributional_instances(draw, max_states: int = 2, max_actions: int = 2):
    """(mdp, eta1, eta2) for distributional operators: small MDPs with rewards on a 1/4 grid (so action values can
    tie, where a greedy choice flips) and pairs of return distributions; half of the time eta1 is all Dirac at 0
    and eta2 differs at one state (the tie-prone case that exposes non-contracting control operators)."""
    from .dp.distributional import dirac
    S, A = draw(st.integers(1, max_states)), draw(st.integers(1, max_actions))
    P = draw(probability_rows(S, S * A)).reshape(S, A, S)
    r = np.array(draw(st.lists(st.sampled_from([0.0, 0.25, 0.5]), min_size=S * A, max_size=S * A))).reshape(S, A)
    mdp = TabularMDP(P, r, gamma=draw(st.sampled_from([0.5, 0.9])))
    e1, e2 = draw(return_distribution_pairs(S, max_atoms=2))
    if draw(st.booleans()):
        k = draw(st.integers(0, S - 1))
        e1 = [dirac(0.0)] * S
        e2 = list(e1)
        e2[k] = draw(finite_distributions(2))
    return mdp, e1, e2
