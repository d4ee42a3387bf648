import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import proofs_check as pc
from tabular_envs import InvalidBanditError
from tabular_envs.bandits.adversarial import (
    adaptive_hard_costs,
    hedge_costs,
    oblivious_table,
    simulate_exp3,
    switching_table,
)
from tabular_envs.reference_rng import Stream


def _categorical(stream, p):
    """The kernels' categorical draw: the first arm whose cumulative probability reaches a uniform."""
    draw, acc = stream.uniform(), 0.0
    for k, pk in enumerate(p):
        acc += pk
        if draw <= acc:
            return k
    return len(p) - 1


def _reference_exp3(table, variant, rate, seed, rep):
    T, K = table.shape
    log_w = [0.0] * K
    stream = Stream(seed, rep)
    gain = 0.0
    for t in range(T):
        m = max(log_w)
        w = [math.exp(x - m) for x in log_w]
        p = [x / sum(w) for x in w]
        if variant == "auer2002":
            p = [(1 - rate) * x + rate / K for x in p]
        a = _categorical(stream, p)
        gain += sum(p[k] * table[t, k] for k in range(K))
        x = table[t, a]
        if variant == "auer2002":
            log_w[a] += rate * (x / p[a]) / K
        else:
            log_w[a] -= rate * (1 - x) / p[a]
    return table.sum(axis=0).max() - gain


@settings(max_examples=20)
@given(st.sampled_from(["auer2002", "lattimore2020"]), st.integers(2, 5), st.integers(0, 2 ** 62), st.integers(0, 9))
def test_exp3_matches_a_pure_python_reference(variant, K, seed, rep):
    table = oblivious_table("uniform", 200, K, seed % 1000)
    rate = 0.1 if variant == "auer2002" else 0.05
    res = simulate_exp3(table, variant, rate, 1, seed, first_replication=rep)
    assert res.regret[0, 0] == pytest.approx(_reference_exp3(table, variant, rate, seed, rep), abs=1e-9)


def test_exp3_is_deterministic_across_blocks():
    table = switching_table(2000, 5)
    a = simulate_exp3(table, "auer2002", 0.1, 30, 7).regret
    b = np.concatenate([simulate_exp3(table, "auer2002", 0.1, 10, 7, first_replication=f).regret for f in (0, 10, 20)])
    np.testing.assert_array_equal(a, b)


def test_hedge_matches_the_closed_form_weights():
    costs = oblivious_table("uniform", 300, 4, 3)
    eps = 0.05
    expected, probs = hedge_costs(costs, eps)
    cum = np.vstack([np.zeros(4), np.cumsum(costs, axis=0)[:-1]])
    w = (1 - eps) ** cum
    direct = w / w.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probs, direct, rtol=1e-12)
    np.testing.assert_allclose(expected, (direct * costs).sum(axis=1), rtol=1e-12)


def test_adaptive_adversary_charges_hedges_favourite():
    eps = 0.1
    costs = adaptive_hard_costs(50, 3, eps)
    _, probs = hedge_costs(costs, eps)
    assert (costs.sum(axis=1) == 1).all()
    np.testing.assert_array_equal(np.argmax(costs, axis=1), np.argmax(probs, axis=1))


def test_switching_table_best_arm_changes():
    table = switching_table(400, 4)
    assert table[:100].sum(axis=0).argmax() == 0 and table.sum(axis=0).argmax() == 1


def test_bound_constants():
    assert 2 * math.sqrt(math.e - 1) <= 2.63
    assert pc.exp3_auer2002_cor3_2_bound().evaluate(g=1e4, K=10) <= pc.exp3_auer2002_cor3_2_numeric_bound().evaluate(
        g=1e4, K=10)
    assert pc.exp3_lattimore_thm11_2_bound().evaluate(T=100, K=5) == pytest.approx(math.sqrt(2 * 100 * 5 * math.log(5)))
    assert pc.hedge_slivkins_thm5_16_bound().evaluate(T=300, K=4) == pytest.approx(
        2 * math.sqrt(3) * math.sqrt(300 * math.log(4)))
    assert pc.exp3_auer2002_gamma(10, 1e4) == pytest.approx(math.sqrt(10 * math.log(10) / ((math.e - 1) * 1e4)))
    assert pc.exp3_auer2002_gamma(10, 5) == 1.0


