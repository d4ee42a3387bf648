"""Claim D11: edge-of-reach states are never updated; patching removes the overestimation."""
import numpy as np

from tabular_envs import chain

from .model import edge_of_reach, optimal_q, truncated_q_iteration


def test_edge_states_are_never_updated_and_patching_removes_overestimation():
    mdp = chain(8, gamma=0.9, slip=0.0)
    updated, edge = edge_of_reach(mdp, [0], 2)
    assert edge.any() and not (edge & updated).any()
    Q = truncated_q_iteration(mdp, updated, 100.0)
    np.testing.assert_array_equal(Q[edge], 100.0)
    q_star = optimal_q(mdp)
    assert np.max(Q[updated] - q_star[updated]) > 1.0
    patched = truncated_q_iteration(mdp, updated, 100.0, edge_value=0.0)
    assert np.all(patched[updated] <= q_star[updated] + 1e-9)


def test_negative_control_an_ensemble_without_disagreement_violates_the_spread_claim(monkeypatch):
    """A one-member ensemble has zero spread everywhere, so the edge never shows more spread than the data: the
    claim's own procedure must call the spread part violated (no planted threshold can, since the correct ensemble
    wins every trial)."""
    from testbed.registry import get_claim

    from . import claim as claim_module
    spread = claim_module.ensemble_spread
    monkeypatch.setattr(claim_module, "ensemble_spread",
                        lambda mdp, pairs, n, members, V, rng: spread(mdp, pairs, n, 1, V, rng))
    claim = get_claim("D11")
    tasks = claim.tasks("quick", 0)
    v = claim.decide(tasks, [claim.run_task(t) for t in tasks])
    assert v.verdict == "violated"
    assert [p for p in v.evidence["parts"] if p["name"] == "ensemble spread at the edge"][0]["verdict"] == "violated"
