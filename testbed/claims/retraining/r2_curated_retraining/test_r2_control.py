"""R2's wrong-algorithm control: a curation step that keeps a candidate with probability proportional to
exp(r / tau) with the wrong temperature (tau = 2 or 1/2, where the population update assumes the Luce rule with
tau = 1), on the claim's quick supports and seeds, decided at the suite's delta: the finite-sample round's E[r] no
longer matches the population step, and the statistical part must say violated."""
import importlib
from unittest import mock

import numpy as np
import pytest

from testbed.controls import decide_control

_CLAIM_MODULE = importlib.import_module("testbed.claims.retraining.r2_curated_retraining.claim")


def _luce_at_temperature(tau):
    def curated_sample_round(p, r, K, n_samples, rng):
        cand = rng.choice(p.size, size=(n_samples, K), p=p)
        w = np.exp((r[cand] - r.max()) / tau)
        u = rng.random(n_samples)[:, None] * w.sum(axis=1, keepdims=True)
        pick = np.minimum((np.cumsum(w, axis=1) < u).sum(axis=1), K - 1)
        return np.bincount(cand[np.arange(n_samples), pick], minlength=p.size) / n_samples
    return curated_sample_round


@pytest.mark.parametrize("tau", [2.0, 0.5])
def test_curation_at_the_wrong_temperature_is_violated(tau):
    with mock.patch.object(_CLAIM_MODULE, "curated_sample_round", _luce_at_temperature(tau)):
        v = decide_control("R2")
    assert v.verdict == "violated"
    assert [p["verdict"] for p in v.evidence["parts"]] == ["holds", "violated"]


def test_the_control_at_temperature_one_is_the_claims_algorithm():
    with mock.patch.object(_CLAIM_MODULE, "curated_sample_round", _luce_at_temperature(1.0)):
        assert decide_control("R2").verdict == "holds"
