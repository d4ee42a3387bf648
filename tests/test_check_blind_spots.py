"""testbed check on algorithms written by others (issue 13): each failure class the held-out corpus found,
reproduced as a user would write it, and the false-alarm rate of the statistical properties on correct policies."""
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs.strategies import SEARCH_GAMMAS, SEARCH_MDP_KINDS, deterministic_find, search_mdps
from testbed.check import check, replay
from testbed.check.bandit_properties import (
    CONSISTENCY_MU,
    LOG_MU,
    LR_MU,
    every_arm_tried_fails,
)
from testbed.check.corpus import CORRECT, MUTANTS, false_alarm_rates
from testbed.check.operator_properties import return_distribution, tolerance_for
from testbed.check.protocols import BanditAdapter


class AlwaysArmTwo:
    """Plays arm 2, which is the best arm of the log-regret and worst-case instances: zero regret there."""

    def reset(self, n_arms, horizon, seed):
        self.K = n_arms

    def select(self, t):
        return min(2, self.K - 1)

    def update(self, arm, reward):
        pass


@pytest.mark.slow
def test_zero_regret_is_a_verdict_not_a_crash_and_other_properties_still_report():
    report = check(AlwaysArmTwo, target="always arm 2")
    by_name = {r.name: r for r in report.results}
    assert set(by_name) == {"every_arm_tried", "consistency", "log_regret", "not_below_lai_robbins", "minimax_order"}
    assert not any(r.verdict in ("error", "timeout") for r in report.results), report.summary()
    for name in ("log_regret", "minimax_order"):
        assert by_name[name].verdict == "violated" and "mean regret 0" in by_name[name].detail, report.summary()
    assert by_name["every_arm_tried"].verdict == "violated"


def test_the_fixed_bandit_instances_never_put_the_best_arm_first():
    for mu in [*CONSISTENCY_MU["quick"], *CONSISTENCY_MU["standard"], LOG_MU, LR_MU]:
        assert int(np.argmax(mu)) != 0, mu


def nan_operator(mdp, V):
    return np.full(mdp.n_states, np.nan)


def in_place_operator(mdp, V):
    V[:] = (mdp.r + mdp.gamma * mdp.P @ V).max(axis=1)
    return V


def test_an_all_nan_operator_fails_validity_and_every_other_property():
    report = check(nan_operator, target="nan")
    assert {r.name for r in report.results if r.verdict == "violated"} == {
        "valid_output", "contraction", "monotone", "fixed_point", "improvement"}, report.summary()


def test_in_place_mutation_is_its_own_violation_and_cannot_fool_the_other_properties(tmp_path):
    report = check(in_place_operator, target="in place", out_dir=tmp_path)
    verdicts = {r.name: r.verdict for r in report.results}
    assert verdicts["no_input_mutation"] == "violated"
    # the operator computes the right values: called on copies, the value properties hold
    assert all(v == "holds" for k, v in verdicts.items() if k != "no_input_mutation"), report.summary()
    cx = next(r for r in report.results if r.name == "no_input_mutation")
    assert replay(in_place_operator, cx.counterexample_file).verdict == "violated"


def test_thompson_on_the_reported_instance_is_not_flagged():
    """The held-out false alarm: Beta-Bernoulli Thompson sampling on (0.5, 0, 0.7, 0, 1.0) misses an arm in some
    short runs; only a policy that misses an arm in most runs is flagged."""
    adapter = BanditAdapter(CORRECT["simulate: thompson"])
    assert not any(every_arm_tried_fails(adapter, (0.5, 0.0, 0.7, 0.0, 1.0), seed=s) for s in range(20))
    assert every_arm_tried_fails(BanditAdapter(MUTANTS["bandit: skips the last arm"]), (0.5, 0.0, 0.7, 0.0, 1.0))


@pytest.mark.slow
def test_false_alarm_rate_of_every_arm_tried_on_thompson_over_200_seeds():
    """The property that raised the held-out false alarm, on the policy it was raised on. False-alarm budget:
    delta / 5 = 0.002 per property; 200 seeds. The test fails when the rate is significantly above the budget
    (Clopper-Pearson lower bound at 95%), which at exactly the budget rate happens with probability about 6%; the
    measured count is 0 (every property on six correct policies: ``testbed selftest --false-alarms``)."""
    rows = false_alarm_rates(200, policies=("simulate: thompson",), properties=("every_arm_tried",))
    assert len(rows) == 1 and rows[0]["seeds"] == 200
    assert all(r["within_budget"] for r in rows), rows


@pytest.mark.parametrize("name, killer", [
    ("planner: VI with 50 sweeps", "optimality"), ("planner: VI residual without abs", "optimality"),
    ("planner: PI evaluates with 0.9 gamma", "optimality"),
])
@pytest.mark.slow
def test_planner_bugs_that_random_mdps_expose_are_found_by_the_search(name, killer, tmp_path):
    report = check(MUTANTS[name], [killer], target=name, out_dir=tmp_path)
    res = report.results[0]
    assert res.verdict == "violated", report.summary()
    assert replay(MUTANTS[name], res.counterexample_file).verdict == "violated"
    assert replay(CORRECT["planner_policy_iteration"], res.counterexample_file).verdict == "holds"


