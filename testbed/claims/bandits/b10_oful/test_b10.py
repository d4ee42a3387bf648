import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tabular_envs import InvalidBanditError

from .model import elliptical_potential, elliptical_potential_bound, simulate_oful


@st.composite
def action_sequences(draw):
    d = draw(st.integers(1, 4))
    T = draw(st.integers(1, 40))
    xs = draw(arrays(np.float64, (T, d), elements=st.floats(-1, 1)))
    norms = np.linalg.norm(xs, axis=1, keepdims=True)
    xs = np.where(norms > 1, xs / np.maximum(norms, 1e-300), xs)   # ||x|| <= 1 = L
    if draw(st.booleans()):
        xs[:] = xs[0]                                                # the same action over and over
    lam = draw(st.floats(0.1, 10))
    return xs, lam


@settings(max_examples=80)
@given(action_sequences())
def test_elliptical_potential_lemma_on_any_action_sequence(seq):
    """Lattimore & Szepesvari (2020), Lemma 19.4, for V_0 = lambda I."""
    xs, lam = seq
    d = xs.shape[1]
    assert elliptical_potential(xs, lam * np.eye(d)) <= elliptical_potential_bound(lam * np.eye(d), len(xs), 1.0) + 1e-9


def test_lemma_bound_formula():
    V0 = np.diag([2.0, 3.0])
    expected = 2 * 2 * np.log((5.0 + 10 * 4.0) / (2 * np.sqrt(6.0)))
    assert elliptical_potential_bound(V0, 10, 2.0) == pytest.approx(expected)


def test_oful_learns_and_is_deterministic():
    A = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]])
    theta = np.array([0.2, 0.7])
    r = simulate_oful(A, theta, 3000, 20, 4, checkpoints=[300, 3000])
    r2 = np.concatenate([simulate_oful(A, theta, 3000, 10, 4, checkpoints=[300, 3000], first_replication=f).regret
                         for f in (0, 10)])
    np.testing.assert_array_equal(r.regret, r2)
    per_round = r.regret / np.array([300, 3000])
    assert per_round[:, 1].mean() < per_round[:, 0].mean()   # the average regret per round falls
    assert (r.potential[:, 1] <= elliptical_potential_bound(np.eye(2), 3000, 1.0)).all()


def test_oful_input_errors():
    with pytest.raises(InvalidBanditError, match="exceeds 1"):
        simulate_oful(np.array([[2.0, 0.0]]), np.array([1.0, 0.0]), 10, 1, 0)
    with pytest.raises(InvalidBanditError, match=r"\(K, d\)"):
        simulate_oful(np.array([[1.0, 0.0]]), np.array([1.0]), 10, 1, 0)
    with pytest.raises(InvalidBanditError, match="m2"):
        simulate_oful(np.array([[1.0, 0.0]]), np.array([0.5, 0.0]), 10, 1, 0, m2=0.1)


def test_instance_search_is_a_pure_function_of_its_seed_and_its_winner_joins_the_decision():
    from .claim import CLAIM, regret_bound, searched_instance
    from .model import worst_case_linear_search
    a = worst_case_linear_search(200, regret_bound, 11, n_random=4, reps_screen=4, reps_final=8)
    b = worst_case_linear_search(200, regret_bound, 11, n_random=4, reps_screen=4, reps_final=8)
    np.testing.assert_array_equal(a["regret"], b["regret"])
    A, theta = searched_instance(a)
    d, K, m2 = a["instance"]
    assert A.shape == (int(K), int(d)) and np.linalg.norm(theta) == pytest.approx(m2)
    # the winner is re-simulated on fresh runs: its regret is OFUL's on that instance, not a screen's
    assert a["regret"].shape == (8,) and (a["regret"] >= 0).all()
    # decided with a planted bound wrong by 1000, the searched unit alone is enough to be violated
    from testbed.planting import planted
    task = CLAIM.make_task("worst_case/T=200", {"search": True, "T": 200, "n": 8}, "quick", 0, stream="worst_case")
    v = CLAIM.decide([task], [a])
    assert v.evidence["worst_case"]["tightness"] == pytest.approx(
        a["regret"].mean() / regret_bound(int(d), 200, float(np.linalg.norm(A, axis=1).max()), float(m2)))
    assert [r["instance"] for r in v.evidence["rows"]] == ["worst case found"]
    with planted(factor=1000.0):
        assert CLAIM.decide([task], [a]).verdict == "violated"
