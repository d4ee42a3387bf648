"""E3: the TD pieces by hand, and the traps decided violated by the claim's own procedure."""
import dataclasses

import numpy as np
import pytest

from tabular_envs.errors import TabularEnvError
from tabular_envs.estimation.linear_td import (
    baird_behaviour,
    baird_star,
    expected_iterates,
    projection,
    sampled_off_policy,
    stationary_distribution,
    td_fixed_point,
)
from testbed.claims.estimation.e3_linear_td.claim import (
    ALPHA,
    BETA,
    CONVERGENCE_SLOPE,
    DIVERGENCE_SLOPE,
    SAMPLED_T,
    TD_ALPHA,
    THETA0,
)
from testbed.controls import decide_control, suite_delta, with_spec
from testbed.registry import get_claim

DIVERGES = "sampled on Baird: TD's E||theta_t|| grows (log-log slope >= 1)"
CONVERGES = "sampled on Baird: TDC's and GTD2's E sqrt(MSPBE) falls (log-log slope <= -0.75)"


def decide_sampled_part(part, **spec):
    claim = get_claim("E3")
    tasks = [dataclasses.replace(t, spec={**t.spec, **spec}) for t in claim.tasks("quick", 0)
             if t.unit == "sampled_baird"]
    return claim.decide_part(part, tasks, [claim.run_task(t) for t in tasks], delta=suite_delta("E3"))


def test_declared_slopes_are_about_half_the_expected_iterates():
    Phi, P, d, g = baird_star()
    t = np.array(SAMPLED_T)
    slopes = {}
    for m, col in (("td", 0), ("tdc", 1), ("gtd2", 1)):
        c = expected_iterates(Phi, P, g, d, THETA0, m, TD_ALPHA if m == "td" else ALPHA, BETA, int(t[-1]))
        slopes[m] = np.polyfit(np.log(t), np.log(c[t, col]), 1)[0]
    assert 0.4 < DIVERGENCE_SLOPE / slopes["td"] < 0.5
    assert 0.4 < CONVERGENCE_SLOPE / max(slopes["tdc"], slopes["gtd2"]) < 0.5


def test_sampled_updates_average_to_the_expected_ones():
    # E||theta_t|| is not ||E theta_t|| (Jensen), but on Baird the two agree closely: after 1000 sampled steps the
    # mean norm is within 5 % of the expected iterate's (0.2 % when measured); a wrong ratio or update would not be
    Phi, P, d, g = baird_star()
    out = sampled_off_policy(Phi, baird_behaviour(), P, np.zeros(7), g, THETA0, "td", alpha=TD_ALPHA, beta=BETA,
                             checkpoints=[1000], seed=3, n_replications=2000)
    expected = expected_iterates(Phi, P, g, d, THETA0, "td", TD_ALPHA, BETA, 1000)[-1, 0]
    norms = out[:, 0, 0]
    assert abs(norms.mean() - expected) < 0.05 * expected      # Jensen gap and noise: within 5 % at t = 1000
    for bad, match in (({"gamma": 1.5}, "gamma"), ({"alpha": -1.0}, "step sizes")):
        kw = {"gamma": g, "alpha": 0.01, **bad}
        with pytest.raises(TabularEnvError, match=match):
            sampled_off_policy(Phi, baird_behaviour(), P, np.zeros(7), kw["gamma"], THETA0, "td", alpha=kw["alpha"],
                               beta=BETA, checkpoints=[1])
    with pytest.raises(TabularEnvError, match="importance ratio"):
        sampled_off_policy(Phi, np.eye(7), P, np.zeros(7), g, THETA0, "td", alpha=0.01, beta=0.05, checkpoints=[1])


@pytest.mark.parametrize("spec", [{"tdc_slot": "td"}, {"tdc_correction": False}])
def test_td_or_uncorrected_tdc_called_tdc_is_violated_when_sampled(spec):
    assert decide_sampled_part(CONVERGES, **spec).verdict == "violated"


def test_tdc_called_td_shows_no_divergence():
    assert decide_sampled_part(DIVERGES, td_slot="tdc").verdict == "violated"


def test_tabular_features_give_the_true_values():
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(4), size=4)
    r = rng.uniform(0, 1, 4)
    d = stationary_distribution(P)
    assert np.allclose(d @ P, d, atol=1e-12)
    V = np.linalg.solve(np.eye(4) - 0.9 * P, r)
    np.testing.assert_allclose(np.eye(4) @ td_fixed_point(np.eye(4), P, r, 0.9, d), V, atol=1e-10)
    np.testing.assert_allclose(projection(np.eye(4), d) @ V, V, atol=1e-12)


def test_tdc_without_its_correction_is_violated():
    assert decide_control("E3", with_spec(tdc_correction=False)).verdict == "violated"


def test_off_policy_weighting_under_the_on_policy_bound_is_violated():
    assert decide_control("E3", with_spec(weighting="off")).verdict == "violated"


def test_the_claim_holds_on_its_own_quick_tasks():
    assert decide_control("E3").verdict == "holds"
