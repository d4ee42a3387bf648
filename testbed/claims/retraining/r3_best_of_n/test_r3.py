"""Claim R3: the best-of-n KL identity for continuous rewards, and an upper bound with ties."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sst

from proofs_check import categorical_kl
from tabular_envs.strategies import probability_rows

from .model import bon_distribution, bon_kl_continuous, bon_kl_formula


@pytest.mark.parametrize("n", [1, 3, 16])
def test_best_of_n_kl_identity_for_continuous_rewards(n):
    assert bon_kl_continuous(n, sst.norm.cdf, sst.norm.pdf, -12, 12) == pytest.approx(bon_kl_formula(n), abs=1e-9)


@settings(max_examples=60)
@given(probability_rows(5, 1), st.integers(1, 64))
def test_best_of_n_with_ties_is_below_the_formula(p, n):
    q = bon_distribution(p[0], n)
    assert q.sum() == pytest.approx(1.0, abs=1e-12) and categorical_kl(q, p[0]) <= bon_kl_formula(n) + 1e-12


def test_catalogue_tie_example():
    assert categorical_kl(bon_distribution([0.5, 0.3, 0.2], 16), [0.5, 0.3, 0.2]) == pytest.approx(1.470, abs=5e-4)


def test_negative_control_light_tailed_proxies_do_not_over_optimise(monkeypatch):
    """With Gaussian proxy errors best-of-n keeps improving the gold reward up to the largest n: no
    over-optimisation, and the claim's own procedure must call its statistical part violated."""
    from testbed.registry import get_claim

    from . import claim as claim_module
    monkeypatch.setattr(claim_module, "proxy_noise", lambda rng, shape: 0.5 * rng.standard_normal(shape))
    claim = get_claim("R3")
    tasks = claim.tasks("quick", 0)
    v = claim.decide(tasks, [claim.run_task(t) for t in tasks])
    assert v.verdict == "violated"
    assert v.evidence["overoptimisation"]["difference_mean"] < 0


def test_a_planted_identity_value_is_caught_by_the_quadrature():
    """The power analysis plants log n - (n-1)/n wrong by a factor 1.05: the exact part must then be violated
    (the quadrature is the independent route), while the unplanted decision of the same data holds."""
    from testbed.planting import planted
    from testbed.registry import get_claim

    claim = get_claim("R3")
    tasks = claim.tasks("quick", 0)[:1]
    results = [claim.run_task(t) for t in tasks]
    def exact_part(verdict):
        return next(p["verdict"] for p in verdict.evidence["parts"] if p["name"] == "KL identity and bound (exact)")
    assert exact_part(claim.decide(tasks, results)) == "holds"
    with planted(factor=1.05):
        planted_verdict = claim.decide(tasks, results)
    assert exact_part(planted_verdict) == "violated" and planted_verdict.verdict == "violated"
