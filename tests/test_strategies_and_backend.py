import numpy as np
import pytest
from hypothesis import find, given

import gpu_kernels
from tabular_envs.strategies import bandit_instances, mdps, tree_mdps


@given(mdps(min_states=2, max_states=4, max_actions=2, gamma=0.5))
def test_mdps_respect_size_bounds(mdp):
    assert 2 <= mdp.n_states <= 4 and 1 <= mdp.n_actions <= 2 and mdp.gamma == 0.5


@given(bandit_instances(family="gaussian", min_arms=3, max_arms=3, sigma=2.0))
def test_gaussian_instances(inst):
    assert inst.n_arms == 3 and inst.sigma == 2.0 and np.isfinite(inst.means).all()


@given(tree_mdps(binary=True))
def test_tree_rewards_are_binary(mdp):
    assert set(np.unique(mdp.r)) <= {0.0, 1.0}


def test_strategy_argument_errors():
    with pytest.raises(ValueError, match="states"):
        find(mdps(min_states=3, max_states=2), lambda m: True)


def test_backend_detection_without_a_gpu():
    try:
        import cupy  # noqa: F401
        has_cupy = True
    except Exception:
        has_cupy = False
    assert gpu_kernels.backend() in ("cpu", "cupy")
    if not has_cupy:
        assert gpu_kernels.backend() == "cpu" and not gpu_kernels.gpu_available()
        assert "no CUDA device" in gpu_kernels.describe_backend()
        assert "ModuleNotFoundError" in gpu_kernels.describe_backend()          # says why: no CuPy
