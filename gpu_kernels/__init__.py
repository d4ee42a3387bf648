"""gpu_kernels: the bandit simulators and a batched value-iteration sweep on a GPU (Numba CUDA kernels; CuPy or
Numba device arrays), bit-compatible with the CPU kernels of ``tabular_envs`` through shared device twins of the
same functions (``gpu_kernels.bandits``).

Importable without CuPy or a GPU. ``backend()`` is ``"cupy"`` when a CUDA device is usable (through CuPy or
Numba), else ``"cpu"``; ``activate(name)`` routes ``tabular_envs.bandits.simulate`` and the sample-based agents with GPU
kernels (synchronous Q-learning and TD(0), ``gpu_kernels.rl``) to the GPU (``"gpu"``), back to the CPU (``"cpu"``),
or picks the GPU when there is one (``"auto"``).
"""
from __future__ import annotations

import functools
import os

__all__ = ["backend", "gpu_available", "describe_backend", "activate", "resolve_backend", "NoGPUError"]

BACKENDS = ("cpu", "gpu", "auto")


class NoGPUError(RuntimeError):
    """``--backend gpu`` where no CUDA device is usable."""


@functools.lru_cache(maxsize=1)
def _probe() -> tuple[str, str]:
    if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
        return "cpu", "Numba's CUDA simulator is enabled (NUMBA_ENABLE_CUDASIM=1): kernels run on the CPU"
    try:
        from numba import cuda
        if cuda.is_available():
            name = cuda.get_current_device().name
            return "cupy", f"CUDA device {name.decode() if isinstance(name, bytes) else name} (Numba)"
    except Exception:          # a broken CUDA install raising at import or at probe
        pass
    try:
        import cupy
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:
        return "cpu", f"no CUDA device (numba.cuda unavailable; cupy: {type(exc).__name__})"
    if n < 1:
        return "cpu", "cupy imported but no CUDA device"
    return "cupy", f"cupy {cupy.__version__}, {n} CUDA device(s)"


def backend() -> str:
    return _probe()[0]


def gpu_available() -> bool:
    return backend() == "cupy"


def describe_backend() -> str:
    return _probe()[1]


def resolve_backend(name: str) -> str:
    """'cpu', 'gpu' or 'auto' -> 'cpu' or 'gpu'; NoGPUError for 'gpu' without a GPU, ValueError for other names."""
    if name not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {name!r}")
    if name == "auto":
        return "gpu" if gpu_available() else "cpu"
    if name == "gpu" and not gpu_available():
        raise NoGPUError(f"--backend gpu: no GPU here ({describe_backend()})")
    return name


def activate(name: str, *, allow_simulator: bool = False) -> str:
    """Route the bandit simulators and the RL agents with GPU kernels to the chosen backend in this process;
    returns 'cpu' or 'gpu'.
    ``allow_simulator`` lets tests activate the GPU kernels under Numba's CUDA simulator."""
    import importlib
    sim = importlib.import_module("tabular_envs.bandits.simulate")   # the module (the package re-exports the function)
    resolved = "gpu" if (allow_simulator and name == "gpu") else resolve_backend(name)
    drivers = importlib.import_module("tabular_envs.rl.drivers")
    if resolved == "gpu":
        from .bandits import MAX_ARMS, simulate_gpu
        from .rl import GPU_AGENTS
        sim.use_gpu_driver(simulate_gpu, MAX_ARMS)
        for agent, run_many in GPU_AGENTS.items():
            drivers.use_gpu_driver(agent, run_many)
    else:
        sim.use_cpu()
        drivers.use_cpu()
    return resolved
