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
