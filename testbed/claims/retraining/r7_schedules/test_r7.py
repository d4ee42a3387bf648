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
