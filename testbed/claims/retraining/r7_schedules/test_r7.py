"""Claim R7: the last-iterate bound reproduces the catalogue numbers and bounds deterministic runs."""
import numpy as np
import pytest

from proofs_check import BoundError, last_iterate_bound
from tabular_envs import TabularEnvError

from .model import run_sgd_abs, schedule


def test_schedule_bound_reproduces_the_catalogue_numbers():
    for T, v in ((100, 2.036), (1000, 2.006), (10000, 2.0008)):
        assert last_iterate_bound(schedule("linear", T, 1.0, 1.0), np.ones(T), 1.0) * np.sqrt(T) == pytest.approx(
            v, abs=5e-4
        )


@pytest.mark.parametrize("kind", ["constant", "linear", "cosine", "refined"])
def test_deterministic_last_iterate_is_below_the_bound(kind):
    for T in (5, 50, 500):
        eta = schedule(kind, T, 2.0, 3.0)
        assert run_sgd_abs(eta, 3.0, 2.0)[0] <= last_iterate_bound(eta, np.full(T, 9.0), 2.0) + 1e-12


def test_schedule_input_errors_name_the_argument():
    with pytest.raises(TabularEnvError, match="unknown schedule"):
        schedule("wsd", 10, 1.0, 1.0)
    with pytest.raises(BoundError, match=r"eta\[2\]"):
        last_iterate_bound([0.1, 0.1, 0.0], [1.0, 1.0, 1.0], 1.0)


@pytest.mark.parametrize("eta", [0.5, 3.0, 21.2])
def test_two_steps_of_constant_size_by_hand(eta):
    """T = 2, x_1 = 1, f = |x|, G = 1: x_2 = 1 - eta, and Theorem 1's sum reduces to
    (1 + 2 eta^2) / (4 eta) + eta / 2 = eta + 1 / (4 eta) (S_1 = 2 eta, S_2 = eta); the ratio tends to 1 as eta grows,
    which is why the deterministic search's tightness is close to 1."""
    assert run_sgd_abs(np.full(2, eta), 1.0, 1.0)[0] == pytest.approx(abs(1 - eta), rel=1e-14)
    assert last_iterate_bound(np.full(2, eta), np.ones(2), 1.0) == pytest.approx(eta + 1 / (4 * eta), rel=1e-14)


def test_the_search_finds_the_bound_nearly_attained_and_a_planted_factor_is_seen():
    """The deterministic search's worst case is T = 2 with the largest step (ratio > 0.95 by the closed form above);
    a bound planted 1.1 times too small makes the exact part violated."""
    from testbed.planting import planted
    from testbed.registry import get_claim

    claim = get_claim("R7")
    tasks = [t for t in claim.tasks("quick", 0) if "search" in t.spec or t.spec["T"] == 10]
    results = [claim.run_task(t) for t in tasks]
    v = claim.decide(tasks, results)
    assert v.verdict == "holds" and v.evidence["worst_case"]["tightness"] > 0.95
    assert "T = 2, steps x 30" in v.evidence["worst_case"]["instance"]
    with planted(factor=1.1):
        assert claim.decide(tasks, results).verdict == "violated"
