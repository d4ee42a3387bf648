import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from proofs_check import cascade_list_value_du2024
from tabular_envs import InvalidBanditError

from .model import best_perm, brute_force_best_list, list_value

unit = st.floats(0, 1)


@st.composite
def cascades(draw, max_items=6):
    n = draw(st.integers(1, max_items))
    q = draw(st.lists(unit, min_size=n, max_size=n))
    w = draw(st.lists(unit, min_size=n, max_size=n))
    return np.array(q), np.array(w), draw(unit), draw(st.integers(0, 4))


@given(cascades())
def test_bestperm_equals_brute_force(inst):
    q, w, w_bot, m = inst
    value, chosen = best_perm(q, w, w_bot, m)
    assert value == pytest.approx(brute_force_best_list(q, w, w_bot, m)[0], abs=1e-12)
    assert list_value(q, w, w_bot, chosen) == pytest.approx(value, abs=1e-12)
    assert len(chosen) <= m and all(w[i] > w_bot for i in chosen)


@given(cascades(), st.integers(0, 5), unit)
def test_optimum_is_monotone_in_attraction(inst, i, frac):
    q, w, w_bot, m = inst
    i %= q.size
    q2 = q.copy()
    q2[i] += (1 - q[i]) * frac
    assert best_perm(q2, w, w_bot, m)[0] >= best_perm(q, w, w_bot, m)[0] - 1e-12


def test_a_fixed_list_is_not_monotone_and_hypothesis_shrinks_the_counterexample():
    def decreases(example):
        q, w, w_bot, _ = example
        order = list(range(q.size))
        q2 = q.copy()
        q2[0] = (1 + q[0]) / 2
        return list_value(q2, w, w_bot, order) < list_value(q, w, w_bot, order) - 1e-9

    q, w, w_bot, _ = find(cascades(max_items=3), decreases)
    assert q.size <= 2 and w[0] < max([w_bot, *w[1:]])  # the raised item is worth less than what follows it


def test_known_value():
    # two items: 0.5 * 1 + 0.5 * 0.5 * 0.8 + 0.25 * 0.1
    assert list_value([0.5, 0.5], [1.0, 0.8], 0.1, [0, 1]) == pytest.approx(0.5 + 0.2 + 0.025)


def test_cascade_input_errors():
    with pytest.raises(InvalidBanditError, match=r"q\[1\] = 1.5 is not a probability"):
        best_perm([0.5, 1.5], [0.1, 0.2], 0.0, 2)
    with pytest.raises(InvalidBanditError, match="same length"):
        best_perm([0.5], [0.1, 0.2], 0.0, 2)
    with pytest.raises(InvalidBanditError, match="list length"):
        best_perm([0.5], [0.1], 0.0, -1)


@pytest.mark.parametrize("seed", range(5))
def test_cascading_value_iteration_with_bestperm_equals_brute_force_lists(seed):
    from .model import brute_force_best_list, cascading_value_iteration
    rng = np.random.default_rng(seed)
    S, N, H, m = 3, 5, 3, 2
    q = rng.uniform(0.05, 0.9, (S, N))
    r = rng.uniform(0, 1, (S, N))
    P = rng.dirichlet(np.ones(S), size=(S, N))
    P_none = rng.dirichlet(np.ones(S), size=S)
    V_fast, lists = cascading_value_iteration(q, r, P, P_none, m, H)
    V_brute, _ = cascading_value_iteration(q, r, P, P_none, m, H, oracle=brute_force_best_list)
    np.testing.assert_allclose(V_fast, V_brute, atol=1e-12)
    assert all(len(lst) <= m for row in lists for lst in row)


@settings(max_examples=40)
@given(st.integers(0, 2 ** 30))
def test_list_value_equals_the_transcribed_cascade_formula(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6))
    q, w, w_bot = rng.random(n), rng.random(n), float(rng.random())
    order = rng.permutation(n)
    expected = cascade_list_value_du2024().evaluate(q=q[order], w=w[order], w_bot=w_bot)
    assert list_value(q, w, w_bot, order) == pytest.approx(expected, abs=1e-12)