@pytest.mark.parametrize("call, fragment", [
    (lambda: simulate_exp3(np.full((5, 2), 1.5), "auer2002", 0.1, 1, 0), r"rewards\[0, 0\] = 1.5 lies outside"),
    (lambda: simulate_exp3(np.full((5, 1), 0.5), "auer2002", 0.1, 1, 0), "K >= 2"),
    (lambda: simulate_exp3(np.full((5, 2), 0.5), "exp4", 0.1, 1, 0), "unknown EXP3 variant"),
    (lambda: simulate_exp3(np.full((5, 2), 0.5), "auer2002", 1.5, 1, 0), "rate"),
    (lambda: hedge_costs(np.full((5, 2), 0.5), 1.0), "epsilon"),
    (lambda: oblivious_table("spiky", 5, 2), "unknown table kind"),
])
def test_adversarial_input_errors(call, fragment):
    with pytest.raises(InvalidBanditError, match=fragment):
        call()


def _tsallis_p(L, eta):
    """Tsallis-INF weights by bisection (brentq) on the normaliser: an independent route to the kernel's Newton."""
    from scipy.optimize import brentq
    lo_x = min(L) - 2 * math.sqrt(len(L)) / eta - 1.0       # sum < 1 there
    x = brentq(lambda x: sum(4 / (eta * (loss - x)) ** 2 for loss in L) - 1, lo_x, min(L) - 2 / eta, xtol=1e-15,
               rtol=1e-15)
    p = [4 / (eta * (loss - x)) ** 2 for loss in L]
    return [v / sum(p) for v in p]


def _reference_tsallis(table, seed, rep):
    T, K = table.shape
    L, stream, gain = [0.0] * K, Stream(seed, rep), 0.0
    for t in range(T):
        p = _tsallis_p(L, 2 / math.sqrt(t + 1))
        a = _categorical(stream, p)
        gain += sum(p[k] * table[t, k] for k in range(K))
        L[a] += (1 - table[t, a]) / p[a]
    return table.sum(axis=0).max() - gain


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 5), st.integers(0, 2 ** 62), st.integers(0, 9))
def test_tsallis_inf_matches_a_pure_python_reference(K, seed, rep):
    from tabular_envs.bandits.adversarial import simulate_tsallis_inf
    table = oblivious_table("bernoulli_linspace", 150, K, seed % 1000)
    res = simulate_tsallis_inf(table, 1, seed, first_replication=rep)
    assert res.regret[0, 0] == pytest.approx(_reference_tsallis(table, seed, rep), abs=1e-8)


@settings(max_examples=60)
@given(st.lists(st.floats(0, 1e4), min_size=2, max_size=12), st.floats(1e-3, 10))
def test_tsallis_inf_weights_are_the_regularised_leader(L, eta):
    """Stationarity of argmin <p, L> - (4/eta) sum sqrt(p_i) on the simplex: L_i - 2/(eta sqrt(p_i)) is the same
    for every i, and the weights sum to 1."""
    from tabular_envs.bandits.adversarial import tsallis_inf_weights
    L = np.array(L)
    p = np.empty(L.size)
    tsallis_inf_weights(L, eta, p)
    assert p.sum() == pytest.approx(1.0, abs=1e-12) and (p > 0).all()
    lagrange = L - 2 / (eta * np.sqrt(p))
    assert np.ptp(lagrange) <= 1e-7 * max(1.0, np.abs(L).max(), 2 / eta)