def test_search_mdps_are_diverse_and_reach_every_kind_and_discount():
    """The held-out finding was 36 distinct reward arrays among 82 inputs at gamma 0.99: the searched inputs of the
    random kinds are now (nearly) all distinct MDPs, and the strata reach every kind and discount."""
    for kind in ("dense", "near_tie", "sparse"):
        seen = []
        strategy = search_mdps(kinds=(kind,), gammas=(0.99,))
        deterministic_find(strategy, lambda m, seen=seen: seen.append(m) or False, 100)
        distinct = {(m.P.tobytes(), m.r.tobytes()) for m in seen}
        assert len(seen) == 100 and len(distinct) >= 90, (kind, len(distinct))
    from testbed.check.operator_properties import MDP_STRATA
    assert {(s["kinds"][0], s["gammas"][0]) for s in MDP_STRATA} == {
        (k, g) for k in SEARCH_MDP_KINDS for g in SEARCH_GAMMAS}


@pytest.mark.parametrize("name, killer", [
    ("bandit: exploration stops at t = 200", "consistency"), ("bandit: always arm 0", "consistency"),
])
@pytest.mark.slow
def test_bandit_bugs_hidden_by_easy_instances_are_caught(name, killer):
    report = check(MUTANTS[name], [killer], target=name)
    assert report.results[0].verdict == "violated", report.summary()


@pytest.mark.parametrize("name, killers", [
    ("distributional: ignores the policy", {"mean_consistency", "fixed_point"}),
    ("distributional: discounts the reward", {"mean_consistency", "fixed_point"}),
    ("distributional: absorbing states to 0", {"mean_consistency"}),
    ("distributional: unsorted atoms", {"valid_output"}),
])
def test_distributional_bugs_are_caught_by_the_property_that_targets_them(name, killers, tmp_path):
    report = check(MUTANTS[name], sorted(killers), target=name, out_dir=tmp_path)
    assert all(r.verdict == "violated" for r in report.results), report.summary()


@settings(max_examples=25, deadline=None, database=None, derandomize=True)
@given(search_mdps(max_states=4, kinds=("terminal",)), st.integers(0, 2**31 - 1))
def test_the_exact_return_distribution_matches_monte_carlo(mdp, seed):
    """An independent route: sample 4000 episodes of the uniform policy and compare each state's empirical return
    CDF with the exact one (Kolmogorov-Smirnov distance within 0.05; at n = 4000 the 1e-3 quantile of the KS
    statistic is about 0.031, and the supports are finite so the comparison is exact up to sampling)."""
    S, A = mdp.n_states, mdp.n_actions
    pi = np.full((S, A), 1.0 / A)
    eta = return_distribution(mdp, pi)
    rng = np.random.default_rng(seed)
    for s0 in range(S):
        n = 4000
        returns = np.zeros(n)
        for i in range(n):
            s, disc = s0, 1.0
            while s != S - 1:
                a = rng.integers(A)
                returns[i] += disc * mdp.r[s, a]
                disc *= mdp.gamma
                s = rng.choice(S, p=mdp.P[s, a])
        atoms, probs = eta[s0]
        cdf_exact = np.cumsum(probs)
        cdf_emp = np.searchsorted(np.sort(returns), atoms + 1e-12, side="right") / n
        assert np.max(np.abs(cdf_exact - cdf_emp)) < 0.05


def test_float32_operators_get_a_float32_tolerance_and_are_not_flagged():
    v = np.array([1.0, -2.0, 3.0])
    assert tolerance_for(v, v, 1e-8) == 1e-8
    tol32 = tolerance_for(v.astype(np.float32), v, 1e-8)
    assert tol32 == pytest.approx(100 * np.finfo(np.float32).eps * 3.0)
    report = check(CORRECT["bellman_optimality float32"], target="float32")
    assert report.passed, report.summary()


def wrong_shape(mdp, V):
    return np.zeros(mdp.n_states + 1)


def test_a_shape_error_names_the_input_that_produced_it():
    report = check(wrong_shape, ["contraction"], target="wrong shape")
    res = report.results[0]
    assert res.verdict == "error"
    assert "expected an array of" in res.detail and "for the input an MDP with" in res.detail
    assert "\n" not in res.detail


def test_the_search_finds_what_independent_random_draws_find():
    """The held-out observation, as a check on the search: a VI planner that tests its residual without an absolute
    value fails on some independently drawn random MDP (gamma 0.99, 2-6 states, 2-3 actions), and the property's own
    search finds a failing input too."""
    from tabular_envs import policy_evaluation, policy_iteration

    planner = MUTANTS["planner: VI residual without abs"]

    def loses_value(mdp):
        v_star = policy_iteration(mdp).values
        return float(np.max(v_star - policy_evaluation(mdp, planner(mdp)))) > 1e-8 * max(1, np.max(np.abs(v_star)))

    rng = np.random.default_rng(7)
    from tabular_envs import TabularMDP
    hits = 0
    for _ in range(400):
        S, A = rng.integers(2, 7), rng.integers(2, 4)
        P = rng.dirichlet(np.ones(S), size=(S, A))
        r = rng.uniform(-1, 1, size=(S, A)) - 1.0
        hits += loses_value(TabularMDP(P, r, gamma=0.99))
    assert hits > 0
    found = deterministic_find(search_mdps(kinds=("dense",), gammas=(0.99,)), loses_value, 150)
    assert found is not None
    assert json.dumps(found.r.tolist())
