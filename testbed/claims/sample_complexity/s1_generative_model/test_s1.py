"""Claim S1 by hand: the Azar instance's values, and the simulation lemma on a random model."""
import numpy as np
import pytest

from tabular_envs import TabularMDP, azar_hard_instance, policy_evaluation
from tabular_envs.rl import empirical_model, generative_counts

from .model import q_values, simulation_lemma_rhs


def test_azar_instance_values_by_hand():
    for g in (0.4, 0.8, 0.95):
        v = policy_evaluation(azar_hard_instance(g), [0, 0, 0])
        assert np.isclose(v[1], 3 / (4 * (1 - g)), rtol=1e-12)
        assert np.isclose(v[0], g * 3 / (4 * (1 - g)), rtol=1e-12)


def test_simulation_lemma_holds_and_a_wrong_sign_fails():
    rng = np.random.default_rng(1)
    P = rng.dirichlet(np.ones(4), size=(4, 2))
    mdp = TabularMDP(P, rng.uniform(0, 1, (4, 2)), gamma=0.8)
    hat = empirical_model(mdp, generative_counts(P, 30, 3)[0])
    pol = [0, 1, 1, 0]
    lhs = q_values(mdp, policy_evaluation(mdp, pol)) - q_values(hat, policy_evaluation(hat, pol))
    assert np.max(np.abs(lhs - simulation_lemma_rhs(mdp, hat, pol))) < 1e-12
    assert np.max(np.abs(lhs + simulation_lemma_rhs(mdp, hat, pol))) > 1e-3


def test_generative_counts_are_nested_in_n():
    P = np.array([[[0.2, 0.8]], [[0.5, 0.5]]])
    small, large = generative_counts(P, 10, 5, 2), generative_counts(P, 40, 5, 2)
    assert np.all(small <= large) and small.sum() == 2 * 2 * 10


def test_negative_control_a_truncated_planner_is_violated():
    """The catalogue's trap: planning in M_hat with a fixed number of value-iteration sweeps (20) leaves an error
    floor, so the error stops decaying like N^-1/2 and S1's own rate decision calls it violated."""
    from tabular_envs import policy_iteration, value_iteration
    from testbed.stats import decide_slope_below

    from .claim import SLOPE_THRESHOLD
    mdp = azar_hard_instance(0.9)
    q_star = q_values(mdp, policy_iteration(mdp).values)
    Ns = [50, 200, 800, 3200]
    err = np.zeros((200, len(Ns)))
    for j, N in enumerate(Ns):
        counts = generative_counts(mdp.P, N, 4, 200)
        for i in range(200):
            hat = empirical_model(mdp, counts[i])
            v = value_iteration(hat, 1e-12, max_iterations=20).values
            err[i, j] = np.max(np.abs(q_star - q_values(hat, v)))
    from testbed.controls import suite_delta
    v = decide_slope_below([err], [np.array(Ns, dtype=float)], SLOPE_THRESHOLD, suite_delta("S1") / 3,
                           ["VI, 20 sweeps"])
    assert v.verdict == "violated", v.evidence


def test_leading_order_error_matches_exact_enumeration():
    """The derived leading term of proofs_check against the exact binomial expectation and against simulation."""
    from proofs_check import azar_certainty_equivalence_error, azar_certainty_equivalence_exact_error
    from tabular_envs import policy_iteration
    lead = azar_certainty_equivalence_error()
    for g in (0.6, 0.9):
        for N in (800, 6400):
            assert abs(float(lead.evaluate(gamma=g, N=N)) / azar_certainty_equivalence_exact_error(g, N) - 1) < 0.01
    mdp = azar_hard_instance(0.8)
    q_star = q_values(mdp, policy_iteration(mdp).values)
    counts = generative_counts(mdp.P, 400, 11, 4000)
    err = np.array([np.max(np.abs(q_star - q_values(hat := empirical_model(mdp, c), policy_iteration(hat).values)))
                    for c in counts])
    exact = azar_certainty_equivalence_exact_error(0.8, 400)
    assert abs(err.mean() - exact) < 4 * err.std(ddof=1) / np.sqrt(err.size)


def test_horizon_threshold_parts():
    from proofs_check import azar_horizon_slope_threshold

    from .claim import _AZAR_GAMMAS, HORIZON_ALLOWANCE
    threshold, parts = azar_horizon_slope_threshold(_AZAR_GAMMAS, 3200, HORIZON_ALLOWANCE)
    # by hand: 0.5 log(4 gamma - 1) against log 1/(1 - gamma) over gamma = 0.6..0.9 has least-squares slope 0.2127
    g = np.array(_AZAR_GAMMAS)
    by_hand = np.polyfit(np.log(1 / (1 - g)), 0.5 * np.log(4 * g - 1), 1)[0]
    assert abs(parts["finite_gamma_prefactor"] - by_hand) < 1e-9
    assert abs(parts["finite_N"]) < 1e-3 and abs(threshold - (1.5 + 0.2127 + 0.05)) < 2e-3


def test_a_planner_whose_error_grows_like_one_over_one_minus_gamma_squared_is_violated():
    """A sample-budget bug: N (1 - gamma) / 0.4 samples per pair instead of N (the budget shrinks with the horizon),
    so the error grows like (1 - gamma)^-2 in 1/(1 - gamma): S1's horizon part must say violated at the suite's
    delta on the claim's quick tasks."""
    import dataclasses

    from testbed.controls import decide_control
    from testbed.registry import get_claim

    from .claim import _UNITS

    def shrinking_budget(task):
        g = _UNITS[task.spec["unit"]]
        Ns = [max(2, round(N * (1 - g) / 0.4)) for N in task.spec["N"]]
        return get_claim("S1").run_task(dataclasses.replace(task, spec={**task.spec, "N": Ns}))
    v = decide_control("S1", keep=lambda t: t.spec["unit"].startswith("azar"), results=shrinking_budget)
    parts = {p["name"]: p["verdict"] for p in v.evidence["parts"]}
    assert parts["horizon exponent (Azar instance)"] == "violated", v.evidence["horizon_slope"]


@pytest.mark.parametrize("args,what", [((0.1, 100), "gamma_value"), ((1.0, 100), "gamma_value"),
                                       ((0.8, 0), "N_value"), ((0.8, 2.5), "N_value")])
def test_exact_error_refuses_bad_input_by_name(args, what):
    from proofs_check import azar_certainty_equivalence_exact_error
    from proofs_check.errors import BoundError
    with pytest.raises(BoundError, match=what):
        azar_certainty_equivalence_exact_error(*args)


def test_horizon_threshold_refuses_a_single_discount():
    from proofs_check import azar_horizon_slope_threshold
    from proofs_check.errors import BoundError
    with pytest.raises(BoundError, match="gammas"):
        azar_horizon_slope_threshold([0.9, 0.9], 100, 0.05)
