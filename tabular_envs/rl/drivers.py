"""Where the sample-based agents that have GPU kernels run.

``gpu_kernels.activate('gpu')`` registers, per agent, a GPU driver with the same signature as the agent's CPU
driver (its ``_run_many``); ``activate('cpu')`` removes them. ``tabular_envs`` never imports ``gpu_kernels``.
"""
from __future__ import annotations

from collections.abc import Callable

__all__ = ["AGENTS", "use_gpu_driver", "use_cpu", "driver"]

# the agents with a GPU kernel (gpu_kernels.rl)
AGENTS = ("synchronous_q_learning", "td0", "ucb_hoeffding", "ucbvi")
_GPU: dict[str, Callable] = {}


def use_gpu_driver(agent: str, run_many: Callable) -> None:
    if agent not in AGENTS:
        raise ValueError(f"no GPU driver slot for {agent!r}; agents with GPU kernels: {', '.join(AGENTS)}")
    _GPU[agent] = run_many


def use_cpu() -> None:
    _GPU.clear()


def driver(agent: str, cpu: Callable) -> Callable:
    """The registered GPU driver of ``agent``, else its CPU driver ``cpu``."""
    return _GPU.get(agent, cpu)
