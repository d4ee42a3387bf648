"""Claim D9: the BEER cosine bound holds when the Bellman equation holds."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tabular_envs import garnet

from .model import beer_cosine_bound, cosines, linear_bellman_instance


@settings(max_examples=50)
@given(st.integers(0, 2 ** 30))
def test_beer_bound_holds_when_the_bellman_equation_holds(seed):
    rng = np.random.default_rng(seed)
    mdp = garnet(4, 2, gamma=0.9, rng=seed)
    phi, w = rng.normal(size=(4, 2, 3)), rng.normal(size=3)
    r, Q, phibar = linear_bellman_instance(mdp, np.full((4, 2), 0.5), phi, w)
    # the constructed rewards really make Q a fixed point of the evaluation operator
    np.testing.assert_allclose(Q, r + 0.9 * mdp.P @ (0.5 * Q.sum(axis=1)), atol=1e-12)
    assert np.all(cosines(phi, phibar) <= beer_cosine_bound(phi, phibar, r, w, 0.9) + 1e-12)

