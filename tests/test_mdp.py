import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabular_envs import (
    InvalidBanditError,
    InvalidMDPError,
    TabularMDP,
    bernoulli_bandit,
    chain,
    garnet,
    gaussian_bandit,
    gridworld,
    load_bridge,
    random_gap_mdp,
    river_swim,
    row_sum_tolerance,
    tree_mdp,
)
from tabular_envs.strategies import bandit_instances, mdps, tree_mdps


def _valid(S=3, A=2):
    P = np.full((S, A, S), 1.0 / S)
    r = np.zeros((S, A))
    return P, r


@pytest.mark.parametrize("mutate, kwargs, fragment", [
    (lambda P, r: P.__setitem__((1, 0, 2), np.nan), {"gamma": 0.9}, "P[1, 0, 2]"),
    (lambda P, r: r.__setitem__((2, 1), np.inf), {"gamma": 0.9}, "r[2, 1]"),
    (lambda P, r: (P.__setitem__((0, 1, 0), -0.1), P.__setitem__((0, 1, 1), P[0, 1, 1] + 0.1)), {"gamma": 0.9},
     "P[0, 1, 0]"),
    (lambda P, r: P.__setitem__((2, 1, 1), P[2, 1, 1] + 0.01), {"gamma": 0.9}, "P[2, 1, :]"),
    (lambda P, r: None, {"gamma": 1.0}, "gamma"),
    (lambda P, r: None, {"gamma": -0.1}, "gamma"),
    (lambda P, r: None, {"horizon": 0}, "horizon"),
    (lambda P, r: None, {"horizon": -3}, "horizon"),
    (lambda P, r: None, {"horizon": 2.5}, "horizon"),
    (lambda P, r: None, {"gamma": 0.9, "horizon": 3}, "exactly one"),
    (lambda P, r: None, {}, "exactly one"),
])
def test_bad_mdp_input_names_argument_and_index(mutate, kwargs, fragment):
    P, r = _valid()
    mutate(P, r)
    with pytest.raises(InvalidMDPError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        TabularMDP(P, r, **kwargs)


def test_shape_errors():
    P, r = _valid()
    with pytest.raises(InvalidMDPError, match="last axis has 2 next states"):
        TabularMDP(P[:, :, :2], r, gamma=0.5)
    with pytest.raises(InvalidMDPError, match="r must have shape"):
        TabularMDP(P, r[:, :1], gamma=0.5)
    with pytest.raises(InvalidMDPError, match="P must have shape"):
        TabularMDP(np.stack([P, P]), r, gamma=0.5)  # time-indexed P needs a horizon
    with pytest.raises(InvalidMDPError, match="time steps"):
        TabularMDP(np.stack([P, P]), r, horizon=3)
    with pytest.raises(InvalidMDPError, match="initial"):
        TabularMDP(P, r, gamma=0.5, initial=[1.0, 0.0])


def test_arrays_are_read_only_and_copied():
    P, r = _valid()
    m = TabularMDP(P, r, gamma=0.5)
    P[0, 0, 0] = 5.0  # the caller's array is not aliased
    assert m.P[0, 0, 0] == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        m.P[0, 0, 0] = 1.0
    with pytest.raises(ValueError):
        m.r[0, 0] = 1.0


def test_row_tolerance_scales_with_number_of_states():
    err = 1e-13
    assert row_sum_tolerance(2) < err < row_sum_tolerance(1000)
    for S, ok in ((2, False), (1000, True)):
        P = np.full((S, 1, S), 1.0 / S)
        P[0, 0, 0] += err
        if ok:
            TabularMDP(P, np.zeros((S, 1)), gamma=0.5)
        else:
            with pytest.raises(InvalidMDPError):
                TabularMDP(P, np.zeros((S, 1)), gamma=0.5)


@given(mdps(max_states=5), st.data())
def test_any_nonfinite_entry_is_reported_with_its_index(mdp, data):
    P = np.array(mdp.P)
    idx = tuple(data.draw(st.integers(0, n - 1)) for n in P.shape)
    P[idx] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    with pytest.raises(InvalidMDPError) as info:
        TabularMDP(P, mdp.r, gamma=mdp.gamma)
    assert f"P{list(idx)}" in str(info.value)


@given(mdps(max_states=5), st.integers(0, 4), st.floats(1e-6, 0.5))
def test_unnormalised_row_is_rejected(mdp, s, extra):
    P = np.array(mdp.P)
    s = s % mdp.n_states
    P[s, 0, 0] += extra
    with pytest.raises(InvalidMDPError, match=rf"P\[{s}, 0, :\]"):
        TabularMDP(P, mdp.r, gamma=mdp.gamma)


@given(mdps(discounted=False, max_states=4))
def test_generated_finite_horizon_mdps_are_valid(mdp):
    assert mdp.is_finite_horizon and mdp.horizon >= 1
    for t in range(mdp.horizon):
        np.testing.assert_allclose(mdp.P_at(t).sum(-1), 1.0, atol=1e-12)


@given(tree_mdps())
def test_tree_mdps_are_deterministic_trees(mdp):
    assert set(np.unique(mdp.P)) <= {0.0, 1.0}
    sink = mdp.n_states - 1
    indegree = (mdp.P[:sink, :, :sink] > 0).sum(axis=(0, 1))
    assert (indegree[1:] == 1).all() and indegree[0] == 0  # every non-root node has exactly one parent


@given(bandit_instances(min_gap=0.05))
def test_bandit_strategy_respects_min_gap(inst):
    gaps = np.sort(inst.gaps)
    assert gaps[0] == 0 and (gaps[1:] >= 0.05 - 1e-12).all()


def test_generators_produce_valid_structured_mdps():
    g = garnet(20, 3, 4, gamma=0.9, rng=0)
    assert ((g.P > 0).sum(-1) <= 4).all()
    np.testing.assert_array_equal(g.P, garnet(20, 3, 4, gamma=0.9, rng=np.random.default_rng(0)).P)
    assert river_swim(6, gamma=0.9).P.shape == (6, 2, 6)
    c = chain(5, gamma=0.9, slip=0.0)
    assert c.P[0, 1, 1] == 1.0 and c.P[4, 1, 4] == 1.0
    w = gridworld(3, 4, gamma=0.9, slip=0.0)
    assert w.P[0, 1, 1] == 1.0 and w.P[0, 0, 0] == 1.0  # right moves, up hits the wall
    t = tree_mdp(2, 2, [0, 1, 0, 0])
    assert t.n_states == 4 and t.r[1, 1] == 1.0
    with pytest.raises(InvalidMDPError, match="branching"):
        garnet(3, 2, 5, gamma=0.5)
    with pytest.raises(InvalidMDPError, match="leaf_rewards"):
        tree_mdp(2, 2, [0, 1])


def test_random_gap_mdp_is_floored_bounded_and_a_function_of_its_seed():
    m = random_gap_mdp(4, 3, concentration=0.05, reward_width=0.1, gamma=0.9, rng=7)
    assert m.P.min() >= 1e-3 / (1 + 4 * 1e-3) - 1e-15      # floored, then renormalised by at most 1 + S floor
    np.testing.assert_allclose(m.P.sum(-1), 1.0, atol=1e-14)
    assert 0.0 <= m.r.min() and m.r.max() <= 1.0 and m.r.max() - m.r.min() <= 0.1
    np.testing.assert_array_equal(m.r, random_gap_mdp(4, 3, concentration=0.05, reward_width=0.1, gamma=0.9,
                                                      rng=np.random.default_rng(7)).r)
    for kwargs, fragment in (({"concentration": 0.0}, "concentration"), ({"reward_width": 1.5}, "reward_width"),
                             ({"floor": 0.25}, "floor")):
        args = {"concentration": 1.0, "reward_width": 0.5, **kwargs}
        with pytest.raises(InvalidMDPError, match=fragment):
            random_gap_mdp(4, 2, gamma=0.9, **args)


def test_bridge_loader_on_reference_mdps(reference_data):
    m = load_bridge(reference_data / "maze_easy_l0_30_fs1" / "mdp.npz", horizon=30)
    with np.load(reference_data / "maze_easy_l0_30_fs1" / "mdp.npz") as d:
        S, A = d["transitions"].shape
        s, a = np.argwhere(d["transitions"] >= 0)[0]
        assert m.P[s, a, d["transitions"][s, a]] == 1.0
        assert m.r[s, a] == pytest.approx(float(d["rewards"][s, a]))
    assert (m.n_states, m.n_actions, m.horizon) == (S + 1, A, 30)
    with pytest.raises(InvalidMDPError, match="cannot read"):
        load_bridge(reference_data / "missing.npz", horizon=3)


@pytest.mark.parametrize("build, fragment", [
    (lambda: bernoulli_bandit([0.2, 1.3]), r"means\[1\] = 1.3 lies outside \[0, 1\]"),
    (lambda: bernoulli_bandit([0.2, -0.1]), r"means\[1\]"),
    (lambda: bernoulli_bandit([0.2, np.nan]), r"means\[1\] = nan is not finite"),
    (lambda: gaussian_bandit([0.0, 1.0], sigma=0.0), "sigma"),
    (lambda: gaussian_bandit([]), "non-empty"),
])
def test_bad_bandit_input(build, fragment):
    with pytest.raises(InvalidBanditError, match=fragment):
        build()
